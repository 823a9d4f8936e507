//! Words and sentences shared by every layer: plurals, capitals, and errors put into words.
//! A leaf: imports nothing of the crate.

/// `n` and the word for it: `1 warning`, `2 warnings`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `KEY=VALUE` split at the first `=`, the key trimmed; `None` when there is no `=` or no key.
/// The one reading of `--set`, `--severity`, `--header` and `--verify-header` entries.
pub fn key_value(text: &str) -> Option<(&str, &str)> {
    text.split_once('=')
        .map(|(k, v)| (k.trim(), v))
        .filter(|(k, _)| !k.is_empty())
}

/// The text with its first character in upper case, as sentences and fixes start.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Why a file could not be read, in words: the common cases without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory, not a file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// An error and its sources on one line, each source added once (libraries often repeat their
/// source in their own message).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_picks_the_word_for_the_count() {
        assert_eq!(plural(1, "warning", "warnings"), "1 warning");
        assert_eq!(plural(0, "warning", "warnings"), "0 warnings");
    }

    #[test]
    fn key_value_splits_at_the_first_equals_sign() {
        assert_eq!(key_value(" A =b=c"), Some(("A", "b=c")));
        assert_eq!(key_value("A="), Some(("A", "")));
        assert_eq!(key_value("=b"), None);
        assert_eq!(key_value("ab"), None);
    }

    #[test]
    fn capitalise_upper_cases_the_first_character_only() {
        assert_eq!(capitalise("set OTEL_X"), "Set OTEL_X");
        assert_eq!(capitalise("école"), "École");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn io_reason_names_common_cases_in_words() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&e), "no such file");
    }
}
