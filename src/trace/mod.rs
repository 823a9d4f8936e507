//! Spans as tracectl's own commands exchange them: `listen --format json` writes [`span_line`]s
//! and `analyze` reads them.

pub mod span_line;
