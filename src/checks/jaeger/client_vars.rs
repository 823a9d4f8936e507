use crate::checks::facts::jaeger_host;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::Settings;

pub static CHECK: Check = Check {
    id: "JGR001",
    name: "jaeger-client-vars-ignored",
    family: Family::Jaeger,
    severity: Severity::Warning,
    title: "No JAEGER_* variable is left for an OpenTelemetry SDK to ignore",
    explanation: Explanation {
        checks: "Every `JAEGER_*` variable that is set. Each is reported with its OpenTelemetry \
                 equivalent: as a warning when that equivalent is unset (the setting is lost), as info \
                 when it is set. Passes when the app is judged as a Jaeger client (`--sdk jaeger…`, or \
                 only `JAEGER_*` variables set and no `--sdk`), which reads them.",
        why: "`JAEGER_*` variables configure the deprecated jaeger-client libraries. OpenTelemetry SDKs \
              ignore all of them: after a migration, `JAEGER_SERVICE_NAME`, `JAEGER_AGENT_HOST` or \
              `JAEGER_SAMPLER_*` silently stop applying, and the app reports `unknown_service` to \
              `localhost`. If a process still uses a Jaeger client, these variables are right for it.",
        fix: "Set the OpenTelemetry equivalent named in the finding; remove the `JAEGER_*` variable once \
              no process uses a Jaeger client.",
        example: "JAEGER_SERVICE_NAME=checkout\nJAEGER_AGENT_HOST=jaeger-agent",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

/// The OpenTelemetry variable that replaces a Jaeger one, and the exact setting for this value.
fn equivalent(settings: &Settings, name: &str, value: &str) -> Option<(&'static str, String)> {
    let host = jaeger_host(settings);
    Some(match name {
        "JAEGER_SERVICE_NAME" => ("OTEL_SERVICE_NAME", value.trim().to_string()),
        "JAEGER_AGENT_HOST" | "JAEGER_AGENT_PORT" | "JAEGER_ENDPOINT" => {
            ("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{host}:4318"))
        }
        "JAEGER_SAMPLER_TYPE" => (
            "OTEL_TRACES_SAMPLER",
            match value.trim().to_ascii_lowercase().as_str() {
                "const"
                    if settings
                        .jaeger
                        .sampler_param
                        .as_ref()
                        .is_some_and(|p| p.value.trim() == "0") =>
                {
                    "always_off".to_string()
                }
                "const" => "parentbased_always_on".to_string(),
                "probabilistic" => "parentbased_traceidratio".to_string(),
                _ => "parentbased_jaeger_remote".to_string(),
            },
        ),
        "JAEGER_SAMPLER_PARAM" => ("OTEL_TRACES_SAMPLER_ARG", value.trim().to_string()),
        "JAEGER_TAGS" => ("OTEL_RESOURCE_ATTRIBUTES", value.trim().to_string()),
        "JAEGER_PROPAGATION" => (
            "OTEL_PROPAGATORS",
            "tracecontext,baggage,jaeger".to_string(),
        ),
        "JAEGER_DISABLED" => ("OTEL_SDK_DISABLED", value.trim().to_ascii_lowercase()),
        "JAEGER_USER" | "JAEGER_PASSWORD" | "JAEGER_AUTH_TOKEN" => (
            "OTEL_EXPORTER_OTLP_HEADERS",
            "authorization=Bearer%20<token>".to_string(),
        ),
        _ => return None,
    })
}

fn run(ctx: &Context) -> Outcome {
    let s = &ctx.settings;
    if s.sdk.is_jaeger_client() {
        return Outcome::Pass(
            Evidence::new()
                .with("sdk", s.sdk.as_str())
                .with("JAEGER_* variables", "read by the Jaeger client"),
        );
    }
    let mut drafts = Vec::new();
    for name in &s.jaeger.client_vars {
        let Some(raw) = s.inputs.get(name) else {
            continue;
        };
        let shown = raw.display_value();
        let mut draft = match equivalent(s, name, &raw.value) {
            Some((otel, value)) => {
                let set = s.var(otel).is_some();
                let state = if set {
                    format!("{otel} is set, so nothing is lost for OpenTelemetry")
                } else {
                    format!("its OpenTelemetry equivalent {otel} is unset, so the setting is lost")
                };
                let fix = if set {
                    format!("unset {name} once no process uses a Jaeger client")
                } else {
                    format!(
                        "export {otel}={value} (and unset {name} once no process uses a Jaeger client)"
                    )
                };
                let d = Draft::new(
                    name.as_str(),
                    format!("{name} is set, but OpenTelemetry SDKs do not read it; {state}."),
                    fix,
                );
                if set { d.severity(Severity::Info) } else { d }
            }
            None => Draft::new(
                name.as_str(),
                format!(
                    "{name} is set, but OpenTelemetry SDKs do not read it, and it has no OpenTelemetry \
                     equivalent."
                ),
                format!("unset {name} once no process uses a Jaeger client"),
            )
            .severity(Severity::Info),
        };
        draft = draft
            .evidence(name.to_string(), shown)
            .evidence(format!("{name}.source"), raw.source.to_string());
        drafts.push(draft);
    }
    Outcome::from_drafts(drafts, Evidence::new().with("JAEGER_* variables", 0))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_without_jaeger_variables() {
        assert!(passes(&CHECK, Sdk::Spec, &[("OTEL_SERVICE_NAME", "a")]));
        assert!(passes(&CHECK, Sdk::Jaeger, &[("JAEGER_SERVICE_NAME", "a")]));
    }

    #[test]
    fn maps_each_variable_to_its_equivalent() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("JAEGER_AGENT_HOST", "agent"),
                ("JAEGER_SERVICE_NAME", "checkout"),
                ("OTEL_SERVICE_NAME", "checkout"),
                ("JAEGER_PASSWORD", "hunter2-long-password"),
            ],
        );
        assert_eq!(f.len(), 3);
        assert!(
            f[0].fix
                .starts_with("export OTEL_EXPORTER_OTLP_ENDPOINT=http://agent:4318")
        );
        assert_eq!(f[0].severity, None);
        assert_eq!(f[2].severity, Some(Severity::Info), "{:?}", f[2]);
        assert_eq!(
            f[2].fix,
            "unset JAEGER_SERVICE_NAME once no process uses a Jaeger client"
        );
        assert!(!format!("{f:?}").contains("hunter2-long-password"));
    }
}
