//! The config files a collector's command line names: its `--config` arguments, in order.

/// `--config=PATH` / `--config PATH` values that are files (not `env:`, `yaml:` or URLs).
pub fn config_paths(words: &[&str]) -> Vec<String> {
    let mut paths = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let value = match word.strip_prefix("--config=") {
            Some(v) => Some(v),
            None if *word == "--config" => iter.next().copied(),
            None => None,
        };
        let Some(value) = value else { continue };
        let value = value.strip_prefix("file:").unwrap_or(value);
        if value.starts_with('/') || !value.contains(':') {
            paths.push(value.to_string());
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_paths_skip_env_and_yaml_providers() {
        let words = [
            "/otelcol-contrib",
            "--config=/conf/relay.yaml",
            "--config",
            "file:/etc/b.yaml",
            "--config=env:OTEL_CONFIG",
            "--config=yaml:receivers::otlp::protocols::grpc:",
        ];
        assert_eq!(config_paths(&words), ["/conf/relay.yaml", "/etc/b.yaml"]);
    }
}
