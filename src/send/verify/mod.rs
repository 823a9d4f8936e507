//! Reading a trace back from a Jaeger query service: what the read-back found (this file), the
//! polling of `GET /api/v3/traces/{id}` (OTLP JSON), else `GET /api/traces/{id}` (the UI's JSON)
//! ([`query`]), and what one reply says (`reply.rs`, read by [`crate::trace::read`]).

mod query;
mod reply;

use serde::Serialize;

pub use query::{header_map, query_url, read_back, verify};
use reply::Lookup;

/// The end of the error when the query service refuses without credentials.
const DENIED: &str = "the query service wants credentials";
/// The end of the error when nothing accepts a connection at the query URL.
const NOT_ACCEPTING: &str = "the query service does not accept connections";

/// What the read-back found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// Every span id sent is in the stored trace.
    Complete,
    /// The trace is stored but some span ids sent are not in it.
    Incomplete,
    /// The query service does not have the trace.
    NotFound,
    /// No usable answer from the query service.
    Unreachable,
}

/// One span of the sent trace that the query service returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arrived {
    pub span_id: String,
    /// The service name the backend stored for it.
    pub service: String,
}

/// The read-back, for the receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub found: Found,
    /// The query service's base URL.
    pub query_url: String,
    /// The path that answered: `/api/v3/traces` or `/api/traces`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<&'static str>,
    pub attempts: u32,
    pub waited_ms: f64,
    pub arrived: Vec<Arrived>,
    pub missing: Vec<String>,
    /// `--verify-header` names with redacted values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// Why the query service gave no usable answer (last attempt).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Verification {
    pub fn is_complete(&self) -> bool {
        self.found == Found::Complete
    }

    /// The distinct service names stored, in order of first appearance.
    pub fn services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for a in &self.arrived {
            if !out.contains(&a.service.as_str()) {
                out.push(&a.service);
            }
        }
        out
    }

    /// What to look at when the trace did not come back whole; `query_flag` and `timeout_flag`
    /// are the command's flags for the query URL and the time allowed.
    pub fn fix(&self, query_flag: &str, timeout_flag: &str) -> Option<String> {
        match self.found {
            Found::Complete => None,
            Found::Incomplete | Found::NotFound => Some(format!(
                "the receiver took the spans but the backend did not store them in time: check the \
                 collector's trace pipeline and exporter (its log), its sampling, that {query_flag} \
                 names the query service of the backend it exports to, and raise {timeout_flag} for \
                 slow batching"
            )),
            Found::Unreachable if self.error.as_deref().is_some_and(|e| e.contains(DENIED)) => {
                Some(
                    "send the query service's credentials: send-test-span --verify-header \
                     authorization=... (the values are redacted in the receipt)"
                        .into(),
                )
            }
            Found::Unreachable => Some(format!(
                "point {query_flag} at the Jaeger query service (the UI port, 16686 by default), \
                 e.g. {query_flag} http://jaeger:16686"
            )),
        }
    }

    /// One line for people: what arrived, under which service, after how long.
    pub fn summary(&self) -> String {
        let sent = self.arrived.len() + self.missing.len();
        let services = self.services().join(", ");
        match self.found {
            Found::Complete => format!(
                "all {sent} span(s) stored under service {services:?}, found after {:.1} s ({} attempt(s))",
                self.waited_ms / 1e3,
                self.attempts
            ),
            Found::Incomplete => format!(
                "{} of {sent} span(s) stored (service {services:?}); missing {} after {:.1} s",
                self.arrived.len(),
                self.missing.join(" "),
                self.waited_ms / 1e3
            ),
            Found::NotFound => format!(
                "the trace was not found at {} after {:.1} s ({} attempt(s))",
                self.query_url,
                self.waited_ms / 1e3,
                self.attempts
            ),
            Found::Unreachable => format!(
                "the query service at {} gave no usable answer: {}",
                self.query_url,
                self.error.as_deref().unwrap_or("no reply")
            ),
        }
    }
}

impl Verification {
    /// Whether polling cannot help: the query service refuses connections or wants credentials.
    /// Polling waits for spans to be stored, not for the query service to come up.
    fn gave_up(&self) -> bool {
        self.found == Found::Unreachable
            && self
                .error
                .as_deref()
                .is_some_and(|e| e.contains(NOT_ACCEPTING) || e.contains(DENIED))
    }

    /// Takes one lookup's answer: what arrived, or why nothing usable came back. An incomplete
    /// trace stays incomplete when a later lookup fails.
    fn record(&mut self, answer: Result<Lookup, String>, span_ids: &[String]) {
        match answer {
            Ok(Lookup::Trace(stored)) if !stored.is_empty() => {
                self.error = None;
                let service = |id: &String| stored.get(id).cloned();
                self.arrived = span_ids
                    .iter()
                    .filter_map(|id| {
                        service(id).map(|service| Arrived {
                            span_id: id.clone(),
                            service,
                        })
                    })
                    .collect();
                self.missing = span_ids
                    .iter()
                    .filter(|id| service(id).is_none())
                    .cloned()
                    .collect();
                self.found = if self.missing.is_empty() {
                    Found::Complete
                } else {
                    Found::Incomplete
                };
            }
            Ok(Lookup::Trace(_) | Lookup::NotFound) => {
                self.error = None;
                if self.found != Found::Incomplete {
                    self.found = Found::NotFound;
                }
            }
            Ok(Lookup::Unsupported(e)) | Err(e) => {
                self.error = Some(e);
                if self.found != Found::Incomplete {
                    self.found = Found::Unreachable;
                }
            }
        }
    }
}
