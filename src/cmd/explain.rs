use std::io::Write;

use crate::cli::{DataFormat, ExplainArgs};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::generate;
use crate::registry;
use crate::report::rules;

pub fn run(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let rule = registry::find_rule(&args.check).map_err(UsageError::from)?;
    match args.format {
        DataFormat::Human => out.write_all(generate::rule_page(&rule).as_bytes())?,
        DataFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rules::explanation(&rule))?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::Ok)
}
