//! Errors a caller branches on. Everything else travels as `anyhow::Error` with context.

use std::path::PathBuf;

use crate::registry::UnknownCheck;
use crate::settings::env_file::EnvFileError;
use crate::text::io_reason;

/// A problem with what the user asked for: exit code 2, and a sentence saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error(transparent)]
    UnknownCheck(#[from] UnknownCheck),
    #[error("{0} is not KEY=VALUE; write it as e.g. --set OTEL_SERVICE_NAME=checkout")]
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
    #[error(
        "cannot read env file {}: {}; pass a file of KEY=VALUE lines",
        path.display(), io_reason(error)
    )]
    EnvFile {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{0}; fix that line, or pick the format the app's launcher uses with --env-file-format"
    )]
    EnvFileLine(EnvFileError),
    #[error(
        "cannot read collector config {}: {}; pass the collector's YAML config file",
        path.display(), io_reason(error)
    )]
    CollectorConfig {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "cannot read trace export {}: {}; pass a JSON file exported from Jaeger, OTLP or Zipkin, \
         or - to read standard input",
        path.display(), io_reason(error)
    )]
    TraceFile {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} is not a trace export tracectl reads: {error}", path.display())]
    TraceFormat {
        path: PathBuf,
        error: crate::trace::ReadError,
    },
}

impl From<EnvFileError> for UsageError {
    fn from(e: EnvFileError) -> UsageError {
        UsageError::EnvFileLine(e)
    }
}
