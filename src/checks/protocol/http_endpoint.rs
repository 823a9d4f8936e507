use super::{otlp_fingerprint, protocol_var};
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::fingerprint::OTLP_PATH;
use crate::probe::http1::Response;
use crate::protocol::otlp;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::OtlpProtocol;
use crate::symptom;
use crate::symptom::PathAnswer;

pub static CHECK: Check = Check {
    id: "PRO002",
    name: "http-endpoint-speaks-otlp",
    family: Family::Protocol,
    severity: Severity::Error,
    title: "The OTLP/HTTP endpoint accepts POST on its traces path",
    explanation: Explanation {
        checks: "When the exporter uses `http/protobuf` or `http/json`: whether the port speaks HTTP/1.1 at all \
                 (or only HTTP/2, i.e. gRPC), then `POST` of an empty protobuf body to the configured path and \
                 to `/v1/traces`, and Jaeger's `/api/traces`. 2xx whose body is an ExportTraceServiceResponse \
                 (empty, protobuf or JSON; a few bytes) or 400 for the empty body means an OTLP receiver; a 2xx \
                 with another body, one over 8 KiB or one that never ends is another server; 404 a wrong path \
                 or another server; 405 a path that does not take POST; 415 a receiver that refuses protobuf; a \
                 status line followed by header lines without end (over 16 KiB) is named as such.",
        why: "An HTTP exporter pointed at a gRPC port fails with `malformed HTTP response \"\\x00\\x00\\x06\\x04…\"`; \
              at the wrong path or at Jaeger's thrift collector it gets 404 for every batch and drops it.",
        fix: "Point the endpoint at the OTLP/HTTP port (usually 4318) with the path the SDK expects: the generic \
              `OTEL_EXPORTER_OTLP_ENDPOINT` gets `/v1/traces` appended, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as-is.",
        example: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://localhost:4318   # POST / answers 404",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let (c, fp) = match otlp_fingerprint(ctx, false).await {
            Ok(found) => found,
            Err(skip) => return skip,
        };
        let authority = c.target.authority();
        let scheme = if c.target.tls { "https" } else { "http" };
        let base = format!("{scheme}://{authority}");
        let subject = c.subject.clone();
        let path = c.target.otlp_path.clone();
        let draft = |message: String, fix: String| {
            Draft::new(subject.clone(), message, fix)
                .evidence("endpoint", authority.clone())
                .evidence("answers", fp.summary())
        };
        let Some(_) = fp.http1() else {
            if let Some(h2) = symptom::h2_only(&fp) {
                return Outcome::Findings(vec![draft(
                    format!("The exporter sends OTLP/HTTP but {h2}"),
                    format!(
                        "Set {}=grpc to use this port, or point the exporter at the OTLP/HTTP port, usually 4318: OTEL_EXPORTER_OTLP_ENDPOINT={scheme}://{}:4318",
                        protocol_var(ctx),
                        c.target.host
                    ),
                )]);
            }
            if let Some(odd) = symptom::oddity(&fp) {
                return Outcome::Findings(vec![draft(
                    format!("The exporter sends OTLP/HTTP but {odd}"),
                    format!(
                        "Check what listens on port {} and point the exporter at the OTLP/HTTP port, usually 4318.",
                        c.target.port
                    ),
                )]);
            }
            return Outcome::skip(format!(
                "{authority} answers neither HTTP/1.1 nor HTTP/2 (see NET001)"
            ));
        };
        let Some(r) = fp.path(&path) else {
            return Outcome::skip(format!(
                "POST {path} got no HTTP answer before the deadline"
            ));
        };
        let evidence = Evidence::new()
            .with("endpoint", authority.clone())
            .with("post", path.clone())
            .with("status", r.status);
        let status_line = r.status_line();
        let protobuf = c.otlp == Some(OtlpProtocol::HttpProtobuf);
        if let Some((kind, message)) = symptom::path_answer(&fp, &path, r.status)
            .filter(|(kind, _)| *kind != PathAnswer::NoProtobuf || protobuf)
        {
            let fix = match kind {
                PathAnswer::JaegerThrift => format!(
                    "Point the exporter at the OTLP/HTTP port of Jaeger or the collector, usually 4318: OTEL_EXPORTER_OTLP_ENDPOINT={scheme}://{}:4318",
                    c.target.host
                ),
                PathAnswer::WrongPath => format!(
                    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT={base}{OTLP_PATH} (a signal-specific endpoint is used as-is), or OTEL_EXPORTER_OTLP_ENDPOINT={base} (the SDK appends /v1/traces)"
                ),
                PathAnswer::NotOtlp => format!(
                    "Point {subject} at the collector's OTLP/HTTP port (usually 4318) and path /v1/traces."
                ),
                PathAnswer::NoPost => {
                    format!("Point {subject} at the collector's OTLP/HTTP port, usually 4318.")
                }
                PathAnswer::NoProtobuf => format!(
                    "Set {}=http/json, or enable protobuf on the receiver.",
                    protocol_var(ctx)
                ),
            };
            return Outcome::Findings(vec![draft(message, fix)]);
        }
        match r.status {
            200..=299 => {
                let ct = r.header("content-type").unwrap_or("");
                let otlp_type = ct.is_empty() || ct.contains("protobuf") || ct.contains("json");
                if otlp_type && let Some(what) = not_an_export_response(r) {
                    Outcome::Findings(vec![draft(
                        format!("POST {path} on {authority} answers `{status_line}` {what}: an OTLP receiver answers an export with an ExportTraceServiceResponse of a few bytes, so this is not an OTLP receiver, and spans sent here are lost."),
                        format!("Point {subject} at the collector's OTLP/HTTP port (usually 4318) and path /v1/traces."),
                    )
                    .evidence("content_type", ct)
                    .evidence("body_bytes_read", r.body.len())])
                } else if otlp_type {
                    Outcome::Pass(evidence)
                } else {
                    Outcome::Findings(vec![draft(
                        format!("POST {path} on {authority} answers `{status_line}` with Content-Type `{ct}`: an OTLP receiver answers application/x-protobuf or application/json, so this is probably a web app that accepts any path."),
                        format!("Point {subject} at the collector's OTLP/HTTP port, usually 4318."),
                    )
                    .evidence("content_type", ct)])
                }
            }
            400 => Outcome::Pass(evidence.with("note", "400 for an empty body: an OTLP receiver that validates requests")),
            401 | 403 => Outcome::Findings(vec![draft(
                format!("POST {path} on {authority} answers `{status_line}`: the receiver wants credentials."),
                "Set the header it expects, e.g. OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20<token>".into(),
            )]),
            _ => Outcome::Findings(vec![draft(
                format!("POST {path} on {authority} answers `{status_line}`."),
                "Check the receiver's logs: 429/503 mean it is overloaded, other 5xx that it is failing.".into(),
            )
            .severity(Severity::Warning)]),
        }
    })
}

/// Why a 2xx reply to an empty export is not an OTLP reply, or `None` when its body is an
/// `ExportTraceServiceResponse` (empty, protobuf or JSON as its Content-Type says). A compressed
/// body is not judged.
fn not_an_export_response(r: &Response) -> Option<String> {
    if r.body_truncated {
        let size = r.header("content-length").map_or_else(
            || "without end".to_string(),
            |n| format!("of {} bytes", n.trim()),
        );
        return Some(format!(
            "with a body {size} (more than {} KiB, or still arriving after 300 ms)",
            r.body.len() / 1024
        ));
    }
    let encoded = r
        .header("content-encoding")
        .is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity"));
    let json = r
        .header("content-type")
        .is_some_and(|ct| ct.contains("json"));
    if encoded || otlp::decode_response(&r.body, json).is_ok() {
        return None;
    }
    Some(format!(
        "with a body that is not an ExportTraceServiceResponse (`{}`)",
        r.body_text()
    ))
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{live_context, run_async};
    use crate::probe::testing;
    use crate::report::Outcome;

    async fn outcome(var: &str, endpoint: String) -> Outcome {
        let ctx = live_context(
            &[
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                (var, &endpoint),
            ],
            1500,
        );
        run_async(&super::CHECK, &ctx).await
    }

    #[tokio::test]
    async fn passes_on_an_otlp_http_answer() {
        let addr = testing::replying(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n",
        )
        .await;
        let o = outcome("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{addr}")).await;
        assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
    }

    #[tokio::test]
    async fn passes_on_otlp_json_and_partial_success_answers() {
        for reply in [
            &b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"[..],
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 4\r\n\r\n\x0a\x02\x08\x01",
        ] {
            let addr = testing::replying(reply).await;
            let o = outcome("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{addr}")).await;
            assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
        }
    }

    #[tokio::test]
    async fn a_200_whose_body_is_not_an_otlp_reply_is_named() {
        let huge = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1073741824\r\n\r\n";
        let mut reply = huge.to_vec();
        reply.extend(vec![b'A'; 64 * 1024]);
        let addr = testing::replying(Box::leak(reply.into_boxed_slice())).await;
        let Outcome::Findings(f) =
            outcome("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{addr}")).await
        else {
            panic!()
        };
        assert!(
            f[0].message.contains("a body of 1073741824 bytes"),
            "{}",
            f[0].message
        );

        let addr = testing::replying(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n<html>hi</html>",
        )
        .await;
        let Outcome::Findings(f) =
            outcome("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{addr}")).await
        else {
            panic!()
        };
        assert!(
            f[0].message
                .contains("not an ExportTraceServiceResponse (`<html>"),
            "{}",
            f[0].message
        );
    }

    #[tokio::test]
    async fn path_404_is_named() {
        let addr = testing::http("404 Not Found", "404 page not found\n").await;
        let Outcome::Findings(f) = outcome(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            format!("http://{addr}"),
        )
        .await
        else {
            panic!()
        };
        assert!(f[0].message.contains("answers 404"), "{}", f[0].message);
    }

    #[tokio::test]
    async fn h2_only_port_is_named() {
        let addr = testing::replying(&[0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x40, 0]).await;
        let Outcome::Findings(f) =
            outcome("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{addr}")).await
        else {
            panic!()
        };
        assert!(f[0].message.contains("only HTTP/2"), "{}", f[0].message);
        assert!(f[0].fix.contains("=grpc"), "{}", f[0].fix);
        // A SETTINGS frame with no setting: the sentence quotes those bytes, not a typical one.
        let addr = testing::replying(&[0, 0, 0, 4, 0, 0, 0, 0, 0]).await;
        let Outcome::Findings(f) =
            outcome("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{addr}")).await
        else {
            panic!()
        };
        assert!(f[0].message.contains("this run"), "{}", f[0].message);
        assert!(!f[0].message.contains("\\x06"), "{}", f[0].message);
    }
}
