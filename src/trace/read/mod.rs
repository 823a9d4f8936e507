//! Reads a trace export in one streaming pass, whatever its format, into a [`TraceSet`].
//!
//! The input is a sequence of JSON values (one document, or one span line per line). Top-level
//! arrays are Zipkin v2; objects with `data` are Jaeger; objects with `resourceSpans` (or
//! `result.resourceSpans`) are OTLP; any other object is a span line. serde visitors turn each
//! span into a compact [`Span`] as soon as it is read: the document is never held as a whole.
//! This file holds the entry point and what the formats share; each format has its own file.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::model::{Format, Span, Strings, TraceSet, parse_parent, parse_span_id, parse_trace_id};
use super::span_line::{SpanLine, host_key};

mod jaeger;
mod otlp;
mod zipkin;

use jaeger::JaegerTraces;
use otlp::ResourceSpans;
use zipkin::Zipkin;

/// The input is not JSON, or not a trace export tracectl knows; or it could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(
        "{0}; accepted: Jaeger JSON, OTLP JSON, Zipkin v2 JSON or span lines (docs/analyze.md)"
    )]
    Format(String),
    /// Reading failed (or the input passed its size limit) before the JSON was judged.
    #[error(transparent)]
    Io(std::io::Error),
}

fn format_error(e: serde_json::Error) -> ReadError {
    if e.is_io() {
        ReadError::Io(e.into())
    } else {
        ReadError::Format(e.to_string())
    }
}

/// Reads every span of `input`.
pub fn read(input: impl Read) -> Result<TraceSet, ReadError> {
    let mut sink = Sink::default();
    let mut de = serde_json::Deserializer::from_reader(input);
    loop {
        if de.end().is_ok() {
            break;
        }
        Top(&mut sink).deserialize(&mut de).map_err(format_error)?;
    }
    if sink.formats.is_empty() {
        return Err(ReadError::Format("the input holds no JSON value".into()));
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
