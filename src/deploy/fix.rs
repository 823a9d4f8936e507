//! Fixes in the deployment's own form: a settings check's `export VAR=value` becomes the
//! container's `env` entry (Kubernetes) or `environment` key (Compose), at the file and line
//! to change.

use super::{Platform, Workload};

/// `fix` with every `export VAR=value` written as `w`'s definition file would take it.
pub fn manifest_form(fix: &str, w: &Workload) -> String {
    let mut out = String::with_capacity(fix.len());
    let mut rest = fix;
    while let Some(start) = rest.find("export ") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let assignment = &after["export ".len()..];
        match split_assignment(assignment) {
            Some((var, value, used)) => {
                rest = &assignment[used..];
                // `export VAR=value` in backticks: the new form brings its own.
                if out.ends_with('`') && rest.starts_with('`') {
                    out.pop();
                    rest = &rest[1..];
                }
                out.push_str(&entry(w, var, value));
            }
            None => {
                out.push_str("export ");
                rest = assignment;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `VAR=value` at the start of `text`: the name, the value and the bytes they take. The value
/// ends at white space or a backtick; a sentence's final `.`, `,` or `;` is not part of it.
fn split_assignment(text: &str) -> Option<(&str, &str, usize)> {
    let (var, tail) = text.split_once('=')?;
    let is_name = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
    if var.is_empty() || !var.chars().all(is_name) {
        return None;
    }
    let end = tail
        .find(|c: char| c.is_whitespace() || c == '`')
        .unwrap_or(tail.len());
    let value = tail[..end].trim_end_matches(['.', ',', ';']);
    Some((var, value, var.len() + 1 + value.len()))
}

/// The definition of `var` as `value` for `w`, and where to write it.
fn entry(w: &Workload, var: &str, value: &str) -> String {
    let quoted = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
    let current = w.var(var);
    match w.platform {
        Platform::Kubernetes => {
            let form = format!("`env: - name: {var} value: {quoted}`");
            match current {
                Some(v) if v.origin == "env" || v.origin.starts_with("valueFrom") => {
                    format!("{form} (the env entry at {})", v.source)
                }
                Some(v) => format!(
                    "{form} in container {} at {} (it wins over {} at {})",
                    w.container, w.source, v.origin, v.source
                ),
                None => format!("{form} in container {} at {}", w.container, w.source),
            }
        }
        Platform::Compose => match current {
            Some(v) if v.origin.starts_with("env_file") => {
                format!("`{var}={value}` (the env_file line at {})", v.source)
            }
            Some(v) => format!("`environment: {var}: {quoted}` (the entry at {})", v.source),
            None => format!(
                "`environment: {var}: {quoted}` in service {} at {}",
                w.name, w.source
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::model::tests::workload;
    use crate::deploy::{EnvValue, EnvVar, Location};

    fn var(name: &str, origin: &str, file: &str, line: u32) -> EnvVar {
        EnvVar {
            name: name.into(),
            value: EnvValue::Literal("x".into()),
            placeholders: Vec::new(),
            source: Location::new(file, line),
            origin: origin.into(),
            secret: false,
            overrides: Vec::new(),
        }
    }

    fn k8s(env: Vec<EnvVar>) -> Workload {
        let mut w = workload("api");
        w.source = Location::new("app.yaml", 20);
        w.env = env;
        w
    }

    #[test]
    fn a_kubernetes_env_entry_is_changed_where_it_is() {
        let w = k8s(vec![var("OTEL_TRACES_EXPORTER", "env", "app.yaml", 31)]);
        assert_eq!(
            manifest_form("export OTEL_TRACES_EXPORTER=otlp (or otlp,console)", &w),
            "`env: - name: OTEL_TRACES_EXPORTER value: \"otlp\"` (the env entry at \
             app.yaml:31) (or otlp,console)"
        );
    }

    #[test]
    fn a_missing_or_configmap_variable_is_added_to_the_container() {
        let w = k8s(vec![var(
            "OTEL_TRACES_SAMPLER",
            "envFrom ConfigMap otel",
            "cm.yaml",
            9,
        )]);
        assert_eq!(
            manifest_form("export OTEL_SERVICE_NAME=checkout.", &w),
            "`env: - name: OTEL_SERVICE_NAME value: \"checkout\"` in container api at app.yaml:20."
        );
        assert_eq!(
            manifest_form("export OTEL_TRACES_SAMPLER=parentbased_always_on", &w),
            "`env: - name: OTEL_TRACES_SAMPLER value: \"parentbased_always_on\"` in container \
             api at app.yaml:20 (it wins over envFrom ConfigMap otel at cm.yaml:9)"
        );
    }

    #[test]
    fn compose_fixes_are_environment_keys_or_env_file_lines() {
        let mut w = k8s(vec![
            var(
                "OTEL_EXPORTER_OTLP_PROTOCOL",
                "environment",
                "compose.yaml",
                12,
            ),
            var("OTEL_TRACES_EXPORTER", "env_file app.env", "app.env", 2),
        ]);
        w.platform = Platform::Compose;
        w.source = Location::new("compose.yaml", 8);
        assert_eq!(
            manifest_form("export OTEL_EXPORTER_OTLP_PROTOCOL=grpc", &w),
            "`environment: OTEL_EXPORTER_OTLP_PROTOCOL: \"grpc\"` (the entry at compose.yaml:12)"
        );
        assert_eq!(
            manifest_form("`export OTEL_TRACES_EXPORTER=otlp`", &w),
            "`OTEL_TRACES_EXPORTER=otlp` (the env_file line at app.env:2)"
        );
        assert_eq!(
            manifest_form("export OTEL_SERVICE_NAME=a and export X", &w),
            "`environment: OTEL_SERVICE_NAME: \"a\"` in service api at compose.yaml:8 and export X"
        );
    }
}
