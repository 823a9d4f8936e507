//! The fingerprinting procedure: resolve, connect to every address, then in parallel try a TLS
//! handshake, a plaintext `GET /` and an HTTP/2 preface; then, on whichever transport works, a
//! real OTLP gRPC Export (and Jaeger's PostSpans when OTLP is unimplemented) and the well-known
//! HTTP paths (OTLP, Jaeger collector and query, Zipkin). Everything under one deadline.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::future::join_all;

use super::{
    AddrConnect, Fingerprint, JAEGER_COLLECTOR, JAEGER_QUERY_V1, JAEGER_QUERY_V3, OTLP_PATH,
    PathProbe, Target, ZIPKIN,
};
use crate::probe::Deadline;
use crate::probe::dns;
use crate::probe::grpc::{self, Peer};
use crate::probe::h2::{self, H2Probe};
use crate::probe::http1::{self, Reply, Request};
use crate::probe::tcp::{self, Connect};
use crate::probe::tls::{self, TlsProbe};

/// How to open a fresh connection to the chosen address, with or without TLS.
#[derive(Clone)]
struct Dial {
    addr: SocketAddr,
    host: String,
    authority: String,
    tls: bool,
}

impl Dial {
    async fn http(&self, req: Request<'_>, deadline: Deadline) -> Reply {
        let (connect, stream) = tcp::connect(self.addr, deadline).await;
        let Some(stream) = stream else {
            // A peer that resets every connection may let the first one through and reset the
            // next: that reset is the answer, not a failure of the probe.
            return match connect {
                Connect::Reset => Reply::Reset,
                other => Reply::Failed {
                    error: format!("reconnect failed: {other:?}"),
                },
            };
        };
        if !self.tls {
            return http1::exchange(stream, &req, deadline).await;
        }
        match tls::handshake(stream, &self.host, &[b"http/1.1"], deadline).await {
            (_, Some(tls)) => http1::exchange(tls, &req, deadline).await,
            (probe, None) => Reply::Failed {
                error: probe.describe(),
            },
        }
    }

    async fn path(
        &self,
        method: &'static str,
        path: String,
        content_type: &str,
        body: &[u8],
        deadline: Deadline,
    ) -> PathProbe {
        let req = Request {
            method,
            path: &path,
            host: &self.authority,
            content_type: Some(content_type),
            body,
        };
        let reply = self.http(req, deadline).await;
        PathProbe {
            method,
            path,
            reply,
        }
    }
}

/// Fingerprints `target`; returns by `deadline` whatever happens.
pub async fn probe(target: &Target, deadline: Deadline) -> Fingerprint {
    let started = Deadline::now();
    let mut fp = Fingerprint {
        target: target.clone(),
        dns: dns::resolve(&target.host, deadline).await,
        connects: Vec::new(),
        addr: None,
        tls: None,
        plain: None,
        secure: None,
        h2: None,
        grpc_otlp: None,
        grpc_jaeger: None,
        paths: Vec::new(),
        elapsed: Duration::ZERO,
    };
    let addrs: Vec<SocketAddr> = fp
        .dns
        .addrs()
        .iter()
        .take(4)
        .map(|ip| SocketAddr::new(*ip, target.port))
        .collect();
    let attempts = join_all(addrs.iter().map(|a| tcp::connect(*a, deadline))).await;
    let mut first = None;
    for (addr, (result, stream)) in addrs.iter().zip(attempts) {
        if first.is_none() && stream.is_some() {
            first = Some(*addr);
        }
        fp.connects.push(AddrConnect {
            addr: *addr,
            result,
        });
    }
    fp.addr = first;
    if let Some(addr) = first {
        transport_probes(&mut fp, addr, deadline).await;
        app_probes(&mut fp, addr, deadline).await;
    }
    fp.elapsed = started.elapsed();
    fp
}

async fn transport_probes(fp: &mut Fingerprint, addr: SocketAddr, deadline: Deadline) {
    let host = fp.target.host.clone();
    let plain = Dial {
        addr,
        host: host.clone(),
        authority: fp.target.authority(),
        tls: false,
    };
    let tls = async {
        match tcp::connect(addr, deadline).await {
            (_, Some(s)) => Some(
                tls::handshake(s, &host, &[b"h2", b"http/1.1"], deadline)
                    .await
                    .0,
            ),
            (c, None) => Some(TlsProbe::Failed {
                error: format!("reconnect failed: {c:?}"),
                first_bytes: Vec::new(),
            }),
        }
    };
    let get = plain.http(
        Request {
            method: "GET",
            path: "/",
            host: &plain.authority,
            content_type: None,
            body: b"",
        },
        deadline,
    );
    let h2 = async {
        match tcp::connect(addr, deadline).await {
            (_, Some(s)) => h2::preface(s, deadline).await,
            (c, None) => H2Probe::Failed {
                error: format!("reconnect failed: {c:?}"),
            },
        }
    };
    let (tls, get, h2) = tokio::join!(tls, get, h2);
    fp.tls = tls;
    fp.plain = Some(get);
    fp.h2 = Some(h2);
}

async fn app_probes(fp: &mut Fingerprint, addr: SocketAddr, deadline: Deadline) {
    let secure = fp.tls_completed();
    let dial = Dial {
        addr,
        host: fp.target.host.clone(),
        authority: fp.target.authority(),
        tls: secure,
    };
    if secure {
        fp.secure = Some(
            dial.http(
                Request {
                    method: "GET",
                    path: "/",
                    host: &dial.authority,
                    content_type: None,
                    body: b"",
                },
                deadline,
            )
            .await,
        );
    }
    let authority = addr.to_string();
    let peer = Peer {
        authority: &authority,
        tls_name: secure.then_some(fp.target.host.as_str()),
    };
    let grpc = async {
        if !fp.speaks_h2() {
            return (None, None);
        }
        let otlp = grpc::otlp_export(&peer, deadline).await;
        let jaeger = if otlp.code() == Some(tonic::Code::Unimplemented) {
            Some(grpc::jaeger_post_spans(&peer, deadline).await)
        } else {
            None
        };
        (Some(otlp), jaeger)
    };
    let http = async {
        if fp.http1().is_none() {
            return Vec::new();
        }
        let mut otlp_paths = vec![fp.target.otlp_path.clone()];
        if fp.target.otlp_path != OTLP_PATH {
            otlp_paths.push(OTLP_PATH.to_string());
        }
        let mut probes: Vec<_> = otlp_paths
            .into_iter()
            .map(|p| dial.path("POST", p, "application/x-protobuf", b"", deadline))
            .collect();
        probes.push(dial.path(
            "POST",
            JAEGER_COLLECTOR.into(),
            "application/x-thrift",
            b"",
            deadline,
        ));
        probes.push(dial.path("POST", ZIPKIN.into(), "application/json", b"[]", deadline));
        probes.push(dial.path(
            "GET",
            JAEGER_QUERY_V3.into(),
            "application/json",
            b"",
            deadline,
        ));
        let mut done = join_all(probes).await;
        let v3_missing = done
            .last()
            .and_then(|p| p.reply.response())
            .is_some_and(|r| r.status == 404);
        if v3_missing {
            done.push(
                dial.path(
                    "GET",
                    JAEGER_QUERY_V1.into(),
                    "application/json",
                    b"",
                    deadline,
                )
                .await,
            );
        }
        done
    };
    let ((otlp, jaeger), paths) = tokio::join!(grpc, http);
    fp.grpc_otlp = otlp;
    fp.grpc_jaeger = jaeger;
    fp.paths = paths;
}
