//! `send-test-span` explains a failed send with doctor's fingerprint: gRPC servers written here
//! (a Jaeger-like collector without OTLP, an OTLP/gRPC-only port), loopback ports picked here.

use std::convert::Infallible;

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use serde_json::Value;
use tonic::codegen::{BoxFuture, Context, Poll, Service, http};
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::transport::server::Router;

/// Runs `router` on a 127.0.0.1 port; the server stops with the returned runtime.
fn serve(router: Router) -> (tokio::runtime::Runtime, u16) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local addr").port();
    runtime.spawn(
        router.serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    (runtime, port)
}

/// Sends one span over `protocol` to `endpoint`; (exit code, receipt JSON).
fn send(protocol: &str, endpoint: &str) -> (i32, Value) {
    crate::send_test_span::send(&["--protocol", protocol, "--endpoint", endpoint])
}

/// `PostSpansRequest` and `PostSpansResponse` as far as an empty call needs.
#[derive(Clone, PartialEq, prost::Message)]
struct Empty {}

/// Jaeger's `jaeger.api_v2.CollectorService` (port 14250): PostSpans answers OK, and the server
/// has no OTLP trace service.
#[derive(Clone)]
struct JaegerCollector;

impl NamedService for JaegerCollector {
    const NAME: &'static str = "jaeger.api_v2.CollectorService";
}

struct PostSpans;

impl UnaryService<Empty> for PostSpans {
    type Response = Empty;
    type Future = BoxFuture<tonic::Response<Empty>, tonic::Status>;

    fn call(&mut self, _: tonic::Request<Empty>) -> Self::Future {
        Box::pin(async { Ok(tonic::Response::new(Empty {})) })
    }
}

impl Service<http::Request<tonic::body::Body>> for JaegerCollector {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Infallible>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        Box::pin(async move {
            if request.uri().path() != "/jaeger.api_v2.CollectorService/PostSpans" {
                return Ok(tonic::Status::unimplemented("unknown method").into_http());
            }
            let mut grpc = Grpc::new(tonic_prost::ProstCodec::<Empty, Empty>::default());
            Ok(grpc.unary(PostSpans, request).await)
        })
    }
}

#[test]
fn grpc_to_a_jaeger_collector_says_it_is_not_an_otlp_receiver() {
    let (_server, port) = serve(tonic::transport::Server::builder().add_service(JaegerCollector));
    let (code, receipt) = send("grpc", &format!("http://127.0.0.1:{port}"));
    assert_eq!(code, 1, "{receipt}");
    assert_eq!(receipt["verdict"], "rejected");
    assert_eq!(receipt["answer"]["grpc_code"], "Unimplemented");
    let why = receipt["cause"]["summary"].as_str().unwrap_or_default();
    assert!(
        why.contains("Jaeger gRPC collector")
            && why.contains("not an OTLP receiver")
            && why.contains("UNIMPLEMENTED"),
        "{why}"
    );
    let fix = receipt["cause"]["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("4317"), "{fix}");
}

/// An OTLP/gRPC receiver that takes everything.
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

#[test]
fn http_protobuf_to_a_grpc_port_says_it_speaks_grpc() {
    let (_server, port) =
        serve(tonic::transport::Server::builder().add_service(TraceServiceServer::new(Sink)));
    let (code, receipt) = send("http/protobuf", &format!("http://127.0.0.1:{port}"));
    assert_eq!(code, 1, "{receipt}");
    assert_eq!(receipt["verdict"], "unreachable");
    let why = receipt["cause"]["summary"].as_str().unwrap_or_default();
    assert!(
        why.contains("speaks only HTTP/2 (gRPC) and answers OTLP/gRPC"),
        "{why}"
    );
    let fix = receipt["cause"]["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("--protocol grpc"), "{fix}");
}

/// A tarpit (accepts, reads, never answers): the receipt records no answer from the receiver,
/// not tracectl's own timeout, and JSON says `no_answer`, not `unreachable`.
#[test]
fn a_tarpit_gets_no_answer_not_our_own_timeout() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    for protocol in ["grpc", "http/protobuf"] {
        let (code, receipt) = send(protocol, &format!("http://127.0.0.1:{port}"));
        assert_eq!(code, 1, "{receipt}");
        assert_eq!(receipt["verdict"], "no_answer", "{receipt}");
        assert!(receipt["answer"]["grpc_status"].is_null(), "{receipt}");
        assert!(receipt["answer"]["grpc_message"].is_null(), "{receipt}");
        let error = receipt["error"].as_str().unwrap_or_default();
        assert!(error.contains("no answer came within --timeout"), "{error}");
    }
}

/// send-test-span sends as the service the settings name (OTEL_SERVICE_NAME), like every other
/// OTEL_* setting it follows; --service still wins.
#[test]
fn the_service_name_comes_from_otel_service_name() {
    let run = |extra: &[&str]| {
        let out = crate::support::tracectl()
            .env("OTEL_SERVICE_NAME", "checkout")
            .args([
                "send-test-span",
                "--endpoint",
                "http://127.0.0.1:1",
                "--format",
                "json",
            ])
            .args(extra)
            .output()
            .unwrap();
        let receipt: Value = serde_json::from_slice(&out.stdout).unwrap();
        receipt["service"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(run(&[]), "checkout");
    assert_eq!(run(&["--service", "cli"]), "cli");
}
