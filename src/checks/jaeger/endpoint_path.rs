use url::Url;

use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Needs, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Severity};
use crate::settings::jaeger::ENDPOINT;

pub static CHECK: Check = Check {
    id: "JGR003",
    name: "jaeger-endpoint-path",
    family: Family::Jaeger,
    severity: Severity::Error,
    title: "JAEGER_ENDPOINT is a collector URL ending in /api/traces",
    explanation: Explanation {
        checks: "Whether `JAEGER_ENDPOINT` parses as an `http(s)://` URL whose path ends in `/api/traces`, \
                 and whether it points at the gRPC port 14250 instead of the HTTP port 14268.",
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
}
