//! Errors a caller branches on. Everything else travels as `anyhow::Error` with context.

use std::path::PathBuf;

use crate::registry::UnknownCheck;
use crate::settings::env_file::EnvFileError;

/// A problem with what the user asked for: exit code 2, and a sentence saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error(transparent)]
    UnknownCheck(#[from] UnknownCheck),
    #[error("`{0}` is not KEY=VALUE; write it as e.g. --set OTEL_SERVICE_NAME=checkout")]
    NotKeyValue(String),
    #[error("`{given}` is not a severity for --severity {check}; use info, warning or error")]
    BadSeverity { check: String, given: String },
    #[error(
        "no header given and stdin is a terminal: pass one, e.g. tracectl decode-header \
         'traceparent: 00-…', or pipe headers in, one per line"
    )]
    NoHeader,
    /// A flag or setting that cannot be used, with the sentence saying why and what to write.
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read env file {}: {source}", path.display())]
    EnvFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{0}; fix that line, or pick the format the app's launcher uses with --env-file-format"
    )]
    EnvFileLine(#[from] EnvFileError),
    #[error("cannot read collector config {}: {source}", path.display())]
    CollectorConfig {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read trace export {}: {source}", path.display())]
    TraceFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a trace export tracectl reads: {source}", path.display())]
    TraceFormat {
        path: PathBuf,
        #[source]
        source: crate::trace::ReadError,
    },
}
