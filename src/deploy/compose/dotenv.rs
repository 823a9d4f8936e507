//! Compose's env-file syntax (compose-go's `dotenv` parser), used for the project's `.env` and for
//! a service's `env_file`: `KEY=VALUE` or `KEY: VALUE`, `export `, `#` comments (inline only after
//! a space), single quotes taken literally, double quotes with escapes and multi-line values,
//! `${VAR}` interpolation in unquoted and double-quoted values, and a bare `KEY` that takes the
//! value the lookup gives.

use std::collections::HashMap;

use super::template::{self, Substituted, TemplateError};

/// One variable an env file sets, with the line its statement starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub line: usize,
    /// Variables its value named that were not set (Compose uses "").
    pub unset: Vec<String>,
}

/// Why an env file cannot be read, at which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvError {
    pub line: usize,
    pub message: String,
}

/// Reads `text`. `lookup` answers bare keys and comes first in `${VAR}`; `vars` holds what is
/// already set (earlier files, a service's `environment`) and receives each entry as it is read,
/// as Compose's parser writes into its output map.
pub fn parse(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    vars: &mut HashMap<String, String>,
) -> Result<Vec<Entry>, DotenvError> {
    let mut p = Parser { line: 1 };
    let mut entries = Vec::new();
    let mut cut = text.strip_prefix('\u{feff}').unwrap_or(text);
    loop {
        cut = p.statement_start(cut);
        if cut.is_empty() {
            break;
        }
        let line = p.line;
        let (key, left, inherited) = p.key_name(cut)?;
        if key.contains(' ') {
            return Err(p.error("key cannot contain a space"));
        }
        if inherited {
            if let Some(value) = lookup(&key) {
                vars.insert(key.clone(), value.clone());
                entries.push(Entry {
                    key,
                    value,
                    line,
                    unset: Vec::new(),
                });
            }
            cut = left;
            continue;
        }
        let (value, left) = p.value(left, lookup, vars)?;
        vars.insert(key.clone(), value.text.clone());
        entries.push(Entry {
            key,
            value: value.text,
            line,
            unset: value.unset,
        });
        cut = left;
    }
    Ok(entries)
}

struct Parser {
    line: usize,
}

/// compose-go's `isSpace`: whitespace other than a line break.
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

impl Parser {
    fn error(&self, message: &str) -> DotenvError {
        DotenvError {
            line: self.line,
            message: message.to_string(),
        }
    }

    /// Skips blank space and comment lines, counting line breaks.
    fn statement_start<'a>(&mut self, mut src: &'a str) -> &'a str {
        loop {
            let Some(pos) = src.find(|c: char| {
                if c == '\n' {
                    self.line += 1;
                }
                !c.is_whitespace()
            }) else {
                return "";
            };
            src = &src[pos..];
            if !src.starts_with('#') {
                return src;
            }
            match src.find('\n') {
                Some(end) => src = &src[end..],
                None => return "",
            }
        }
    }

    fn key_name<'a>(&mut self, src: &'a str) -> Result<(String, &'a str, bool), DotenvError> {
        let mut src = src;
        if let Some(rest) = src.strip_prefix("export")
            && rest.starts_with(char::is_whitespace)
        {
            src = rest.trim_start_matches(is_space);
        }
        let mut key = "";
        let mut offset = 0;
        let mut inherited = false;
        for (i, c) in src.char_indices() {
            if is_space(c) {
                continue;
            }
            match c {
                '=' | ':' | '\n' => {
                    key = &src[..i];
                    offset = i + 1;
                    inherited = c == '\n';
                    break;
                }
                '_' | '.' | '-' | '[' | ']' => {}
                c if c.is_alphanumeric() => {}
                c => {
                    return Err(self.error(&format!(
                        "unexpected character {c:?} in variable name `{}`",
                        &src[..i]
                    )));
                }
            }
        }
        if inherited && !key.contains(' ') {
            self.line += 1;
        }
        let key = key.trim_end().to_string();
        Ok((key, src[offset..].trim_start_matches(is_space), inherited))
    }

    fn value<'a>(
        &mut self,
        src: &'a str,
        lookup: &dyn Fn(&str) -> Option<String>,
        vars: &HashMap<String, String>,
    ) -> Result<(Substituted, &'a str), DotenvError> {
        let expand = |v: &str, line: usize| {
            let both = |k: &str| lookup(k).or_else(|| vars.get(k).cloned());
            template::substitute(v, &both).map_err(|e| DotenvError {
                line,
                message: template_message(&e),
            })
        };
        let quote = match src.bytes().next() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => {
                let (value, rest) = src.split_once('\n').unwrap_or((src, ""));
                let line = self.line;
                self.line += 1;
                let value = value.split_once(" #").map_or(value, |(v, _)| v).trim_end();
                return Ok((expand(value, line)?, rest));
            }
        };
        let start_line = self.line;
        let bytes = src.as_bytes();
        let mut chars = Vec::new();
        let mut escaped = false;
        for (i, &c) in bytes.iter().enumerate().skip(1) {
            if c == b'\n' {
                self.line += 1;
            }
            if c != quote {
                if !escaped && c == b'\\' {
                    escaped = true;
                    continue;
                }
                if escaped {
                    escaped = false;
                    chars.push(b'\\');
                }
                chars.push(c);
                continue;
            }
            if escaped {
                escaped = false;
                chars.push(c);
                continue;
            }
            let value = String::from_utf8_lossy(&chars).into_owned();
            let value = if quote == b'"' {
                expand(&unescape(&value), start_line)?
            } else {
                Substituted {
                    text: value,
                    unset: Vec::new(),
                }
            };
            return Ok((value, &src[i + 1..]));
        }
        Err(DotenvError {
            line: start_line,
            message: "unterminated quoted value".to_string(),
        })
    }
}

/// The escapes compose-go expands in double-quoted values: `\a \b \f \n \r \t \v \" \\`, `\$`
/// (a literal `$`) and `\0NNN` octal; any other backslash stays.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let simple = match after.bytes().next() {
            Some(b'a') => Some("\u{7}"),
            Some(b'b') => Some("\u{8}"),
            Some(b'f') => Some("\u{c}"),
            Some(b'n') => Some("\n"),
            Some(b'r') => Some("\r"),
            Some(b't') => Some("\t"),
            Some(b'v') => Some("\u{b}"),
            Some(b'$') => Some("$$"),
            Some(b'"') => Some("\""),
            Some(b'\\') => Some("\\"),
            _ => None,
        };
        if let Some(text) = simple {
            out.push_str(text);
            rest = &after[1..];
            continue;
        }
        if let Some(digits) = after.strip_prefix('0') {
            let n = digits
                .bytes()
                .take(3)
                .take_while(u8::is_ascii_digit)
                .count();
            let octal = (n == 3)
                .then(|| u8::from_str_radix(&digits[..3], 8).ok())
                .flatten();
            match octal {
                Some(byte) => out.push(char::from(byte)),
                None => out.push_str(&rest[pos..pos + 2 + n]),
            }
            rest = &digits[n..];
            continue;
        }
        out.push('\\');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A sentence for a template error inside an env file or a Compose file.
pub fn template_message(e: &TemplateError) -> String {
    match e {
        TemplateError::Invalid => {
            "invalid interpolation format (write `$$` for a literal `$`)".to_string()
        }
        TemplateError::Required { var, message } if message.is_empty() => {
            format!("required variable {var} is missing a value")
        }
        TemplateError::Required { var, message } => {
            format!("required variable {var} is missing a value: {message}")
        }
        TemplateError::TooDeep => format!(
            "`${{VAR:-…}}` defaults nest more than {} levels deep",
            template::MAX_DEPTH
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String, usize)> {
        let lookup = |k: &str| (k == "SHELL_VAR").then(|| "from-shell".to_string());
        let mut vars = HashMap::new();
        parse(text, &lookup, &mut vars)
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.value, e.line))
            .collect()
    }

    fn one(text: &str) -> String {
        read(text).pop().unwrap().1
    }

    #[test]
    fn plain_lines_comments_and_export() {
        let got = read("# c\nA=1\n\nexport B = two words # note\nC: yaml\nD=x#y\n");
        assert_eq!(
            got,
            [
                ("A".into(), "1".into(), 2),
                ("B".into(), "two words".into(), 4),
                ("C".into(), "yaml".into(), 5),
                ("D".into(), "x#y".into(), 6),
            ]
        );
    }

    #[test]
    fn quotes_escapes_and_multiline_values() {
        assert_eq!(one("A='a $B \\n'"), "a $B \\n");
        assert_eq!(one("A=\"a\\tb\\nc\""), "a\tb\nc");
        assert_eq!(one("A=\"say \\\"hi\\\"\""), "say \"hi\"");
        assert_eq!(one("A=\"\\$HOME\""), "$HOME");
        assert_eq!(one("A=\"\\0101\""), "A");
        assert_eq!(one("A=\"\\q\""), "\\q");
        let got = read("A=\"line1\nline2\"\nB=2\n");
        assert_eq!(got[0].1, "line1\nline2");
        assert_eq!(got[1], ("B".into(), "2".into(), 3));
    }

    #[test]
    fn interpolation_uses_the_lookup_then_earlier_lines() {
        assert_eq!(one("A=x\nB=${A}-${SHELL_VAR}"), "x-from-shell");
        assert_eq!(one("A=x\nB='${A}'"), "${A}");
        assert_eq!(one("B=${NOPE:-d}"), "d");
        let got = read("SHELL_VAR\nNOT_SET\nZ=1\n");
        assert_eq!(
            got,
            [
                ("SHELL_VAR".into(), "from-shell".into(), 1),
                ("Z".into(), "1".into(), 3)
            ]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let mut vars = HashMap::new();
        let none = |_: &str| None;
        let e = parse("A=1\nB C=2\n", &none, &mut vars).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("A=1\nB=\"open\n", &none, &mut vars).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "unterminated quoted value")
        );
        let e = parse("A=1\nB!=2\n", &none, &mut vars).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("A=${B:?needed}\n", &none, &mut vars).unwrap_err();
        assert!(e.message.contains("needed"), "{e:?}");
    }
}
