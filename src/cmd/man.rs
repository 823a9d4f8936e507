use std::io::Write;

use crate::exit::ExitCode;
use crate::generate;

pub fn run(out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    out.write_all(&generate::man_page()?)?;
    Ok(ExitCode::Ok)
}
