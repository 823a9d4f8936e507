//! What `listen` diagnoses in the traffic it receives: the catalogue of diagnoses (stable `LSN`
//! ids, names and explanations, the source of `tracectl explain LSN001` and docs/listen/), and
//! the [`Diagnoser`] that turns observations and spans into findings, once per sender and cause.
//! Findings about what was seen on the wire are built in `observation`, those about spans in
//! `spans`; the parent/child checks track spans in `lineage`, within the bounded `memory`.

mod catalog;
mod id_hash;
mod lineage;
mod memory;
mod observation;
mod spans;

pub use catalog::{DIAGNOSES, Diagnosis};

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use super::{Counts, Listener, Origin};
use crate::report::{Draft, Finding};
use catalog::{CONNECTION_LIMIT, DROPPED, MEMORY_LIMIT};
use lineage::Lineage;

/// The most distinct causes remembered as reported; findings with new causes beyond it are
/// counted, not reported (senders choose paths, content types and service names freely).
pub const MAX_REPORTED: usize = 10_000;

/// The causes already reported, as hashes of (diagnosis id, key), so each is reported once.
#[derive(Debug, Default)]
struct Reported {
    seen: HashSet<u64>,
    hasher: RandomState,
    unreported: u64,
}

impl Reported {
    /// The finding, unless this diagnosis was already reported with this key, or the set is
    /// full (then counted).
    fn once(&mut self, d: &'static Diagnosis, key: String, draft: Draft) -> Option<Finding> {
        let key_is_empty = key.is_empty();
        let hash = self.hasher.hash_one((d.id, key));
        if self.seen.contains(&hash) {
            return None;
        }
        // listen's own findings (no key) are always reported.
        if self.seen.len() >= MAX_REPORTED && !key_is_empty {
            self.unreported += 1;
            return None;
        }
        self.seen.insert(hash);
        Some(Finding::of(d.rule(), draft))
    }
}

/// Turns observations and spans into findings, each (diagnosis, sender, cause) once.
#[derive(Debug)]
pub struct Diagnoser {
    reported: Reported,
    skew_threshold: Duration,
    lineage: Lineage,
    /// The port each listener really bound, for fixes.
    ports: BTreeMap<Listener, u16>,
}

impl Diagnoser {
    pub fn new(skew_threshold: Duration) -> Diagnoser {
        Diagnoser {
            reported: Reported::default(),
            skew_threshold,
            lineage: Lineage::default(),
            ports: BTreeMap::new(),
        }
    }

    /// Fixes name these ports (the ones listen bound) rather than the well-known ones.
    pub fn with_ports(mut self, ports: BTreeMap<Listener, u16>) -> Diagnoser {
        self.ports = ports;
        self
    }

    /// Bounds the parent/child checks' memory to about `bytes`.
    pub fn with_memory(mut self, bytes: usize) -> Diagnoser {
        self.lineage = Lineage::with_memory(bytes);
        self
    }

    /// The port `listener` is on: the one bound, else its well-known one.
    fn port(&self, listener: Listener) -> u16 {
        self.ports
            .get(&listener)
            .copied()
            .unwrap_or(listener.default_port())
    }

    /// Spans the parent/child checks forgot (the oldest first) to keep their memory bounded.
    pub fn forgotten(&self) -> u64 {
        self.lineage.forgotten()
    }

    /// Findings not reported because [`MAX_REPORTED`] causes were already.
    pub fn unreported(&self) -> u64 {
        self.reported.unreported
    }

    /// Findings the first time listen itself dropped spans or refused connections.
    pub fn dropped(&mut self, counts: &Counts) -> Vec<Finding> {
        let mut out = Vec::new();
        if counts.refused_connections > 0 {
            let draft = Draft::new(
                "tracectl listen",
                format!("{} connection(s) were closed as soon as they were accepted: a listener already held --max-connections connections open.", counts.refused_connections),
                "reuse one connection per sender, or raise the limit: tracectl listen --max-connections 1024",
            )
            .evidence("refused_connections", counts.refused_connections);
            out.extend(self.reported.once(&CONNECTION_LIMIT, String::new(), draft));
        }
        if counts.refused_memory > 0 {
            let draft = Draft::new(
                "tracectl listen",
                format!("{} request(s) were refused (answered 503, or 413 when one alone is larger) because their bytes did not fit listen's memory budget; their spans are counted in dropped_spans when known.", counts.refused_memory),
                "send smaller batches or fewer at once, or raise the budget: tracectl listen --max-memory 1GiB",
            )
            .evidence("refused_memory", counts.refused_memory);
            out.extend(self.reported.once(&MEMORY_LIMIT, String::new(), draft));
        }
        if counts.dropped_spans == 0 {
            return out;
        }
        let draft = Draft::new(
            "tracectl listen",
            format!("listen's queue was full and it dropped {} span(s) (and counts every one): spans arrived faster than they could be shown.", counts.dropped_spans),
            "write JSON to a file (--format json > spans.jsonl) or send less traffic",
        )
        .evidence("dropped_spans", counts.dropped_spans);
        out.extend(self.reported.once(&DROPPED, String::new(), draft));
        out
    }
}

/// Who a finding is about: the service and its host, else the sender's address.
fn sender(origin: &Origin, service: Option<&str>) -> String {
    match service {
        Some(s) => format!("service {s:?} at {}", origin.peer.ip()),
        None if origin.listener.udp() => origin.peer.to_string(),
        None => origin.peer.ip().to_string(),
    }
}

/// The listener and port something arrived on, for messages.
fn port_of(origin: &Origin) -> String {
    format!("{} :{}", origin.listener, origin.port)
}

#[cfg(test)]
mod tests;
