//! Jaeger UI / query API JSON: `{"data":[{"traceID","spans","processes"}]}`, as exported by the
//! UI and returned by `/api/traces` and `/api/traces/{id}`.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed};
use serde_json::Value;

use super::{Each, Element, Raw, Sink, micros};

pub(super) struct JaegerTraces<'a>(pub(super) &'a mut Sink);

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

#[cfg(test)]
mod tests {
    use crate::trace::{Format, Parent, read};

    #[test]
    fn a_query_api_reply_for_one_trace_reads_with_its_processes() {
        let reply = br#"{"data":[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736",
            "spans":[
              {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"f067aa0ba902b7",
               "operationName":"GET /","startTime":1000,"duration":5,"processID":"p1"},
              {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"1111111111111111",
               "operationName":"SELECT","startTime":1001,"duration":2,"processID":"p2",
               "references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736",
                              "spanID":"00f067aa0ba902b7"}]}],
            "processes":{"p1":{"serviceName":"billing","tags":[{"key":"hostname","value":"h1"}]},
                         "p2":{"serviceName":"db"}}}],
            "total":0,"limit":0,"offset":0,"errors":null}"#;
        let set = read(&reply[..]).unwrap();
        assert_eq!(set.formats, [Format::JaegerJson]);
        assert_eq!(set.traces().count(), 1);
        let [root, child] = set.spans.as_slice() else {
            panic!("two spans expected: {:?}", set.spans);
        };
        assert_eq!(root.trace_id, 0x4bf92f3577b34da6a3ce929d0e0e4736);
        assert_eq!(root.span_id, 0x00f067aa0ba902b7);
        assert_eq!((root.start, root.end), (1_000_000, 1_005_000));
        assert_eq!(set.service(root), "billing");
        assert_eq!(set.str(root.host), "h1");
        assert_eq!(set.str(child.name), "SELECT");
        assert_eq!(set.service(child), "db");
        assert_eq!(child.parent, Parent::Id(0x00f067aa0ba902b7));
    }
}
