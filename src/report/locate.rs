//! Where a finding points: a file and line (the finding's own location, a collector config line
//! named in its subject, the env file that set its variable), else a logical place (a variable,
//! an endpoint, a trace). Shared by the formats that need places: SARIF, JUnit, Markdown.

use std::path::Path;

use super::{Finding, Report, WorkloadReport};
use crate::settings::{SettingKind, SettingLine, Source};

/// A place in a file, relative to the working directory when it lies under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u32,
    pub column: Option<u32>,
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    File(Place),
    /// No file: the finding's subject (a variable, an endpoint, a trace) and what kind it is.
    Logical {
        name: String,
        kind: &'static str,
    },
}

impl Where {
    /// `file:line` or the logical name, for tables and messages.
    pub fn label(&self) -> String {
        match self {
            Where::File(p) => format!("{}:{}", p.file, p.line),
            Where::Logical { name, .. } => name.clone(),
        }
    }
}

/// Where `finding` points, with file paths made relative to `base` (the working directory).
pub fn locate(report: &Report, finding: &Finding, base: &Path) -> Where {
    let files = report_files(report);
    // A workload's finding is about the settings that workload runs with.
    let settings = workload_of(report, finding).map_or(&report.settings[..], |w| &w.settings[..]);
    let own = finding.location.as_ref().map(|l| Place {
        file: l.file.to_string(),
        line: l.line,
        column: None,
    });
    let place = own
        .or_else(|| subject_place(&finding.subject, &files))
        .or_else(|| setting_place(settings, &finding.subject))
        .or_else(|| {
            finding
                .evidence
                .iter()
                .filter_map(|(k, _)| k.strip_suffix(".source"))
                .find_map(|var| setting_place(settings, var))
        })
        .or_else(|| {
            workload_of(report, finding).map(|w| Place {
                file: w.source.file.to_string(),
                line: w.source.line,
                column: None,
            })
        });
    match place {
        Some(mut p) => {
            p.file = relative(&p.file, base);
            Where::File(p)
        }
        None => Where::Logical {
            name: finding.subject.clone(),
            kind: logical_kind(&finding.subject),
        },
    }
}

/// `file:line[:column] rest` at the start of a subject, for a file the run read (collector
/// findings name their line so).
fn subject_place(subject: &str, files: &[&str]) -> Option<Place> {
    let first = subject.split_whitespace().next()?;
    let (file, rest) = files
        .iter()
        .filter(|f| !f.is_empty())
        .find_map(|f| Some((*f, first.strip_prefix(f)?.strip_prefix(':')?)))?;
    let mut numbers = rest.split(':').map(|n| n.parse::<u32>().ok());
    let line = numbers.next()??;
    let column = numbers.next().flatten();
    Some(Place {
        file: file.to_string(),
        line,
        column,
    })
}

/// The workload whose checks produced `finding`, in a `doctor --k8s` report.
pub fn workload_of<'a>(report: &'a Report, finding: &Finding) -> Option<&'a WorkloadReport> {
    report.workloads.iter().find(|w| {
        w.checks
            .iter()
            .flat_map(|c| &c.findings)
            .any(|f| std::ptr::eq(f, finding))
    })
}

/// The file and line that set `var` (an env file, a deployment file), when one did.
fn setting_place(settings: &[SettingLine], var: &str) -> Option<Place> {
    settings
        .iter()
        .filter(|s| {
            (s.kind == SettingKind::Variable && s.key == var) || s.var.as_deref() == Some(var)
        })
        .find_map(|s| s.source.location())
        .map(|at| Place {
            file: at.file.to_string(),
            line: at.line,
            column: None,
        })
}

/// The files the run read: the collector config and the env files.
fn report_files(report: &Report) -> Vec<&str> {
    let env_files = report.settings.iter().filter_map(|s| match &s.source {
        Source::EnvFile { path, .. } => path.to_str(),
        _ => None,
    });
    report
        .collector
        .iter()
        .map(|c| c.file.as_str())
        .chain(env_files)
        .collect()
}

fn logical_kind(subject: &str) -> &'static str {
    if subject.starts_with("OTEL_") || subject.starts_with("JAEGER_") {
        "variable"
    } else if subject.contains(':') || subject.contains("://") {
        "endpoint"
    } else {
        "object"
    }
}

/// `file` relative to `base` when it lies under it; as given otherwise. Always `/`-separated.
fn relative(file: &str, base: &Path) -> String {
    let path = Path::new(file);
    let shown = path
        .strip_prefix(base)
        .ok()
        .filter(|_| path.is_absolute())
        .unwrap_or(path);
    let text = shown.display().to_string().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_naming_a_file_line_are_places() {
        let files = ["otel.yaml"];
        let p = subject_place("otel.yaml:6 receivers.otlp", &files).unwrap();
        assert_eq!((p.file.as_str(), p.line, p.column), ("otel.yaml", 6, None));
        let p = subject_place("otel.yaml:3:7 syntax", &files).unwrap();
        assert_eq!((p.line, p.column), (3, Some(7)));
        assert_eq!(subject_place("OTEL_EXPORTER_OTLP_ENDPOINT", &files), None);
        assert_eq!(subject_place("collector.example.com:4317", &files), None);
    }

    #[test]
    fn absolute_paths_under_the_base_become_relative() {
        let base = Path::new("/work/app");
        assert_eq!(relative("/work/app/deploy/app.env", base), "deploy/app.env");
        assert_eq!(relative("./app.env", base), "app.env");
        assert_eq!(relative("/etc/app.env", base), "/etc/app.env");
    }
}
