//! The Zipkin v2 span model (zipkin2 `Span`, as `POST /api/v2/spans` takes it in JSON), both ways,
//! and a neutral [`Trace`] mapped onto it the way OpenTelemetry's Zipkin exporter does: the kind
//! upper-case (none for internal), times in microseconds, tags as strings, events as annotations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::protocol::trace::{SpanKind, Status, Trace};

/// Where a collector takes v2 JSON spans.
pub const SPANS_PATH: &str = super::wire::ZIPKIN_PATH;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    Client,
    Server,
    Producer,
    Consumer,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Microseconds since the epoch.
    pub timestamp: u64,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    /// 16 or 32 lowercase hex digits.
    pub trace_id: String,
    /// 16 lowercase hex digits.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// Start, in microseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<u64>,
    /// Microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_endpoint: Option<Endpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_endpoint: Option<Endpoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

impl Span {
    /// What the v2 model requires beyond its JSON shape: hex ids of the right lengths, not all
    /// zero, and a non-negative duration when a timestamp is given.
    pub fn validate(&self) -> Result<(), String> {
        let hex_id = |what: &str, id: &str, lens: &[usize]| {
            let ok = lens.contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                && id.bytes().any(|b| b != b'0');
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "{what} {id:?} is not {} lowercase hex digits (and not all zero)",
                    lens.iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ))
            }
        };
        hex_id("traceId", &self.trace_id, &[16, 32])?;
        hex_id("id", &self.id, &[16])?;
        if let Some(parent) = &self.parent_id {
            hex_id("parentId", parent, &[16])?;
        }
        Ok(())
    }
}

pub fn encode(spans: &[Span]) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(spans)
}

pub fn decode(bytes: &[u8]) -> serde_json::Result<Vec<Span>> {
    serde_json::from_slice(bytes)
}

fn micros(nanos: u64) -> u64 {
    nanos / 1000
}

pub fn spans_from_trace(trace: &Trace) -> Vec<Span> {
    let local = Endpoint {
        service_name: Some(trace.service.clone()),
        ..Default::default()
    };
    trace
        .spans
        .iter()
        .map(|s| {
            let mut tags: BTreeMap<String, String> = trace
                .resource
                .iter()
                .chain(&s.attributes)
                .map(|a| (a.key.clone(), a.value.to_string()))
                .collect();
            match s.status {
                Status::Unset => {}
                Status::Ok => {
                    tags.insert("otel.status_code".into(), "OK".into());
                }
                Status::Error => {
                    tags.insert("otel.status_code".into(), "ERROR".into());
                    tags.insert("error".into(), String::new());
                }
            }
            Span {
                trace_id: hex::encode(s.trace_id),
                id: hex::encode(s.span_id),
                parent_id: s.parent_span_id.map(hex::encode),
                name: Some(s.name.clone()),
                kind: match s.kind {
                    SpanKind::Internal => None,
                    SpanKind::Server => Some(Kind::Server),
                    SpanKind::Client => Some(Kind::Client),
                    SpanKind::Producer => Some(Kind::Producer),
                    SpanKind::Consumer => Some(Kind::Consumer),
                },
                timestamp: Some(micros(s.start_unix_nano)),
                duration: Some(micros(s.end_unix_nano.saturating_sub(s.start_unix_nano)).max(1)),
                debug: None,
                shared: None,
                local_endpoint: Some(local.clone()),
                remote_endpoint: None,
                annotations: s
                    .events
                    .iter()
                    .map(|e| Annotation {
                        timestamp: micros(e.time_unix_nano),
                        value: e.name.clone(),
                    })
                    .collect(),
                tags,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::protocol::trace::{Attr, AttrValue, Shape};

    fn spans() -> Vec<Span> {
        spans_from_trace(&Trace::synthetic(
            &Shape {
                service: "web".into(),
                name: "op".into(),
                kind: SpanKind::Server,
                attributes: vec![Attr::new("n", AttrValue::Int(3))],
                resource: vec![],
                events: vec!["ev".into()],
                status: Status::Error,
                spans: 2,
                parent: None,
            },
            SystemTime::now(),
        ))
    }

    #[test]
    fn spans_round_trip_and_validate() {
        let s = spans();
        assert_eq!(decode(&encode(&s).unwrap()).unwrap(), s);
        for span in &s {
            span.validate().unwrap();
        }
    }

    #[test]
    fn json_is_the_v2_model() {
        let s = spans();
        let json: serde_json::Value = serde_json::from_slice(&encode(&s).unwrap()).unwrap();
        assert_eq!(json[0]["kind"], "SERVER");
        assert_eq!(json[0]["localEndpoint"]["serviceName"], "web");
        assert_eq!(json[0]["tags"]["n"], "3");
        assert_eq!(json[0]["tags"]["error"], "");
        assert_eq!(json[0]["annotations"][0]["value"], "ev");
        assert!(json[0].get("parentId").is_none());
        assert_eq!(json[1]["parentId"], json[0]["id"]);
        assert!(json[1].get("kind").is_none(), "internal spans have no kind");
        assert_eq!(json[0]["traceId"].as_str().unwrap().len(), 32);
    }

    #[test]
    fn bad_ids_are_named() {
        let mut s = spans().remove(0);
        s.id = "XYZ".into();
        assert!(s.validate().unwrap_err().contains("id \"XYZ\""));
        assert!(decode(b"[{\"id\":1}]").is_err());
    }
}
