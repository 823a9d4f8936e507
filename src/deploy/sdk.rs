//! Which SDK a container runs, inferred from evidence in its definition: an OpenTelemetry
//! Operator injection annotation, the variables each auto-instrumentation sets, then image name
//! tokens. The evidence is kept so reports can show why.

use serde::Serialize;

use super::{EnvValue, Workload};
use crate::settings::Sdk;

/// An inferred SDK and the sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SdkGuess {
    pub sdk: Sdk,
    /// What showed it, e.g. `JAVA_TOOL_OPTIONS has -javaagent (deploy.yaml:31)`.
    pub evidence: String,
}

const INJECT: &str = "instrumentation.opentelemetry.io/inject-";

/// Infers the SDK of `w`. `first_container` says whether `w` is its pod's first container: the
/// operator injects only that one unless a `container-names` annotation names others.
pub fn infer(w: &Workload, first_container: bool) -> Option<SdkGuess> {
    injection(w, first_container)
        .or_else(|| by_env(w))
        .or_else(|| by_command(w))
        .or_else(|| by_image(w))
}

fn annotation<'a>(w: &'a Workload, key: &str) -> Option<&'a str> {
    w.annotations
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn injection(w: &Workload, first_container: bool) -> Option<SdkGuess> {
    if let Some(i) = &w.injected {
        return language(&i.lang).map(|sdk| SdkGuess {
            sdk,
            evidence: format!(
                "the OpenTelemetry Operator injects {} from Instrumentation {} ({}: {})",
                i.lang, i.instrumentation, i.annotation_at, i.annotation
            ),
        });
    }
    for (key, value) in &w.annotations {
        let Some(lang) = key.strip_prefix(INJECT) else {
            continue;
        };
        if value.trim().eq_ignore_ascii_case("false") {
            continue;
        }
        let Some(sdk) = language(lang) else { continue };
        let names = annotation(
            w,
            &format!("instrumentation.opentelemetry.io/{lang}-container-names"),
        )
        .or_else(|| annotation(w, "instrumentation.opentelemetry.io/container-names"));
        let selected = match names {
            Some(list) => list.split(',').any(|n| n.trim() == w.container),
            None => first_container,
        };
        if selected {
            return Some(SdkGuess {
                sdk,
                evidence: format!("pod annotation {key}: \"{value}\""),
            });
        }
    }
    None
}

/// The SDK an `inject-<lang>` language runs; `None` for `sdk` (the app brings its own).
fn language(lang: &str) -> Option<Sdk> {
    Some(match lang {
        "java" => Sdk::Javaagent,
        "nodejs" => Sdk::Node,
        "python" => Sdk::Python,
        "dotnet" => Sdk::Dotnet,
        "go" => Sdk::Go,
        _ => return None,
    })
}

fn by_env(w: &Workload) -> Option<SdkGuess> {
    let text = |name: &str| {
        w.var(name).and_then(|v| match &v.value {
            EnvValue::Literal(s) => Some((s.as_str(), &v.source)),
            _ => None,
        })
    };
    if let Some(v) = w
        .env
        .iter()
        .find(|v| v.name.starts_with("OTEL_DOTNET_AUTO_"))
    {
        return Some(guess(
            Sdk::Dotnet,
            format!("{} is set ({})", v.name, v.source),
        ));
    }
    if let Some(v) = w.env.iter().find(|v| v.name.starts_with("OTEL_GO_AUTO_")) {
        return Some(guess(Sdk::Go, format!("{} is set ({})", v.name, v.source)));
    }
    for name in ["JAVA_TOOL_OPTIONS", "JAVA_OPTS", "_JAVA_OPTIONS"] {
        if let Some((_, at)) = text(name).filter(|(v, _)| v.contains("-javaagent")) {
            return Some(guess(
                Sdk::Javaagent,
                format!("{name} has -javaagent ({at})"),
            ));
        }
    }
    if let Some((_, at)) = text("NODE_OPTIONS").filter(|(v, _)| v.contains("@opentelemetry/")) {
        return Some(guess(
            Sdk::Node,
            format!("NODE_OPTIONS requires an OpenTelemetry module ({at})"),
        ));
    }
    if let Some((_, at)) = text("PYTHONPATH")
        .filter(|(v, _)| v.contains("opentelemetry") || v.contains("autoinstrumentation"))
    {
        return Some(guess(
            Sdk::Python,
            format!("PYTHONPATH has the auto-instrumentation path ({at})"),
        ));
    }
    None
}

fn by_command(w: &Workload) -> Option<SdkGuess> {
    let words = || w.command.iter().chain(&w.args);
    if words().any(|a| a.starts_with("-javaagent")) {
        return Some(guess(
            Sdk::Javaagent,
            format!("the command has -javaagent ({})", w.source),
        ));
    }
    if words().any(|a| a.rsplit('/').next() == Some("opentelemetry-instrument")) {
        return Some(guess(
            Sdk::Python,
            format!("the command runs opentelemetry-instrument ({})", w.source),
        ));
    }
    if words().any(|a| a.contains("@opentelemetry/auto-instrumentations-node")) {
        return Some(guess(
            Sdk::Node,
            format!(
                "the command requires @opentelemetry/auto-instrumentations-node ({})",
                w.source
            ),
        ));
    }
    None
}

fn by_image(w: &Workload) -> Option<SdkGuess> {
    let image = w.image.as_deref()?;
    let lower = image.to_ascii_lowercase();
    let tokens = lower.split(|c: char| !c.is_ascii_alphanumeric());
    for token in tokens {
        let sdk = match token {
            "java" | "jdk" | "jre" | "openjdk" | "temurin" | "corretto" | "spring" => Sdk::Java,
            "node" | "nodejs" => Sdk::Node,
            "python" | "pypy" => Sdk::Python,
            "dotnet" | "aspnet" => Sdk::Dotnet,
            "golang" => Sdk::Go,
            "rust" => Sdk::Rust,
            _ => continue,
        };
        return Some(guess(sdk, format!("image {image} names `{token}`")));
    }
    None
}

fn guess(sdk: Sdk, evidence: String) -> SdkGuess {
    SdkGuess { sdk, evidence }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::model::tests::{env, workload};

    #[test]
    fn injection_annotation_applies_to_the_first_container_unless_names_are_given() {
        let mut w = workload("app");
        w.annotations.push((
            "instrumentation.opentelemetry.io/inject-python".into(),
            "true".into(),
        ));
        let g = infer(&w, true).unwrap();
        assert_eq!(g.sdk, Sdk::Python);
        assert!(g.evidence.contains("inject-python"), "{}", g.evidence);
        assert_eq!(infer(&w, false), None);
        w.annotations.push((
            "instrumentation.opentelemetry.io/container-names".into(),
            "sidecar, app".into(),
        ));
        assert_eq!(infer(&w, false).map(|g| g.sdk), Some(Sdk::Python));
        w.annotations[0].1 = "false".into();
        assert_eq!(infer(&w, true), None);
    }

    #[test]
    fn auto_instrumentation_variables_are_evidence() {
        let cases = [
            ("OTEL_DOTNET_AUTO_HOME", "/otel-dotnet", Sdk::Dotnet),
            ("OTEL_GO_AUTO_TARGET_EXE", "/app/main", Sdk::Go),
            (
                "JAVA_TOOL_OPTIONS",
                "-javaagent:/otel/javaagent.jar",
                Sdk::Javaagent,
            ),
            ("JAVA_OPTS", "-Xmx1g -javaagent:/otel.jar", Sdk::Javaagent),
            (
                "NODE_OPTIONS",
                "--require @opentelemetry/auto-instrumentations-node/register",
                Sdk::Node,
            ),
            (
                "PYTHONPATH",
                "/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/otel-auto-instrumentation-python",
                Sdk::Python,
            ),
        ];
        for (name, value, sdk) in cases {
            let mut w = workload("app");
            w.env.push(env(name, value));
            let g = infer(&w, true).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(g.sdk, sdk, "{name}");
            assert!(g.evidence.contains(name), "{}", g.evidence);
        }
        let mut w = workload("app");
        w.env.push(env("JAVA_TOOL_OPTIONS", "-Xmx512m"));
        w.env.push(env("NODE_OPTIONS", "--max-old-space-size=4096"));
        assert_eq!(infer(&w, true), None);
    }

    #[test]
    fn commands_and_image_tokens_are_weaker_evidence() {
        let mut w = workload("app");
        w.args = vec![
            "opentelemetry-instrument".into(),
            "python".into(),
            "app.py".into(),
        ];
        assert_eq!(infer(&w, true).map(|g| g.sdk), Some(Sdk::Python));
        let mut w = workload("app");
        w.image = Some("eclipse-temurin:21-jre".into());
        assert_eq!(infer(&w, true).map(|g| g.sdk), Some(Sdk::Java));
        w.image = Some("mcr.microsoft.com/dotnet/aspnet:8.0".into());
        assert_eq!(infer(&w, true).map(|g| g.sdk), Some(Sdk::Dotnet));
        w.image = Some("ghcr.io/open-telemetry/demo:1.12.0-checkoutservice".into());
        assert_eq!(infer(&w, true), None);
    }
}
