//! A fake tracing backend written for the tests (no Jaeger binary is installable here): it takes
//! OTLP/HTTP protobuf on `POST /v1/traces` and serves what it was told back on the Jaeger query
//! API, `GET /api/v3/traces/{id}` (OTLP JSON) or `GET /api/traces/{id}` (the UI's JSON). Every
//! trace is "not found" on its first lookup, as in a backend that is still batching.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use prost::Message;
use serde_json::json;

/// Which query API the backend offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/api/v3/traces/{id}` (Jaeger v2).
    V3,
    /// Only `/api/traces/{id}`: v3 answers a plain-text 404, like a Jaeger 1.x query.
    V1Only,
    /// Takes the spans but never stores them: every lookup is "trace not found".
    Loses,
}

/// How the backend guards its API, beyond `Api`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Guard {
    /// Serve HTTPS with tests/fixtures/tls/server.pem (signed by ca.pem, for 127.0.0.1).
    pub tls: bool,
    /// A header every query request must carry, else 401.
    pub header: Option<(&'static str, &'static str)>,
}

/// The CA that signed an HTTPS backend's certificate: the CA file to trust.
pub const CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");
const SERVER_CERT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/server.pem");
const KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/tls/server-key.pem"
);

/// trace id (hex) -> (span id hex, service name, parent span id hex or "") per stored span.
type Store = HashMap<String, Vec<(String, String, String)>>;

#[derive(Clone)]
struct Shared {
    api: Api,
    guard: Guard,
    store: Arc<Mutex<Store>>,
    /// Traces looked up once already.
    looked_up: Arc<Mutex<Vec<String>>>,
}

/// The running backend; stops when dropped.
pub struct FakeJaeger {
    pub port: u16,
    tls: bool,
    _runtime: tokio::runtime::Runtime,
}

impl FakeJaeger {
    pub fn start(api: Api) -> FakeJaeger {
        FakeJaeger::start_with(api, Guard::default())
    }

    pub fn start_with(api: Api, guard: Guard) -> FakeJaeger {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let shared = Shared {
            api,
            guard,
            store: Arc::default(),
            looked_up: Arc::default(),
        };
        let app = Router::new()
            .route("/v1/traces", post(take))
            .route("/api/v3/traces/{id}", get(v3))
            .route("/api/traces/{id}", get(v1))
            .with_state(shared);
        if guard.tls {
            let listener = TlsListener {
                tcp: listener,
                acceptor: acceptor(),
            };
            runtime.spawn(async move { axum::serve(listener, app).await });
        } else {
            runtime.spawn(async move { axum::serve(listener, app).await });
        }
        FakeJaeger {
            port,
            tls: guard.tls,
            _runtime: runtime,
        }
    }

    /// The OTLP/HTTP endpoint and the query service's URL.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }
}

fn acceptor() -> tokio_rustls::TlsAcceptor {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let cert = CertificateDer::from_pem_file(SERVER_CERT).expect("fixture certificate");
    let key = PrivateKeyDer::from_pem_file(KEY).expect("fixture key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("fixture certificate and key");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// Accepts TCP connections and completes their TLS handshake; failed handshakes are dropped.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

async fn take(State(shared): State<Shared>, body: Bytes) -> Response {
    let Ok(request) = ExportTraceServiceRequest::decode(body) else {
        return (StatusCode::BAD_REQUEST, "not an ExportTraceServiceRequest").into_response();
    };
    if shared.api != Api::Loses {
        let mut store = shared.store.lock().expect("store");
        for rs in request.resource_spans {
            let service = rs
                .resource
                .iter()
                .flat_map(|r| &r.attributes)
                .find(|kv| kv.key == "service.name")
                .and_then(|kv| kv.value.as_ref()?.value.as_ref())
                .map(|v| match v {
                    Any::StringValue(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .unwrap_or_default();
            for span in rs.scope_spans.into_iter().flat_map(|s| s.spans) {
                store.entry(hex::encode(&span.trace_id)).or_default().push((
                    hex::encode(&span.span_id),
                    service.clone(),
                    hex::encode(&span.parent_span_id),
                ));
            }
        }
    }
    (
        [(header::CONTENT_TYPE, "application/x-protobuf")],
        Vec::new(),
    )
        .into_response()
}

/// The stored spans, unless this is the trace's first lookup.
fn lookup(shared: &Shared, id: &str) -> Option<Vec<(String, String, String)>> {
    let mut seen = shared.looked_up.lock().expect("looked up");
    if !seen.iter().any(|s| s == id) {
        seen.push(id.to_owned());
        return None;
    }
    shared.store.lock().expect("store").get(id).cloned()
}

fn json_reply(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// 401 unless the request carries the guard's header.
fn unauthorized(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let (name, value) = shared.guard.header?;
    let ok = headers.get(name).and_then(|v| v.to_str().ok()) == Some(value);
    (!ok).then(|| (StatusCode::UNAUTHORIZED, "missing or wrong credentials\n").into_response())
}

async fn v3(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(denied) = unauthorized(&shared, &headers) {
        return denied;
    }
    if shared.api == Api::V1Only {
        return (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    }
    let Some(spans) = lookup(&shared, &id) else {
        return json_reply(
            StatusCode::NOT_FOUND,
            json!({"error": {"httpCode": 404, "message": "trace not found"}}),
        );
    };
    let resource_spans: Vec<_> = spans
        .iter()
        .map(|(span, service, parent)| {
            json!({
                "resource": {"attributes": [
                    {"key": "service.name", "value": {"stringValue": service}}
                ]},
                "scopeSpans": [{"scope": {}, "spans": [
                    {"traceId": id, "spanId": span, "parentSpanId": parent, "name": "stored"}
                ]}]
            })
        })
        .collect();
    json_reply(
        StatusCode::OK,
        json!({"result": {"resourceSpans": resource_spans}}),
    )
}

async fn v1(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(denied) = unauthorized(&shared, &headers) {
        return denied;
    }
    let found = if shared.api == Api::V1Only {
        lookup(&shared, &id)
    } else {
        None
    };
    let Some(spans) = found else {
        return json_reply(
            StatusCode::NOT_FOUND,
            json!({"data": null, "errors": [{"code": 404, "msg": "trace not found"}]}),
        );
    };
    let mut processes = serde_json::Map::new();
    let list: Vec<_> = spans
        .iter()
        .enumerate()
        .map(|(i, (span, service, _))| {
            let process = format!("p{}", i + 1);
            processes.insert(process.clone(), json!({"serviceName": service, "tags": []}));
            json!({"traceID": id, "spanID": span, "operationName": "stored", "processID": process})
        })
        .collect();
    json_reply(
        StatusCode::OK,
        json!({"data": [{"traceID": id, "spans": list, "processes": processes}], "errors": null}),
    )
}
