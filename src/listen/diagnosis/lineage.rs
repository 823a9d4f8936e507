//! Parent/child tracking: every span is matched with its parent, whichever arrives first, to find
//! children that start before their parent and children whose parent never arrives. What does
//! not fit in the bounded memory is forgotten and counted.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::id_hash::IdMap;
use super::memory::{Memory, Names, REMEMBERED_BYTES, Remembered, SpanKey};
use crate::listen::Origin;
use crate::listen::span_ref::SpanRef;

/// How long a span waits for its parent before it is reported as an orphan.
const ORPHAN_GRACE: Duration = Duration::from_secs(30);
/// The memory of the parent/child checks unless listen says otherwise: 96 MiB, the share of
/// the default --max-memory.
const DEFAULT_BYTES: usize = 96 * 1024 * 1024;
/// What one span waiting for its parent costs at most (see [`REMEMBERED_BYTES`]).
const WAITING_BYTES: usize = REMEMBERED_BYTES + 64;

/// A span whose parent has not arrived yet.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub child: Remembered,
    since: Instant,
    pub origin: Origin,
}

/// The spans of one service whose parent never arrived: how many, and the first one found.
#[derive(Debug)]
pub struct Orphans {
    pub count: usize,
    /// The trace id and the id of the parent that never arrived, of `example`.
    pub key: SpanKey,
    pub example: Waiting,
}

/// The spans seen recently and the children waiting for their parent, both bounded.
#[derive(Debug)]
pub struct Lineage {
    names: Names,
    spans: Memory,
    waiting: IdMap<SpanKey, Vec<Waiting>>,
    waiting_spans: usize,
    /// The most spans waiting for their parent at once; more are forgotten (and counted).
    max_waiting: usize,
    forgotten: u64,
}

impl Default for Lineage {
    fn default() -> Lineage {
        Lineage::with_memory(DEFAULT_BYTES)
    }
}

impl Lineage {
    /// Bounded to about `bytes`: half for the spans remembered, half for those waiting.
    pub fn with_memory(bytes: usize) -> Lineage {
        Lineage {
            names: Names::default(),
            spans: Memory::new(bytes / 2 / REMEMBERED_BYTES),
            waiting: IdMap::default(),
            waiting_spans: 0,
            max_waiting: bytes / 2 / WAITING_BYTES,
            forgotten: 0,
        }
    }

    /// Remembers a span and matches it with its parent and with the children waiting for it;
    /// calls `early(child, parent)` for every pair where the child starts before its parent.
    pub fn add(
        &mut self,
        span: &SpanRef<'_>,
        key: SpanKey,
        origin: &Origin,
        mut early: impl FnMut(&Remembered, &Remembered),
    ) {
        let me = Remembered {
            start: span.start_unix_nano,
            service: self.names.get(span.service),
            name: self.names.get(span.name),
        };
        let children = if self.waiting.is_empty() {
            None
        } else {
            self.waiting.remove(&key)
        };
        for w in children.into_iter().flatten() {
            self.waiting_spans = self.waiting_spans.saturating_sub(1);
            if w.child.start < me.start {
                early(&w.child, &me);
            }
        }
        let parent = span.parent_span_id.and_then(|p| p.bytes::<8>());
        if let Some(parent) = parent.filter(|p| *p != key.1) {
            let pkey = (key.0, parent);
            match self.spans.get(&pkey) {
                Some(p) => {
                    if me.start < p.start {
                        early(&me, p);
                    }
                }
                None if self.waiting_spans < self.max_waiting => {
                    self.waiting_spans += 1;
                    self.waiting.entry(pkey).or_default().push(Waiting {
                        child: me.clone(),
                        since: Instant::now(),
                        origin: *origin,
                    });
                }
                None => self.forgotten += 1,
            }
        }
        self.forgotten += self.spans.insert(key, me);
    }

    /// The children waiting longer than the grace period (all of them when `all`), no longer
    /// waited for, grouped by service, the smallest group first.
    pub fn orphans(&mut self, all: bool) -> Vec<Orphans> {
        let now = Instant::now();
        let expired: Vec<SpanKey> = self
            .waiting
            .iter()
            .filter(|(_, w)| {
                all || w
                    .iter()
                    .all(|w| now.duration_since(w.since) >= ORPHAN_GRACE)
            })
            .map(|(k, _)| *k)
            .collect();
        let mut by_service: HashMap<Rc<str>, Orphans> = HashMap::new();
        for key in expired {
            let children = self.waiting.remove(&key).unwrap_or_default();
            self.waiting_spans = self.waiting_spans.saturating_sub(children.len());
            for w in children {
                let entry = by_service
                    .entry(w.child.service.clone())
                    .or_insert_with(|| Orphans {
                        count: 0,
                        key,
                        example: w.clone(),
                    });
                entry.count += 1;
            }
        }
        let mut groups: Vec<Orphans> = by_service.into_values().collect();
        groups.sort_by_key(|g| g.count);
        groups
    }

    /// Spans forgotten (the oldest first) to keep the memory bounded.
    pub fn forgotten(&self) -> u64 {
        self.forgotten
    }
}
