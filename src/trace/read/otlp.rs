//! OTLP JSON: `resourceSpans` (also in snake case), whose spans wait for their resource, which may
//! come after them.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Element, Raw, Sink, nanos};
use crate::trace::model::Span;
use crate::trace::span_line::u64_or_string;

/// One `resourceSpans` element: its spans wait until the resource (which may come last) is known.
#[derive(Clone, Copy)]
pub(super) struct ResourceSpans;

impl Element for ResourceSpans {
    fn element<'de, D: de::Deserializer<'de>>(self, sink: &mut Sink, d: D) -> Result<(), D::Error> {
        d.deserialize_map(ResourceVisitor(sink))
    }
}

struct ResourceVisitor<'a>(&'a mut Sink);

impl<'de> Visitor<'de> for ResourceVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP ResourceSpans object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut resource = OtlpResource::default();
        let mut pending = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "resource" => {
                    resource = map
                        .next_value::<Option<OtlpResource>>()?
                        .unwrap_or_default()
                }
                "scopeSpans" | "scope_spans" | "instrumentationLibrarySpans" => {
                    map.next_value_seed(ScopeSpans(&mut *self.0, &mut pending))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let service = self.0.strings.intern(&resource.string("service.name"));
        let host = ["host.id", "host.ip", "host.name"]
            .iter()
            .map(|k| resource.string(k))
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        let host = self.0.strings.intern(&host);
        self.0.spans.extend(pending.into_iter().map(|mut s: Span| {
            s.service = service;
            s.host = host;
            s
        }));
        Ok(())
    }
}

struct ScopeSpans<'a>(&'a mut Sink, &'a mut Vec<Span>);

impl<'de> DeserializeSeed<'de> for ScopeSpans<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScopeSpans<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of OTLP ScopeSpans")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Scope(&mut *self.0, &mut *self.1))?
            .is_some()
        {}
        Ok(())
    }
}

struct Scope<'a>(&'a mut Sink, &'a mut Vec<Span>);

impl<'de> DeserializeSeed<'de> for Scope<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Scope<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP ScopeSpans object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "spans" {
                let spans: Option<Vec<OtlpSpan>> = map.next_value()?;
                for s in spans.unwrap_or_default() {
                    let raw = Raw {
                        trace_id: &s.trace_id,
                        span_id: &s.span_id,
                        parent: s.parent_span_id.as_deref(),
                        name: &s.name,
                        start: nanos(s.start_time_unix_nano),
                        end: nanos(s.end_time_unix_nano),
                    };
                    if let Some(span) = self.0.span(&raw) {
                        self.1.push(span);
                    }
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OtlpSpan {
    #[serde(alias = "trace_id")]
    trace_id: String,
    #[serde(alias = "span_id")]
    span_id: String,
    #[serde(alias = "parent_span_id", default)]
    parent_span_id: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(
        alias = "start_time_unix_nano",
        default,
        deserialize_with = "u64_or_string"
    )]
    start_time_unix_nano: u64,
    #[serde(
        alias = "end_time_unix_nano",
        default,
        deserialize_with = "u64_or_string"
    )]
    end_time_unix_nano: u64,
}

#[derive(Deserialize, Default)]
struct OtlpResource {
    #[serde(default)]
    attributes: Vec<OtlpKeyValue>,
}

#[derive(Deserialize)]
struct OtlpKeyValue {
    key: String,
    #[serde(default)]
    value: Value,
}

impl OtlpResource {
    /// A string attribute (the first element of an array value), or `""`.
    fn string(&self, key: &str) -> String {
        let Some(kv) = self.attributes.iter().find(|kv| kv.key == key) else {
            return String::new();
        };
        let value = &kv.value;
        let first = value.pointer("/arrayValue/values/0/stringValue");
        value
            .get("stringValue")
            .or(first)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::trace::{Format, Parent, read};

    #[test]
    fn a_jaeger_api_v3_reply_reads_through_its_result_wrapper() {
        let reply = br#"{"result":{"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"checkout"}},
            {"key":"host.name","value":{"stringValue":"node-1"}}]},
            "scopeSpans":[{"scope":{"name":"x"},"spans":[
              {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7",
               "name":"root","startTimeUnixNano":"2000","endTimeUnixNano":"3000"},
              {"traceId":"S/kvNXezTaajzpKdDg5HNg==","spanId":"AAECAwQFBgc=",
               "parentSpanId":"APBnqgupArc=","name":"child",
               "startTimeUnixNano":2100,"endTimeUnixNano":2900}]}]}]}}"#;
        let set = read(&reply[..]).unwrap();
        assert_eq!(set.formats, [Format::OtlpJson]);
        assert_eq!(set.traces().count(), 1);
        let [root, child] = set.spans.as_slice() else {
            panic!("two spans expected: {:?}", set.spans);
        };
        assert_eq!(root.trace_id, 0x4bf92f3577b34da6a3ce929d0e0e4736);
        assert_eq!(root.parent, Parent::None);
        assert_eq!((root.start, root.end), (2000, 3000));
        assert_eq!(child.span_id, 0x0001020304050607);
        assert_eq!(child.parent, Parent::Id(0x00f067aa0ba902b7));
        for span in [root, child] {
            assert_eq!(set.service(span), "checkout");
            assert_eq!(set.str(span.host), "node-1");
        }
    }
}
