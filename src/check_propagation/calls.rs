//! What one downstream request carried: its trace context read by the propagation crate (one
//! parser per format), the formats present, tracestate and baggage, and its headers for the
//! report with secrets redacted.

use serde::Serialize;
use tracectl_propagation::input::Header;
use tracectl_propagation::{Kind, Options, convert, decode};

use super::downstream::Record;
use super::inject::Format;
use crate::settings::secret::redact;

/// The context a downstream call continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub trace_id: u128,
    pub parent_id: u64,
    pub sampled: Option<bool>,
    /// The format it was read from, named as in `OTEL_PROPAGATORS`.
    pub format: &'static str,
}

/// One downstream call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub seen: Option<Seen>,
    /// Every propagation format with a valid header, in `OTEL_PROPAGATORS` names.
    pub formats: Vec<&'static str>,
    pub tracestate: Option<String>,
    pub baggage: Option<String>,
    /// The headers as received, secrets redacted.
    pub headers: Vec<(String, String)>,
    pub method: String,
    pub path: String,
}

/// Header names whose values are credentials.
fn is_secret(name: &str) -> bool {
    matches!(
        name,
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || [
        "token", "secret", "password", "api-key", "apikey", "auth", "session",
    ]
    .iter()
    .any(|part| name.contains(part))
}

/// A header value fit to show: redacted when secret, cut at 256 characters otherwise.
pub fn shown(name: &str, value: &str) -> String {
    if is_secret(name) {
        return redact(value);
    }
    if value.chars().count() > 256 {
        let cut: String = value.chars().take(256).collect();
        return format!("{cut}…({} bytes)", value.len());
    }
    value.to_owned()
}

impl Call {
    pub fn read(record: &Record) -> Call {
        let opts = Options::default();
        let headers: Vec<Header<'_>> = record
            .headers
            .iter()
            .filter_map(|(name, value)| {
                let kind = Kind::from_name(name)?;
                Some(Header {
                    name: Some(name.as_str()),
                    value: value.as_str().into(),
                    decoded: decode(Some(kind), Some(name), value, &opts),
                })
            })
            .collect();
        let seen = convert::context(&headers).ok().map(|c| Seen {
            trace_id: c.trace_id,
            parent_id: c.span_id,
            sampled: c.sampled,
            format: Format::name_of(c.source),
        });
        let mut formats: Vec<&'static str> = Vec::new();
        for h in &headers {
            let name = Format::name_of(h.decoded.kind);
            let carries = h.decoded.trace_id.is_some() || h.decoded.kind == Kind::Baggage;
            if h.decoded.is_valid() && carries && !formats.contains(&name) {
                formats.push(name);
            }
        }
        let value = |wanted: &str| {
            let all: Vec<&str> = record
                .headers
                .iter()
                .filter(|(n, _)| n == wanted)
                .map(|(_, v)| v.as_str())
                .collect();
            (!all.is_empty()).then(|| all.join(","))
        };
        Call {
            seen,
            formats,
            tracestate: value("tracestate"),
            baggage: value("baggage"),
            headers: record
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), shown(n, v)))
                .collect(),
            method: record.method.clone(),
            path: record.path.clone(),
        }
    }

    /// The headers as a JSON object (repeated names joined with ", ").
    pub fn headers_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for (n, v) in &self.headers {
            match map.get_mut(n) {
                Some(serde_json::Value::String(s)) => {
                    s.push_str(", ");
                    s.push_str(v);
                }
                _ => {
                    map.insert(n.clone(), v.clone().into());
                }
            }
        }
        map.into()
    }
}

/// A downstream call in the JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct CallJson {
    pub method: String,
    pub path: String,
    pub headers: serde_json::Value,
    pub trace_id: Option<String>,
    pub parent_id: Option<String>,
    pub sampled: Option<bool>,
    pub format: Option<&'static str>,
    pub formats: Vec<&'static str>,
}

impl From<&Call> for CallJson {
    fn from(c: &Call) -> CallJson {
        CallJson {
            method: c.method.clone(),
            path: c.path.clone(),
            headers: c.headers_json(),
            trace_id: c.seen.map(|s| format!("{:032x}", s.trace_id)),
            parent_id: c.seen.map(|s| format!("{:016x}", s.parent_id)),
            sampled: c.seen.and_then(|s| s.sampled),
            format: c.seen.map(|s| s.format),
            formats: c.formats.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn record(headers: &[(&str, &str)]) -> Record {
        Record {
            at: Instant::now(),
            method: "GET".into(),
            path: "/".into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            truncated: false,
        }
    }

    #[test]
    fn a_call_reads_its_context_and_formats_and_redacts_secrets() {
        let call = Call::read(&record(&[
            ("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124"),
            ("x-b3-spanid", "a2fb4a1d1a96d312"),
            ("x-b3-sampled", "1"),
            ("baggage", "k=v"),
            ("authorization", "Bearer abcdefghijklmnop"),
        ]));
        let seen = call.seen.unwrap();
        assert_eq!(seen.format, "b3multi");
        assert_eq!(seen.parent_id, 0xa2fb_4a1d_1a96_d312);
        assert_eq!(call.formats, ["b3multi", "baggage"]);
        assert!(!call.headers[4].1.contains("ijklmnop"));
        assert_eq!(Call::read(&record(&[("host", "x")])).seen, None);
    }
}
