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

pub use catalog::{DIAGNOSES, Diagnosis, find};

use std::collections::HashSet;
use std::time::Duration;

use super::{Counts, Origin};
use crate::report::{Draft, Finding};
use catalog::{CONNECTION_LIMIT, DROPPED};
use lineage::Lineage;

/// The causes already reported, as (diagnosis id, key), so each is reported once.
#[derive(Debug, Default)]
struct Reported(HashSet<(&'static str, String)>);

impl Reported {
    /// The finding, unless this diagnosis was already reported with this key.
    fn once(&mut self, d: &'static Diagnosis, key: String, draft: Draft) -> Option<Finding> {
        self.0.insert((d.id, key)).then(|| d.finding(draft))
    }
}

/// Turns observations and spans into findings, each (diagnosis, sender, cause) once.
#[derive(Debug)]
pub struct Diagnoser {
    reported: Reported,
    skew_threshold: Duration,
    lineage: Lineage,
}

impl Diagnoser {
    pub fn new(skew_threshold: Duration) -> Diagnoser {
        Diagnoser {
            reported: Reported::default(),
            skew_threshold,
            lineage: Lineage::default(),
        }
    }

    /// Spans the parent/child checks forgot (the oldest first) to keep their memory bounded.
    pub fn forgotten(&self) -> u64 {
        self.lineage.forgotten()
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
