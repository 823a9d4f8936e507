//! `doctor --list-checks`: every rule tracectl reports — doctor's checks, listen's diagnoses,
//! check-propagation's verdicts — as aligned text, JSON or Markdown tables.

use std::io::Write;

use serde_json::json;

use crate::cli::DoctorFormat;
use crate::error::UsageError;
use crate::registry;
use crate::report::{self, markdown, rules};
use crate::rule::{Needs, Rule};
use crate::text::capitalise;

pub fn list_checks(format: DoctorFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    let of = |needs: Option<Needs>| -> Vec<Rule> {
        registry::rules()
            .filter(|r| match needs {
                Some(n) => r.needs == n,
                None => !matches!(r.needs, Needs::Traffic | Needs::Service),
            })
            .collect()
    };
    let (checks, diagnoses, verdicts) =
        (of(None), of(Some(Needs::Traffic)), of(Some(Needs::Service)));
    let others = [
        (
            &diagnoses,
            "what `tracectl listen` diagnoses in received traffic",
            "listen",
        ),
        (
            &verdicts,
            "what `tracectl check-propagation` finds",
            "check-propagation",
        ),
    ];
    match format {
        DoctorFormat::Json => {
            let doc = json!({
                "schema_version": report::SCHEMA_VERSION,
                "checks": checks.iter().map(rules::identity).collect::<Vec<_>>(),
                "diagnoses": diagnoses.iter().map(rules::identity).collect::<Vec<_>>(),
                "verdicts": verdicts.iter().map(rules::identity).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        DoctorFormat::Markdown => {
            markdown::rules(&checks, "`tracectl doctor` checks", out)?;
            for (rules, what, _) in others {
                writeln!(out)?;
                markdown::rules(rules, &capitalise(what), out)?;
            }
        }
        DoctorFormat::Human => {
            let w = |f: fn(&Rule) -> usize| checks.iter().map(f).max().unwrap_or(0);
            let (idw, namew, famw) = (
                w(|c| c.id.len()),
                w(|c| c.name.len()),
                w(|c| c.family.as_str().len()),
            );
            for c in &checks {
                writeln!(
                    out,
                    "{:idw$}  {:namew$}  {:famw$}  {:7}  {}",
                    c.id,
                    c.name,
                    c.family.as_str(),
                    c.severity.as_str(),
                    c.title
                )?;
            }
            for (rules, what, docs) in others {
                if let (Some(first), Some(last)) = (rules.first(), rules.last()) {
                    writeln!(
                        out,
                        "\n{}–{}: {what}; `tracectl explain {}`, docs/{docs}/README.md",
                        first.id, last.id, first.id
                    )?;
                }
            }
        }
        DoctorFormat::Github | DoctorFormat::Sarif | DoctorFormat::Junit => {
            let name = match format {
                DoctorFormat::Github => "github",
                DoctorFormat::Sarif => "sarif",
                _ => "junit",
            };
            return Err(UsageError::Invalid(format!(
                "--list-checks prints human, json or markdown; --format {name} reports the findings of a run, so drop --list-checks to get it"
            ))
            .into());
        }
    }
    Ok(())
}
