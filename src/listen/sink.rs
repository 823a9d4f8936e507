//! The one bounded channel every listener feeds, and the counters of what it could not take.
//! Listeners never wait for the consumer: when the queue is full, spans are dropped and counted,
//! so memory stays bounded under a flood. Span lines are rendered here, on the receiving task, so
//! the one consumer only writes them out.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;

use super::output::Renderer;
use super::{Counts, Observation, Received, Seen};

/// How many requests or datagrams may wait for the consumer.
pub const QUEUE: usize = 4096;

#[derive(Debug)]
pub enum Event {
    /// Spans and their rendered lines.
    Spans {
        received: Received,
        text: String,
    },
    Observation(Observation),
}

#[derive(Debug, Default)]
pub struct Counters {
    dropped_spans: AtomicU64,
    dropped_observations: AtomicU64,
    refused_oversize: AtomicU64,
    malformed: AtomicU64,
    refused_connections: AtomicU64,
}

#[derive(Debug, Clone)]
pub struct Sink {
    tx: mpsc::Sender<Event>,
    counters: Arc<Counters>,
    renderer: Renderer,
}

impl Sink {
    pub fn channel(capacity: usize, renderer: Renderer) -> (Sink, mpsc::Receiver<Event>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        (
            Sink {
                tx,
                counters: Arc::default(),
                renderer,
            },
            rx,
        )
    }

    /// Queues decoded spans, or drops and counts them when the queue is full.
    pub fn spans(&self, received: Received) {
        let n = received.batch.len() as u64;
        if n == 0 {
            return;
        }
        let dropped = self.tx.capacity() == 0 || {
            let text = self.renderer.spans(&received);
            self.tx.try_send(Event::Spans { received, text }).is_err()
        };
        if dropped {
            self.counters.dropped_spans.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// Queues what was seen (counting oversize and malformed input), or counts it as dropped.
    pub fn observe(&self, observation: Observation) {
        match observation.seen {
            Seen::Oversize { .. } => {
                self.counters
                    .refused_oversize
                    .fetch_add(1, Ordering::Relaxed);
            }
            Seen::Malformed { .. } => {
                self.counters.malformed.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        if self.tx.try_send(Event::Observation(observation)).is_err() {
            self.counters
                .dropped_observations
                .fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a connection closed because its listener held the most it may.
    pub fn refuse_connection(&self) {
        self.counters
            .refused_connections
            .fetch_add(1, Ordering::Relaxed);
    }

    pub fn counts(&self) -> Counts {
        let c = &self.counters;
        Counts {
            dropped_spans: c.dropped_spans.load(Ordering::Relaxed),
            dropped_observations: c.dropped_observations.load(Ordering::Relaxed),
            refused_oversize: c.refused_oversize.load(Ordering::Relaxed),
            malformed: c.malformed.load(Ordering::Relaxed),
            refused_connections: c.refused_connections.load(Ordering::Relaxed),
            forgotten_spans: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::time::SystemTime;

    use super::*;
    use crate::listen::{Batch, Listener, Origin};

    fn origin() -> Origin {
        Origin {
            listener: Listener::JaegerCompact,
            port: 6831,
            peer: SocketAddr::from(([127, 0, 0, 1], 5000)),
        }
    }

    #[test]
    fn a_full_queue_drops_and_counts_instead_of_growing() {
        let (sink, mut rx) = Sink::channel(1, Renderer::Json);
        let oversize = || Observation {
            origin: origin(),
            seen: Seen::Oversize {
                size: 70000,
                limit: 65000,
            },
        };
        sink.observe(oversize());
        sink.observe(oversize());
        let c = sink.counts();
        assert_eq!((c.refused_oversize, c.dropped_observations), (2, 1));
        assert!(matches!(rx.try_recv(), Ok(Event::Observation(_))));
        sink.spans(Received {
            origin: origin(),
            at: SystemTime::now(),
            batch: Batch::Lines(vec![]),
        });
        assert!(rx.try_recv().is_err(), "empty batches are not queued");
    }
}
