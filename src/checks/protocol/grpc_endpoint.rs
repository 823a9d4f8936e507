use super::{otlp_fingerprint, protocol_var};
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::probe::fingerprint::Service;
use crate::probe::grpc::GrpcProbe;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::symptom;

pub static CHECK: Check = Check {
    id: "PRO001",
    name: "grpc-endpoint-speaks-otlp",
    family: Family::Protocol,
    severity: Severity::Error,
    title: "The OTLP/gRPC endpoint answers an OTLP trace Export",
    explanation: Explanation {
        checks: "When the exporter uses `grpc`: a real `opentelemetry.proto.collector.trace.v1.TraceService/Export` \
                 call with an empty request. If it is UNIMPLEMENTED, Jaeger's `jaeger.api_v2.CollectorService` \
                 is tried; if the port answers HTTP/1.1 instead of HTTP/2, that is said.",
        why: "A gRPC exporter pointed at an HTTP/1.1 port fails with `http2: frame too large` or `frame with \
              invalid size`; pointed at Jaeger's 14250 it gets `unknown service \
              opentelemetry.proto.collector.trace.v1.TraceService`. Either way the spans are dropped.",
        fix: "Point the endpoint at the OTLP gRPC port (usually 4317), or switch the exporter to \
              `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf` when the port is OTLP/HTTP (usually 4318).",
        example: "OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let (c, fp) = match otlp_fingerprint(ctx, true).await {
            Ok(found) => found,
            Err(skip) => return skip,
        };
        let authority = c.target.authority();
        let subject = c.subject.clone();
        let scheme = if c.target.tls { "https" } else { "http" };
        let to_4317 = format!("{subject}={scheme}://{}:4317", c.target.host);
        let grpc = fp.grpc_otlp.clone();
        let evidence = Evidence::new()
            .with("endpoint", authority.clone())
            .with("answers", fp.summary());
        if grpc == Some(GrpcProbe::Ok) {
            return Outcome::Pass(evidence.with("export", "OK"));
        }
        let draft = |message: String, fix: String| {
            let mut d = Draft::new(subject.clone(), message, fix)
                .evidence("endpoint", authority.clone())
                .evidence("answers", fp.summary());
            if let Some(g) = &grpc {
                d = d.evidence("otlp_export", g.describe());
            }
            d
        };
        if let Some(jaeger) = symptom::jaeger_grpc(&fp) {
            return Outcome::Findings(vec![draft(
                jaeger,
                format!(
                    "Point the exporter at the OTLP gRPC port of the collector or Jaeger (≥ 1.35 accepts OTLP), usually 4317: {to_4317}"
                ),
            )]);
        }
        if let Some(http1) = symptom::http1_not_grpc(&fp) {
            let fix = if fp.services().contains(&Service::OtlpHttp) {
                format!(
                    "This port is OTLP/HTTP: set {}=http/protobuf, or point the exporter at the gRPC port: {to_4317}",
                    protocol_var(ctx)
                )
            } else {
                format!("Point the exporter at the OTLP gRPC port, usually 4317: {to_4317}")
            };
            return Outcome::Findings(vec![draft(
                format!("The exporter speaks gRPC (HTTP/2) but {http1}"),
                fix,
            )]);
        }
        if let Some(odd) = symptom::oddity(&fp) {
            return Outcome::Findings(vec![draft(
                format!("The exporter speaks gRPC but {odd}"),
                format!(
                    "Check what listens on port {} and point the exporter at the OTLP gRPC port: {to_4317}",
                    c.target.port
                ),
            )]);
        }
        if let Some(unimplemented) = symptom::grpc_without_otlp(&fp) {
            return Outcome::Findings(vec![draft(
                unimplemented,
                format!("Point the exporter at the OTLP gRPC port, usually 4317: {to_4317}"),
            )]);
        }
        match &grpc {
            Some(other) => Outcome::Findings(vec![draft(
                format!("The OTLP Export call to {authority} failed: {}.", other.describe()),
                "Check the collector's logs and its otlp receiver's grpc settings (TLS, auth, max message size).".into(),
            )]),
            None => Outcome::skip(format!("{authority} answers neither HTTP/1.1 nor HTTP/2 (see NET001)")),
        }
    })
}

#[cfg(test)]
mod tests {
    use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
        TraceService, TraceServiceServer,
    };
    use opentelemetry_proto::tonic::collector::trace::v1::{
        ExportTraceServiceRequest, ExportTraceServiceResponse,
    };

    use crate::checks::testing::{live_context, run_async};
    use crate::probe::testing;
    use crate::report::Outcome;

    struct Sink;

    #[tonic::async_trait]
    impl TraceService for Sink {
        async fn export(
            &self,
            _: tonic::Request<ExportTraceServiceRequest>,
        ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
            Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
        }
    }

    async fn grpc_server() -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(TraceServiceServer::new(Sink))
                .serve_with_incoming(incoming),
        );
        addr
    }

    async fn outcome(endpoint: String) -> Outcome {
        let ctx = live_context(
            &[
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint),
            ],
            1500,
        );
        run_async(&super::CHECK, &ctx).await
    }

    #[tokio::test]
    async fn passes_on_an_otlp_grpc_receiver() {
        let addr = grpc_server().await;
        let o = outcome(format!("http://{addr}")).await;
        assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
    }

    #[tokio::test]
    async fn http1_port_is_named_with_the_fix() {
        let addr = testing::http("200 OK", "{}").await;
        let Outcome::Findings(f) = outcome(format!("http://{addr}")).await else {
            panic!()
        };
        assert!(
            f[0].message.contains("answers HTTP/1.1"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.contains("http/protobuf"), "{}", f[0].fix);
    }
}
