use std::net::{IpAddr, SocketAddr};

use futures_util::future::join_all;

use crate::checks::live;
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::tcp::{self, Connect};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "LOC002",
    name: "collector-bound-to-loopback",
    family: Family::Localhost,
    severity: Severity::Info,
    title: "A collector reached on loopback also answers on the host's other addresses",
    explanation: Explanation {
        checks: "When an endpoint is on loopback and answers there: a TCP connection to the same port on this \
                 host's non-loopback addresses.",
        why: "Since collector v0.104.0 receivers bind `localhost` by default (Jaeger v2 too, unless \
              JAEGER_LISTEN_HOST is set): fine for an app on the same host, unreachable from other containers, \
              pods and hosts, which then drop their spans.",
        fix: "Bind the receiver to every interface when other machines must reach it, e.g. `endpoint: \
              0.0.0.0:4317` under `receivers: otlp: protocols: grpc:` in the collector config.",
        example: "receivers:\n  otlp:\n    protocols:\n      grpc:   # binds localhost:4317 since v0.104.0",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let others: Vec<IpAddr> = ctx.live.host.addresses.clone();
        if others.is_empty() {
            return Outcome::skip("this host has no non-loopback address to compare with");
        }
        let deadline = ctx.live.probe_deadline;
        let mut drafts = Vec::new();
        let mut evidence = Evidence::new();
        for c in live::configured(ctx)
            .into_iter()
            .filter(|c| live::is_loopback(&c.target.host))
        {
            let fp = ctx.probes.tcp(&c.target, deadline).await;
            if !fp.connected() {
                continue;
            }
            let addrs: Vec<SocketAddr> = others
                .iter()
                .map(|ip| SocketAddr::new(*ip, c.target.port))
                .collect();
            let results: Vec<Connect> = join_all(addrs.iter().map(|a| tcp::connect(*a, deadline)))
                .await
                .into_iter()
                .map(|(r, _)| r)
                .collect();
            evidence.push(c.target.authority(), "answers on loopback");
            drafts.extend(judge(&c.subject, c.target.port, &addrs, &results));
        }
        Outcome::from_drafts(drafts, evidence)
    })
}

/// The collector answered on loopback; `results` are the connections to the same port on `addrs`.
fn judge(subject: &str, port: u16, addrs: &[SocketAddr], results: &[Connect]) -> Option<Draft> {
    if results.iter().any(|r| matches!(r, Connect::Open(_))) || results.is_empty() {
        return None;
    }
    let tried: Vec<String> = addrs.iter().map(SocketAddr::to_string).collect();
    Some(
        Draft::new(
            subject,
            format!(
                "The collector answers on loopback port {port} but not on this host's other addresses ({}): it is bound to localhost only, so other containers, pods and hosts cannot reach it.",
                tried.join(", ")
            ),
            format!("In the collector config, bind the receiver to every interface: endpoint: 0.0.0.0:{port}"),
        )
        .evidence("other_addresses", tried),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn loopback_only_is_reported() {
        let addrs = ["10.0.0.5:4317".parse().unwrap()];
        let d = judge(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            4317,
            &addrs,
            &[Connect::Refused],
        )
        .unwrap();
        assert!(d.message.contains("bound to localhost only"));
        assert!(d.fix.contains("0.0.0.0:4317"));
    }

    #[test]
    fn answering_elsewhere_passes() {
        let addrs = ["10.0.0.5:4317".parse().unwrap()];
        assert!(judge("X", 4317, &addrs, &[Connect::Open(Duration::ZERO)]).is_none());
    }
}
