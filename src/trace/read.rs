//! Reads a trace export in one streaming pass, whatever its format, into a [`TraceSet`].
//!
//! The input is a sequence of JSON values (one document, or one span line per line). Top-level
//! arrays are Zipkin v2; objects with `data` are Jaeger; objects with `resourceSpans` (or
//! `result.resourceSpans`) are OTLP; any other object is a span line. serde visitors turn each
//! span into a compact [`Span`] as soon as it is read: the document is never held as a whole.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::model::{Format, Span, Strings, TraceSet, parse_parent, parse_span_id, parse_trace_id};
use super::span_line::{SpanLine, host_key, u64_or_string};

/// The input is not JSON, or not a trace export tracectl knows.
#[derive(Debug, thiserror::Error)]
#[error("{0}; accepted: Jaeger JSON, OTLP JSON, Zipkin v2 JSON or span lines (docs/analyze.md)")]
pub struct ReadError(String);

/// Reads every span of `input`.
pub fn read(input: impl Read) -> Result<TraceSet, ReadError> {
    let mut sink = Sink::default();
    let mut de = serde_json::Deserializer::from_reader(input);
    loop {
        if de.end().is_ok() {
            break;
        }
        Top(&mut sink)
            .deserialize(&mut de)
            .map_err(|e| ReadError(e.to_string()))?;
    }
    if sink.formats.is_empty() {
        return Err(ReadError("the input holds no JSON value".into()));
    }
    Ok(TraceSet::new(
        sink.spans,
        sink.strings,
        sink.formats,
        sink.malformed,
    ))
}

#[derive(Default)]
struct Sink {
    spans: Vec<Span>,
    strings: Strings,
    formats: Vec<Format>,
    malformed: u64,
}

/// Identity and timing of a span, before its service and host are known.
struct Raw<'a> {
    trace_id: &'a str,
    span_id: &'a str,
    parent: Option<&'a str>,
    name: &'a str,
    start: i64,
    end: i64,
}

impl Sink {
    fn saw(&mut self, format: Format) {
        if !self.formats.contains(&format) {
            self.formats.push(format);
        }
    }

    /// A span with service and host still unset, or `None` (counted) when an id is unusable.
    fn span(&mut self, raw: &Raw) -> Option<Span> {
        let ids = (
            parse_trace_id(raw.trace_id),
            parse_span_id(raw.span_id),
            parse_parent(raw.parent),
        );
        let (Some(trace_id), Some(span_id), Some(parent)) = ids else {
            self.malformed += 1;
            return None;
        };
        Some(Span {
            trace_id,
            span_id,
            parent,
            service: 0,
            name: self.strings.intern(raw.name),
            host: 0,
            start: raw.start,
            end: raw.end,
        })
    }

    fn push(&mut self, raw: &Raw, service: &str, host: &str) {
        if let Some(mut span) = self.span(raw) {
            span.service = self.strings.intern(service);
            span.host = self.strings.intern(host);
            self.spans.push(span);
        }
    }

    fn span_line(&mut self, line: &SpanLine) {
        self.saw(Format::SpanLines);
        let service = if line.service.is_empty() {
            line.resource
                .get("service.name")
                .and_then(Value::as_str)
                .unwrap_or("")
        } else {
            &line.service
        };
        let raw = Raw {
            trace_id: &line.trace_id,
            span_id: &line.span_id,
            parent: line.parent_span_id.as_deref(),
            name: &line.name,
            start: nanos(line.start_unix_nano),
            end: nanos(line.end_unix_nano),
        };
        self.push(&raw, service, &host_key(&line.resource));
    }
}

fn nanos(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn micros(n: i64) -> i64 {
    n.saturating_mul(1000)
}

/// One top-level JSON value.
struct Top<'a>(&'a mut Sink);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a trace export (a JSON object or array)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.saw(Format::ZipkinJson);
        while seq.next_element_seed(Zipkin(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut document = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "data" => {
                    self.0.saw(Format::JaegerJson);
                    map.next_value_seed(JaegerTraces(&mut *self.0))?;
                    document = true;
                }
                "resourceSpans" | "resource_spans" => {
                    self.0.saw(Format::OtlpJson);
                    map.next_value_seed(Each(&mut *self.0, ResourceSpans))?;
                    document = true;
                }
                "result" => {
                    map.next_value_seed(Top(&mut *self.0))?;
                    document = true;
                }
                _ => {
                    let value: Value = map.next_value()?;
                    rest.insert(key, value);
                }
            }
        }
        if !document {
            let line = SpanLine::deserialize(Value::Object(rest)).map_err(|e| {
                de::Error::custom(format!("not a span line ({e}) nor a known trace document"))
            })?;
            self.0.span_line(&line);
        }
        Ok(())
    }
}

/// Something that handles one element of an array with access to the sink.
trait Element: Copy {
    fn element<'de, D: de::Deserializer<'de>>(self, sink: &mut Sink, d: D) -> Result<(), D::Error>;
}

/// Every element of an array (or nothing for `null`), handled by `E`.
struct Each<'a, E>(&'a mut Sink, E);

impl<'de, E: Element> DeserializeSeed<'de> for Each<'_, E> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Element> Visitor<'de> for Each<'_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_unit<Er: de::Error>(self) -> Result<(), Er> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(One(&mut *self.0, self.1))?.is_some() {}
        Ok(())
    }
}

struct One<'a, E>(&'a mut Sink, E);

impl<'de, E: Element> DeserializeSeed<'de> for One<'_, E> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.1.element(self.0, d)
    }
}

// ---- Zipkin v2 ------------------------------------------------------------------------------

/// A Zipkin span, or an array of them (the API's list of traces).
struct Zipkin<'a>(&'a mut Sink);

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

// ---- Jaeger UI / API JSON -------------------------------------------------------------------

struct JaegerTraces<'a>(&'a mut Sink);

impl<'de> DeserializeSeed<'de> for JaegerTraces<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        Each(self.0, JaegerTrace).deserialize(d)
    }
}

#[derive(Clone, Copy)]
struct JaegerTrace;

impl Element for JaegerTrace {
    fn element<'de, D: de::Deserializer<'de>>(self, sink: &mut Sink, d: D) -> Result<(), D::Error> {
        let trace = JaegerTraceDoc::deserialize(d)?;
        for s in &trace.spans {
            let process = s
                .process
                .as_ref()
                .or_else(|| s.process_id.as_ref().and_then(|id| trace.processes.get(id)));
            let (service, host) =
                process.map_or(("", String::new()), |p| (p.service_name.as_str(), p.host()));
            let parent = s
                .references
                .iter()
                .filter(|r| r.trace_id.as_deref().is_none_or(|t| t == s.trace_id))
                .min_by_key(|r| r.ref_type != "CHILD_OF")
                .map(|r| r.span_id.as_str())
                .or(s.parent_span_id.as_deref());
            let start = micros(s.start_time);
            let raw = Raw {
                trace_id: &s.trace_id,
                span_id: &s.span_id,
                parent,
                name: &s.operation_name,
                start,
                end: start.saturating_add(micros(s.duration)),
            };
            sink.push(&raw, service, &host);
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct JaegerTraceDoc {
    #[serde(default)]
    spans: Vec<JaegerSpan>,
    #[serde(default)]
    processes: HashMap<String, JaegerProcess>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JaegerSpan {
    #[serde(rename = "traceID")]
    trace_id: String,
    #[serde(rename = "spanID")]
    span_id: String,
    #[serde(rename = "parentSpanID", default)]
    parent_span_id: Option<String>,
    #[serde(default)]
    operation_name: String,
    #[serde(default)]
    references: Vec<JaegerRef>,
    #[serde(default)]
    start_time: i64,
    #[serde(default)]
    duration: i64,
    #[serde(rename = "processID", default)]
    process_id: Option<String>,
    #[serde(default)]
    process: Option<JaegerProcess>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JaegerRef {
    #[serde(default)]
    ref_type: String,
    #[serde(rename = "traceID", default)]
    trace_id: Option<String>,
    #[serde(rename = "spanID")]
    span_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JaegerProcess {
    #[serde(default)]
    service_name: String,
    #[serde(default)]
    tags: Vec<JaegerTag>,
}

#[derive(Deserialize)]
struct JaegerTag {
    key: String,
    #[serde(default)]
    value: Value,
}

impl JaegerProcess {
    /// Jaeger's host key from the process tags (v1 clients write `ip` and `hostname`).
    fn host(&self) -> String {
        let tag = |keys: &[&str]| {
            self.tags
                .iter()
                .find(|t| keys.contains(&t.key.as_str()))
                .and_then(|t| t.value.as_str())
                .filter(|v| !v.is_empty())
        };
        tag(&["host.id"])
            .or_else(|| tag(&["host.ip", "ip"]))
            .or_else(|| tag(&["host.name", "hostname"]))
            .unwrap_or("")
            .to_string()
    }
}

// ---- OTLP JSON ------------------------------------------------------------------------------

/// One `resourceSpans` element: its spans wait until the resource (which may come last) is known.
#[derive(Clone, Copy)]
struct ResourceSpans;

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
