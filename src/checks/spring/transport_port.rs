use super::{assign, at, spring};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::spring::{ENDPOINT, TRANSPORT};

pub static CHECK: Check = Check {
    id: "SPR003",
    name: "spring-transport-port-mismatch",
    family: Family::Spring,
    severity: Severity::Error,
    title: "Spring's OTLP transport matches the endpoint's port",
    explanation: Explanation {
        checks: "Whether Spring's OTLP transport (`management.otlp.tracing.transport`, \
                 `management.opentelemetry.tracing.export.otlp.transport`; `http` by default) \
                 sends gRPC to port 4318 or HTTP to port 4317.",
        why: "A collector serves OTLP/gRPC on 4317 and OTLP/HTTP on 4318. The wrong protocol on a \
              port fails every export (HTTP 415/400 or a gRPC protocol error).",
        fix: "Use port 4317 with `transport: grpc` and 4318 (with /v1/traces) with `transport: http`.",
        example: "management.otlp.tracing.endpoint: http://c:4317/v1/traces\n\
                  management.otlp.tracing.transport: http",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let spring = match spring(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let (transport, set) = spring.transport();
    let Some(p) = spring.first(ENDPOINT) else {
        return Outcome::Pass(Evidence::new().with("endpoint", "not set"));
    };
    let port = url::Url::parse(p.value.trim()).ok().and_then(|u| u.port());
    let evidence = Evidence::new()
        .with("transport", transport.clone())
        .with("endpoint", p.shown().trim().to_string());
    let (wrong, right, other) = match (transport.as_str(), port) {
        ("grpc", Some(4318)) => ("gRPC", 4317, "http"),
        ("http", Some(4317)) => ("HTTP", 4318, "grpc"),
        _ => return Outcome::Pass(evidence),
    };
    let how = match set {
        Some(t) => format!("{} ({})", assign(t, &transport), t.source),
        None => format!("the default transport, no {} being set", TRANSPORT[0]),
    };
    let draft = Draft::new(
        p.key.clone(),
        format!(
            "Spring sends OTLP over {wrong} ({how}) to port {}, where a collector serves OTLP/{}: \
             every export fails.",
            port.unwrap_or_default(),
            if right == 4317 { "HTTP" } else { "gRPC" }
        ),
        format!(
            "Send to port {right} with this transport, or keep the port and set the transport to {other}."
        ),
    );
    Outcome::Findings(vec![at(draft, p)])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::spring::testing::{findings, passes};

    #[test]
    fn passes_when_port_and_transport_agree() {
        assert!(passes(
            &CHECK,
            "management.otlp.tracing.endpoint: http://c:4318/v1/traces\n",
            &[]
        ));
        assert!(passes(
            &CHECK,
            "management.otlp.tracing:\n  endpoint: http://c:4317\n  transport: grpc\n",
            &[]
        ));
    }

    #[test]
    fn flags_grpc_on_4318_and_http_on_4317() {
        let f = findings(
            &CHECK,
            "management.otlp.tracing:\n  endpoint: http://c:4318\n  transport: grpc\n",
            &[],
        );
        assert!(f[0].message.contains("over gRPC"), "{}", f[0].message);
        assert_eq!(
            f[0].location.as_ref().unwrap().to_string(),
            "application.yaml:2"
        );
        let f = findings(
            &CHECK,
            "management.otlp.tracing.endpoint: http://c:4317/v1/traces\n",
            &[],
        );
        assert!(
            f[0].message.contains("default transport"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.contains("port 4318"), "{}", f[0].fix);
    }
}
