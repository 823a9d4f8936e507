use super::{find_collector, send_to_collector};
use crate::checks::live;
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::udp::UdpProbe;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "AGT001",
    name: "agent-port-open",
    family: Family::JaegerAgent,
    severity: Severity::Error,
    title: "Something listens on the configured Jaeger agent UDP port",
    explanation: Explanation {
        checks: "When `JAEGER_AGENT_HOST` or `JAEGER_AGENT_PORT` is set: one datagram (an emitBatch with no span) to the agent \
                 through a connected UDP socket. An ICMP port-unreachable (a refused receive) proves nothing \
                 listens; silence means open or filtered, which UDP cannot tell apart.",
        why: "UDP gives the sender no error: a client reporting to a port nothing listens on drops every span \
              silently.",
        fix: "Start a Jaeger agent (or a collector with the jaeger receiver's thrift_compact/thrift_binary \
              protocols) on that port, publish it as UDP from the container (`-p 6831:6831/udp`), or send \
              over HTTP with `JAEGER_ENDPOINT=http://<collector>:14268/api/traces`. When a Jaeger \
              collector answers on a probed endpoint (the settings', `--endpoint`, or 14268/14250 on \
              the agent's host), the finding names it.",
        example: "JAEGER_AGENT_HOST=localhost\nJAEGER_AGENT_PORT=6831",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let Some(target) = live::agent(ctx) else {
            return Outcome::skip(live::no_agent_reason(ctx));
        };
        let fp = ctx.probes.udp(&target, ctx.live.probe_deadline).await;
        let at = format!("{}:{}/udp", target.host, target.port);
        let evidence = Evidence::new()
            .with("agent", at.clone())
            .with("probe", fp.summary());
        match &fp.result {
            Some(UdpProbe::Closed) => {
                let (probed, found) = find_collector(ctx, &target.host).await;
                let fix = match &found {
                    Some(collector) => send_to_collector(collector),
                    None => format!(
                        "Start a Jaeger agent (or a collector with the jaeger receiver's thrift_compact \
                         protocol) listening on {}/udp, or send over HTTP to a running collector: \
                         JAEGER_ENDPOINT=http://<collector>:14268/api/traces",
                        target.port
                    ),
                };
                let mut draft = Draft::new(
                    "JAEGER_AGENT_PORT",
                    format!("Nothing listens on {at}: the host answered ICMP port unreachable. Spans sent there are dropped without any error."),
                    fix,
                )
                .evidence("agent", at)
                .evidence("probe", fp.summary());
                for p in probed {
                    draft = draft.evidence(p.target.authority(), p.summary());
                }
                Outcome::Findings(vec![draft])
            }
            None => Outcome::Findings(vec![Draft::new(
                "JAEGER_AGENT_HOST",
                format!("The agent host `{}` does not resolve.", target.host),
                "Correct JAEGER_AGENT_HOST (in Kubernetes, the agent is often the node: status.hostIP through the downward API).",
            )
            .evidence("agent", at)]),
            Some(_) => Outcome::Pass(evidence),
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{live_context, run_async};
    use crate::report::Outcome;

    #[tokio::test]
    async fn closed_port_is_reported_and_a_bound_one_passes() {
        let gone = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let closed = gone.local_addr().unwrap().port().to_string();
        drop(gone);
        let ctx = live_context(
            &[
                ("JAEGER_AGENT_HOST", "127.0.0.1"),
                ("JAEGER_AGENT_PORT", &closed),
            ],
            1000,
        );
        let Outcome::Findings(f) = run_async(&super::CHECK, &ctx).await else {
            panic!()
        };
        assert!(f[0].message.contains("ICMP port unreachable"));

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
}
