use std::net::SocketAddr;

use futures_util::future::join_all;

use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::dns;
use crate::probe::sntp::{self, SntpProbe};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "CLK001",
    name: "clock-offset-ntp",
    family: Family::Clock,
    severity: Severity::Error,
    title: "The local clock is within 100 ms of an NTP server",
    explanation: Explanation {
        checks: "The local clock's offset from `--ntp-server HOST[:PORT]`, else from the servers named in the \
                 host's chrony, ntpd or systemd-timesyncd configuration, by one SNTP exchange each. Over 100 ms \
                 is a warning, over 1 s an error.",
        why: "Span timestamps come from each host's clock. With skew, children start before their parents \
              or outside them, and Jaeger does not adjust skew by default: traces look broken.",
        fix: "Run a time daemon and let it synchronise: `timedatectl set-ntp true` (systemd), or install \
              chrony (`chronyc tracking` shows the offset).",
        example: "tracectl doctor --ntp-server pool.ntp.org",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

const WARN_MS: f64 = 100.0;
const ERROR_MS: f64 = 1000.0;

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let servers = &ctx.live.ntp_servers;
        if servers.is_empty() {
            return Outcome::skip("no NTP server in chrony/ntp/timesyncd: pass --ntp-server HOST");
        }
        let deadline = ctx.live.probe_deadline;
        let answers = join_all(servers.iter().map(|s| async move {
            let (host, port) = split_port(s);
            let Some(ip) = dns::resolve(&host, deadline).await.addrs().first().copied() else {
                return (
                    s.clone(),
                    SntpProbe::Failed {
                        error: format!("`{host}` does not resolve"),
                    },
                );
            };
            (
                s.clone(),
                sntp::query(SocketAddr::new(ip, port), deadline).await,
            )
        }))
        .await;
        let mut evidence = Evidence::new();
        for (server, probe) in &answers {
            evidence.push(
                server.clone(),
                serde_json::to_value(probe).unwrap_or_default(),
            );
        }
        let Some((server, offset_ms, round_trip_ms)) = answers.iter().find_map(|(s, p)| match p {
            SntpProbe::Offset {
                offset_ms,
                round_trip_ms,
                ..
            } => Some((s.clone(), *offset_ms, *round_trip_ms)),
            _ => None,
        }) else {
            let list = servers.join(", ");
            if !ctx.live.ntp_from_flag {
                return Outcome::skip(format!("no NTP server answered ({list})"));
            }
            let mut draft = Draft::new(
                "--ntp-server",
                format!(
                    "{list} gave no SNTP answer before the deadline: the clock offset could not be measured."
                ),
                "Check the server name and that outbound UDP port 123 is allowed, or name another server with --ntp-server HOST.",
            )
            .severity(Severity::Warning);
            draft.evidence = evidence;
            return Outcome::Findings(vec![draft]);
        };
        judge(&server, offset_ms, round_trip_ms)
            .map_or(Outcome::Pass(evidence), |d| Outcome::Findings(vec![d]))
    })
}

/// `host`, `host:port`, `[v6]:port` → host and port (123 by default).
fn split_port(server: &str) -> (String, u16) {
    if let Ok(sa) = server.parse::<SocketAddr>() {
        return (sa.ip().to_string(), sa.port());
    }
    match server.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => match p.parse() {
            Ok(port) => (h.to_string(), port),
            Err(_) => (server.to_string(), 123),
        },
        _ => (
            server
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
            123,
        ),
    }
}

fn judge(server: &str, offset_ms: f64, round_trip_ms: f64) -> Option<Draft> {
    let magnitude = offset_ms.abs();
    if magnitude <= WARN_MS {
        return None;
    }
    let direction = if offset_ms > 0.0 {
        "behind"
    } else {
        "ahead of"
    };
    let severity = if magnitude > ERROR_MS {
        Severity::Error
    } else {
        Severity::Warning
    };
    Some(
        Draft::new(
            "clock",
            format!("The local clock is {magnitude:.0} ms {direction} {server} (round trip {round_trip_ms:.0} ms): spans from this host will be shifted against other hosts'."),
            "Enable time synchronisation: `timedatectl set-ntp true`, or install chrony and check `chronyc tracking`.",
        )
        .evidence("server", server)
        .evidence("offset_ms", (offset_ms * 10.0).round() / 10.0)
        .evidence("round_trip_ms", (round_trip_ms * 10.0).round() / 10.0)
        .severity(severity),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert!(judge("s", 40.0, 1.0).is_none());
        assert_eq!(
            judge("s", -250.0, 1.0).unwrap().severity,
            Some(Severity::Warning)
        );
        let d = judge("s", 1500.0, 1.0).unwrap();
        assert_eq!(d.severity, Some(Severity::Error));
        assert!(d.message.contains("behind"));
    }

    #[test]
    fn server_ports() {
        assert_eq!(split_port("127.0.0.1:1230"), ("127.0.0.1".into(), 1230));
        assert_eq!(split_port("pool.ntp.org"), ("pool.ntp.org".into(), 123));
        assert_eq!(split_port("time:99"), ("time".into(), 99));
        assert_eq!(split_port("::1"), ("::1".into(), 123));
    }
}
