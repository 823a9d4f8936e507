use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::ExitCode;
use crate::generate;

pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    out.write_all(&generate::completions(args.shell, &Cli::command()))?;
    Ok(ExitCode::Ok)
}
