use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::ExitCode;
use crate::generate;

pub fn run(out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    out.write_all(&generate::man_page(&Cli::command())?)?;
    Ok(ExitCode::Ok)
}
