//! Env files: dotenv and `docker --env-file` style `KEY=VALUE` lines.

use std::path::Path;

use super::{Inputs, Source, inputs::is_tracing_var};

/// Adds every tracing variable of an env file to `inputs`, remembering file and line.
pub fn load(inputs: &mut Inputs, path: &Path, text: &str) {
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if is_tracing_var(key) {
            inputs.set(
                key,
                unquote(value.trim()),
                Source::EnvFile {
                    path: path.to_path_buf(),
                    line: index + 1,
                },
            );
        }
    }
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}
