//! One file per subcommand: glue from parsed arguments to the library and a renderer.

pub mod analyze;
pub mod check_propagation;
pub mod completions;
pub mod decode_header;
pub mod doctor;
pub mod explain;
mod inputs;
pub mod listen;
pub mod man;
mod outputs;
mod progress;
pub mod send_test_span;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::exit::ExitCode;
use crate::settings::secret::redact_urls;
use crate::style::Style;

/// Runs the parsed command, writing its output to `out`.
pub fn run(cli: Cli, style: Style, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let code = match cli.command {
        Command::Doctor(args) => doctor::run(&args, style, out)?,
        Command::Explain(args) => explain::run(&args, out)?,
        Command::Analyze(args) => analyze::run(&args, style, out)?,
        Command::Completions(args) => completions::run(&args, out)?,
        Command::Man => man::run(out)?,
        Command::DecodeHeader(args) => decode_header::run(&args, style, out)?,
        Command::SendTestSpan(args) => {
            without_url_passwords(out, |o| send_test_span::run(&args, style, o))?
        }
        Command::Listen(args) => listen::run(&args, style, out)?,
        Command::CheckPropagation(args) => check_propagation::run(&args, style, out)?,
    };
    out.flush()?;
    Ok(code)
}

/// Runs send-test-span, whose receipts and load reports quote endpoints, and writes its output
/// with the password of every URL in it redacted. Reports of doctor and analyze are redacted
/// where they are written (`outputs::emit`).
fn without_url_passwords(
    out: &mut dyn Write,
    command: impl FnOnce(&mut dyn Write) -> anyhow::Result<ExitCode>,
) -> anyhow::Result<ExitCode> {
    let mut buffer = Vec::new();
    let result = command(&mut buffer);
    out.write_all(redact_urls(&String::from_utf8_lossy(&buffer)).as_bytes())?;
    result
}
