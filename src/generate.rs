//! Files generated from the code and committed: check docs, shell completions, man pages.
//! The test at the bottom fails when a committed copy is stale; `scripts/regenerate` rewrites them.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap_complete::Shell;

use crate::checks::{Check, Needs};
use crate::listen::diagnosis::{DIAGNOSES, Diagnosis};
use crate::registry::CHECKS;

/// The command that rewrites every generated file.
pub const REGENERATE: &str = "scripts/regenerate";

/// Every generated file: its path relative to the repository root, and its content. `cli` is
/// the command line's clap declaration (`Cli::command()`), the source of completions and man page.
pub fn files(cli: &clap::Command) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        files.push((completion_path(shell), completions(shell, cli)));
    }
    files.push((PathBuf::from("docs/man/tracectl.1"), man_page(cli)?));
    files.push((
        PathBuf::from("docs/checks/README.md"),
        checks_index().into(),
    ));
    for check in CHECKS {
        files.push((PathBuf::from(check.docs_path()), check_page(check).into()));
    }
    files.push((
        PathBuf::from("docs/listen/README.md"),
        diagnoses_index().into(),
    ));
    for d in DIAGNOSES {
        files.push((PathBuf::from(d.docs_path()), diagnosis_page(d).into()));
    }
    Ok(files)
}

fn completion_path(shell: Shell) -> PathBuf {
    let name = match shell {
        Shell::Bash => "tracectl.bash",
        Shell::Zsh => "_tracectl",
        Shell::Fish => "tracectl.fish",
        Shell::PowerShell => "_tracectl.ps1",
        Shell::Elvish => "tracectl.elv",
        _ => "tracectl.unknown",
    };
    PathBuf::from("completions").join(name)
}

/// The completion script for `shell`.
pub fn completions(shell: Shell, cli: &clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cli.clone(), "tracectl", &mut out);
    out
}

/// The man page of `tracectl` with a section per subcommand.
pub fn man_page(cli: &clap::Command) -> anyhow::Result<Vec<u8>> {
    let mut cmd = cli.clone();
    cmd.build();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("tracectl-{}", sub.get_name());
        let sub = sub.clone().display_name(name.clone()).bin_name(name);
        clap_mangen::Man::new(sub).render(&mut out)?;
    }
    Ok(out)
}

/// A check's page: the text of `tracectl explain` and of `docs/checks/<ID>.md`.
pub fn check_page(check: &Check) -> String {
    let e = &check.explanation;
    let needs = match check.needs {
        Needs::Settings => "the resolved settings only (runs with --offline)",
        Needs::Network => "network access to the endpoints (skipped with --offline)",
        Needs::CollectorConfig => "a collector config file (`doctor --collector-config FILE`)",
        Needs::Traces => "a trace export (`tracectl analyze FILE`); doctor does not run it",
        Needs::Workload => "deployment files (`doctor --k8s PATH`); runs once per workload",
        Needs::Deployment => "deployment files (`doctor --k8s PATH`); runs once across workloads",
    };
    let mut page = String::new();
    let _ = write!(
        page,
        "# {id} {name}\n\n{title}.\n\n\
         - Family: `{family}`\n- Default severity: `{severity}`\n- Needs: {needs}\n\n\
         ## What it checks\n\n{checks}\n\n## Why it matters\n\n{why}\n\n## How to fix\n\n{fix}\n\n\
         ## Example\n\n```sh\n{example}\n```\n\n\
         Run only this check: `tracectl {command} --select {id}`. \
         Change its severity: `tracectl {command} --severity {id}=warning`.\n",
        command = match check.needs {
            Needs::Traces => "analyze FILE",
            Needs::Workload | Needs::Deployment => "doctor --k8s PATH",
            _ => "doctor",
        },
        id = check.id,
        name = check.name,
        title = check.title,
        family = check.family,
        severity = check.severity,
        checks = e.checks,
        why = e.why,
        fix = e.fix,
        example = e.example.trim_end(),
    );
    page
}

/// A `listen` diagnosis's page: the text of `tracectl explain LSN…` and of `docs/listen/<ID>.md`.
pub fn diagnosis_page(d: &Diagnosis) -> String {
    let e = &d.explanation;
    format!(
        "# {id} {name}\n\n{title}.\n\n\
         - Reported by: `tracectl listen`, once per sender and cause\n- Default severity: `{severity}`\n\n\
         ## What it looks at\n\n{checks}\n\n## Why it matters\n\n{why}\n\n## How to fix\n\n{fix}\n\n\
         ## Example\n\n```sh\n{example}\n```\n",
        id = d.id,
        name = d.name,
        title = d.title,
        severity = d.severity,
        checks = e.checks,
        why = e.why,
        fix = e.fix,
        example = e.example.trim_end(),
    )
}

fn diagnoses_index() -> String {
    let mut page = String::from(
        "# What `tracectl listen` diagnoses\n\nFindings about received traffic, reported once per \
         sender and cause (see docs/listen.md). Generated from the code by `scripts/regenerate`; \
         do not edit.\n\n| id | name | severity | title |\n|---|---|---|---|\n",
    );
    for d in DIAGNOSES {
        let _ = writeln!(
            page,
            "| [{id}]({id}.md) | `{name}` | {severity} | {title} |",
            id = d.id,
            name = d.name,
            severity = d.severity,
            title = d.title
        );
    }
    page
}

fn checks_index() -> String {
    let mut page = String::from(
        "# Checks\n\nEvery check `tracectl doctor` runs, in report order. \
         Generated from the code by `scripts/regenerate`; do not edit.\n\n\
         | id | name | family | severity | title |\n|---|---|---|---|---|\n",
    );
    for c in CHECKS {
        let _ = writeln!(
            page,
            "| [{id}]({id}.md) | `{name}` | {family} | {severity} | {title} |",
            id = c.id,
            name = c.name,
            family = c.family,
            severity = c.severity,
            title = c.title
        );
    }
    page
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    /// With `TRACECTL_REGENERATE=1` this rewrites the files instead of comparing them.
    #[test]
    fn generated_files_are_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let regenerate = std::env::var_os("TRACECTL_REGENERATE").is_some();
        let mut stale = Vec::new();
        for (path, content) in files(&Cli::command()).unwrap() {
            let full = root.join(&path);
            if regenerate {
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(&full, &content).unwrap();
            } else if std::fs::read(&full).ok().as_deref() != Some(&content[..]) {
                stale.push(path.display().to_string());
            }
        }
        if regenerate {
            let docs = root.join("docs/checks");
            for entry in std::fs::read_dir(&docs).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_stem().unwrap().to_string_lossy().to_string();
                if name != "README" && CHECKS.iter().all(|c| c.id != name) {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }
        assert!(
            stale.is_empty(),
            "stale generated files: {}\nrun `{REGENERATE}` to rewrite them",
            stale.join(", ")
        );
    }

    #[test]
    fn no_doc_page_without_a_check() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks");
        let Ok(entries) = std::fs::read_dir(docs) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            assert!(
                name == "README" || CHECKS.iter().any(|c| c.id == name),
                "{} documents no check; run `{REGENERATE}`",
                path.display()
            );
        }
    }
}
