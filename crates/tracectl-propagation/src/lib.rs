//! Propagation-header parsing for tracectl: pure functions over strings, no I/O.
//!
//! [`input`] turns what people paste (`curl -v` lines, `-H 'name: value'`, quotes) into a header
//! name and value; [`decode`] decodes and validates one header of any supported format;
//! [`request`] adds the findings that need several headers of one request; [`convert`] re-encodes
//! a request's trace context in another format.
//!
//! Nothing here panics on any input, allocates for a valid W3C `traceparent`, or reads anything
//! but its arguments.

mod b3;
mod binary;
pub mod convert;
mod datadog;
#[doc(hidden)]
pub mod fuzzing;
mod hex;
pub mod input;
mod jaeger;
pub mod names;
pub mod request;
mod w3c;
mod xray;

pub use input::{decode_line, split_line};
pub use w3c::is_plain_valid_traceparent;

/// Which Trace Context level's rules apply where Level 1 and Level 2 differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// The W3C Recommendation: tracestate keys start with a letter, at most one `@`; duplicate
    /// keys make the whole tracestate invalid; flag bit 0x02 is reserved.
    One,
    /// The Candidate Recommendation: keys may start with a digit and hold any number of `@`;
    /// duplicate keys are a warning; flag bit 0x02 is the random-trace-id flag.
    #[default]
    Two,
}

/// What the decoder needs besides the header itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub level: Level,
    /// The current time in Unix seconds, to judge X-Ray epochs; `None` skips the age check.
    pub now: Option<u64>,
}

/// The kind of one header: which header it is, not only which format family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Kind {
    TraceParent,
    TraceResponse,
    TraceState,
    Baggage,
    UberTraceId,
    UberCtx,
    JaegerDebugId,
    B3,
    B3TraceId,
    B3SpanId,
    B3ParentSpanId,
    B3Sampled,
    B3Flags,
    XRay,
    DatadogTraceId,
    DatadogParentId,
    DatadogSamplingPriority,
    DatadogOrigin,
    DatadogTags,
    GrpcTraceBin,
    Sw8,
    ServerTiming,
    /// Not a propagation header, or a value whose format could not be told.
    #[default]
    Unknown,
}

impl Kind {
    /// Every kind that names a real header, in the order of the docs.
    pub const ALL: &'static [Kind] = &[
        Kind::TraceParent,
        Kind::TraceResponse,
        Kind::TraceState,
        Kind::Baggage,
        Kind::UberTraceId,
        Kind::UberCtx,
        Kind::JaegerDebugId,
        Kind::B3,
        Kind::B3TraceId,
        Kind::B3SpanId,
        Kind::B3ParentSpanId,
        Kind::B3Sampled,
        Kind::B3Flags,
        Kind::XRay,
        Kind::DatadogTraceId,
        Kind::DatadogParentId,
        Kind::DatadogSamplingPriority,
        Kind::DatadogOrigin,
        Kind::DatadogTags,
        Kind::GrpcTraceBin,
        Kind::Sw8,
        Kind::ServerTiming,
    ];

    /// The header's canonical (lowercase) name; `uberctx-` for the Jaeger baggage family.
    pub fn header(self) -> &'static str {
        match self {
            Kind::TraceParent => "traceparent",
            Kind::TraceResponse => "traceresponse",
            Kind::TraceState => "tracestate",
            Kind::Baggage => "baggage",
            Kind::UberTraceId => "uber-trace-id",
            Kind::UberCtx => "uberctx-",
            Kind::JaegerDebugId => "jaeger-debug-id",
            Kind::B3 => "b3",
            Kind::B3TraceId => "x-b3-traceid",
            Kind::B3SpanId => "x-b3-spanid",
            Kind::B3ParentSpanId => "x-b3-parentspanid",
            Kind::B3Sampled => "x-b3-sampled",
            Kind::B3Flags => "x-b3-flags",
            Kind::XRay => "x-amzn-trace-id",
            Kind::DatadogTraceId => "x-datadog-trace-id",
            Kind::DatadogParentId => "x-datadog-parent-id",
            Kind::DatadogSamplingPriority => "x-datadog-sampling-priority",
            Kind::DatadogOrigin => "x-datadog-origin",
            Kind::DatadogTags => "x-datadog-tags",
            Kind::GrpcTraceBin => "grpc-trace-bin",
            Kind::Sw8 => "sw8",
            Kind::ServerTiming => "server-timing",
            Kind::Unknown => "",
        }
    }

    /// The format family, as shown in the `format` field of the output.
    pub fn format(self) -> &'static str {
        match self {
            Kind::TraceParent => "traceparent",
            Kind::TraceResponse => "traceresponse",
            Kind::TraceState => "tracestate",
            Kind::Baggage => "baggage",
            Kind::UberTraceId => "jaeger",
            Kind::UberCtx => "jaeger-baggage",
            Kind::JaegerDebugId => "jaeger-debug-id",
            Kind::B3 => "b3",
            Kind::B3TraceId
            | Kind::B3SpanId
            | Kind::B3ParentSpanId
            | Kind::B3Sampled
            | Kind::B3Flags => "b3multi",
            Kind::XRay => "xray",
            Kind::DatadogTraceId
            | Kind::DatadogParentId
            | Kind::DatadogSamplingPriority
            | Kind::DatadogOrigin
            | Kind::DatadogTags => "datadog",
            Kind::GrpcTraceBin => "grpc-trace-bin",
            Kind::Sw8 => "sw8",
            Kind::ServerTiming => "server-timing",
            Kind::Unknown => "unknown",
        }
    }

    /// The kind a header name stands for (case-insensitive), if it is a propagation header.
    pub fn from_name(name: &str) -> Option<Kind> {
        if name.len() > 8
            && name
                .get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("uberctx-"))
        {
            return Some(Kind::UberCtx);
        }
        Kind::ALL
            .iter()
            .copied()
            .find(|k| *k != Kind::UberCtx && k.header().eq_ignore_ascii_case(name))
    }

    /// The kind named by `--as`: a header name or one of the aliases in [`AS_NAMES`].
    pub fn from_as(name: &str) -> Option<Kind> {
        match name.to_ascii_lowercase().as_str() {
            "w3c" => Some(Kind::TraceParent),
            "jaeger" => Some(Kind::UberTraceId),
            "uberctx" => Some(Kind::UberCtx),
            "xray" => Some(Kind::XRay),
            "datadog" => Some(Kind::DatadogTraceId),
            other => Kind::from_name(other),
        }
    }
}

/// The values `--as` accepts: every header name plus the aliases w3c, jaeger, uberctx, xray and
/// datadog.
pub const AS_NAMES: &[&str] = &[
    "traceparent",
    "w3c",
    "traceresponse",
    "tracestate",
    "baggage",
    "uber-trace-id",
    "jaeger",
    "uberctx",
    "jaeger-debug-id",
    "b3",
    "x-b3-traceid",
    "x-b3-spanid",
    "x-b3-parentspanid",
    "x-b3-sampled",
    "x-b3-flags",
    "x-amzn-trace-id",
    "xray",
    "x-datadog-trace-id",
    "datadog",
    "x-datadog-parent-id",
    "x-datadog-sampling-priority",
    "x-datadog-origin",
    "x-datadog-tags",
    "grpc-trace-bin",
    "sw8",
    "server-timing",
];

/// One rule a header breaks (an error) or a risk it carries (a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable kebab-case code, e.g. `uppercase-hex`.
    pub code: &'static str,
    /// A sentence: what is wrong, what was expected, what to do.
    pub message: String,
    /// 0-based byte offset in the value where the problem starts, when it has one place.
    pub column: Option<usize>,
}

/// A `key=value` pair of a list header (tracestate, baggage, Datadog tags, X-Ray extras).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub key: String,
    pub value: String,
}

/// One baggage list member: percent-decoded value and its raw properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaggageMember {
    pub key: String,
    pub value: String,
    pub properties: Vec<String>,
}

/// The decoded strings of a SkyWalking `sw8` header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sw8 {
    pub trace_id: String,
    pub parent_segment_id: String,
    pub parent_span_id: i64,
    pub parent_service: String,
    pub parent_service_instance: String,
    pub parent_endpoint: String,
    pub target_address: String,
}

/// What only some formats carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Details {
    #[default]
    None,
    TraceState(Vec<Member>),
    Baggage(Vec<BaggageMember>),
    Jaeger {
        firehose: bool,
        /// The value after URL-decoding, when it was encoded (`%3A`).
        url_decoded: Option<String>,
    },
    UberCtx {
        key: String,
        value: String,
    },
    DebugId(String),
    XRay {
        lineage: Option<String>,
        others: Vec<Member>,
    },
    /// The decimal Datadog id as sent.
    DatadogId(u64),
    DatadogPriority(i64),
    DatadogOrigin(String),
    DatadogTags {
        tags: Vec<Member>,
        /// `_dd.p.tid`: the upper 64 bits of the trace id.
        tid: Option<u64>,
    },
    GrpcTraceBin {
        /// Field ids after the known ones, where decoding stopped.
        unknown_field: Option<u8>,
    },
    Sw8(Box<Sw8>),
    /// A name receivers ignore that reads like this propagation header (`trace-parent`).
    Misspelled {
        meant: Kind,
    },
}

/// Everything decoded from one header, with what is wrong with it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decoded {
    pub kind: Kind,
    /// The kind was guessed from the value's shape: no header name was given.
    pub assumed: bool,
    pub version: Option<u8>,
    pub trace_id: Option<u128>,
    pub span_id: Option<u64>,
    pub parent_span_id: Option<u64>,
    /// `None` when the sender deferred the decision (or the format carries none).
    pub sampled: Option<bool>,
    pub flags: Option<u8>,
    pub random: Option<bool>,
    pub debug: Option<bool>,
    /// A time carried in the header, Unix seconds (the X-Ray epoch).
    pub timestamp: Option<u64>,
    pub details: Details,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Decoded {
    /// An empty result for `kind`.
    pub fn new(kind: Kind) -> Decoded {
        Decoded {
            kind,
            ..Decoded::default()
        }
    }

    /// A compliant receiver would use this header.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    pub(crate) fn error(&mut self, code: &'static str, column: Option<usize>, message: String) {
        self.errors.push(Finding {
            code,
            message,
            column,
        });
    }

    pub(crate) fn warn(&mut self, code: &'static str, column: Option<usize>, message: String) {
        self.warnings.push(Finding {
            code,
            message,
            column,
        });
    }

    /// Moves every column by `by`, for a value parsed inside a larger one.
    pub(crate) fn shift_columns(&mut self, by: usize) {
        for f in self.errors.iter_mut().chain(self.warnings.iter_mut()) {
            f.column = f.column.map(|c| c.saturating_add(by));
        }
    }
}

/// Decodes one header value. `kind` comes from the header name or `--as`; `None` means the kind
/// is guessed from the value's shape (and [`Decoded::assumed`] says so). `name` is the header
/// name as given, needed for `uberctx-{key}`.
pub fn decode(kind: Option<Kind>, name: Option<&str>, value: &str, opts: &Options) -> Decoded {
    let (kind, assumed) = match kind {
        Some(k) => (k, false),
        None => match detect(value) {
            Some(k) => (k, true),
            None => {
                let mut d = Decoded::new(Kind::Unknown);
                d.assumed = true;
                d.error(
                    "unknown-format",
                    None,
                    "the value's format could not be told from its shape; name the header \
                     (`traceparent: …`) or pass --as FORMAT"
                        .to_string(),
                );
                return d;
            }
        },
    };
    let mut d = Decoded::new(kind);
    d.assumed = assumed;
    match kind {
        Kind::TraceParent => w3c::traceparent(value, &mut d, opts),
        Kind::TraceResponse => w3c::traceparent(value, &mut d, opts),
        Kind::ServerTiming => w3c::server_timing(value, &mut d, opts),
        Kind::TraceState => w3c::tracestate(value, &mut d, opts),
        Kind::Baggage => w3c::baggage(value, &mut d),
        Kind::UberTraceId => jaeger::uber_trace_id(value, &mut d),
        Kind::UberCtx => jaeger::uberctx(name.unwrap_or_default(), value, &mut d),
        Kind::JaegerDebugId => jaeger::debug_id(value, &mut d),
        Kind::B3 => b3::single(value, &mut d),
        Kind::B3TraceId
        | Kind::B3SpanId
        | Kind::B3ParentSpanId
        | Kind::B3Sampled
        | Kind::B3Flags => b3::multi(kind, value, &mut d),
        Kind::XRay => xray::decode(value, &mut d, opts),
        Kind::DatadogTraceId
        | Kind::DatadogParentId
        | Kind::DatadogSamplingPriority
        | Kind::DatadogOrigin
        | Kind::DatadogTags => datadog::decode(kind, value, &mut d),
        Kind::GrpcTraceBin => binary::grpc_trace_bin(value, &mut d),
        Kind::Sw8 => binary::sw8(value, &mut d),
        Kind::Unknown => d.error(
            "unknown-header",
            None,
            format!(
                "this is not a propagation header tracectl knows; known headers: {}",
                AS_NAMES.join(", ")
            ),
        ),
    }
    d
}

/// Guesses a bare value's kind from its shape.
pub fn detect(value: &str) -> Option<Kind> {
    let b = value.as_bytes();
    if b.len() >= 55 && b.get(2) == Some(&b'-') && b.get(35) == Some(&b'-') {
        return Some(Kind::TraceParent);
    }
    // A version and a dash: a traceparent cut short (no B3 trace id has 2 digits).
    if b.get(2) == Some(&b'-')
        && b.get(..2)
            .is_some_and(|v| v.iter().all(u8::is_ascii_hexdigit))
    {
        return Some(Kind::TraceParent);
    }
    if value.contains("Root=") {
        return Some(Kind::XRay);
    }
    if value.len() >= 11
        && value
            .get(..11)
            .is_some_and(|p| p.eq_ignore_ascii_case("trace;desc="))
    {
        return Some(Kind::ServerTiming);
    }
    if value.contains(':') || value.contains("%3A") || value.contains("%3a") {
        return Some(Kind::UberTraceId);
    }
    if matches!(value, "0" | "1" | "d") {
        return Some(Kind::B3);
    }
    let dashes = value.split('-').count();
    if dashes == 8 && matches!(b.first(), Some(b'0' | b'1')) {
        return Some(Kind::Sw8);
    }
    if (2..=4).contains(&dashes) && value.split('-').take(2).all(is_hex_str) {
        return Some(Kind::B3);
    }
    if is_hex_str(value) && matches!(b.len(), 16 | 32) {
        return Some(Kind::B3TraceId);
    }
    if !b.is_empty() && b.len() <= 20 && b.iter().all(u8::is_ascii_digit) {
        return Some(Kind::DatadogTraceId);
    }
    if b.len() >= 38 && b.len() <= 40 && b.starts_with(b"AA") && !value.contains('=') {
        return Some(Kind::GrpcTraceBin);
    }
    if b.len() == 40 && b.starts_with(b"AA") && b.ends_with(b"=") {
        return Some(Kind::GrpcTraceBin);
    }
    if value.contains('=') {
        let tracestate_like = value.split(',').all(|m| {
            let m = m.trim_matches([' ', '\t']);
            m.is_empty()
                || m.split_once('=').is_some_and(|(k, _)| {
                    !k.is_empty()
                        && k.bytes().all(|c| {
                            c.is_ascii_lowercase()
                                || c.is_ascii_digit()
                                || matches!(c, b'_' | b'-' | b'*' | b'/' | b'@')
                        })
                })
        });
        if tracestate_like && !value.contains(';') && !value.contains('%') {
            return Some(Kind::TraceState);
        }
        return Some(Kind::Baggage);
    }
    None
}

fn is_hex_str(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_hexdigit())
}
