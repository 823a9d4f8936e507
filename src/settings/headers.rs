//! OTEL_EXPORTER_OTLP_[TRACES_]HEADERS: `name=value,name2=value2` with percent-encoding. Values are
//! kept as [`Secret`]s; problems are described without ever quoting a value.

use serde::Serialize;

use super::{Secret, percent};

/// One header the exporter sends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub name: String,
    pub value: Secret,
}

/// What is wrong with one entry of the variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderProblemKind {
    /// No `=`: the SDK drops the entry (or the whole variable).
    MissingEquals,
    /// `=value` with nothing before it.
    EmptyName,
    /// Characters a header name cannot hold, e.g. `Authorization: Bearer x` written HTTP-style.
    InvalidName,
    /// A `%` that does not start a `%XX` escape.
    BadPercentEncoding,
    /// Quotes around the value or the whole variable: they are sent as part of the header.
    Quoted,
}

/// A problem with entry number `entry` (1-based) of the variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderProblem {
    pub entry: usize,
    pub kind: HeaderProblemKind,
    /// Plain-text description; never contains a header value.
    pub detail: String,
}

/// The parsed variable.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Headers {
    pub headers: Vec<Header>,
    pub problems: Vec<HeaderProblem>,
}

/// Characters RFC 9110 allows in a header name (`tchar`).
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The start of a name up to the first character a name cannot hold: what is safe to show.
fn token_prefix(name: &str) -> String {
    name.chars().take_while(|&c| is_token_char(c)).collect()
}

fn is_quoted(s: &str) -> bool {
    ['"', '\'']
        .iter()
        .any(|&q| s.starts_with(q) || s.ends_with(q))
}

impl Headers {
    pub fn parse(text: &str) -> Headers {
        let mut parsed = Headers::default();
        for (index, entry) in text.split(',').enumerate() {
            let entry_no = index + 1;
            let mut problem = |kind, detail: String| {
                parsed.problems.push(HeaderProblem {
                    entry: entry_no,
                    kind,
                    detail,
                });
            };
            if entry.trim().is_empty() {
                continue;
            }
            let Some((name, value)) = entry.split_once('=') else {
                problem(
                    HeaderProblemKind::MissingEquals,
                    format!("entry {entry_no} has no `=`: it is not name=value"),
                );
                continue;
            };
            let name = name.trim();
            let value = value.trim();
            if name.is_empty() {
                problem(
                    HeaderProblemKind::EmptyName,
                    format!("entry {entry_no} has no header name before `=`"),
                );
                continue;
            }
            if is_quoted(name) || is_quoted(value) {
                let what = if is_quoted(name) { "name" } else { "value" };
                problem(
                    HeaderProblemKind::Quoted,
                    format!(
                        "entry {entry_no} ({}) has a quote at the start or end of its {what}: \
                         the quote is sent as part of the header",
                        token_prefix(name.trim_matches(['"', '\'']))
                    ),
                );
            }
            let Ok(name) = percent::decode(name) else {
                problem(
                    HeaderProblemKind::BadPercentEncoding,
                    format!("entry {entry_no} has a broken %XX escape in its name"),
                );
                continue;
            };
            let clean = name.trim_matches(['"', '\'']);
            if let Some(bad) = clean.chars().find(|&c| !is_token_char(c)) {
                let hint = if bad == ':' || bad == ' ' {
                    " (HTTP `Name: value` syntax? write name=value)"
                } else {
                    ""
                };
                let shown = token_prefix(clean);
                problem(
                    HeaderProblemKind::InvalidName,
                    format!(
                        "entry {entry_no}: the header name `{shown}…` contains `{}`, \
                         which a header name cannot hold{hint}",
                        bad.escape_default()
                    ),
                );
                continue;
            }
            match percent::decode(value) {
                Ok(value) => parsed.headers.push(Header {
                    name,
                    value: Secret::new(value),
                }),
                Err(_) => problem(
                    HeaderProblemKind::BadPercentEncoding,
                    format!(
                        "entry {entry_no} ({name}) has a `%` that does not start a %XX escape \
                         in its value (write a literal % as %25)"
                    ),
                ),
            }
        }
        parsed
    }
}

/// One `--header`/`--verify-header` value: `name=value`, or `Name: value` as curl takes it
/// (whichever of `=` and `:` comes first separates). The error names at most the start of the
/// header name, never the value: what was typed may be a token.
pub fn parse_flag(text: &str) -> Result<(String, String), String> {
    let colon = text.find(':');
    let equals = text.find('=');
    let (name, value) = match (colon, equals) {
        (Some(c), e) if e.is_none_or(|e| c < e) => (&text[..c], text[c + 1..].trim_start()),
        (_, Some(e)) => (&text[..e], &text[e + 1..]),
        _ => {
            return Err(format!(
                "it has neither `=` nor `:` (the text is not shown: it may be a secret, {} \
                 chars)",
                text.chars().count()
            ));
        }
    };
    let name = name.trim();
    if name.is_empty() {
        return Err("it has no header name before the `=` or `:`".into());
    }
    if let Some(bad) = name.chars().find(|&c| !is_token_char(c)) {
        return Err(format!(
            "the header name `{}…` contains `{}`, which a header name cannot hold",
            token_prefix(name),
            bad.escape_default()
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_take_name_value_and_curl_style() {
        let ok = |t: &str| parse_flag(t).unwrap();
        assert_eq!(
            ok("authorization=Bearer x=y"),
            ("authorization".into(), "Bearer x=y".into())
        );
        assert_eq!(
            ok("Authorization: Bearer a=b"),
            ("Authorization".into(), "Bearer a=b".into())
        );
        assert_eq!(
            ok("x-url=http://a:b"),
            ("x-url".into(), "http://a:b".into())
        );
        assert_eq!(ok("x-empty="), ("x-empty".into(), String::new()));
        for bad in [
            TOKEN.to_string(),
            format!("Bearer {TOKEN}: x"),
            format!("={TOKEN}"),
            format!("Bearer {TOKEN}=x"),
        ] {
            let err = parse_flag(&bad).unwrap_err();
            assert!(!err.contains(TOKEN), "{err}");
        }
    }

    const TOKEN: &str = "s3cr3t-token-value";

    fn kinds(text: &str) -> Vec<HeaderProblemKind> {
        Headers::parse(text)
            .problems
            .iter()
            .map(|p| p.kind)
            .collect()
    }

    #[test]
    fn parses_and_decodes_values() {
        let h = Headers::parse("authorization=Bearer%20abc, x-tenant = acme ,");
        assert!(h.problems.is_empty(), "{:?}", h.problems);
        assert_eq!(h.headers[0].name, "authorization");
        assert_eq!(h.headers[0].value.expose(), "Bearer abc");
        assert_eq!(h.headers[1].value.expose(), "acme");
    }

    #[test]
    fn reports_each_kind_of_problem() {
        use HeaderProblemKind::*;
        assert_eq!(kinds(&format!("Bearer {TOKEN}")), [MissingEquals]);
        assert_eq!(kinds("=x"), [EmptyName]);
        assert_eq!(
            kinds(&format!("Authorization: Bearer {TOKEN}=")),
            [InvalidName]
        );
        assert_eq!(kinds(&format!("a={TOKEN}%")), [BadPercentEncoding]);
        assert_eq!(
            kinds(&format!("\"authorization=Bearer {TOKEN}\"")),
            [Quoted]
        );
        assert_eq!(kinds(&format!("authorization='{TOKEN}'")), [Quoted]);
    }

    #[test]
    fn problems_never_quote_values() {
        for text in [
            format!("Bearer {TOKEN}"),
            format!("Authorization: Bearer {TOKEN}="),
            format!("a={TOKEN}%"),
            format!("\"authorization={TOKEN}\""),
            format!("\"Authorization: Bearer {TOKEN}=x\""),
        ] {
            let h = Headers::parse(&text);
            let shown = format!("{h:?} {}", serde_json::to_string(&h).unwrap());
            assert!(!shown.contains(TOKEN), "{shown}");
        }
    }
}
