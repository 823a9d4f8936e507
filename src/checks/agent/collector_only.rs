use super::{find_collector, send_to_collector};
use crate::checks::live;
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::fingerprint::Service;
use crate::probe::udp::UdpProbe;
use crate::probe::{Fingerprint, UdpFingerprint};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "AGT003",
    name: "agent-without-collector-only-setup",
    family: Family::JaegerAgent,
    severity: Severity::Error,
    title: "An agent is configured only where an agent runs, not against a collector-only setup",
    explanation: Explanation {
        checks: "When the configured agent UDP port is closed: whether a Jaeger collector (thrift HTTP or \
                 gRPC) answers on an endpoint the run probes (the settings', `--endpoint`) or on 14268 or \
                 14250 of the agent's host.",
        why: "A Jaeger collector (and Jaeger v2) does not listen on the agent's UDP ports unless configured \
              to: a client configured for an agent next to a collector-only deployment drops every span.",
        fix: "Send to the collector directly: `JAEGER_ENDPOINT=http://<host>:14268/api/traces` (and unset \
              JAEGER_AGENT_HOST/PORT), or better, move to an OpenTelemetry SDK exporting OTLP.",
        example: "JAEGER_AGENT_HOST=jaeger   # jaeger runs only the collector",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let Some(agent) = live::agent(ctx) else {
            return Outcome::skip(live::no_agent_reason(ctx));
        };
        let udp = ctx.probes.udp(&agent, ctx.live.probe_deadline).await;
        if udp.result != Some(UdpProbe::Closed) {
            return Outcome::Pass(Evidence::new().with("agent", udp.summary()));
        }
        let (probed, _) = find_collector(ctx, &agent.host).await;
        let probed: Vec<&Fingerprint> = probed.iter().map(|p| p.as_ref()).collect();
        decide(&udp, &probed)
    })
}

/// The agent's UDP port is closed: is one of `collectors` a Jaeger collector?
fn decide(udp: &UdpFingerprint, collectors: &[&Fingerprint]) -> Outcome {
    let mut evidence = Evidence::new().with("agent", udp.summary());
    for fp in collectors {
        evidence.push(fp.target.authority(), fp.summary());
    }
    let has = |service| {
        collectors
            .iter()
            .find(|fp| fp.services().contains(&service))
    };
    let found = has(Service::JaegerThriftHttp).or_else(|| has(Service::JaegerGrpc));
    let Some(found) = found else {
        return Outcome::Pass(evidence);
    };
    let agent = &udp.target;
    Outcome::Findings(vec![Draft::new(
        "JAEGER_AGENT_HOST",
        format!(
            "No agent listens on {}:{}/udp, but a Jaeger collector answers on {} ({}): this is a collector-only setup.",
            agent.host,
            agent.port,
            found.target.authority(),
            found.summary()
        ),
        send_to_collector(found),
    )
    .evidence("agent", udp.summary())
    .evidence("collector", found.target.authority())])
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{live_context, run_async};
    use crate::report::Outcome;

    #[tokio::test]
    async fn passes_when_the_agent_port_is_not_closed() {
        let agent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = agent.local_addr().unwrap().port().to_string();
        let ctx = live_context(
            &[
                ("JAEGER_AGENT_HOST", "127.0.0.1"),
                ("JAEGER_AGENT_PORT", &port),
            ],
            1000,
        );
        assert!(matches!(
            run_async(&super::CHECK, &ctx).await,
            Outcome::Pass(_)
        ));
    }

    #[tokio::test]
    async fn a_jaeger_thrift_collector_next_to_a_closed_agent_port_is_reported() {
        use crate::probe::fingerprint::{probe, probe_udp};
        use crate::probe::testing;
        use crate::probe::{Deadline, Target, UdpTarget};
        let deadline = Deadline::now() + std::time::Duration::from_secs(1);
        let gone = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = gone.local_addr().unwrap().port();
        drop(gone);
        let udp = probe_udp(
            &UdpTarget {
                host: "127.0.0.1".into(),
                port,
            },
            deadline,
        )
        .await;
        let collector =
            testing::http("400 Bad Request", "Unable to process request body: EOF").await;
        let thrift = probe(&Target::new("127.0.0.1", collector.port()), deadline).await;
        let Outcome::Findings(f) = super::decide(&udp, &[&thrift]) else {
            panic!("{}", thrift.summary())
        };
        assert!(f[0].message.contains("collector-only"), "{}", f[0].message);
        let other = testing::http("404 Not Found", "").await;
        let other = probe(&Target::new("127.0.0.1", other.port()), deadline).await;
        assert!(matches!(super::decide(&udp, &[&other]), Outcome::Pass(_)));
    }

    #[test]
    fn skips_without_an_agent() {
        let ctx = live_context(&[], 100);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert!(matches!(
            rt.block_on(run_async(&super::CHECK, &ctx)),
            Outcome::Skipped(_)
        ));
    }
}
