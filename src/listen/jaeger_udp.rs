//! The Jaeger agent ports: one `emitBatch` per UDP datagram. A datagram in the other thrift
//! encoding than the port's is recognised from its first bytes, decoded anyway and reported.

use std::time::SystemTime;

use tokio::net::UdpSocket;

use super::convert;
use super::sink::Sink;
use super::{Batch, Listener, Observation, Origin, Protocol, Received, Seen, clip, estimate};
use crate::protocol::jaeger::{self, Encoding, MAX_DATAGRAM};

/// The encoding the port is for.
pub fn expected(listener: Listener) -> Encoding {
    if listener == Listener::JaegerBinary {
        Encoding::Binary
    } else {
        Encoding::Compact
    }
}

/// Receives until the task is dropped.
pub async fn serve(socket: UdpSocket, listener: Listener, sink: Sink, strict: bool) {
    let port = socket.local_addr().map_or(0, |a| a.port());
    // One byte more than an agent reads, so an oversize datagram shows as such.
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
    loop {
        let Ok((len, peer)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        let origin = Origin {
            listener,
            port,
            peer,
        };
        let datagram = buf.get(..len).unwrap_or_default();
        handle(datagram, origin, &sink, strict);
    }
}

/// Decodes one datagram into spans and observations.
/// `strict`: a datagram in the other encoding is dropped, as an agent drops it.
pub fn handle(datagram: &[u8], origin: Origin, sink: &Sink, strict: bool) {
    let observe = |seen| sink.observe(Observation { origin, seen });
    if datagram.len() > MAX_DATAGRAM {
        observe(Seen::Oversize {
            size: datagram.len(),
            limit: MAX_DATAGRAM,
        });
        return;
    }
    match jaeger::decode_emit_batch(datagram) {
        Ok(message) => {
            let at = SystemTime::now();
            if message.encoding != expected(origin.listener) {
                observe(Seen::ThriftEncoding {
                    got: message.encoding,
                    service: clip(&message.batch.process.service_name),
                    strict,
                });
                if strict {
                    // An agent drops what it cannot read: so do its spans here.
                    return;
                }
            }
            let protocol = Protocol::of_thrift(message.encoding);
            let lines = convert::jaeger(&message.batch, protocol, origin.port, at);
            if let Ok(held) = sink.admit(estimate::lines(&lines)) {
                let received = Received {
                    origin,
                    at,
                    batch: Batch::Lines(lines),
                };
                // A refusal is counted; UDP has no one to answer.
                let _ = sink.spans(received, held);
            }
        }
        Err(e) => observe(Seen::Malformed {
            what: format!(
                "a {}-byte datagram starting {}",
                datagram.len(),
                hex::encode(datagram.get(..8).unwrap_or(datagram))
            ),
            error: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::time::SystemTime;

    use super::*;
    use crate::listen::budget::Budget;
    use crate::listen::output::Renderer;
    use crate::listen::sink::Event;
    use crate::protocol::trace::{Shape, SpanKind, Status, Trace};

    fn origin(listener: Listener) -> Origin {
        Origin {
            listener,
            port: listener.default_port(),
            peer: SocketAddr::from(([127, 0, 0, 1], 40000)),
        }
    }

    fn datagram(encoding: Encoding) -> Vec<u8> {
        let t = Trace::synthetic(
            &Shape {
                service: "node-app".into(),
                name: "op".into(),
                kind: SpanKind::Client,
                attributes: vec![],
                resource: vec![],
                events: vec![],
                status: Status::Unset,
                spans: 2,
                parent: None,
            },
            SystemTime::now(),
        );
        jaeger::encode_emit_batch(&jaeger::batch_from_trace(&t), encoding, 1).unwrap()
    }

    fn events(rx: &mut tokio::sync::mpsc::Receiver<Event>) -> Vec<Event> {
        std::iter::from_fn(|| rx.try_recv().ok()).collect()
    }

    #[test]
    fn binary_on_the_compact_port_is_decoded_and_named() {
        let (sink, mut rx) = Sink::channel(8, Renderer::Json, Budget::new(1 << 20));
        handle(
            &datagram(Encoding::Binary),
            origin(Listener::JaegerCompact),
            &sink,
            false,
        );
        let events = events(&mut rx);
        assert!(matches!(
            &events[0],
            Event::Observation(Observation { seen: Seen::ThriftEncoding { got: Encoding::Binary, service, strict: false }, .. }) if service == "node-app"
        ));
        let Event::Spans { received, text, .. } = &events[1] else {
            panic!("spans expected")
        };
        assert_eq!(received.batch.len(), 2);
        assert_eq!(text.lines().count(), 2);
        assert!(text.contains(r#""protocol":"jaeger-binary""#), "{text}");
    }

    #[test]
    fn strict_drops_the_wrong_encoding_as_an_agent_does_and_still_names_it() {
        let (sink, mut rx) = Sink::channel(8, Renderer::Json, Budget::new(1 << 20));
        handle(
            &datagram(Encoding::Binary),
            origin(Listener::JaegerCompact),
            &sink,
            true,
        );
        let events = events(&mut rx);
        assert_eq!(events.len(), 1);
        assert!(matches!(
            &events[0],
            Event::Observation(Observation {
                seen: Seen::ThriftEncoding { strict: true, .. },
                ..
            })
        ));
    }

    #[test]
    fn the_right_encoding_gives_spans_only() {
        let (sink, mut rx) = Sink::channel(8, Renderer::Json, Budget::new(1 << 20));
        handle(
            &datagram(Encoding::Compact),
            origin(Listener::JaegerCompact),
            &sink,
            false,
        );
        let events = events(&mut rx);
        assert_eq!(events.len(), 1);
        assert!(matches!(&events[0], Event::Spans { .. }));
    }

    #[test]
    fn garbage_and_truncation_are_malformed_not_fatal() {
        let (sink, mut rx) = Sink::channel(64, Renderer::Json, Budget::new(1 << 20));
        let good = datagram(Encoding::Compact);
        for cut in [0, 1, 2, 5, good.len() / 2, good.len() - 1] {
            handle(&good[..cut], origin(Listener::JaegerCompact), &sink, false);
        }
        handle(&[0xff; 100], origin(Listener::JaegerBinary), &sink, false);
        handle(
            &vec![0x82; MAX_DATAGRAM + 1],
            origin(Listener::JaegerBinary),
            &sink,
            false,
        );
        let counts = sink.counts();
        assert_eq!((counts.malformed, counts.refused_oversize), (7, 1));
        assert!(
            events(&mut rx)
                .iter()
                .all(|e| matches!(e, Event::Observation(_)))
        );
    }
}
