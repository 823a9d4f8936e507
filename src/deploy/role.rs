//! Recognising tracing infrastructure by image and command: collectors, agents and backends are
//! judged as what they are, not as instrumented apps.

use super::Role;

/// The last path segment of an image reference without tag or digest:
/// `ghcr.io/open-telemetry/opentelemetry-collector-releases/otelcol-k8s:0.1@sha256:…` → `otelcol-k8s`.
pub fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// The role an image or command shows; [`Role::App`] when nothing is recognised.
pub fn recognise(image: Option<&str>, command: &[String]) -> Role {
    if let Some(image) = image {
        let lower = image.to_ascii_lowercase();
        let role = by_image_name(image_name(&lower));
        if role != Role::App {
            return role;
        }
    }
    let program = command
        .first()
        .map(|c| c.rsplit('/').next().unwrap_or(c).to_ascii_lowercase());
    match program.as_deref() {
        Some(p) => by_image_name(p),
        None => Role::App,
    }
}

fn by_image_name(name: &str) -> Role {
    const COLLECTORS: &[&str] = &["opentelemetry-collector", "otelcol", "rotel"];
    const BACKENDS: &[&str] = &[
        "all-in-one",
        "jaeger-all-in-one",
        "jaeger-collector",
        "jaeger-query",
        "jaeger-ingester",
        "zipkin",
        "tempo",
    ];
    if COLLECTORS.iter().any(|c| name.starts_with(c)) || name == "jaeger" {
        Role::Collector
    } else if name == "jaeger-agent" {
        Role::Agent
    } else if BACKENDS.contains(&name) {
        Role::Backend
    } else {
        Role::App
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(image: &str) -> Role {
        recognise(Some(image), &[])
    }

    #[test]
    fn collectors_agents_and_backends_by_image() {
        assert_eq!(
            role("otel/opentelemetry-collector-contrib:0.98.0"),
            Role::Collector
        );
        assert_eq!(
            role(
                "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:0.111.0"
            ),
            Role::Collector
        );
        assert_eq!(role("otel/otelcol:latest"), Role::Collector);
        assert_eq!(role("streamfold/rotel:v0.1"), Role::Collector);
        assert_eq!(role("jaegertracing/jaeger:2.1.0"), Role::Collector);
        assert_eq!(role("jaegertracing/jaeger-agent:1.62"), Role::Agent);
        assert_eq!(role("jaegertracing/all-in-one:1.62.0"), Role::Backend);
        assert_eq!(role("openzipkin/zipkin"), Role::Backend);
        assert_eq!(role("grafana/tempo:2.6.0"), Role::Backend);
    }

    #[test]
    fn apps_are_apps_even_with_tracing_words_in_their_names() {
        assert_eq!(
            role("ghcr.io/open-telemetry/demo:1.12.0-checkoutservice"),
            Role::App
        );
        assert_eq!(role("myorg/jaeger-demo-app:1"), Role::App);
        assert_eq!(recognise(None, &[]), Role::App);
    }

    #[test]
    fn commands_name_collectors_too() {
        let command = vec![
            "/otelcol-contrib".to_string(),
            "--config=/conf/c.yaml".to_string(),
        ];
        assert_eq!(
            recognise(Some("registry.local/base:1"), &command),
            Role::Collector
        );
    }
}
