use futures_util::future::join_all;

use crate::checks::live::START_COLLECTOR;
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::udp::UdpProbe;
use crate::probe::{Target, UdpTarget};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "NET003",
    name: "scan-finds-collector",
    family: Family::Reachability,
    severity: Severity::Warning,
    title: "Something answers on the well-known tracing ports of the scanned host",
    explanation: Explanation {
        checks: "With `--scan [HOST]`: the well-known ports 4317, 4318, 5778, 9411, 13133, 14250, 14268, \
                 14269 and 16686 over TCP and 6831, 6832 over UDP, each fingerprinted (the table in the \
                 report shows what answers where).",
        why: "When nothing listens on any of them there is no collector, agent or Jaeger on that host, and \
              every exporter pointed at it drops its spans.",
        fix: "Start a collector, e.g. `docker run --rm -p 4317:4317 -p 4318:4318 otel/opentelemetry-collector` \
              or Jaeger all-in-one `docker run --rm -p 16686:16686 -p 4317:4317 -p 4318:4318 jaegertracing/jaeger`. \
              Without Docker, download the `jaeger` binary from \
              https://github.com/jaegertracing/jaeger/releases and run `./jaeger`.",
        example: "tracectl doctor --scan localhost",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

/// The well-known TCP ports and what usually listens there.
pub const TCP_PORTS: &[(u16, &str)] = &[
    (4317, "OTLP/gRPC"),
    (4318, "OTLP/HTTP"),
    (5778, "Jaeger agent sampling (HTTP)"),
    (9411, "Zipkin"),
    (13133, "collector health check"),
    (14250, "Jaeger gRPC collector"),
    (14268, "Jaeger thrift HTTP collector"),
    (14269, "Jaeger admin"),
    (16686, "Jaeger query UI and API"),
];

/// The well-known UDP ports (Jaeger agent).
pub const UDP_PORTS: &[(u16, &str)] = &[
    (6831, "Jaeger agent, thrift compact"),
    (6832, "Jaeger agent, thrift binary"),
];

/// What usually listens on `port`.
pub fn usual(port: u16) -> Option<&'static str> {
    TCP_PORTS
        .iter()
        .chain(UDP_PORTS)
        .find(|(p, _)| *p == port)
        .map(|(_, what)| *what)
}

/// The host `--scan` probes: the one given, else the OTLP endpoint's host when one is set, else localhost.
pub fn scan_host(ctx: &Context, given: &str) -> String {
    if !given.trim().is_empty() {
        return given.trim().to_string();
    }
    let configured = ctx.settings.otlp.endpoint.var.is_some();
    ctx.settings
        .otlp
        .host_port()
        .filter(|_| configured)
        .map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']').to_string())
        .unwrap_or_else(|| "localhost".into())
}

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let Some(given) = &ctx.live.scan else {
            return Outcome::skip("runs with --scan [HOST]");
        };
        let host = scan_host(ctx, given);
        let deadline = ctx.live.probe_deadline;
        let tcp = join_all(TCP_PORTS.iter().map(|(p, _)| {
            let target = Target::new(host.clone(), *p);
            async move { ctx.probes.tcp(&target, deadline).await }
        }));
        let udp = join_all(UDP_PORTS.iter().map(|(p, _)| {
            let target = UdpTarget {
                host: host.clone(),
                port: *p,
            };
            async move { ctx.probes.udp(&target, deadline).await }
        }));
        let (tcp, udp) = tokio::join!(tcp, udp);
        let mut evidence = Evidence::new().with("host", host.clone());
        let open: Vec<u16> = tcp
            .iter()
            .filter(|f| f.connected())
            .map(|f| f.target.port)
            .collect();
        let udp_open: Vec<u16> = udp
            .iter()
            .filter(|u| matches!(u.result, Some(UdpProbe::Silent | UdpProbe::Answered(_))))
            .map(|u| u.target.port)
            .collect();
        evidence.push("tcp_open", open.clone());
        evidence.push("udp_not_closed", udp_open.clone());
        if !open.is_empty() || !udp_open.is_empty() {
            return Outcome::Pass(evidence);
        }
        let ports: Vec<String> = TCP_PORTS
            .iter()
            .map(|(p, _)| p.to_string())
            .chain(UDP_PORTS.iter().map(|(p, _)| format!("{p}/udp")))
            .collect();
        Outcome::Findings(vec![
            Draft::new(
                host.clone(),
                format!(
                    "Nothing answers on {host}: every well-known tracing port is closed ({}).",
                    ports.join(", ")
                ),
                format!("Start a collector: {START_COLLECTOR}."),
            )
            .evidence("host", host),
        ])
    })
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{live_context, run_async};
    use crate::report::Outcome;

    #[tokio::test]
    async fn skipped_without_scan() {
        let ctx = live_context(&[], 500);
        assert!(matches!(
            run_async(&super::CHECK, &ctx).await,
            Outcome::Skipped(_)
        ));
    }

    #[tokio::test]
    async fn an_unresolvable_host_has_nothing_open() {
        let mut ctx = live_context(&[], 1500);
        ctx.live.scan = Some("no-such-host.invalid".into());
        let Outcome::Findings(f) = run_async(&super::CHECK, &ctx).await else {
            panic!()
        };
        assert!(f[0].fix.contains("docker run"));
        assert!(f[0].fix.contains("without Docker"), "{}", f[0].fix);
    }

    #[test]
    fn scan_host_defaults() {
        let ctx = live_context(
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")],
            100,
        );
        assert_eq!(super::scan_host(&ctx, ""), "collector");
        assert_eq!(super::scan_host(&ctx, "box"), "box");
        assert_eq!(super::scan_host(&live_context(&[], 100), ""), "localhost");
    }
}
