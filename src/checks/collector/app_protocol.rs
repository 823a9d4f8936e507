use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::components::{OtlpTransport, Signal};
use crate::collector::model::{CollectorConfig, Listener, Section};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::OtlpTraces;

pub static CHECK: Check = Check {
    id: "COL012",
    name: "app-protocol-matches-receiver",
    family: Family::Collector,
    severity: Severity::Error,
    title: "The app's OTLP protocol and port match an enabled receiver",
    explanation: Explanation {
        checks: "The app's resolved OTLP trace protocol (gRPC or HTTP) and port, from the settings \
                 being checked, against the `otlp` receivers of the collector's traces pipelines.",
        why: "An app that sends gRPC to a collector with only `http` enabled (or to the HTTP port) \
              fails with `http2: frame too large` or `connection refused`, and HTTP sent to the gRPC \
              port fails with `malformed HTTP response`; the collector logs nothing.",
        fix: "Enable the protocol the app uses under `receivers.otlp.protocols` on the port it sends \
              to, or change the app's OTEL_EXPORTER_OTLP_PROTOCOL and endpoint port to a protocol \
              the collector enables.",
        example: "# app: OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nreceivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn transport_name(t: OtlpTransport) -> &'static str {
    match t {
        OtlpTransport::Grpc => "grpc",
        OtlpTransport::Http => "http",
    }
}

/// OTLP listeners of receivers in traces pipelines (or of every otlp receiver when none is).
fn otlp_listeners(config: &CollectorConfig) -> Vec<Listener> {
    let all: Vec<Listener> = config
        .listeners()
        .into_iter()
        .filter(|l| l.otlp.is_some())
        .collect();
    let in_traces: Vec<Listener> = all
        .iter()
        .filter(|l| config.receiver_in_pipeline(&l.receiver, Some(Signal::Traces)))
        .cloned()
        .collect();
    if in_traces.is_empty() { all } else { in_traces }
}

/// The TCP listener of the config that already holds `port`, if any: a fix must not move a
/// receiver onto it (that would be COL009's clash).
fn holder(config: &CollectorConfig, port: u16) -> Option<Listener> {
    config
        .listeners()
        .into_iter()
        .find(|l| !l.udp && l.port == Some(port))
}

fn setting(otlp: &OtlpTraces) -> String {
    match otlp.protocol.var {
        Some(var) => format!("{var}={}", otlp.protocol.value),
        None => format!("{} (default)", otlp.protocol.value),
    }
}

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let otlp = &ctx.settings.otlp;
    let wanted = if otlp.protocol.value.is_http() {
        OtlpTransport::Http
    } else {
        OtlpTransport::Grpc
    };
    let app_port = otlp.host_port().map(|(_, p)| p);
    let evidence = Evidence::new()
        .with("app_protocol", otlp.protocol.value.as_str())
        .with(
            "app_endpoint",
            otlp.url
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_else(|e| e.clone()),
        );
    let listeners = otlp_listeners(config);
    let Some(first) = listeners.first() else {
        return Outcome::Findings(vec![
            Draft::new(
                config.subject(config.pipelines_line, "service.pipelines.traces.receivers"),
                format!(
                    "The app exports OTLP ({}) but the config enables no otlp receiver protocol.",
                    setting(otlp)
                ),
                format!(
                    "Add receivers.otlp.protocols.{}.endpoint: 0.0.0.0:{} and list otlp in the traces \
                     pipeline's receivers.",
                    transport_name(wanted),
                    otlp.protocol.value.default_port()
                ),
            )
            .evidence("app_protocol", otlp.protocol.value.as_str()),
        ]);
    };
    let matching: Vec<&Listener> = listeners
        .iter()
        .filter(|l| l.otlp == Some(wanted))
        .collect();
    if matching.is_empty() {
        let enabled: Vec<String> = listeners
            .iter()
            .map(|l| format!("{} on {}", l.protocol, l.address()))
            .collect();
        let mut draft = Draft::new(
            config.subject(
                config
                    .find(Section::Receivers, &first.receiver)
                    .map_or(first.line, |c| c.line),
                &format!("receivers.{}", first.receiver),
            ),
            format!(
                "The app sends OTLP over {} ({}), but the collector enables only {}: every export \
                 fails.",
                transport_name(wanted),
                setting(otlp),
                enabled.join(", ")
            ),
            format!(
                "Add `{}: {{ endpoint: 0.0.0.0:{} }}` under receivers.{}.protocols, or set \
                 OTEL_EXPORTER_OTLP_PROTOCOL={} and send to port {}.",
                transport_name(wanted),
                otlp.protocol.value.default_port(),
                first.receiver,
                if wanted == OtlpTransport::Grpc {
                    "http/protobuf"
                } else {
                    "grpc"
                },
                first.port.unwrap_or(0)
            ),
        );
        draft.evidence = evidence;
        return Outcome::Findings(vec![draft]);
    }
    match app_port {
        Some(port) if !matching.iter().any(|l| l.port == Some(port)) => {
            let target = matching[0];
            let send_there = format!(
                "Send to port {} (OTEL_EXPORTER_OTLP_ENDPOINT)",
                target.port.unwrap_or(0)
            );
            let fix = match holder(config, port) {
                Some(other) => format!(
                    "{send_there}; port {port} is held by {} ({}), so the receiver cannot move there.",
                    other.path(),
                    other.protocol
                ),
                None => format!("{send_there}, or set the receiver's endpoint to 0.0.0.0:{port}."),
            };
            let mut draft = Draft::new(
                config.subject(target.line, &target.path()),
                format!(
                    "The app sends OTLP {} to port {port}, but the collector's {} receiver listens \
                     on {}.",
                    transport_name(wanted),
                    transport_name(wanted),
                    target.address()
                ),
                fix,
            );
            draft.evidence = evidence.with("receiver", target.address());
            Outcome::Findings(vec![draft])
        }
        _ => Outcome::Pass(evidence.with("receiver", matching[0].address())),
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, ctx};
    use crate::checks::testing::run_in;
    use crate::report::Outcome;

    fn outcome(yaml: &str, vars: &[(&str, &str)]) -> Outcome {
        run_in(&CHECK, &ctx(yaml, vars))
    }

    #[test]
    fn passes_when_protocol_and_port_match() {
        assert!(matches!(outcome(GOOD, &[]), Outcome::Pass(_)));
        let grpc = [
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"),
        ];
        assert!(matches!(outcome(GOOD, &grpc), Outcome::Pass(_)));
    }

    #[test]
    fn flags_grpc_app_against_http_only_receiver() {
        let yaml = GOOD.replace("      grpc:\n        endpoint: 0.0.0.0:4317\n", "");
        let Outcome::Findings(f) = outcome(&yaml, &[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")])
        else {
            panic!("expected a finding")
        };
        assert_eq!(f[0].subject, "config.yaml:2 receivers.otlp");
        assert!(
            f[0].message.contains("enables only http on 0.0.0.0:4318"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn flags_a_port_mismatch_and_a_missing_otlp_receiver() {
        let vars = [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")];
        let Outcome::Findings(f) = outcome(GOOD, &vars) else {
            panic!("expected a finding")
        };
        assert!(f[0].message.contains("port 4317"), "{}", f[0].message);
        let none = "receivers:\n  zipkin: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [zipkin]\n";
        assert!(matches!(outcome(none, &[]), Outcome::Findings(_)));
    }

    /// Applies each remedy the finding offers (send to the receiver's port; move the receiver to
    /// the app's port) and re-lints with COL012 and COL009: a fix must never create a finding.
    #[test]
    fn every_offered_fix_clears_the_finding_without_creating_another() {
        use crate::checks::collector::receiver_port_clash;
        let http_only = GOOD.replace("      grpc:\n        endpoint: 0.0.0.0:4317\n", "");
        for yaml in [GOOD.to_string(), http_only] {
            let vars = [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")];
            let Outcome::Findings(f) = outcome(&yaml, &vars) else {
                panic!("expected a finding")
            };
            let fix = &f[0].fix;
            assert!(fix.starts_with("Send to port 4318"), "{fix}");
            let sent = [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")];
            assert!(matches!(outcome(&yaml, &sent), Outcome::Pass(_)), "{fix}");
            let moved = yaml.replace("0.0.0.0:4318", "0.0.0.0:4317");
            let offers_move = fix.contains("set the receiver's endpoint to 0.0.0.0:4317");
            let clash = run_in(&receiver_port_clash::CHECK, &ctx(&moved, &vars));
            if offers_move {
                assert!(matches!(clash, Outcome::Pass(_)), "{fix} creates {clash:?}");
                assert!(matches!(outcome(&moved, &vars), Outcome::Pass(_)));
            } else {
                assert!(matches!(clash, Outcome::Findings(_)));
                assert!(
                    fix.contains("held by receivers.otlp.protocols.grpc"),
                    "{fix}"
                );
            }
        }
    }
}
