use futures_util::future::join_all;

use crate::checks::live::{self, Configured, DOCKER_COLLECTOR, START_COLLECTOR};
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::Fingerprint;
use crate::probe::dns::Resolution;
use crate::probe::tcp::Connect;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::symptom;

pub static CHECK: Check = Check {
    id: "NET001",
    name: "endpoint-reachable",
    family: Family::Reachability,
    severity: Severity::Error,
    title: "Every configured endpoint resolves, accepts a connection and answers",
    explanation: Explanation {
        checks: "For the OTLP exporter's endpoint, `JAEGER_ENDPOINT` and every `--endpoint`: DNS resolution \
                 (system resolver configuration), a TCP connection to every resolved address, a TLS handshake \
                 when the URL is `https://`, and whether the server sends anything back.",
        why: "Exporters report these failures as one opaque line, often only at debug level, and then drop \
              the spans. Which step failed says where to look: a name that does not exist, a port nothing \
              listens on, a firewall that drops packets, or a process that accepts and never answers.",
        fix: "Depends on the cause, and the finding names it: correct the host or port in the setting, \
              start the collector, open the firewall, or restart the stuck process.",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-colector:4318   # typo: the name does not resolve",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let targets = live::configured(ctx);
        if targets.is_empty() {
            return Outcome::skip(
                "no endpoint is configured (OTEL_TRACES_EXPORTER does not name otlp)",
            );
        }
        let fps = join_all(
            targets
                .iter()
                .map(|c| ctx.probes.tcp(&c.target, ctx.live.probe_deadline)),
        )
        .await;
        let mut evidence = Evidence::new();
        let mut drafts = Vec::new();
        for (c, fp) in targets.iter().zip(&fps) {
            evidence.push(c.target.authority(), fp.summary());
            drafts.extend(judge(c, fp));
        }
        Outcome::from_drafts(drafts, evidence)
    })
}

fn judge(c: &Configured, fp: &Fingerprint) -> Option<Draft> {
    let authority = c.target.authority();
    let host = &c.target.host;
    let subject = &c.subject;
    let draft = |message: String, fix: String| {
        Draft::new(subject.clone(), message, fix).evidence("endpoint", authority.clone())
    };
    if let Some(fact) = symptom::unreachable(fp) {
        let port = c.target.port;
        let first = fp.connects.first().map(|c| &c.result);
        let message = match (&c.default, first) {
            (Some(url), Some(Connect::Refused)) => {
                format!("{fact} {subject} is unset: {url} is the SDK's default.")
            }
            _ => fact,
        };
        let fix = match first {
            _ if !matches!(fp.dns, Resolution::Addrs(_)) => format!(
                "Correct the host name in {subject}. In Docker Compose use the service name; in Kubernetes the service DNS name, e.g. `otel-collector.<namespace>.svc`."
            ),
            Some(Connect::Refused) if c.default.is_some() => format!(
                "{DOCKER_COLLECTOR} starts a collector here; if it runs elsewhere: export {subject}=http://<collector-host>:{port}"
            ),
            Some(Connect::Refused) => {
                format!("Start the collector: {START_COLLECTOR}. Or correct the port in {subject}.")
            }
            Some(Connect::Timeout) => format!(
                "Check that {host} is up and that port {port}/tcp is open in every firewall and security group on the way."
            ),
            Some(Connect::Reset) => format!(
                "Find what listens on port {port} (`ss -ltnp 'sport = :{port}'`): a process that rejects every client, or a proxy without a backend; fix it or point {subject} at the collector."
            ),
            Some(Connect::Unreachable(_)) => format!(
                "Check the network route to {host} (`ip route get` the address), or correct the host in {subject}."
            ),
            Some(Connect::Failed(_) | Connect::Open(_)) | None => {
                format!("Correct the endpoint in {subject}.")
            }
        };
        let mut d = draft(message, fix);
        if matches!(fp.dns, Resolution::Addrs(_)) {
            d = d.evidence(
                "connect",
                serde_json::to_value(&fp.connects).unwrap_or_default(),
            );
        }
        return Some(d);
    }
    if let Some(partial) = partial_addresses(c, fp) {
        return Some(partial);
    }
    if c.target.tls && !fp.tls_completed() && !symptom::tls_mismatch(fp) {
        let tls = fp.tls.as_ref().map(|t| t.describe()).unwrap_or_default();
        return Some(draft(
            format!(
                "{subject} uses https:// but the TLS handshake with {authority} did not complete: {tls}."
            ),
            format!(
                "Check the server's TLS listener on port {}; if the port is plaintext, use http:// in {subject}.",
                c.target.port
            ),
        ));
    }
    symptom::dead(fp).map(|message| {
        draft(
            message,
            format!(
                "Find what listens on port {p} (`ss -ltnp 'sport = :{p}'`): a stuck process, a proxy without a backend or a full accept queue; restart it or point {subject} at the collector.",
                p = c.target.port
            ),
        )
    })
}

/// Some resolved addresses accept and others refuse (e.g. `localhost` → ::1 refused, 127.0.0.1 open).
fn partial_addresses(c: &Configured, fp: &Fingerprint) -> Option<Draft> {
    let refused: Vec<String> = fp
        .connects
        .iter()
        .filter(|a| !matches!(a.result, Connect::Open(_)))
        .map(|a| a.addr.ip().to_string())
        .collect();
    let open = fp.addr?;
    if refused.is_empty() {
        return None;
    }
    Some(
        Draft::new(
            c.subject.clone(),
            format!(
                "`{}` resolves to several addresses; {} accepts but {} does not. Clients that try only the first address fail.",
                c.target.host,
                open.ip(),
                refused.join(", ")
            ),
            format!("Use {} in {} instead of the name, or make the collector listen on every address.", open.ip(), c.subject),
        )
        .evidence("connect", serde_json::to_value(&fp.connects).unwrap_or_default())
        .severity(Severity::Warning),
    )
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{live_context, run_async};
    use crate::probe::testing;
    use crate::report::Outcome;

    async fn outcome(endpoint: &str) -> Outcome {
        let ctx = live_context(&[("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)], 800);
        run_async(&super::CHECK, &ctx).await
    }

    fn message(o: &Outcome) -> String {
        match o {
            Outcome::Findings(f) => f[0].message.clone(),
            other => panic!("expected a finding, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn passes_when_an_http_server_answers() {
        let addr = testing::http("404 Not Found", "404 page not found").await;
        let o = outcome(&format!("http://{addr}")).await;
        assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
    }

    #[tokio::test]
    async fn refused_names_the_port() {
        let addr = testing::closed().await;
        let m = message(&outcome(&format!("http://{addr}")).await);
        assert!(m.contains("connection was refused"), "{m}");
    }

    #[tokio::test]
    async fn silent_server_is_named() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let m = message(&outcome(&format!("http://{addr}")).await);
        drop(listener);
        assert!(m.contains("never answers"), "{m}");
    }

    #[tokio::test]
    async fn unknown_name_is_a_dns_failure() {
        let m = message(&outcome("http://no-such-collector.invalid:4318").await);
        assert!(
            m.contains("does not resolve") || m.contains("Resolving"),
            "{m}"
        );
    }
}
