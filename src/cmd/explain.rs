use std::io::Write;

use serde_json::json;

use crate::cli::{DataFormat, ExplainArgs};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::generate;
use crate::registry::{self, UnknownCheck};

pub fn run(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if let Some(d) = crate::listen::diagnosis::find(&args.check) {
        return explain_diagnosis(d, args.format, out);
    }
    if let Some(v) = crate::check_propagation::find(&args.check) {
        return explain_verdict(v, args.format, out);
    }
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

fn explain_diagnosis(
    d: &crate::listen::diagnosis::Diagnosis,
    format: DataFormat,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match format {
        DataFormat::Human => out.write_all(generate::diagnosis_page(d).as_bytes())?,
        DataFormat::Json => {
            let e = &d.explanation;
            let doc = json!({
                "schema_version": crate::report::SCHEMA_VERSION,
                "id": d.id,
                "name": d.name,
                "family": crate::checks::Family::Listen,
                "severity": d.severity,
                "title": d.title,
                "checks": e.checks,
                "why": e.why,
                "fix": e.fix,
                "example": e.example,
                "docs": d.docs_path(),
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::Ok)
}

fn explain_verdict(
    v: &crate::check_propagation::Verdict,
    format: DataFormat,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match format {
        DataFormat::Human => out.write_all(generate::verdict_page(v).as_bytes())?,
        DataFormat::Json => {
            let e = &v.explanation;
            let doc = json!({
                "schema_version": crate::report::SCHEMA_VERSION,
                "id": v.id,
                "name": v.name,
                "family": crate::rule::Family::TracePropagation,
                "severity": v.severity,
                "title": v.title,
                "checks": e.checks,
                "why": e.why,
                "fix": e.fix,
                "example": e.example,
                "docs": v.docs_path(),
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::Ok)
}
