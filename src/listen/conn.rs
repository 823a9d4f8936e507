//! What one accepted TCP connection shares with its listener and its requests: when it was
//! accepted, when a request last arrived and a byte was last read, the body bytes it holds, and
//! a flag that closes it. The listener reads it to close connections that send nothing in time
//! and to pick the connection to close when it is full.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Waker;
use std::time::Duration;

use tokio::time::Instant;

/// The most body bytes one connection may hold in requests not yet decoded: a largest message
/// and another on its way.
pub const MAX_CONNECTION_BYTES: usize = 2 * super::MAX_BODY;

/// How long a new connection may take to send its first request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a connection may go without progress before it is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From accepting to its first request (head complete).
    pub head: Duration,
    /// Without a byte read, once it has sent a request.
    pub idle: Duration,
}

/// The shared state of one connection.
#[derive(Debug)]
pub struct ConnState {
    accepted: Instant,
    /// Milliseconds after `accepted`, plus one (0: never).
    last_request: AtomicU64,
    last_read: AtomicU64,
    closing: AtomicBool,
    waker: Mutex<Option<Waker>>,
    held: AtomicUsize,
}

fn since(start: Instant, now: Instant) -> u64 {
    u64::try_from(now.saturating_duration_since(start).as_millis())
        .unwrap_or(u64::MAX - 1)
        .saturating_add(1)
}

impl ConnState {
    pub fn new() -> Arc<ConnState> {
        Arc::new(ConnState {
            accepted: Instant::now(),
            last_request: AtomicU64::new(0),
            last_read: AtomicU64::new(0),
            closing: AtomicBool::new(false),
            waker: Mutex::new(None),
            held: AtomicUsize::new(0),
        })
    }

    fn at(&self, stamp: u64) -> Option<Instant> {
        stamp
            .checked_sub(1)
            .map(|ms| self.accepted + Duration::from_millis(ms))
    }

    /// A request head arrived: the connection is doing what it is for.
    pub fn request(&self) {
        self.last_request
            .store(since(self.accepted, Instant::now()), Ordering::Relaxed);
    }

    pub fn read(&self, now: Instant) {
        self.last_read
            .store(since(self.accepted, now), Ordering::Relaxed);
    }

    /// When it last made progress: its last request, or its accepting.
    pub fn progress(&self) -> Instant {
        self.at(self.last_request.load(Ordering::Relaxed))
            .unwrap_or(self.accepted)
    }

    /// When it is closed unless something happens first.
    pub fn deadline(&self, t: Timeouts) -> Instant {
        match self.at(self.last_request.load(Ordering::Relaxed)) {
            None => self.accepted + t.head,
            Some(request) => {
                let read = self
                    .at(self.last_read.load(Ordering::Relaxed))
                    .unwrap_or(request);
                read.max(request) + t.idle
            }
        }
    }

    /// Asks the connection to close: its next read or write fails.
    pub fn close(&self) {
        self.closing.store(true, Ordering::Relaxed);
        if let Ok(mut waker) = self.waker.lock()
            && let Some(w) = waker.take()
        {
            w.wake();
        }
    }

    pub fn closing(&self) -> bool {
        self.closing.load(Ordering::Relaxed)
    }

    /// Remembers who to wake when the connection is asked to close.
    pub fn park(&self, waker: &Waker) {
        if let Ok(mut slot) = self.waker.lock()
            && !slot.as_ref().is_some_and(|w| w.will_wake(waker))
        {
            *slot = Some(waker.clone());
        }
    }

    fn hold(&self, bytes: usize) -> bool {
        self.held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes)
                    .filter(|n| *n <= MAX_CONNECTION_BYTES)
            })
            .is_ok()
    }

    fn release(&self, bytes: usize) {
        self.held.fetch_sub(bytes, Ordering::AcqRel);
    }
}

/// Body bytes one request holds against its connection's share, given back when dropped.
#[derive(Debug)]
pub struct Share {
    conn: Arc<ConnState>,
    bytes: usize,
}

impl Share {
    pub fn new(conn: Arc<ConnState>) -> Share {
        Share { conn, bytes: 0 }
    }

    /// Takes `n` more bytes; `false` (nothing taken) over [`MAX_CONNECTION_BYTES`].
    pub fn hold(&mut self, n: usize) -> bool {
        let ok = self.conn.hold(n);
        if ok {
            self.bytes += n;
        }
        ok
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        self.conn.release(self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_without_a_request_has_the_head_deadline() {
        let t = Timeouts {
            head: Duration::from_secs(5),
            idle: Duration::from_secs(30),
        };
        let c = ConnState::new();
        assert!(c.deadline(t) <= Instant::now() + t.head);
        c.request();
        assert!(c.deadline(t) > Instant::now() + Duration::from_secs(20));
        assert!(c.hold(MAX_CONNECTION_BYTES));
        assert!(!c.hold(1));
        c.release(MAX_CONNECTION_BYTES);
        assert!(c.hold(1));
        assert!(!c.closing());
        c.close();
        assert!(c.closing());
    }
}
