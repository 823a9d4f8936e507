//! Zipkin v2 JSON: an array of spans, or an array of such arrays (the API's list of traces).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{Raw, Sink, micros};

/// A Zipkin span, or an array of them (the API's list of traces).
pub(super) struct Zipkin<'a>(pub(super) &'a mut Sink);

impl<'de> DeserializeSeed<'de> for Zipkin<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Zipkin<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Zipkin v2 span")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Zipkin(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let s = ZipkinSpan::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let endpoint = s.local_endpoint.unwrap_or_default();
        let start = micros(s.timestamp.unwrap_or(0));
        let raw = Raw {
            trace_id: &s.trace_id,
            span_id: &s.id,
            parent: s.parent_id.as_deref(),
            name: s.name.as_deref().unwrap_or(""),
            start,
            end: start.saturating_add(micros(s.duration.unwrap_or(0))),
        };
        let host = endpoint.ipv4.or(endpoint.ipv6).unwrap_or_default();
        self.0
            .push(&raw, endpoint.service_name.as_deref().unwrap_or(""), &host);
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ZipkinSpan {
    trace_id: String,
    id: String,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    timestamp: Option<i64>,
    #[serde(default)]
    duration: Option<i64>,
    #[serde(default)]
    local_endpoint: Option<ZipkinEndpoint>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ZipkinEndpoint {
    #[serde(default)]
    service_name: Option<String>,
    #[serde(default)]
    ipv4: Option<String>,
    #[serde(default)]
    ipv6: Option<String>,
}
