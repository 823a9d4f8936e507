//! Java `.properties` text (the agent's `otel.javaagent.configuration-file`, Spring's
//! `application.properties`): `key=value`, `key: value` or `key value` lines, `#` and `!`
//! comments, a trailing backslash continuing a line, and backslash escapes. Each entry keeps the
//! line its key is on.

/// One `key=value` entry, with the 1-based line of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub line: u32,
}

/// Every entry of `text`, in file order (a later entry of the same key wins when read).
pub fn parse(text: &str) -> Vec<Entry> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, first)) = lines.next() {
        let trimmed = first.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        let mut logical = String::new();
        let mut part = trimmed.to_string();
        while continues(&part) {
            part.pop();
            logical.push_str(&part);
            match lines.next() {
                Some((_, next)) => part = next.trim_start().to_string(),
                None => {
                    part.clear();
                    break;
                }
            }
        }
        logical.push_str(&part);
        let (key, value) = split(&logical);
        entries.push(Entry {
            key,
            value,
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
        });
    }
    entries
}

/// Whether a line ends with an odd number of backslashes (a continuation).
fn continues(line: &str) -> bool {
    line.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

/// The key (up to the first unescaped `=`, `:` or whitespace) and the value after the separator.
fn split(line: &str) -> (String, String) {
    let mut chars = line.chars().peekable();
    let mut key = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    key.push(unescape(next, &mut chars));
                }
            }
            '=' | ':' => break,
            c if c.is_whitespace() => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('=' | ':')) {
                    chars.next();
                }
                break;
            }
            c => key.push(c),
        }
    }
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
    let mut value = String::new();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                value.push(unescape(next, &mut chars));
            }
        } else {
            value.push(c);
        }
    }
    (key, value)
}

/// The character `\c` stands for; `\uXXXX` reads four hex digits.
fn unescape(c: char, rest: &mut std::iter::Peekable<std::str::Chars<'_>>) -> char {
    match c {
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        'f' => '\u{c}',
        'u' => {
            let hex: String = (0..4).filter_map(|_| rest.next()).collect();
            u32::from_str_radix(&hex, 16)
                .ok()
                .filter(|_| hex.len() == 4)
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}')
        }
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String, u32)> {
        parse(text)
            .into_iter()
            .map(|e| (e.key, e.value, e.line))
            .collect()
    }

    #[test]
    fn separators_comments_and_continuations() {
        let text = "# comment\n! also\notel.service.name = checkout\n\
                    otel.a:b\notel.b c d\n  otel.c=first \\\n    second\n\
                    key\\ with\\ spaces=v\\u00e9\nempty\n";
        assert_eq!(
            pairs(text),
            [
                ("otel.service.name".into(), "checkout".into(), 3),
                ("otel.a".into(), "b".into(), 4),
                ("otel.b".into(), "c d".into(), 5),
                ("otel.c".into(), "first second".into(), 6),
                ("key with spaces".into(), "vé".into(), 8),
                ("empty".into(), String::new(), 9),
            ]
        );
    }

    #[test]
    fn a_trailing_backslash_at_the_end_and_odd_input_do_not_panic() {
        assert_eq!(pairs("a=b\\"), [("a".into(), "b".into(), 1)]);
        assert_eq!(pairs("a=\\u12"), [("a".into(), "\u{fffd}".into(), 1)]);
        assert_eq!(pairs("=x"), [(String::new(), "x".into(), 1)]);
        assert_eq!(pairs("a=b\\\\"), [("a".into(), "b\\".into(), 1)]);
    }
}
