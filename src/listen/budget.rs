//! The memory budget of everything `listen` holds for a request: body bytes being read, the
//! decoded request, its rendered span lines and its place in the queue. Each request reserves
//! its bytes before it allocates them and gives them back when the consumer is done with it; a
//! request that does not fit is refused (and counted) instead of growing memory.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;
use tokio::time::{Instant, timeout_at};

/// Bytes shared by every request in flight or queued.
#[derive(Debug, Clone)]
pub struct Budget {
    limit: usize,
    used: Arc<AtomicUsize>,
    /// Woken whenever bytes are given back while requests wait for room.
    released: Arc<Notify>,
    waiting: Arc<AtomicUsize>,
}

impl Budget {
    pub fn new(limit: usize) -> Budget {
        Budget {
            limit,
            used: Arc::default(),
            released: Arc::default(),
            waiting: Arc::default(),
        }
    }

    /// Grows `r` by `more`, waiting until `deadline` for bytes to be given back when they do
    /// not fit now: a burst slows its senders down instead of being refused.
    pub async fn grow_until(&self, r: &mut Reservation, more: usize, deadline: Instant) -> bool {
        if r.grow(more) {
            return true;
        }
        self.waiting.fetch_add(1, Ordering::AcqRel);
        let grown = loop {
            let mut released = pin!(self.released.notified());
            released.as_mut().enable();
            if r.grow(more) {
                break true;
            }
            if more > self.limit || timeout_at(deadline, released).await.is_err() {
                break false;
            }
        };
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        grown
    }

    /// The most one request may ever hold.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// An empty reservation, grown as the request's bytes arrive.
    pub fn empty(&self) -> Reservation {
        Reservation {
            budget: self.clone(),
            bytes: 0,
        }
    }

    /// Reserves `bytes`, or `None` when they do not fit now.
    pub fn reserve(&self, bytes: usize) -> Option<Reservation> {
        let mut r = self.empty();
        r.grow(bytes).then_some(r)
    }

    fn take(&self, bytes: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(bytes).filter(|n| *n <= self.limit)
            })
            .is_ok()
    }

    fn give_back(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::AcqRel);
        if self.waiting.load(Ordering::Acquire) > 0 {
            self.released.notify_waiters();
        }
    }
}

/// Bytes taken from the [`Budget`], given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    budget: Budget,
    bytes: usize,
}

impl Reservation {
    /// Takes `more` bytes; `false` (and nothing taken) when they do not fit.
    pub fn grow(&mut self, more: usize) -> bool {
        let ok = self.budget.take(more);
        if ok {
            self.bytes += more;
        }
        ok
    }

    /// Grows or shrinks to `bytes`; `false` (and unchanged) when growing does not fit.
    pub fn resize(&mut self, bytes: usize) -> bool {
        if bytes <= self.bytes {
            self.budget.give_back(self.bytes - bytes);
            self.bytes = bytes;
            return true;
        }
        self.grow(bytes - self.bytes)
    }

    /// Moves `other`'s bytes into this reservation.
    pub fn absorb(&mut self, mut other: Reservation) {
        self.bytes += std::mem::take(&mut other.bytes);
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if self.bytes > 0 {
            self.budget.give_back(self.bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_never_exceed_the_limit_and_give_bytes_back() {
        let budget = Budget::new(100);
        let a = budget.reserve(60).unwrap();
        assert!(budget.reserve(50).is_none());
        let mut b = budget.reserve(40).unwrap();
        assert!(!b.grow(1));
        assert!(b.resize(10));
        assert_eq!(b.bytes(), 10);
        let mut c = budget.reserve(30).unwrap();
        c.absorb(b);
        assert_eq!(c.bytes(), 40);
        drop((a, c));
        assert!(budget.reserve(100).is_some());
    }

    #[tokio::test]
    async fn a_request_waits_for_bytes_given_back_until_its_deadline() {
        let budget = Budget::new(100);
        let held = budget.reserve(100).unwrap();
        let mut r = budget.empty();
        let soon = Instant::now() + std::time::Duration::from_millis(50);
        assert!(
            !budget.grow_until(&mut r, 10, soon).await,
            "nothing given back"
        );
        let later = Instant::now() + std::time::Duration::from_secs(5);
        let give_back = async {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            drop(held);
        };
        let (grown, ()) = tokio::join!(budget.grow_until(&mut r, 10, later), give_back);
        assert!(grown);
        assert_eq!(r.bytes(), 10);
    }
}
