//! The pipeline tracectl resolved, drawn as a Mermaid flowchart for the Markdown report:
//! app → the endpoint it exports to (protocol, port) → the collector (`--collector-config`) → its
//! exporters. An edge a finding breaks is crossed and labelled with the finding's id.

use std::fmt::Write as _;

use super::{Finding, Report, WorkloadReport};
use crate::rule::{Family, Severity};
use crate::settings::SettingKind;

/// The collector config the run read, reduced to what the diagram shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CollectorView {
    /// The file as named on the command line.
    pub file: String,
    /// Receivers of its traces pipelines with where they listen, e.g. `otlp grpc 0.0.0.0:4317`.
    pub receivers: Vec<String>,
    /// Exporters of its traces pipelines: `(id, where it sends)`.
    pub exporters: Vec<(String, String)>,
}

/// Which part of the pipeline a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    App,
    Export,
    Receive,
    Collector,
    Exporter(usize),
}

fn part_of(f: &Finding, collector: Option<&CollectorView>) -> Part {
    match f.family {
        Family::ServiceName
        | Family::Sampler
        | Family::Clock
        | Family::TraceClock
        | Family::TracePropagation
        | Family::TraceServices => Part::App,
        Family::Collector => match f.id {
            "COL003" | "COL004" | "COL009" | "COL012" => Part::Receive,
            _ => collector
                .and_then(|c| {
                    c.exporters
                        .iter()
                        .position(|(id, _)| f.subject.contains(&format!("exporters.{id}")))
                })
                .map_or(Part::Collector, Part::Exporter),
        },
        _ => Part::Export,
    }
}

/// The effective setting `key` as the report shows it.
fn effective<'a>(report: &'a Report, key: &str) -> Option<&'a str> {
    report
        .settings
        .iter()
        .find(|s| s.kind == SettingKind::Effective && s.key == key)
        .map(|s| s.value.as_str())
}

/// The Mermaid `flowchart` source (without the code fence): the deployment's workloads when the
/// report has them, else the single environment's pipeline.
pub fn mermaid(report: &Report) -> String {
    if report.workloads.is_empty() {
        single(report)
    } else {
        deployment(report)
    }
}

/// `doctor --k8s`: each app workload → the endpoint it exports to → the collector workload whose
/// name is the endpoint's host. An edge is broken by the app's findings about exporting.
fn deployment(report: &Report) -> String {
    let mut d = String::from("flowchart LR\n");
    let mut endpoints: Vec<(String, String)> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    let mut broken_links = Vec::new();
    let mut classes: Vec<(String, &str)> = Vec::new();
    let collectors: Vec<(usize, &WorkloadReport)> = report
        .workloads
        .iter()
        .enumerate()
        .filter(|(_, w)| w.role != "app")
        .collect();
    for (i, w) in report.workloads.iter().enumerate() {
        let setting = |key: &str| {
            w.settings
                .iter()
                .find(|s| s.kind == SettingKind::Effective && s.key == key)
                .map(|s| s.value.as_str())
                .unwrap_or("")
        };
        let findings: Vec<&Finding> = w.checks.iter().flat_map(|c| &c.findings).collect();
        let ids = |part: Part| -> (Vec<&str>, bool) {
            let found: Vec<&&Finding> = findings
                .iter()
                .filter(|f| part_of(f, None) == part)
                .collect();
            let mut ids: Vec<&str> = found.iter().map(|f| f.id).collect();
            ids.dedup();
            (ids, found.iter().any(|f| f.severity >= report.fail_on))
        };
        if w.role != "app" {
            node(
                &mut d,
                &format!("w{i}"),
                &[&format!("{} {}", w.role, w.id), &w.source.to_string()],
            );
            let (found, broken) = ids(Part::Collector);
            let (more, worse) = ids(Part::Receive);
            if !found.is_empty() || !more.is_empty() {
                classes.push((
                    format!("w{i}"),
                    if broken || worse { "broken" } else { "warned" },
                ));
            }
            continue;
        }
        node(
            &mut d,
            &format!("w{i}"),
            &[
                &w.id,
                &format!("service {} · sdk {}", setting("service.name"), w.sdk.name),
            ],
        );
        let target = authority(setting("otlp.url"));
        let protocol = setting("otlp.protocol").to_string();
        let e = match endpoints
            .iter()
            .position(|(t, p)| *t == target && *p == protocol)
        {
            Some(e) => e,
            None => {
                endpoints.push((target.clone(), protocol.clone()));
                node(
                    &mut d,
                    &format!("e{}", endpoints.len() - 1),
                    &[&target, &protocol],
                );
                endpoints.len() - 1
            }
        };
        let (mut found, broken) = ids(Part::Export);
        let (app, app_broken) = ids(Part::App);
        if !app.is_empty() {
            classes.push((
                format!("w{i}"),
                if app_broken { "broken" } else { "warned" },
            ));
        }
        found.dedup();
        links.push(edge(
            &format!("w{i}"),
            &format!("e{e}"),
            &protocol,
            &found,
            broken,
        ));
        if broken {
            broken_links.push(links.len() - 1);
        }
    }
    for (e, (target, _)) in endpoints.iter().enumerate() {
        let host = target.split([':', '.']).next().unwrap_or_default();
        for (i, c) in &collectors {
            if !host.is_empty() && c.name == host {
                links.push(format!("  e{e} --> w{i}\n"));
            }
        }
    }
    d.extend(links);
    finish(&mut d, &classes, &broken_links);
    d
}

/// One link, crossed and labelled with the finding ids when findings break it.
fn edge(from: &str, to: &str, label: &str, found: &[&str], broken: bool) -> String {
    let (arrow, label) = match (found.is_empty(), broken) {
        (true, _) => ("-->", label.to_string()),
        (false, true) => ("--x", format!("✗ {}", found.join(" "))),
        (false, false) => ("-.->", format!("! {}", found.join(" "))),
    };
    match label.is_empty() {
        true => format!("  {from} {arrow} {to}\n"),
        false => format!("  {from} {arrow}|\"{}\"| {to}\n", escape(&label)),
    }
}

/// Class definitions, node classes and the styles of broken links.
fn finish(d: &mut String, classes: &[(String, &str)], broken_links: &[usize]) {
    let _ = writeln!(
        d,
        "  classDef broken fill:#fde2e2,stroke:#c0392b,stroke-width:2px"
    );
    let _ = writeln!(d, "  classDef warned fill:#fff4d6,stroke:#b7950b");
    for (name, class) in classes {
        let _ = writeln!(d, "  class {name} {class}");
    }
    for index in broken_links {
        let _ = writeln!(d, "  linkStyle {index} stroke:#c0392b,stroke-width:2px");
    }
}

/// One environment: app → endpoint → collector (`--collector-config`) → its exporters.
fn single(report: &Report) -> String {
    let collector = report.collector.as_ref();
    let ids = |part: Part| -> (Vec<&str>, bool) {
        let found: Vec<&Finding> = report
            .findings()
            .filter(|f| part_of(f, collector) == part)
            .collect();
        let broken = found.iter().any(|f| f.severity >= report.fail_on);
        let mut ids: Vec<&str> = found.iter().map(|f| f.id).collect();
        ids.dedup();
        (ids, broken)
    };
    let mut d = String::from("flowchart LR\n");
    let service = effective(report, "service.name").unwrap_or("app");
    let exporter = effective(report, "traces.exporter").unwrap_or("otlp");
    node(
        &mut d,
        "app",
        &[
            &format!("app: {service}"),
            &format!("sdk {} · exporter {exporter}", report.sdk),
        ],
    );
    let url = effective(report, "otlp.url").unwrap_or("");
    let protocol = effective(report, "otlp.protocol").unwrap_or("");
    node(&mut d, "endpoint", &[&authority(url), protocol]);
    let mut edges = Vec::new();
    edges.push((
        "app",
        "endpoint".to_string(),
        protocol.to_string(),
        ids(Part::Export),
    ));
    if let Some(c) = collector {
        let mut lines = vec![format!("collector: {}", c.file)];
        lines.extend(c.receivers.iter().map(|r| format!("receiver {r}")));
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        node(&mut d, "collector", &lines);
        edges.push((
            "endpoint",
            "collector".to_string(),
            String::new(),
            ids(Part::Receive),
        ));
        for (i, (id, target)) in c.exporters.iter().enumerate() {
            let name = format!("exporter{i}");
            node(&mut d, &name, &[&format!("exporter {id}"), target]);
            edges.push(("collector", name, String::new(), ids(Part::Exporter(i))));
        }
    } else {
        node(
            &mut d,
            "collector",
            &["collector: not checked", "pass --collector-config FILE"],
        );
    }
    let mut broken_links = Vec::new();
    for (index, (from, to, label, (found, broken))) in edges.iter().enumerate() {
        d.push_str(&edge(from, to, label, found, *broken));
        if *broken {
            broken_links.push(index);
        }
    }
    if collector.is_none() {
        let _ = writeln!(d, "  endpoint -.- collector");
    }
    let mut classes = Vec::new();
    for (name, part) in [("app", Part::App), ("collector", Part::Collector)] {
        let (found, broken) = ids(part);
        if !found.is_empty() {
            classes.push((name.to_string(), if broken { "broken" } else { "warned" }));
        }
    }
    finish(&mut d, &classes, &broken_links);
    d
}

/// Findings on the app node and the collector node, as `(node, ids)`, for the legend.
/// For a deployment: the findings of the checks across workloads, which no edge carries.
pub fn node_findings(report: &Report) -> Vec<(&'static str, Vec<&'static str>)> {
    if !report.workloads.is_empty() {
        let mut ids: Vec<&'static str> = report
            .checks
            .iter()
            .flat_map(|c| &c.findings)
            .map(|f| f.id)
            .collect();
        ids.dedup();
        return match ids.is_empty() {
            true => Vec::new(),
            false => vec![("checks across workloads", ids)],
        };
    }
    let collector = report.collector.as_ref();
    [("app", Part::App), ("collector", Part::Collector)]
        .into_iter()
        .map(|(name, part)| {
            let mut ids: Vec<&'static str> = report
                .findings()
                .filter(|f| part_of(f, collector) == part && f.severity >= Severity::Warning)
                .map(|f| f.id)
                .collect();
            ids.dedup();
            (name, ids)
        })
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
}

fn node(d: &mut String, name: &str, lines: &[&str]) {
    let text: Vec<String> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| escape(l))
        .collect();
    let _ = writeln!(d, "  {name}[\"{}\"]", text.join("<br/>"));
}

/// `host:port` of a URL, or the text itself when it is not one.
fn authority(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
        .unwrap_or_else(|| url.to_string())
}

/// Text inside a quoted Mermaid label: quotes and angle brackets as entity codes.
fn escape(s: &str) -> String {
    s.replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_their_quotes() {
        assert_eq!(escape("a\"b<c>#"), "a#quot;b#lt;c#gt;#35;");
        assert_eq!(
            authority("http://collector:4318/v1/traces"),
            "collector:4318"
        );
        assert_eq!(authority("unusable: no host"), "unusable: no host");
    }
}
