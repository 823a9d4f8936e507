use futures_util::future::join_all;

use crate::checks::live;
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::symptom;

pub static CHECK: Check = Check {
    id: "PRO003",
    name: "tls-matches-endpoint",
    family: Family::Protocol,
    severity: Severity::Error,
    title: "TLS use matches the endpoint: https:// to TLS ports, http:// to plaintext ports",
    explanation: Explanation {
        checks: "For every configured endpoint: a TLS handshake and a plaintext request. An `https://` \
                 endpoint whose port answers plaintext HTTP or HTTP/2, or an `http://` endpoint whose port \
                 completes a TLS handshake, is a mismatch. A gRPC endpoint without a scheme means TLS unless \
                 `OTEL_EXPORTER_OTLP_INSECURE=true`.",
        why: "Plaintext to a TLS port gets the connection closed (`connection closed before server preface \
              received`); TLS to a plaintext port fails the handshake (`first record does not look like a TLS \
              handshake`). Both drop every span.",
        fix: "Use the scheme the port speaks: `https://` for TLS, `http://` for plaintext (for gRPC without a \
              scheme, `OTEL_EXPORTER_OTLP_INSECURE=true` means plaintext).",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4318   # the collector listens in plaintext",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let targets = live::configured(ctx);
        if targets.is_empty() {
            return Outcome::skip("no endpoint is configured");
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
            let authority = c.target.authority();
            evidence.push(
                authority.clone(),
                if c.target.tls { "https" } else { "http" },
            );
            let Some(fact) = symptom::tls_mismatch_fact(fp) else {
                continue;
            };
            let tls = fp.tls.as_ref().map(|t| t.describe()).unwrap_or_default();
            let (message, fix) = if c.target.tls {
                (
                    format!("{} uses TLS but {fact}", c.named()),
                    format!(
                        "Use http://{authority} in {} (for gRPC without a scheme: OTEL_EXPORTER_OTLP_INSECURE=true).",
                        c.subject
                    ),
                )
            } else {
                (
                    format!("{} uses plaintext (http://) but {fact}", c.named()),
                    format!("Use https://{authority} in {}.", c.subject),
                )
            };
            drafts.push(
                Draft::new(c.subject.clone(), message, fix)
                    .evidence("endpoint", authority)
                    .evidence("tls", tls),
            );
        }
        Outcome::from_drafts(drafts, evidence)
    })
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{live_context, run_async};
    use crate::probe::testing;
    use crate::report::Outcome;

    #[tokio::test]
    async fn plaintext_endpoint_with_http_scheme_passes() {
        let addr = testing::http("404 Not Found", "").await;
        let ctx = live_context(
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", &format!("http://{addr}"))],
            1000,
        );
        assert!(matches!(
            run_async(&super::CHECK, &ctx).await,
            Outcome::Pass(_)
        ));
    }

    #[tokio::test]
    async fn tls_port_with_the_right_scheme_passes_and_plaintext_to_it_is_named() {
        let addr = testing::tls().await;
        let ctx = live_context(
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", &format!("https://{addr}"))],
            1000,
        );
        let o = run_async(&super::CHECK, &ctx).await;
        assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
        let ctx = live_context(
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", &format!("http://{addr}"))],
            1000,
        );
        let Outcome::Findings(f) = run_async(&super::CHECK, &ctx).await else {
            panic!()
        };
        assert!(f[0].message.contains("speaks TLS"), "{}", f[0].message);
        assert!(f[0].fix.contains("https://"));
    }

    #[tokio::test]
    async fn https_to_a_plaintext_port_is_named() {
        let addr = testing::http("404 Not Found", "").await;
        let ctx = live_context(
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", &format!("https://{addr}"))],
            1000,
        );
        let Outcome::Findings(f) = run_async(&super::CHECK, &ctx).await else {
            panic!()
        };
        assert!(
            f[0].message.contains("speaks plaintext HTTP/1.1"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.contains("http://"));
    }
}
