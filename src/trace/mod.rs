//! Spans read for `tracectl analyze` (Jaeger JSON, OTLP JSON, Zipkin v2 JSON and span lines),
//! streamed into compact spans grouped by trace; and the span line that `listen --format json`
//! writes and `analyze` reads.

mod model;
pub mod parents;
mod read;
mod skew;
pub mod span_line;
pub mod tree;

pub use model::{Format, Parent, Span, Strings, Sym, TraceSet, index_by_id};
pub use read::{ReadError, read};
pub use skew::{Link, links};
pub use span_line::SpanLine;
