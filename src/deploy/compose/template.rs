//! Compose's `${VAR}` interpolation, as compose-go's `template` package does it: `$VAR`,
//! `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+replacement}`, `${VAR+replacement}`,
//! `${VAR:?error}`, `${VAR?error}` and `$$` for a literal `$`. Defaults nest (`${A:-${B}}`); a `$`
//! followed by anything else stays as written; `${` not followed by a name and `}` is an error.

/// Why a value cannot be interpolated; Compose refuses the whole project for either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `${` without a valid name and closing brace (Compose: "invalid interpolation format").
    Invalid,
    /// `${VAR:?message}` or `${VAR?message}` with VAR missing.
    Required { var: String, message: String },
    /// Defaults nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// How deeply `${A:-${B:-…}}` defaults may nest before tracectl gives up.
pub const MAX_DEPTH: usize = 32;

/// An interpolated value and the variables it named that the environment does not set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Substituted {
    pub text: String,
    /// Names used as `$VAR` or `${VAR}` without a default and not set: Compose warns and uses "".
    pub unset: Vec<String>,
}

/// Interpolates `template` with `lookup` (the project environment).
pub fn substitute(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Substituted, TemplateError> {
    let mut out = Substituted::default();
    expand(template, lookup, 0, &mut out)?;
    Ok(out)
}

fn expand(
    t: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
    out: &mut Substituted,
) -> Result<(), TemplateError> {
    if depth > MAX_DEPTH {
        return Err(TemplateError::TooDeep);
    }
    let mut i = 0;
    // The current line's end and its last `}` (absolute), found once per line so that long
    // lines with many `${` stay linear.
    let mut line: Option<(usize, Option<usize>)> = None;
    while let Some(off) = t[i..].find('$') {
        let d = i + off;
        out.text.push_str(&t[i..d]);
        let rest = &t[d + 1..];
        match rest.bytes().next() {
            Some(b'$') => {
                out.text.push('$');
                i = d + 2;
            }
            Some(c) if is_name_start(c) => {
                let name = &rest[..name_len(rest)];
                variable(name, lookup, out);
                i = d + 1 + name.len();
            }
            Some(b'{') => {
                let (end, last) = match line {
                    Some(known) if d < known.0 => known,
                    _ => {
                        let end = t[d..].find('\n').map_or(t.len(), |o| d + o);
                        let found = (end, t[d..end].rfind('}').map(|o| d + o));
                        line = Some(found);
                        found
                    }
                };
                let last = last.and_then(|l| l.checked_sub(d));
                i = d + braced(&t[d..end], last, lookup, depth, out)?;
            }
            _ => {
                out.text.push('$');
                i = d + 1;
            }
        }
    }
    out.text.push_str(&t[i..]);
    Ok(())
}

fn variable(name: &str, lookup: &dyn Fn(&str) -> Option<String>, out: &mut Substituted) {
    match lookup(name) {
        Some(value) => out.text.push_str(&value),
        None => {
            if !out.unset.iter().any(|u| u == name) {
                out.unset.push(name.to_string());
            }
        }
    }
}

const OPERATORS: [&str; 6] = [":?", ":-", ":+", "?", "-", "+"];

/// `s` starts with `${` and runs to the end of its line, whose last `}` is at `last`; returns
/// how many bytes of `s` were consumed.
fn braced(
    s: &str,
    last: Option<usize>,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
    out: &mut Substituted,
) -> Result<usize, TemplateError> {
    let after = &s[2..];
    let n = match after.bytes().next() {
        Some(c) if is_name_start(c) => name_len(after),
        _ => return Err(TemplateError::Invalid),
    };
    let name = &after[..n];
    let tail = &after[n..];
    if tail.starts_with('}') {
        variable(name, lookup, out);
        return Ok(2 + n + 1);
    }
    let op = OPERATORS
        .iter()
        .find(|op| tail.starts_with(**op))
        .ok_or(TemplateError::Invalid)?;
    let body_start = 2 + n + op.len();
    // The regular expression Compose uses reaches the last `}` of the line; the value then ends at
    // the brace that closes `${` when braces balance, else at that last `}`.
    let last = match last {
        Some(last) if last >= body_start => last,
        _ => return Err(TemplateError::Invalid),
    };
    let end = closing_brace(&s[..=last]).unwrap_or(last);
    let body = &s[body_start..end];
    let value = lookup(name);
    let set_nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
    let sub = |out: &mut Substituted| expand(body, lookup, depth + 1, out);
    match *op {
        ":-" if !set_nonempty => sub(out)?,
        "-" if value.is_none() => sub(out)?,
        ":+" if set_nonempty => sub(out)?,
        "+" if value.is_some() => sub(out)?,
        ":+" | "+" => {}
        ":?" | "?" if (*op == ":?" && !set_nonempty) || value.is_none() => {
            let mut message = Substituted::default();
            expand(body, lookup, depth + 1, &mut message)?;
            return Err(TemplateError::Required {
                var: name.to_string(),
                message: message.text,
            });
        }
        _ => out.text.push_str(value.as_deref().unwrap_or_default()),
    }
    Ok(end + 1)
}

/// compose-go's `getFirstBraceClosingIndex`: the `}` that balances the first `{`, where the
/// character after each `{` is skipped.
fn closing_brace(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut open = 0i64;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'}' {
            open -= 1;
            if open == 0 {
                return Some(i);
            }
        }
        if b[i] == b'{' {
            open += 1;
            i += 1;
        }
        i += 1;
    }
    None
}

fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn name_len(s: &str) -> usize {
    s.bytes()
        .take_while(|c| *c == b'_' || c.is_ascii_alphanumeric())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "SET" => Some("value".to_string()),
            "EMPTY" => Some(String::new()),
            "HOST" => Some("collector".to_string()),
            _ => None,
        }
    }

    fn sub(t: &str) -> String {
        substitute(t, &env).unwrap().text
    }

    #[test]
    fn plain_and_braced_variables() {
        assert_eq!(sub("http://$HOST:4317"), "http://collector:4317");
        assert_eq!(sub("http://${HOST}:4317"), "http://collector:4317");
        assert_eq!(sub("$SET-$SET"), "value-value");
        assert_eq!(sub("cost: $$5 and $1 and $"), "cost: $5 and $1 and $");
        let s = substitute("${MISSING}/$OTHER/${MISSING}", &env).unwrap();
        assert_eq!(s.text, "//");
        assert_eq!(s.unset, ["MISSING", "OTHER"]);
    }

    #[test]
    fn defaults_and_replacements() {
        assert_eq!(sub("${MISSING:-d}|${EMPTY:-d}|${SET:-d}"), "d|d|value");
        assert_eq!(sub("${MISSING-d}|${EMPTY-d}|${SET-d}"), "d||value");
        assert_eq!(sub("${MISSING:+r}|${EMPTY:+r}|${SET:+r}"), "||r");
        assert_eq!(sub("${MISSING+r}|${EMPTY+r}|${SET+r}"), "|r|r");
        assert_eq!(sub("${MISSING:-${HOST}:4317}"), "collector:4317");
        assert_eq!(sub("${MISSING:-a} and ${SET}"), "a and value");
        assert_eq!(sub("${MISSING:-{x}}"), "{x}");
        assert!(substitute("${MISSING:-x}", &env).unwrap().unset.is_empty());
    }

    #[test]
    fn required_variables_fail_with_their_message() {
        assert_eq!(
            substitute("${MISSING:?set it in .env}", &env),
            Err(TemplateError::Required {
                var: "MISSING".into(),
                message: "set it in .env".into()
            })
        );
        assert!(substitute("${EMPTY:?x}", &env).is_err());
        assert_eq!(substitute("${EMPTY?x}", &env).unwrap().text, "");
        assert_eq!(sub("${SET:?x}"), "value");
    }

    #[test]
    fn invalid_templates_are_errors() {
        for t in ["${}", "${1A}", "${A B}", "${A:x}", "${A", "${A:-x"] {
            assert_eq!(substitute(t, &env), Err(TemplateError::Invalid), "{t}");
        }
    }

    #[test]
    fn defaults_end_at_their_own_line() {
        assert_eq!(sub("${MISSING:-a}\n${SET}}"), "a\nvalue}");
        assert_eq!(
            substitute("${MISSING:-a\n}", &env),
            Err(TemplateError::Invalid)
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "${A:-".repeat(100) + &"}".repeat(100);
        assert_eq!(substitute(&deep, &env), Err(TemplateError::TooDeep));
    }
}
