//! The jaeger.thrift data model (Batch, Process, Span, Tag, Log, SpanRef, ClientStats), field for
//! field, with ids as the IDL's signed 64-bit halves.

use serde::Serialize;

/// jaeger.thrift `TagType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TagType {
    String = 0,
    Double = 1,
    Bool = 2,
    Long = 3,
    Binary = 4,
}

impl TryFrom<i32> for TagType {
    type Error = i32;
    fn try_from(v: i32) -> Result<TagType, i32> {
        Ok(match v {
            0 => TagType::String,
            1 => TagType::Double,
            2 => TagType::Bool,
            3 => TagType::Long,
            4 => TagType::Binary,
            other => return Err(other),
        })
    }
}

/// A tag's value; its variant is the tag's `vType`, its content the matching `v*` field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TagValue {
    String(String),
    Double(f64),
    Bool(bool),
    Long(i64),
    Binary(Vec<u8>),
}

impl TagValue {
    pub fn tag_type(&self) -> TagType {
        match self {
            TagValue::String(_) => TagType::String,
            TagValue::Double(_) => TagType::Double,
            TagValue::Bool(_) => TagType::Bool,
            TagValue::Long(_) => TagType::Long,
            TagValue::Binary(_) => TagType::Binary,
        }
    }
}

/// jaeger.thrift `Tag`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub key: String,
    pub value: TagValue,
}

impl Tag {
    pub fn new(key: &str, value: TagValue) -> Tag {
        Tag {
            key: key.to_owned(),
            value,
        }
    }
}

/// jaeger.thrift `Log`: a timestamped set of fields (microseconds since the epoch).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Log {
    pub timestamp: i64,
    pub fields: Vec<Tag>,
}

/// jaeger.thrift `SpanRefType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SpanRefType {
    ChildOf = 0,
    FollowsFrom = 1,
}

impl TryFrom<i32> for SpanRefType {
    type Error = i32;
    fn try_from(v: i32) -> Result<SpanRefType, i32> {
        match v {
            0 => Ok(SpanRefType::ChildOf),
            1 => Ok(SpanRefType::FollowsFrom),
            other => Err(other),
        }
    }
}

/// jaeger.thrift `SpanRef`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanRef {
    pub ref_type: SpanRefType,
    pub trace_id_low: i64,
    pub trace_id_high: i64,
    pub span_id: i64,
}

/// jaeger.thrift `Span`. Times are microseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub trace_id_low: i64,
    pub trace_id_high: i64,
    pub span_id: i64,
    /// 0 for a root span.
    pub parent_span_id: i64,
    pub operation_name: String,
    pub references: Option<Vec<SpanRef>>,
    pub flags: i32,
    pub start_time: i64,
    pub duration: i64,
    pub tags: Option<Vec<Tag>>,
    pub logs: Option<Vec<Log>>,
    pub incomplete: Option<bool>,
}

impl Span {
    /// The 128-bit trace id as Jaeger prints it (32 hex digits).
    pub fn trace_id_hex(&self) -> String {
        format!(
            "{:016x}{:016x}",
            self.trace_id_high as u64, self.trace_id_low as u64
        )
    }

    pub fn span_id_hex(&self) -> String {
        format!("{:016x}", self.span_id as u64)
    }
}

/// jaeger.thrift `Process`: the service that emitted a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Process {
    pub service_name: String,
    pub tags: Option<Vec<Tag>>,
}

/// jaeger.thrift `ClientStats`: what a client dropped, as reported with its batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClientStats {
    pub full_queue_dropped_spans: i64,
    pub too_large_dropped_spans: i64,
    pub failed_to_emit_spans: i64,
}

/// jaeger.thrift `Batch`: the spans of one process.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Batch {
    pub process: Process,
    pub spans: Vec<Span>,
    pub seq_no: Option<i64>,
    pub stats: Option<ClientStats>,
}
