use url::Url;

use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::jaeger::ENDPOINT;

pub static CHECK: Check = Check {
    id: "JGR003",
    name: "jaeger-endpoint-path",
    family: Family::Jaeger,
    severity: Severity::Error,
    title: "JAEGER_ENDPOINT is a collector URL ending in /api/traces",
    explanation: Explanation {
        checks: "Whether `JAEGER_ENDPOINT` parses as an `http(s)://` URL whose path ends in `/api/traces`, \
                 and whether it points at the gRPC port 14250 instead of the HTTP port 14268. With \
                 `--sdk jaeger-python`: that it is not relied on (Python's jaeger-client only sends to \
                 an agent).",
        why: "Jaeger clients post thrift batches to exactly this URL. Without `/api/traces` the collector \
              answers 404; port 14250 speaks gRPC, not HTTP/1.1. The client logs the failure at most once \
              and the spans are dropped.",
        fix: "Use `http://<collector>:14268/api/traces`.",
        example: "JAEGER_ENDPOINT=http://jaeger-collector:14268",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(endpoint) = &ctx.settings.jaeger.endpoint else {
        return Outcome::Pass(Evidence::new().fact(ENDPOINT, "(unset)"));
    };
    let sdk = ctx.settings.sdk;
    if !sdk.reads_jaeger_endpoint() {
        let agent = ctx.settings.jaeger.location.agent_or_default();
        return Outcome::Findings(vec![
            Draft::new(
                ENDPOINT,
                format!(
                    "JAEGER_ENDPOINT is set, but {sdk} (Python's jaeger-client) does not read it: \
                     it sends over UDP to the agent at {}:{} instead.",
                    agent.host.value, agent.port.value
                ),
                "Run a Jaeger agent (or a collector's jaeger receiver) where JAEGER_AGENT_HOST and \
                 JAEGER_AGENT_PORT point, or move the app to the OpenTelemetry SDK exporting OTLP",
            )
            .setting(ENDPOINT, endpoint)
            .fact("sdk", sdk.as_str()),
        ]);
    }
    let value = endpoint.value.trim();
    let url = Url::parse(value)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    let Some(url) = url else {
        return Outcome::Findings(vec![
            Draft::new(
                ENDPOINT,
                format!("JAEGER_ENDPOINT `{value}` is not an http:// or https:// URL with a host."),
                "export JAEGER_ENDPOINT=http://<collector>:14268/api/traces",
            )
            .setting(ENDPOINT, endpoint),
        ]);
    };
    let port = url.port_or_known_default().unwrap_or(80);
    let path_ok = url.path().trim_end_matches('/').ends_with("/api/traces");
    if path_ok && port != 14250 {
        return Outcome::Pass(Evidence::new().setting(ENDPOINT, endpoint));
    }
    let mut fixed = url.clone();
    if port == 14250 {
        let _ = fixed.set_port(Some(14268));
    }
    if !path_ok {
        fixed.set_path(&format!("{}/api/traces", url.path().trim_end_matches('/')));
    }
    let problem = if port == 14250 {
        "points at 14250, Jaeger's gRPC port, but the client posts HTTP thrift (port 14268)"
    } else {
        "has no /api/traces path: the collector answers 404"
    };
    Outcome::Findings(vec![
        Draft::new(
            ENDPOINT,
            format!("JAEGER_ENDPOINT `{value}` {problem}; the client drops the spans."),
            format!("export JAEGER_ENDPOINT={fixed}"),
        )
        .setting(ENDPOINT, endpoint),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_for_the_collector_url() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("JAEGER_ENDPOINT", "http://c:14268/api/traces")]
        ));
        assert!(passes(&CHECK, Sdk::Spec, &[]));
    }

    #[test]
    fn flags_missing_path_grpc_port_and_garbage() {
        let f = findings(&CHECK, Sdk::Spec, &[("JAEGER_ENDPOINT", "http://c:14268")]);
        assert_eq!(f[0].fix, "export JAEGER_ENDPOINT=http://c:14268/api/traces");
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("JAEGER_ENDPOINT", "http://c:14250/api/traces")],
        );
        assert_eq!(f[0].fix, "export JAEGER_ENDPOINT=http://c:14268/api/traces");
        findings(&CHECK, Sdk::Spec, &[("JAEGER_ENDPOINT", "c:14268")]);
    }

    #[test]
    fn python_jaeger_client_ignores_the_endpoint() {
        let vars = [("JAEGER_ENDPOINT", "http://c:14268/api/traces")];
        assert!(passes(&CHECK, Sdk::JaegerGo, &vars));
        let f = findings(&CHECK, Sdk::JaegerPython, &vars);
        assert!(
            f[0].message.contains("does not read it"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("localhost:6831"), "{}", f[0].message);
    }
}
