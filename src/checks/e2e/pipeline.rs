use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use crate::checks::{Check, CheckFuture, Context, Run};
use crate::protocol::trace::{Shape, SpanKind, Status, Trace};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::send::cause::Terms;
use crate::send::receipt::Receipt;
use crate::send::{self, TlsFiles, Verify, target};

pub static CHECK: Check = Check {
    id: "PPL001",
    name: "pipeline-end-to-end",
    family: Family::E2e,
    severity: Severity::Error,
    title: "A test span sent where the settings point is stored by the backend",
    explanation: Explanation {
        checks: "With `doctor --e2e --query-url URL`: sends one synthetic span to the OTLP endpoint and \
                 protocol the resolved settings name (endpoint, headers, TLS files and compression \
                 included), then polls the Jaeger query service at URL (`/api/v3/traces/{id}`, else \
                 `/api/traces/{id}`) until the span is stored or the run's `--timeout` deadline. \
                 Skipped without `--e2e`.",
        why: "Every setting can look right and traces still not show up: a collector pipeline without \
              the traces receiver, an exporter pointed at another backend, a sampler or filter that \
              drops the span, an authentication proxy. Only a span that goes in at the app's end \
              and comes out of the backend proves the whole path.",
        fix: "Read the finding: when the send failed it names the cause at the endpoint (refused, wrong \
              protocol for the port, TLS mismatch, HTTP or gRPC error); when the receiver took the span \
              but the backend never stored it, look at the collector's pipeline and exporter and its log, \
              and raise `--timeout` when the backend batches (e.g. `--timeout 30s`).",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318\n\
                  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n\
                  tracectl doctor --e2e --query-url http://jaeger:16686 --timeout 30s",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

/// Kept free before the deadline so the check reports instead of being cut off.
const MARGIN: Duration = Duration::from_millis(100);

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(prove(ctx))
}

async fn prove(ctx: &Context) -> Outcome {
    let Some(query) = ctx.e2e.clone() else {
        return Outcome::skip("runs with --e2e --query-url URL: a test span sent and read back");
    };
    let settings = &ctx.settings;
    let target = match target::resolve(None, None, false, settings) {
        Ok(t) => t,
        Err(e) => return Outcome::skip(format!("no usable OTLP endpoint to send to: {e}")),
    };
    let headers = match target::headers(target.protocol, settings, &[]) {
        Ok(h) => h,
        Err(e) => return Outcome::skip(format!("the exporter headers cannot be sent: {e}")),
    };
    let left = ctx
        .deadline
        .saturating_duration_since(Instant::now())
        .saturating_sub(MARGIN);
    // A failed send is fingerprinted (two waits of at most the send's timeout): a third each.
    let transport = target::transport(
        target.protocol,
        settings,
        headers,
        TlsFiles::default(),
        None,
        (left / 3).max(Duration::from_millis(1)),
    );
    let shape = Shape {
        service: if settings.service.fallback {
            "tracectl".into()
        } else {
            settings.service.effective.value.clone()
        },
        name: "tracectl doctor e2e".into(),
        kind: SpanKind::Internal,
        attributes: Vec::new(),
        resource: Vec::new(),
        events: Vec::new(),
        status: Status::Unset,
        spans: 1,
        parent: None,
    };
    let trace = Trace::synthetic(&shape, SystemTime::now());
    let verify = Verify {
        query,
        within: left,
        headers: Vec::new(),
        ca: target::certificate(settings),
    };
    let receipt = send::prove(
        &trace,
        &target,
        &transport,
        Some(&verify),
        Terms::Settings(settings),
    )
    .await;
    outcome(&receipt, &verify)
}

fn outcome(receipt: &Receipt, verify: &Verify) -> Outcome {
    let evidence: [(&str, serde_json::Value); 5] = [
        ("protocol", receipt.protocol.into()),
        ("url", receipt.url.clone().into()),
        ("url_from", receipt.url_from.clone().into()),
        ("trace_id", receipt.trace_id.clone().into()),
        ("query_url", verify.query.to_string().into()),
    ];
    if receipt.is_success() {
        let mut pass = Evidence::new();
        for (k, v) in evidence {
            pass.push(k, v);
        }
        if let Some(v) = &receipt.verification {
            pass.push("stored_service", v.services().join(", "));
            pass.push("found_after_ms", v.waited_ms);
        }
        return Outcome::Pass(pass);
    }
    let (message, fix) = match (&receipt.cause, &receipt.verification) {
        (Some(cause), _) => (
            format!(
                "The test span sent to {} over {} was not accepted: {}.",
                receipt.url, receipt.protocol, cause.summary
            ),
            match &cause.fix {
                Some(fix) => crate::text::capitalise(fix),
                None => format!("Fix the receiver at {} (its log says more).", receipt.url),
            },
        ),
        (None, Some(v)) => (
            format!(
                "The receiver at {} accepted the test span, but {}.",
                receipt.url,
                v.summary()
            ),
            v.fix("--query-url", "--timeout").unwrap_or_default(),
        ),
        (None, None) => (
            format!(
                "The test span sent to {} over {} was not accepted ({:?}).",
                receipt.url, receipt.protocol, receipt.verdict
            ),
            format!("Check the receiver at {}.", receipt.url),
        ),
    };
    let mut draft = Draft::new(receipt.url.clone(), message, fix);
    for (k, v) in evidence {
        draft = draft.evidence(k, v);
    }
    draft = draft.evidence(
        "verdict",
        serde_json::to_value(receipt.verdict).unwrap_or_default(),
    );
    if let Some(v) = &receipt.verification {
        draft = draft
            .evidence("found", serde_json::to_value(v.found).unwrap_or_default())
            .evidence("attempts", v.attempts)
            .evidence("missing", v.missing.clone());
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use url::Url;

    use crate::checks::testing::{context, run_in, run_with};
    use crate::report::Outcome;
    use crate::settings::Sdk;

    /// A loopback port nothing listens on.
    fn closed_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("bind 127.0.0.1:0")
    }

    #[test]
    fn skipped_without_e2e() {
        let Outcome::Skipped(why) = run_with(&super::CHECK, &[]) else {
            panic!("expected a skip")
        };
        assert!(why.contains("--e2e --query-url"), "{why}");
    }

    #[test]
    fn a_refused_endpoint_is_a_finding_that_names_the_cause() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let endpoint = format!("http://127.0.0.1:{}", closed_port());
        let query = Url::parse(&format!("http://127.0.0.1:{}", closed_port())).unwrap();
        let ctx = context(
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ],
        )
        .with_e2e(Some(query));
        let Outcome::Findings(drafts) = run_in(&super::CHECK, &ctx) else {
            panic!("expected a finding")
        };
        let d = &drafts[0];
        assert_eq!(d.subject, format!("{endpoint}/v1/traces"));
        assert!(d.message.contains("was not accepted"), "{}", d.message);
        assert_eq!(
            d.evidence.get("url_from"),
            Some(&"OTEL_EXPORTER_OTLP_ENDPOINT".into())
        );
        assert_eq!(d.evidence.get("verdict"), Some(&"unreachable".into()));
        assert!(
            d.fix.contains("set OTEL_EXPORTER_OTLP_ENDPOINT to its URL") && !d.fix.contains("--"),
            "doctor names the setting, not send-test-span's flags: {}",
            d.fix
        );
    }
}
