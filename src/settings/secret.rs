//! A value that must never be printed in full: header values, passwords, tokens.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// How many characters a redacted value may show at its start.
const SHOWN: usize = 4;

/// How many characters must stay hidden after the shown ones: a prefix is shown only when it
/// reveals at most a fifth of the value (values of 20 characters or more).
const HIDDEN_AT_LEAST: usize = 16;

/// Shows the start of a secret and its length, never the whole value.
///
/// Only values of 20 characters or more show their first 4 (`Bearer …` tells which scheme a
/// token uses); shorter ones, such as a 9-character API key, show nothing but their length.
pub fn redact(secret: &str) -> String {
    let chars = secret.chars().count();
    if chars < SHOWN + HIDDEN_AT_LEAST {
        return format!("<redacted, {chars} chars>");
    }
    let head: String = secret.chars().take(SHOWN).collect();
    format!("{head}…<redacted, {chars} chars>")
}

/// The text with the user information of every URL in it (`http://user:pass@host`) redacted:
/// the password, or a user name standing alone (often a token), becomes [`redact`]ed text. Works
/// on a bare URL and on any sentence quoting one, so every output can pass through it.
pub fn redact_urls(text: &str) -> Cow<'_, str> {
    // Most text quotes no URL with user information: it is given back as it is, not copied.
    let mut out: Option<String> = None;
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&text.as_bytes()[from..], b"://") {
        let authority = from + found + 3;
        let after = &text[authority..];
        let authority_end = after
            .find(|c: char| c.is_whitespace() || "/?#\"'`<>()[]{},;\\".contains(c))
            .unwrap_or(after.len());
        from = authority;
        let Some(userinfo_end) = after[..authority_end].rfind('@') else {
            continue;
        };
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[done..authority]);
        let userinfo = &after[..userinfo_end];
        match userinfo.split_once(':') {
            Some((user, password)) => {
                out.push_str(user);
                out.push(':');
                out.push_str(&redact(password));
            }
            None => out.push_str(&redact(userinfo)),
        }
        done = authority + userinfo_end;
        from = done;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[done..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
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
        assert_eq!(redact(&"é".repeat(20)), "éééé…<redacted, 20 chars>");
    }

    #[test]
    fn short_secrets_show_no_prefix() {
        assert_eq!(redact("k3y-12345"), "<redacted, 9 chars>");
        assert_eq!(redact(&"x".repeat(19)), "<redacted, 19 chars>");
    }

    #[test]
    fn url_passwords_are_redacted_wherever_they_appear() {
        assert_eq!(
            redact_urls("http://user:hunter2@collector:4318/v1/traces"),
            "http://user:<redacted, 7 chars>@collector:4318/v1/traces"
        );
        assert_eq!(
            redact_urls("error sending to `https://tok3n@[::1]:4317`: refused"),
            "error sending to `https://<redacted, 5 chars>@[::1]:4317`: refused"
        );
        let plain = "http://collector:4318/a@b and mailto:x@y, two://a:b@c";
        assert_eq!(
            redact_urls(plain),
            "http://collector:4318/a@b and mailto:x@y, two://a:<redacted, 1 chars>@c"
        );
        assert_eq!(redact_urls("no url"), "no url");
        let quiet = "http://collector:4318 and https://[::1]:4317/v1";
        assert!(
            matches!(redact_urls(quiet), Cow::Borrowed(_)),
            "nothing to hide: not copied"
        );
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
