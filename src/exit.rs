//! The process exit codes: stable, documented in the README and in `--help`.

/// What the process reports to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Nothing at or above `--fail-on` (or: all headers valid, the span was accepted).
    Ok = 0,
    /// Findings at or above `--fail-on` (or: an invalid header, a rejected span).
    Findings = 1,
    /// Usage error, unreadable input, or internal error.
    Usage = 2,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}
