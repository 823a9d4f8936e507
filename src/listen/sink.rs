//! The one bounded channel every listener feeds, and the counters of what it could not take.
//! Listeners never wait for the consumer: when the queue is full, or a request's bytes do not fit
//! the memory [`Budget`], spans are dropped and counted, so memory stays bounded under a flood.
//! Span lines are rendered here, on the receiving task, so the one consumer only writes them out.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::budget::{Budget, Reservation};
use super::output::Renderer;
use super::{Counts, Observation, Received, Seen};

/// How many requests or datagrams may wait for the consumer (their bytes are bounded by the
/// [`Budget`]).
pub const QUEUE: usize = 4096;

/// The bytes of rendered text reserved per span before rendering (a span line is a few hundred).
const LINE_BYTES: usize = 512;

/// How long a TCP request waits for room in the budget or the queue before it is refused: a
/// burst slows its senders down (TCP pushes back) rather than losing spans.
pub const WAIT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub enum Event {
    /// Spans, their rendered lines, and the bytes they hold until the consumer is done.
    Spans {
        received: Received,
        text: String,
        held: Reservation,
    },
    Observation(Observation),
}

/// Why a request's spans were not taken, and how to answer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The memory budget or the queue is full now: a retry may succeed (503, gRPC UNAVAILABLE).
    Busy,
    /// The request alone is larger than the whole budget (413, gRPC RESOURCE_EXHAUSTED).
    TooLarge,
}

#[derive(Debug, Default)]
pub struct Counters {
    dropped_spans: AtomicU64,
    dropped_observations: AtomicU64,
    refused_oversize: AtomicU64,
    malformed: AtomicU64,
    refused_connections: AtomicU64,
    refused_memory: AtomicU64,
    closed_idle: AtomicU64,
}

#[derive(Debug, Clone)]
pub struct Sink {
    tx: mpsc::Sender<Event>,
    counters: Arc<Counters>,
    renderer: Renderer,
    budget: Budget,
}

impl Sink {
    pub fn channel(
        capacity: usize,
        renderer: Renderer,
        budget: Budget,
    ) -> (Sink, mpsc::Receiver<Event>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        (
            Sink {
                tx,
                counters: Arc::default(),
                renderer,
                budget,
            },
            rx,
        )
    }

    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Reserves the bytes a request is about to take (its body, or its decoded size); a
    /// refusal is counted (`refused_memory`).
    pub fn admit(&self, bytes: usize) -> Result<Reservation, Refused> {
        if bytes > self.budget.limit() {
            self.refuse_memory();
            return Err(Refused::TooLarge);
        }
        self.budget.reserve(bytes).ok_or_else(|| {
            self.refuse_memory();
            Refused::Busy
        })
    }

    /// [`admit`](Sink::admit), waiting up to [`WAIT`] for room.
    pub async fn admit_waiting(&self, bytes: usize) -> Result<Reservation, Refused> {
        if bytes > self.budget.limit() {
            self.refuse_memory();
            return Err(Refused::TooLarge);
        }
        let mut held = self.budget.empty();
        if self
            .budget
            .grow_until(&mut held, bytes, Instant::now() + WAIT)
            .await
        {
            return Ok(held);
        }
        self.refuse_memory();
        Err(Refused::Busy)
    }

    /// [`spans`](Sink::spans), waiting up to [`WAIT`] for room in the budget and the queue.
    pub async fn spans_waiting(
        &self,
        received: Received,
        mut held: Reservation,
    ) -> Result<(), Refused> {
        let n = received.batch.len();
        if n == 0 {
            return Ok(());
        }
        let deadline = Instant::now() + WAIT;
        let decoded = held.bytes();
        let result = if !self
            .budget
            .grow_until(&mut held, n.saturating_mul(LINE_BYTES), deadline)
            .await
        {
            self.refuse_memory();
            Err(Refused::Busy)
        } else {
            let text = self.renderer.spans(&received);
            if held.resize(decoded + text.capacity()) {
                let event = Event::Spans {
                    received,
                    text,
                    held,
                };
                match self.tx.try_send(event) {
                    Ok(()) => Ok(()),
                    Err(mpsc::error::TrySendError::Full(event)) => {
                        let wait = deadline.saturating_duration_since(Instant::now());
                        self.tx
                            .send_timeout(event, wait)
                            .await
                            .map_err(|_| Refused::Busy)
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => Err(Refused::Busy),
                }
            } else {
                self.refuse_memory();
                Err(Refused::Busy)
            }
        };
        if result.is_err() {
            self.counters
                .dropped_spans
                .fetch_add(n as u64, Ordering::Relaxed);
        }
        result
    }

    /// Counts a request refused because its bytes did not fit the budget.
    pub fn refuse_memory(&self) {
        self.counters.refused_memory.fetch_add(1, Ordering::Relaxed);
    }

    /// Queues decoded spans holding `held` (their decoded bytes), with their rendered lines; when
    /// the lines do not fit the budget or the queue is full, drops and counts them.
    pub fn spans(&self, received: Received, mut held: Reservation) -> Result<(), Refused> {
        let n = received.batch.len();
        if n == 0 {
            return Ok(());
        }
        let decoded = held.bytes();
        let result = if self.tx.capacity() == 0 {
            Err(Refused::Busy)
        } else if !held.grow(n.saturating_mul(LINE_BYTES)) {
            self.refuse_memory();
            Err(Refused::Busy)
        } else {
            let text = self.renderer.spans(&received);
            if held.resize(decoded + text.capacity()) {
                self.tx
                    .try_send(Event::Spans {
                        received,
                        text,
                        held,
                    })
                    .map_err(|_| Refused::Busy)
            } else {
                self.refuse_memory();
                Err(Refused::Busy)
            }
        };
        if result.is_err() {
            self.counters
                .dropped_spans
                .fetch_add(n as u64, Ordering::Relaxed);
        }
        result
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

    /// Counts a connection closed for sending nothing within its timeout, or to make room.
    pub fn close_idle(&self) {
        self.counters.closed_idle.fetch_add(1, Ordering::Relaxed);
    }

    pub fn counts(&self) -> Counts {
        let c = &self.counters;
        Counts {
            dropped_spans: c.dropped_spans.load(Ordering::Relaxed),
            dropped_observations: c.dropped_observations.load(Ordering::Relaxed),
            refused_oversize: c.refused_oversize.load(Ordering::Relaxed),
            malformed: c.malformed.load(Ordering::Relaxed),
            refused_connections: c.refused_connections.load(Ordering::Relaxed),
            refused_memory: c.refused_memory.load(Ordering::Relaxed),
            closed_idle: c.closed_idle.load(Ordering::Relaxed),
            ..Counts::default()
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
        let (sink, mut rx) = Sink::channel(1, Renderer::Json, Budget::new(1 << 20));
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
        let empty = Received {
            origin: origin(),
            at: SystemTime::now(),
            batch: Batch::Lines(vec![]),
        };
        assert_eq!(sink.spans(empty, sink.budget().empty()), Ok(()));
        assert!(rx.try_recv().is_err(), "empty batches are not queued");
    }

    #[test]
    fn requests_over_the_budget_are_refused_and_counted() {
        let (sink, _rx) = Sink::channel(8, Renderer::Json, Budget::new(1000));
        assert_eq!(sink.admit(1001).err(), Some(Refused::TooLarge));
        let held = sink.admit(900).unwrap();
        assert_eq!(sink.admit(200).err(), Some(Refused::Busy));
        drop(held);
        assert!(sink.admit(200).is_ok());
        assert_eq!(sink.counts().refused_memory, 2);
    }
}
