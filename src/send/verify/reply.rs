//! What one reply of a Jaeger query API says: the spans it stored (read by
//! [`crate::trace::read`], which takes v3's OTLP JSON in its `{"result":…}` wrapper and v1's
//! Jaeger JSON), that it has no such trace, or that this is not the API asked.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::send::http::excerpt;
use crate::trace::{self, Format, TraceSet};

/// Which query API answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Api {
    V3,
    V1,
}

impl Api {
    pub(super) fn path(self) -> &'static str {
        match self {
            Api::V3 => "/api/v3/traces",
            Api::V1 => "/api/traces",
        }
    }

    /// What a trace comes back as: `{"result":{"resourceSpans":[…]}}` from v3,
    /// `{"data":[{"spans":[…],"processes":{…}}]}` from v1.
    fn format(self) -> Format {
        match self {
            Api::V3 => Format::OtlpJson,
            Api::V1 => Format::JaegerJson,
        }
    }

    /// Whether a 404 body is this API's "trace not found": `{"error":{…}}` from v3,
    /// `{"errors":[…]}` from v1 (a plain-text 404 is another server).
    fn not_found(self, body: &[u8]) -> bool {
        let Ok(json) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        match self {
            Api::V3 => json.get("error").is_some_and(Value::is_object),
            Api::V1 => json.get("errors").is_some_and(Value::is_array),
        }
    }
}

/// One lookup's result.
#[derive(Debug, PartialEq)]
pub(super) enum Lookup {
    /// Span id as 16 hex digits -> service name, for every stored span.
    Trace(BTreeMap<String, String>),
    NotFound,
    /// This API is not there (or not a Jaeger query API): the reason.
    Unsupported(String),
}

/// Reads a reply of `api` with HTTP `status`.
pub(super) fn read(api: Api, status: u16, body: &[u8]) -> Lookup {
    match status {
        200 => match trace::read(body) {
            Ok(set) if set.formats == [api.format()] => Lookup::Trace(stored(&set)),
            _ => Lookup::Unsupported(describe(status, body)),
        },
        404 if api.not_found(body) => Lookup::NotFound,
        _ => Lookup::Unsupported(describe(status, body)),
    }
}

/// Reads a reply of `api` as the stored trace: `Ok(Some)` its spans, `Ok(None)` no such trace
/// (yet), `Err` this is not the API asked (the reason).
pub(super) fn read_trace(api: Api, status: u16, body: &[u8]) -> Result<Option<TraceSet>, String> {
    match status {
        200 => match trace::read(body) {
            Ok(set) if set.formats == [api.format()] => Ok(Some(set)),
            _ => Err(describe(status, body)),
        },
        404 if api.not_found(body) => Ok(None),
        _ => Err(describe(status, body)),
    }
}

/// Every span id read, with the service name stored for it (the first, if an id repeats). Spans
/// whose ids are not hex or base64 were left out by the reader.
fn stored(set: &TraceSet) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for span in &set.spans {
        out.entry(format!("{:016x}", span.span_id))
            .or_insert_with(|| set.str(span.service).to_owned());
    }
    out
}

/// A reply in a few words: its status and the start of its body.
pub(super) fn describe(status: u16, body: &[u8]) -> String {
    let cut = excerpt(body, 120).unwrap_or_default();
    format!("HTTP {status} {cut:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_reads_span_ids_and_the_service_name() {
        let body = br#"{"result":{"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"checkout"}}]},
            "scopeSpans":[{"spans":[
                {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"},
                {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"AAECAwQFBgc="}]}]}]}}"#;
        assert_eq!(
            read(Api::V3, 200, body),
            Lookup::Trace(BTreeMap::from([
                ("00f067aa0ba902b7".into(), "checkout".into()),
                ("0001020304050607".into(), "checkout".into()),
            ]))
        );
    }

    #[test]
    fn v3_404_with_an_error_object_is_not_found_and_html_is_unsupported() {
        let not_found = br#"{"error":{"httpCode":404,"message":"trace not found"}}"#;
        assert_eq!(read(Api::V3, 404, not_found), Lookup::NotFound);
        assert!(matches!(
            read(Api::V3, 200, b"<html>jaeger ui</html>"),
            Lookup::Unsupported(_)
        ));
        assert!(matches!(
            read(Api::V3, 404, b"404 page not found"),
            Lookup::Unsupported(_)
        ));
    }

    #[test]
    fn v1_reads_span_ids_with_their_process_service() {
        let body = br#"{"data":[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736",
            "spans":[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"f067aa0ba902b7",
                "processID":"p1"}],
            "processes":{"p1":{"serviceName":"billing"}}}]}"#;
        assert_eq!(
            read(Api::V1, 200, body),
            Lookup::Trace(BTreeMap::from([(
                "00f067aa0ba902b7".into(),
                "billing".into()
            )]))
        );
        let missing = br#"{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}"#;
        assert_eq!(read(Api::V1, 404, missing), Lookup::NotFound);
        assert!(matches!(read(Api::V1, 500, b"{}"), Lookup::Unsupported(_)));
    }

    #[test]
    fn read_trace_keeps_the_whole_trace_with_its_parents() {
        let body = br#"{"result":{"resourceSpans":[{"scopeSpans":[{"spans":[
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7",
             "parentSpanId":"a2fb4a1d1a96d312"}]}]}]}}"#;
        let set = read_trace(Api::V3, 200, body).unwrap().unwrap();
        assert_eq!(
            set.spans[0].parent,
            trace::Parent::Id(0xa2fb_4a1d_1a96_d312)
        );
        let missing = br#"{"error":{"httpCode":404,"message":"trace not found"}}"#;
        assert_eq!(read_trace(Api::V3, 404, missing), Ok(None));
        assert!(read_trace(Api::V1, 200, b"<html>").is_err());
    }

    #[test]
    fn hostile_bodies_do_not_panic() {
        for body in [
            &b"null"[..],
            b"[]",
            br#"{"result":{"resourceSpans":[1,"x",{"scopeSpans":7}]}}"#,
            br#"{"data":[{"spans":[{"spanID":12}],"processes":[]}]}"#,
            b"\xff\xfe",
        ] {
            let _ = read(Api::V3, 200, body);
            let _ = read(Api::V1, 200, body);
        }
        let bad_ids = br#"{"result":{"resourceSpans":[{"scopeSpans":[{"spans":[
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"not an id"},
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":""}]}]}]}}"#;
        assert_eq!(read(Api::V3, 200, bad_ids), Lookup::Trace(BTreeMap::new()));
    }
}
