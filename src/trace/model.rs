//! Spans held compactly (ids as integers, strings interned) and grouped by trace.

use std::collections::HashMap;
use std::ops::Range;

/// A span's parent as written in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    /// No parent id: a root span.
    None,
    /// A parent id of all zeros, which no span can have: propagation is broken.
    Zero,
    Id(u64),
}

/// Index of an interned string in [`TraceSet::strings`].
pub type Sym = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub trace_id: u128,
    pub span_id: u64,
    pub parent: Parent,
    pub service: Sym,
    pub name: Sym,
    /// Jaeger's host key (`host.id`, `host.ip`, `host.name`); the empty string when unknown.
    pub host: Sym,
    pub start: i64,
    pub end: i64,
}

impl Span {
    pub fn duration(&self) -> i64 {
        self.end.saturating_sub(self.start)
    }
}

/// The most characters of a service, span or host name that are kept and shown: a longer name is
/// cut here and marked with its full length, so a multi-megabyte name costs neither memory nor
/// output (docs/limits.md).
pub const MAX_NAME: usize = 256;

/// `s`, or its first [`MAX_NAME`] characters and `…(N bytes)` when it is longer.
fn clipped(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(MAX_NAME) {
        Some((cut, _)) => format!("{}…({} bytes)", &s[..cut], s.len()).into(),
        None => s.into(),
    }
}

/// Interned strings, each at most [`MAX_NAME`] characters; symbol 0 is the empty string.
#[derive(Debug, Clone, PartialEq)]
pub struct Strings {
    index: HashMap<String, Sym>,
    list: Vec<String>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings {
            index: HashMap::from([(String::new(), 0)]),
            list: vec![String::new()],
        }
    }
}

impl Strings {
    pub fn intern(&mut self, s: &str) -> Sym {
        let s = &*clipped(s);
        if let Some(&sym) = self.index.get(s) {
            return sym;
        }
        let sym = Sym::try_from(self.list.len()).unwrap_or(0);
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), sym);
        sym
    }

    pub fn get(&self, sym: Sym) -> &str {
        self.list.get(sym as usize).map_or("", String::as_str)
    }
}

/// The input formats tracectl reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Jaeger UI / query API JSON: `{"data":[{"traceID","spans","processes"}]}`.
    JaegerJson,
    /// OTLP JSON (`resourceSpans`), as also returned by Jaeger's API v3 (`{"result":{...}}`).
    OtlpJson,
    /// Zipkin v2 JSON: an array of spans (or of traces).
    ZipkinJson,
    /// One span line per line (`tracectl listen --format json`).
    SpanLines,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::JaegerJson => "jaeger-json",
            Format::OtlpJson => "otlp-json",
            Format::ZipkinJson => "zipkin-json",
            Format::SpanLines => "span-lines",
        }
    }
}

/// Everything read from one input: spans sorted by trace, then start time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TraceSet {
    pub spans: Vec<Span>,
    /// One range of `spans` per trace.
    pub traces: Vec<Range<usize>>,
    pub strings: Strings,
    pub formats: Vec<Format>,
    /// Spans left out because an id was missing or not hex.
    pub malformed: u64,
}

impl TraceSet {
    /// Groups `spans` by trace.
    pub fn new(
        mut spans: Vec<Span>,
        strings: Strings,
        formats: Vec<Format>,
        malformed: u64,
    ) -> TraceSet {
        spans.sort_unstable_by_key(|s| (s.trace_id, s.start, s.span_id));
        let mut traces = Vec::new();
        let mut start = 0;
        for i in 1..=spans.len() {
            if i == spans.len() || spans[i].trace_id != spans[start].trace_id {
                traces.push(start..i);
                start = i;
            }
        }
        TraceSet {
            spans,
            traces,
            strings,
            formats,
            malformed,
        }
    }

    pub fn str(&self, sym: Sym) -> &str {
        self.strings.get(sym)
    }

    /// Each trace's spans, sorted by start time.
    pub fn traces(&self) -> impl Iterator<Item = &[Span]> {
        self.traces.iter().map(|r| &self.spans[r.clone()])
    }

    /// `service` or `(no service.name)`.
    pub fn service(&self, span: &Span) -> &str {
        match self.str(span.service) {
            "" => "(no service.name)",
            s => s,
        }
    }

    /// The host a span ran on, or the service name in brackets when the input has no host key.
    pub fn host_label(&self, span: &Span) -> String {
        match self.str(span.host) {
            "" => format!("[{}]", self.service(span)),
            h => h.to_string(),
        }
    }
}

/// Index of each span id within one trace.
pub fn index_by_id(trace: &[Span]) -> HashMap<u64, usize> {
    trace
        .iter()
        .enumerate()
        .map(|(i, s)| (s.span_id, i))
        .collect()
}

/// Parses a trace id written as hex (up to 32 digits) or as base64 of 16 bytes.
pub fn parse_trace_id(s: &str) -> Option<u128> {
    let s = s.trim();
    if s.len() <= 32 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return u128::from_str_radix(s, 16).ok();
    }
    let bytes: [u8; 16] = decode_base64(s)?.try_into().ok()?;
    Some(u128::from_be_bytes(bytes))
}

/// Parses a span id written as hex (up to 16 digits) or as base64 of 8 bytes.
pub fn parse_span_id(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.len() <= 16 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return u64::from_str_radix(s, 16).ok();
    }
    let bytes: [u8; 8] = decode_base64(s)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// A parent id as written: absent or empty is a root, all zeros is [`Parent::Zero`].
pub fn parse_parent(s: Option<&str>) -> Option<Parent> {
    match s.map(str::trim) {
        None | Some("") => Some(Parent::None),
        Some(s) => parse_span_id(s).map(|id| {
            if id == 0 {
                Parent::Zero
            } else {
                Parent::Id(id)
            }
        }),
    }
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_kept_cut_and_measured() {
        let mut strings = Strings::default();
        let long = "x".repeat(5 << 20);
        let sym = strings.intern(&long);
        assert_eq!(
            strings.get(sym),
            format!("{}…(5242880 bytes)", "x".repeat(MAX_NAME))
        );
        assert_eq!(strings.intern(&long), sym);
        let fits = "é".repeat(MAX_NAME);
        let sym = strings.intern(&fits);
        assert_eq!(strings.get(sym), fits);
    }

    #[test]
    fn ids_parse_from_hex_and_base64() {
        assert_eq!(
            parse_trace_id("0af7651916cd43dd8448eb211c80319c"),
            Some(0x0af7651916cd43dd8448eb211c80319c)
        );
        assert_eq!(parse_trace_id("463ac35c9f6413ad"), Some(0x463ac35c9f6413ad));
        assert_eq!(
            parse_trace_id("CvdlGRbNQ92ESOshHIAxnA=="),
            Some(0x0af7651916cd43dd8448eb211c80319c)
        );
        assert_eq!(parse_span_id("t61rcWkgMzE="), Some(0xb7ad6b7169203331));
        assert_eq!(parse_span_id("xyz"), None);
        assert_eq!(parse_parent(Some("0000000000000000")), Some(Parent::Zero));
        assert_eq!(parse_parent(Some("")), Some(Parent::None));
        assert_eq!(
            parse_parent(Some("00f067aa0ba902b7")),
            Some(Parent::Id(0x00f067aa0ba902b7))
        );
    }

    #[test]
    fn spans_are_grouped_by_trace() {
        let span = |trace_id, start| Span {
            trace_id,
            span_id: 1,
            parent: Parent::None,
            service: 0,
            name: 0,
            host: 0,
            start,
            end: start,
        };
        let set = TraceSet::new(
            vec![span(2, 5), span(1, 3), span(2, 1)],
            Strings::default(),
            vec![],
            0,
        );
        let sizes: Vec<usize> = set.traces().map(<[Span]>::len).collect();
        assert_eq!(sizes, [1, 2]);
        assert_eq!(set.traces().nth(1).unwrap()[0].start, 1);
    }
}
