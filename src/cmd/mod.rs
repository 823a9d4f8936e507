//! One file per subcommand: glue from parsed arguments to the library and a renderer.

pub mod analyze;
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
        Command::SendTestSpan(args) => send_test_span::run(&args, style, out)?,
        Command::Listen(args) => listen::run(&args, style, out)?,
    };
    out.flush()?;
    Ok(code)
}
