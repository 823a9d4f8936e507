//! One HTTP POST with a bounded reply, shared by the HTTP transports.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::{Delivery, Target, Transport, Verdict, error_chain, tls};

/// At most this much of a reply body is read.
const MAX_BODY: usize = 64 * 1024;

/// How much of an error body a receipt shows.
pub const BODY_EXCERPT: usize = 200;

/// What an HTTP receiver answered.
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

pub fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(body)?;
    enc.finish()
}

/// A client with the transport's TLS files and timeout, reusable for many requests (load mode).
pub fn client(transport: &Transport) -> Result<reqwest::Client, String> {
    let pems = tls::Pems::load(&transport.tls)?;
    tls::reqwest_builder(&pems)?
        .timeout(transport.timeout)
        .connect_timeout(transport.timeout)
        .http1_only()
        .build()
        .map_err(|e| error_chain(&e))
}

/// POSTs `body` with a new client; Err is a delivery saying why nothing usable came back.
pub async fn post(
    target: &Target,
    transport: &Transport,
    content_type: &str,
    body: Vec<u8>,
) -> Result<Reply, Delivery> {
    let client = client(transport).map_err(|e| Delivery::failed(e, body.len()))?;
    post_with(&client, target, transport, content_type, body).await
}

/// POSTs `body` with `client`.
pub async fn post_with(
    client: &reqwest::Client,
    target: &Target,
    transport: &Transport,
    content_type: &str,
    body: Vec<u8>,
) -> Result<Reply, Delivery> {
    let sent = body.len();
    let fail = |e: String| Delivery::failed(e, sent);
    let (body, encoding) = if transport.gzip {
        (gzip(&body).map_err(|e| fail(e.to_string()))?, Some("gzip"))
    } else {
        (body, None)
    };
    let mut request = client
        .post(target.url.clone())
        .header("content-type", content_type)
        .header(
            "user-agent",
            concat!("tracectl/", env!("CARGO_PKG_VERSION")),
        );
    if let Some(encoding) = encoding {
        request = request.header("content-encoding", encoding);
    }
    for (k, v) in &transport.headers {
        request = request.header(k.as_str(), v.as_str());
    }
    let mut response = request.body(body).send().await.map_err(|e| {
        if e.is_timeout() && !e.is_connect() {
            Delivery::no_answer(transport.timeout, sent)
        } else {
            fail(error_chain(&e))
        }
    })?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut body = Vec::new();
    while body.len() < MAX_BODY {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => return Err(fail(error_chain(&e))),
        }
    }
    body.truncate(MAX_BODY);
    Ok(Reply {
        status,
        content_type,
        body,
    })
}

/// The start of a body, at most `chars` characters (… when cut), for receipts and errors;
/// `None` when it is blank.
pub fn excerpt(body: &[u8], chars: usize) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut cut: String = text.chars().take(chars).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    Some(cut)
}

/// A plain HTTP receiver (Jaeger collector, Zipkin): 2xx accepted, anything else rejected.
pub async fn send_plain(
    target: &Target,
    transport: &Transport,
    content_type: &str,
    body: Vec<u8>,
) -> Delivery {
    let sent = body.len();
    match post(target, transport, content_type, body).await {
        Err(d) => d,
        Ok(reply) => {
            let ok = (200..300).contains(&reply.status);
            Delivery {
                verdict: if ok {
                    Verdict::Accepted
                } else {
                    Verdict::Rejected
                },
                answer: super::Answer {
                    http_status: Some(reply.status),
                    content_type: reply.content_type,
                    body: if ok {
                        None
                    } else {
                        excerpt(&reply.body, BODY_EXCERPT)
                    },
                    bytes_sent: sent,
                    ..Default::default()
                },
                error: None,
            }
        }
    }
}
