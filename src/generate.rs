//! Files generated from the code and committed: check docs, shell completions, man pages.
//! The test at the bottom fails when a committed copy is stale; `scripts/regenerate` rewrites them.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap_complete::Shell;

use crate::registry;
use crate::rule::{Needs, Rule};

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
    files.push((
        PathBuf::from("docs/listen/README.md"),
        diagnoses_index().into(),
    ));
    for rule in registry::rules() {
        files.push((PathBuf::from(rule.docs_path()), rule_page(&rule).into()));
    }
    files.push((
        PathBuf::from("docs/check-propagation/README.md"),
        verdicts_index().into(),
    ));
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

/// A rule's page: the text of `tracectl explain ID` and of its generated docs page.
pub fn rule_page(rule: &Rule) -> String {
    let e = &rule.explanation;
    let body = format!(
        "## {looks}\n\n{checks}\n\n## Why it matters\n\n{why}\n\n## How to fix\n\n{fix}\n\n\
         ## Example\n\n```sh\n{example}\n```\n",
        looks = if matches!(rule.needs, Needs::Traffic | Needs::Service) {
            "What it looks at"
        } else {
            "What it checks"
        },
        checks = e.checks,
        why = e.why,
        fix = e.fix,
        example = e.example.trim_end(),
    );
    let head = format!("# {} {}\n\n{}.\n\n", rule.id, rule.name, rule.title);
    let needs = match rule.needs {
        Needs::Settings => "the resolved settings only (runs with --offline)",
        Needs::Network => "network access to the endpoints (skipped with --offline)",
        Needs::CollectorConfig => "a collector config file (`doctor --collector-config FILE`)",
        Needs::Traces => "a trace export (`tracectl analyze FILE`); doctor does not run it",
        Needs::Traffic => {
            return format!(
                "{head}- Reported by: `tracectl listen`, once per sender and cause\n\
                 - Default severity: `{}`\n\n{body}",
                rule.severity
            );
        }
        Needs::Workload => "deployment files (`doctor --k8s PATH`); runs once per workload",
        Needs::Deployment => "deployment files (`doctor --k8s PATH`); runs once across workloads",
        Needs::Service => {
            return format!(
                "{head}- Reported by: `tracectl check-propagation`\n\
                 - Default severity: `{}`\n\n{body}",
                rule.severity
            );
        }
    };
    let command = match rule.needs {
        Needs::Traces => "analyze FILE",
        Needs::Workload | Needs::Deployment => "doctor --k8s PATH",
        _ => "doctor",
    };
    format!(
        "{head}- Family: `{family}`\n- Default severity: `{severity}`\n- Needs: {needs}\n\n{body}\n\
         Run only this check: `tracectl {command} --select {id}`. \
         Change its severity: `tracectl {command} --severity {id}=warning`.\n",
        family = rule.family,
        severity = rule.severity,
        id = rule.id,
    )
}

fn verdicts_index() -> String {
    index(
        "# What `tracectl check-propagation` finds\n\nVerdicts about one service's context \
         propagation (see docs/check-propagation.md). Generated from the code by \
         `scripts/regenerate`; do not edit.\n\n| id | name | severity | title |\n|---|---|---|---|\n",
        Needs::Service,
    )
}

fn diagnoses_index() -> String {
    index(
        "# What `tracectl listen` diagnoses\n\nFindings about received traffic, reported once per \
         sender and cause (see docs/listen.md). Generated from the code by `scripts/regenerate`; \
         do not edit.\n\n| id | name | severity | title |\n|---|---|---|---|\n",
        Needs::Traffic,
    )
}

fn checks_index() -> String {
    index(
        "# Checks\n\nEvery check `tracectl doctor` runs, in report order. \
         Generated from the code by `scripts/regenerate`; do not edit.\n\n\
         | id | name | family | severity | title |\n|---|---|---|---|---|\n",
        Needs::Settings,
    )
}

/// An index page: `head`, then a table row per rule of one command: listen's diagnoses
/// (`Needs::Traffic`) and check-propagation's verdicts (`Needs::Service`) have no family column;
/// any other `of` lists every check.
fn index(head: &str, of: Needs) -> String {
    let mut page = String::from(head);
    let checks = !matches!(of, Needs::Traffic | Needs::Service);
    let listed = |r: &Rule| match checks {
        true => !matches!(r.needs, Needs::Traffic | Needs::Service),
        false => r.needs == of,
    };
    for r in registry::rules().filter(listed) {
        let family = if !checks {
            String::new()
        } else {
            format!(" {} |", r.family)
        };
        let _ = writeln!(
            page,
            "| [{id}]({id}.md) | `{name}` |{family} {severity} | {title} |",
            id = r.id,
            name = r.name,
            severity = r.severity,
            title = r.title
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
    use crate::registry::CHECKS;

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
