//! A value that must never be printed in full: header values, passwords, tokens.

use std::fmt;

use serde::Serialize;

/// Shows the start of a secret and its length, never the whole value.
///
/// Values of 8 characters or fewer show nothing but their length.
pub fn redact(secret: &str) -> String {
    let chars = secret.chars().count();
    if chars <= 8 {
        return format!("<redacted, {chars} chars>");
    }
    let head: String = secret.chars().take(4).collect();
    format!("{head}…<redacted, {chars} chars>")
}

/// Holds a secret. `Debug`, `Display` and `Serialize` all show [`redact`]ed text, so no report,
/// log line or JSON document can carry the whole value; only [`Secret::expose`] gives it out.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The whole value, for code that must use it (e.g. to send the header). Never print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", redact(&self.0))
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&redact(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_never_shows_the_whole_secret() {
        assert_eq!(redact("short"), "<redacted, 5 chars>");
        let r = redact("Bearer abcdefghijklmnop");
        assert!(r.starts_with("Bear…"));
        assert!(!r.contains("abcdefghijklmnop"));
        assert_eq!(redact("ééééééééé"), "éééé…<redacted, 9 chars>");
    }

    #[test]
    fn no_rendering_shows_the_whole_value() {
        let secret = Secret::new("Bearer s3cr3t-token-value");
        for shown in [
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
            serde_json::to_string(&secret).unwrap(),
        ] {
            assert!(!shown.contains("s3cr3t-token-value"), "{shown}");
        }
        assert_eq!(secret.expose(), "Bearer s3cr3t-token-value");
    }
}
