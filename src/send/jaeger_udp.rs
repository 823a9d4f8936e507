//! Jaeger thrift over UDP to an agent: one `emitBatch` message per datagram, each within
//! [`MAX_DATAGRAM`] bytes, the spans split across datagrams when they do not fit in one.

use std::time::Duration;

use tokio::net::UdpSocket;

use crate::protocol::jaeger::{self, Batch, Encoding, MAX_DATAGRAM};
use crate::protocol::trace::Trace;

use super::{Answer, Delivery, SendProtocol, Target, Transport, Verdict, error_chain};

/// How long to listen for an ICMP "port unreachable" after sending.
const REFUSAL_WAIT: Duration = Duration::from_millis(200);

/// Bytes a list header may grow by as the span count grows (compact varint, binary fixed).
const LIST_HEADER_SLACK: usize = 8;

/// Splits a batch into datagrams of at most `limit` bytes, or says which span cannot fit. Each
/// span's size is measured once, spans are packed greedily, and every datagram is checked.
pub fn datagrams(batch: &Batch, encoding: Encoding, limit: usize) -> Result<Vec<Vec<u8>>, String> {
    let whole = encode(batch, batch.spans.clone(), encoding)?;
    if whole.len() <= limit {
        return Ok(vec![whole]);
    }
    let empty = encode(batch, Vec::new(), encoding)?.len();
    let mut groups: Vec<Vec<jaeger::Span>> = Vec::new();
    let mut size = empty + LIST_HEADER_SLACK;
    let mut group = Vec::new();
    for span in &batch.spans {
        let alone = encode(batch, vec![span.clone()], encoding)?.len();
        if alone > limit {
            return Err(format!(
                "span {} ({:?}) alone encodes to {alone} bytes, over the {limit}-byte UDP limit; \
                 send it with --protocol jaeger-http or OTLP, or give it fewer attributes",
                span.span_id_hex(),
                span.operation_name,
            ));
        }
        let cost = alone - empty;
        if !group.is_empty() && size + cost > limit {
            groups.push(std::mem::take(&mut group));
            size = empty + LIST_HEADER_SLACK;
        }
        size += cost;
        group.push(span.clone());
    }
    groups.push(group);
    groups
        .into_iter()
        .map(|spans| {
            let bytes = encode(batch, spans, encoding)?;
            if bytes.len() > limit {
                return Err(format!(
                    "a datagram came out at {} bytes, over the {limit}-byte limit",
                    bytes.len()
                ));
            }
            Ok(bytes)
        })
        .collect()
}

fn encode(batch: &Batch, spans: Vec<jaeger::Span>, encoding: Encoding) -> Result<Vec<u8>, String> {
    let part = Batch {
        process: batch.process.clone(),
        spans,
        seq_no: None,
        stats: None,
    };
    jaeger::encode_emit_batch(&part, encoding, 0)
        .map_err(|e| format!("cannot encode the batch: {e}"))
}

pub fn encoding(protocol: SendProtocol) -> Encoding {
    if protocol == SendProtocol::JaegerUdpBinary {
        Encoding::Binary
    } else {
        Encoding::Compact
    }
}

pub async fn send(trace: &Trace, target: &Target, transport: &Transport) -> Delivery {
    let batch = jaeger::batch_from_trace(trace);
    let packets = match datagrams(&batch, encoding(target.protocol), MAX_DATAGRAM) {
        Ok(p) => p,
        Err(e) => return Delivery::failed(e, 0),
    };
    let bytes: usize = packets.iter().map(Vec::len).sum();
    let count = packets.len();
    match tokio::time::timeout(transport.timeout, deliver(target, &packets)).await {
        Ok(Ok(())) => Delivery {
            verdict: Verdict::Sent,
            answer: Answer {
                datagrams: Some(count),
                bytes_sent: bytes,
                ..Answer::default()
            },
            error: None,
        },
        Ok(Err(e)) => Delivery::failed(e, bytes),
        Err(_) => Delivery::failed("the send did not finish before --timeout".into(), bytes),
    }
}

async fn deliver(target: &Target, packets: &[Vec<u8>]) -> Result<(), String> {
    let host = target.url.host_str().unwrap_or("localhost");
    let port = target.url.port().unwrap_or(6831);
    let addr = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} resolves to no address"))?;
    let local = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let socket = UdpSocket::bind(local).await.map_err(|e| error_chain(&e))?;
    socket.connect(addr).await.map_err(|e| error_chain(&e))?;
    for packet in packets {
        socket.send(packet).await.map_err(|e| error_chain(&e))?;
    }
    // A connected UDP socket reports an ICMP port-unreachable as ECONNREFUSED on the next call.
    let mut buf = [0u8; 1];
    match tokio::time::timeout(REFUSAL_WAIT, socket.recv(&mut buf)).await {
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Err(format!("connection refused: {e}"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::protocol::trace::{Attr, AttrValue, Shape, SpanKind, Status};

    fn trace(spans: usize, big: usize) -> Trace {
        Trace::synthetic(
            &Shape {
                service: "s".into(),
                name: "op".into(),
                kind: SpanKind::Internal,
                attributes: vec![Attr::new("pad", AttrValue::String("x".repeat(big)))],
                resource: vec![],
                events: vec![],
                status: Status::Unset,
                spans,
                parent: None,
            },
            SystemTime::now(),
        )
    }

    #[test]
    fn big_traces_are_split_within_the_limit_and_keep_every_span() {
        let batch = jaeger::batch_from_trace(&trace(40, 3000));
        for enc in [Encoding::Compact, Encoding::Binary] {
            let packets = datagrams(&batch, enc, MAX_DATAGRAM).unwrap();
            assert!(packets.len() > 1);
            let mut ids = Vec::new();
            for p in &packets {
                assert!(p.len() <= MAX_DATAGRAM);
                ids.extend(
                    jaeger::decode_emit_batch(p)
                        .unwrap()
                        .batch
                        .spans
                        .into_iter()
                        .map(|s| s.span_id),
                );
            }
            assert_eq!(
                ids,
                batch.spans.iter().map(|s| s.span_id).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn a_span_too_big_for_one_datagram_is_refused() {
        let batch = jaeger::batch_from_trace(&trace(1, 70_000));
        let err = datagrams(&batch, Encoding::Compact, MAX_DATAGRAM).unwrap_err();
        assert!(err.contains("over the 65000-byte UDP limit"), "{err}");
    }
}
