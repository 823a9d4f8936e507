use std::io::Write;

use serde_json::json;

use crate::cli::{DataFormat, ExplainArgs};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::generate;
use crate::registry::{self, UnknownCheck};

pub fn run(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let Some(check) = registry::find(&args.check) else {
        return Err(UsageError::from(UnknownCheck {
            key: args.check.clone(),
            suggestion: registry::suggest(&args.check),
        })
        .into());
    };
    match args.format {
        DataFormat::Human => out.write_all(generate::check_page(check).as_bytes())?,
        DataFormat::Json => {
            let e = &check.explanation;
            let doc = json!({
                "schema_version": crate::report::SCHEMA_VERSION,
                "id": check.id,
                "name": check.name,
                "family": check.family,
                "severity": check.severity,
                "title": check.title,
                "needs": check.needs,
                "checks": e.checks,
                "why": e.why,
                "fix": e.fix,
                "example": e.example,
                "docs": check.docs_path(),
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::Ok)
}
