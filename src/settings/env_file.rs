//! Env files, read the way the app's launcher reads them: dotenv (comments, `export `, quotes, escapes
//! in double quotes, inline comments) or `docker run --env-file` (no quote processing at all).
//!
//! A line that is not `KEY=VALUE` in the chosen format is an error naming `file:line`: tracectl
//! cannot know what the app would see, so it asks for the file to be fixed rather than guess.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Inputs, Source};

/// How an env file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EnvFileFormat {
    /// dotenv / docker compose `env_file`: quotes are removed, `\n` escapes work in double quotes,
    /// `# comments` after unquoted values are dropped, `export ` is allowed.
    #[default]
    Dotenv,
    /// `docker run --env-file`: everything after the first `=` is the value, quotes included.
    Docker,
}

/// A line of an env file that cannot be read in the chosen format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct EnvFileError {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

/// One `KEY=VALUE` line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: String,
    value: String,
    note: Option<String>,
}

/// Adds every variable of an env file to `inputs`, remembering file and line. All are kept, not
/// only the tracing ones: a collector config's `${env:VAR}` may name any of them (COL011); the
/// settings summary still shows only OTEL_*/JAEGER_* variables.
pub fn load(
    inputs: &mut Inputs,
    path: &Path,
    text: &str,
    format: EnvFileFormat,
) -> Result<(), EnvFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, line) in text.lines().enumerate() {
        let parsed = match format {
            EnvFileFormat::Dotenv => dotenv_line(line),
            EnvFileFormat::Docker => docker_line(line),
        };
        let entry = parsed.map_err(|message| EnvFileError {
            path: path.to_path_buf(),
            line: index + 1,
            message,
        })?;
        if let Some(Entry { key, value, note }) = entry {
            let source = Source::EnvFile {
                path: path.to_path_buf(),
                line: index + 1,
            };
            inputs.set_noted(key, value, source, note);
        }
    }
    Ok(())
}

fn dotenv_line(line: &str) -> Result<Option<Entry>, String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let line = line.strip_prefix("export ").map_or(line, str::trim_start);
    let (key, rest) = line
        .split_once('=')
        .ok_or_else(|| format!("`{}` is not KEY=VALUE", shorten(line)))?;
    let key = key.trim();
    check_key(key)?;
    let rest = rest.trim_start();
    let (value, quoted) = match rest.chars().next() {
        Some('\'') => (single_quoted(rest)?, true),
        Some('"') => (double_quoted(rest)?, true),
        _ => (unquoted(rest), false),
    };
    let note = if quoted {
        Some(
            "quotes removed as dotenv does; `docker run --env-file` would keep them \
             (check with --env-file-format docker)"
                .to_string(),
        )
    } else if value.contains("${") {
        Some("`${...}` is not expanded by tracectl; the app may see it expanded".to_string())
    } else {
        None
    };
    Ok(Some(Entry {
        key: key.to_string(),
        value,
        note,
    }))
}

fn docker_line(line: &str) -> Result<Option<Entry>, String> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let Some((key, value)) = line.split_once('=') else {
        // A bare name passes the launcher's own value through: already read from the environment.
        if line.trim_end().contains(char::is_whitespace) {
            return Err(format!(
                "`{}` is not KEY=VALUE, and docker refuses names containing whitespace",
                shorten(line)
            ));
        }
        return Ok(None);
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Err(format!(
            "`{}` is not a variable name docker accepts (no whitespace, not empty)",
            shorten(key)
        ));
    }
    let quoted = value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')));
    let note = quoted.then(|| {
        "docker --env-file keeps quotes: the app sees them as part of the value".to_string()
    });
    Ok(Some(Entry {
        key: key.to_string(),
        value: value.to_string(),
        note,
    }))
}

fn check_key(key: &str) -> Result<(), String> {
    let valid = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a variable name (letters, digits and `_`, not starting with a digit)",
            shorten(key)
        ))
    }
}

/// `'...'`: taken literally, up to the next `'`.
fn single_quoted(rest: &str) -> Result<String, String> {
    let inner = &rest[1..];
    let end = inner
        .find('\'')
        .ok_or("the single quote is never closed on this line")?;
    after_closing_quote(&inner[end + 1..])?;
    Ok(inner[..end].to_string())
}

/// `"..."`: `\n`, `\t`, `\r`, `\"`, `\\`, `\$` are escapes; other backslashes stay.
fn double_quoted(rest: &str) -> Result<String, String> {
    let mut value = String::new();
    let mut chars = rest[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                after_closing_quote(&rest[1 + i + 1..])?;
                return Ok(value);
            }
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('r') => value.push('\r'),
                Some(e @ ('"' | '\\' | '$' | '\'')) => value.push(e),
                Some(other) => {
                    value.push('\\');
                    value.push(other);
                }
                None => value.push('\\'),
            },
            _ => value.push(c),
        }
    }
    Err("the double quote is never closed on this line".to_string())
}

fn after_closing_quote(tail: &str) -> Result<(), String> {
    let tail = tail.trim_start();
    if tail.is_empty() || tail.starts_with('#') {
        Ok(())
    } else {
        Err(format!(
            "{} unexpected characters after the closing quote (not shown: part of a value)",
            tail.trim_end().chars().count()
        ))
    }
}

/// An unquoted value ends at a `#` that follows whitespace (an inline comment).
fn unquoted(rest: &str) -> String {
    let mut end = rest.len();
    let mut previous_blank = true;
    for (i, c) in rest.char_indices() {
        if c == '#' && previous_blank {
            end = i;
            break;
        }
        previous_blank = c.is_whitespace();
    }
    rest[..end].trim_end().to_string()
}

/// The start of a line for an error message: never a whole long value.
/// The part of a line an error may quote: its leading name characters (at most 24), never what
/// follows a space, `:` or quote, since a line that is not KEY=VALUE may be a pasted
/// `Authorization: Bearer …` header or a token.
fn shorten(text: &str) -> String {
    const MAX: usize = 24;
    let name: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "_.-".contains(*c))
        .take(MAX)
        .collect();
    if name.len() == text.len() {
        name
    } else {
        format!("{name}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_quote_names_never_values() {
        assert_eq!(shorten("OTEL_SERVICE_NAME"), "OTEL_SERVICE_NAME");
        assert_eq!(shorten("Authorization: Bearer s3cr3t"), "Authorization…");
        assert_eq!(shorten("'s3cr3t'"), "…");
    }

    fn read(format: EnvFileFormat, text: &str) -> Result<Inputs, EnvFileError> {
        let mut inputs = Inputs::default();
        load(&mut inputs, Path::new("app.env"), text, format)?;
        Ok(inputs)
    }

    fn value(inputs: &Inputs, name: &str) -> String {
        inputs
            .get(name)
            .map(|v| v.value.clone())
            .unwrap_or_default()
    }

    #[test]
    fn dotenv_handles_comments_export_quotes_and_escapes() {
        let text = "\u{feff}# comment\n\n\
            export OTEL_SERVICE_NAME = checkout # the shop\n\
            OTEL_RESOURCE_ATTRIBUTES='a=1 # not a comment'\n\
            OTEL_EXPORTER_OTLP_HEADERS=\"x=a\\\"b\\nc\" # inline\n\
            OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318/#frag\n\
            PATH=/bin\n";
        let inputs = read(EnvFileFormat::Dotenv, text).unwrap();
        assert_eq!(value(&inputs, "OTEL_SERVICE_NAME"), "checkout");
        assert_eq!(
            value(&inputs, "OTEL_RESOURCE_ATTRIBUTES"),
            "a=1 # not a comment"
        );
        assert_eq!(value(&inputs, "OTEL_EXPORTER_OTLP_HEADERS"), "x=a\"b\nc");
        assert_eq!(
            value(&inputs, "OTEL_EXPORTER_OTLP_ENDPOINT"),
            "http://c:4318/#frag"
        );
        assert_eq!(
            value(&inputs, "PATH"),
            "/bin",
            "kept for ${{env:PATH}} in collector configs"
        );
        assert!(
            inputs.tracing_vars().all(|v| v.name != "PATH"),
            "the settings summary shows only tracing variables"
        );
        let name = inputs.get("OTEL_SERVICE_NAME").unwrap();
        assert_eq!(
            name.source,
            Source::EnvFile {
                path: "app.env".into(),
                line: 3
            }
        );
        assert!(name.note.is_none());
        assert!(
            inputs
                .get("OTEL_RESOURCE_ATTRIBUTES")
                .unwrap()
                .note
                .is_some()
        );
    }

    #[test]
    fn docker_keeps_quotes_and_says_so() {
        let text = "OTEL_SERVICE_NAME=\"checkout\"\nOTEL_TRACES_SAMPLER=always_on # x\nHOME\n";
        let inputs = read(EnvFileFormat::Docker, text).unwrap();
        let name = inputs.get("OTEL_SERVICE_NAME").unwrap();
        assert_eq!(name.value, "\"checkout\"");
        assert!(name.note.as_deref().unwrap().contains("keeps quotes"));
        assert_eq!(value(&inputs, "OTEL_TRACES_SAMPLER"), "always_on # x");
    }

    #[test]
    fn unreadable_lines_name_file_and_line() {
        for (format, text, line) in [
            (EnvFileFormat::Dotenv, "A=1\nOTEL_SERVICE_NAME\n", 2),
            (EnvFileFormat::Dotenv, "OTEL_SERVICE_NAME='x\n", 1),
            (EnvFileFormat::Dotenv, "OTEL_SERVICE_NAME=\"x\" y\n", 1),
            (EnvFileFormat::Dotenv, "1X=2\n", 1),
            (EnvFileFormat::Docker, "export OTEL_SERVICE_NAME=x\n", 1),
            (EnvFileFormat::Docker, "\n\nA B\n", 3),
        ] {
            let err = read(format, text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err}");
            assert!(err.to_string().starts_with(&format!("app.env:{line}: ")));
        }
    }

    #[test]
    fn later_lines_win() {
        let inputs = read(
            EnvFileFormat::Dotenv,
            "OTEL_SERVICE_NAME=a\nOTEL_SERVICE_NAME=b\n",
        )
        .unwrap();
        assert_eq!(value(&inputs, "OTEL_SERVICE_NAME"), "b");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC*", docker in proptest::bool::ANY) {
            let format = if docker { EnvFileFormat::Docker } else { EnvFileFormat::Dotenv };
            let _ = read(format, &text);
        }
    }
}
