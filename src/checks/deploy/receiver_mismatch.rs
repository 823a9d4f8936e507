use super::target::{Host, backends, resolve, target_port};
use super::{Scope, app};
use crate::checks::endpoint::{PROTOCOL_DEFAULTS, protocol_certain};
use crate::checks::{Check, Context, Run};
use crate::collector::components::OtlpTransport;
use crate::deploy::{Role, Workload};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::{OtlpProtocol, otlp};

pub static CHECK: Check = Check {
    id: "DEP011",
    name: "app-protocol-vs-collector-receiver",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "The collector an app sends to has an OTLP receiver for its protocol on that port",
    explanation: Explanation {
        checks: "For each app whose OTLP endpoint leads to a collector container of the input \
                 (through a Service and its target port, the pod's own localhost, or the node's \
                 hostPort), whether that collector's config (from its mounted ConfigMap) has a \
                 receiver on the container port, and whether it speaks the app's protocol. When \
                 no protocol is set and the SDK is not known, a disagreement is a warning naming \
                 which SDKs default to which protocol.",
        why: "A gRPC exporter talking to the OTLP/HTTP receiver (or the reverse) fails on every \
              export, and a port no receiver listens on refuses the connection; the app logs the \
              error, the collector sees nothing.",
        fix: "Point the app at the receiver's port for its protocol (gRPC 4317, HTTP 4318), set \
              OTEL_EXPORTER_OTLP_PROTOCOL to what the port serves, or add the receiver protocol to \
              the collector's config.",
        example: "OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability.svc:4318",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (scope, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let o = &ctx.settings.otlp;
    let Some((host, port)) = o.host_port() else {
        return Outcome::Pass(Evidence::new().with("endpoint", "not a usable URL"));
    };
    let Some((collector, container_port)) = collector_behind(scope, w, &host, port) else {
        return Outcome::Pass(
            Evidence::new().with("collector", "no collector of the input behind the endpoint"),
        );
    };
    let Some(config) = scope.shared.configs.get(&collector.id) else {
        return Outcome::Pass(
            Evidence::new()
                .with("collector", collector.id.clone())
                .with("config", "not found in the input"),
        );
    };
    let var = o.endpoint.var.unwrap_or(otlp::ENDPOINT);
    let at = w
        .var(var)
        .map(|v| v.source.clone())
        .unwrap_or_else(|| w.source.clone());
    let listeners: Vec<_> = config
        .listeners()
        .into_iter()
        .filter(|l| l.port == Some(container_port) && !l.udp)
        .collect();
    let evidence = Evidence::new()
        .with("collector", collector.id.clone())
        .with("container port", container_port)
        .with("protocol", o.protocol.value.to_string());
    let Some(listener) = listeners.first() else {
        let draft = Draft::new(
            var,
            format!(
                "{var} leads to port {container_port} of collector {}, but its config has no receiver on that port.",
                collector.id
            ),
            format!(
                "At {at}, use a port a receiver of {} listens on, or add a receiver on {container_port} to its config.",
                collector.id
            ),
        )
        .at(at);
        return Outcome::Findings(vec![draft]);
    };
    let wanted = match o.protocol.value {
        OtlpProtocol::Grpc => OtlpTransport::Grpc,
        OtlpProtocol::HttpProtobuf | OtlpProtocol::HttpJson => OtlpTransport::Http,
    };
    let served = listener.otlp;
    if served == Some(wanted) {
        return Outcome::Pass(evidence.with("receiver", listener.path()));
    }
    let serves = match served {
        Some(OtlpTransport::Grpc) => "OTLP/gRPC".to_string(),
        Some(OtlpTransport::Http) => "OTLP/HTTP".to_string(),
        None => format!(
            "the {} receiver's {} protocol, not OTLP",
            listener.receiver, listener.protocol
        ),
    };
    let certain = protocol_certain(o, ctx.settings.sdk) || scope.sdk_known;
    let mut message = format!(
        "{var} leads to {} port {container_port}, where {} ({}) serves {serves}, but the app \
         speaks {} ({}).",
        collector.id,
        listener.path(),
        config.subject(listener.line, "").trim_end(),
        o.protocol.value,
        o.protocol.source
    );
    if !certain {
        message.push_str(&format!(
            " No protocol is set and the SDK is not known, so the app may be right: {PROTOCOL_DEFAULTS}."
        ));
    }
    let draft = Draft::new(
        var,
        message,
        format!(
            "At {at}, point {var} at the port for {} or set {} to what port {port} serves.",
            o.protocol.value,
            otlp::PROTOCOL
        ),
    )
    .evidence("receiver", listener.path())
    .at(at);
    Outcome::Findings(vec![if certain {
        draft
    } else {
        draft.severity(Severity::Warning)
    }])
}

/// The collector container behind `host:port` as seen from `w`, and the container port reached.
fn collector_behind<'a>(
    scope: &'a Scope,
    w: &Workload,
    host: &str,
    port: u16,
) -> Option<(&'a Workload, u16)> {
    let is_collector = |o: &&Workload| o.role == Role::Collector;
    match resolve(scope, w, host) {
        Host::Service(s) => {
            let sp = s.ports.iter().find(|p| p.port == port)?;
            backends(&scope.shared, s)
                .into_iter()
                .filter(is_collector)
                .find_map(|o| target_port(sp, o).map(|t| (o, t)))
        }
        Host::Loopback => (scope.shared.network(w).into_iter())
            .filter(is_collector)
            .find(|o| o.id != w.id)
            .map(|o| (o, port)),
        Host::Placeholder(_) => scope.shared.infra().filter(is_collector).find_map(|o| {
            o.ports
                .iter()
                .find(|p| p.host_port == Some(port))
                .map(|p| (o, p.container_port))
        }),
        Host::Missing { .. } | Host::Outside => None,
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{ctx, demo, item, shared};
    use crate::checks::testing::run_in;
    use crate::report::Outcome;
    use crate::rule::Severity;
    use crate::settings::Sdk;

    fn outcome(env: &str, sdk: Option<Sdk>) -> Outcome {
        let shared = shared(&demo(env));
        run_in(&CHECK, &ctx(&shared, Some("checkout/app"), sdk))
    }

    const E: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";

    #[test]
    fn passes_when_the_receiver_speaks_the_apps_protocol() {
        let env = item(E, "http://otel-collector.observability:4317")
            + &item("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        assert!(matches!(outcome(&env, None), Outcome::Pass(_)));
        // The Service's named target port leads to the container port of the same name.
        let env = item(E, "http://otel-collector.observability:4318");
        assert!(matches!(outcome(&env, None), Outcome::Pass(_)));
    }

    #[test]
    fn an_explicit_protocol_or_known_sdk_disagreeing_is_an_error() {
        let env = item(E, "http://otel-collector.observability:4318")
            + &item("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        let Outcome::Findings(f) = outcome(&env, None) else {
            panic!()
        };
        assert_eq!(f[0].severity, None);
        assert!(
            f[0].message.contains("serves OTLP/HTTP"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains(":14)"), "{}", f[0].message);
        let env = item(E, "http://otel-collector.observability:4317");
        let Outcome::Findings(f) = outcome(&env, Some(Sdk::Node)) else {
            panic!()
        };
        assert_eq!(f[0].severity, None);
    }

    #[test]
    fn an_unknown_sdk_without_protocol_is_a_warning() {
        let env = item(E, "http://otel-collector.observability:4317");
        let Outcome::Findings(f) = outcome(&env, None) else {
            panic!()
        };
        assert_eq!(f[0].severity, Some(Severity::Warning));
        assert!(f[0].message.contains("default to grpc"), "{}", f[0].message);
    }
}
