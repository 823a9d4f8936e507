//! The pipeline tracectl resolved, drawn as a Mermaid flowchart for the Markdown report:
//! app → the endpoint it exports to (protocol, port) → the collector (`--collector-config`) → its
//! exporters. An edge a finding breaks is crossed and labelled with the finding's id.

use std::fmt::Write as _;

use super::{Finding, Report, Severity};
use crate::rule::Family;
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

/// The Mermaid `flowchart` source (without the code fence).
pub fn mermaid(report: &Report) -> String {
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
    node(&mut d, "app", &[&format!("app: {service}"), &format!("sdk {} · exporter {exporter}", report.sdk)]);
    let url = effective(report, "otlp.url").unwrap_or("");
    let protocol = effective(report, "otlp.protocol").unwrap_or("");
    node(&mut d, "endpoint", &[&authority(url), protocol]);
    let mut edges = Vec::new();
    edges.push(("app", "endpoint".to_string(), protocol.to_string(), ids(Part::Export)));
    if let Some(c) = collector {
        let mut lines = vec![format!("collector: {}", c.file)];
        lines.extend(c.receivers.iter().map(|r| format!("receiver {r}")));
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        node(&mut d, "collector", &lines);
        edges.push(("endpoint", "collector".to_string(), String::new(), ids(Part::Receive)));
        for (i, (id, target)) in c.exporters.iter().enumerate() {
            let name = format!("exporter{i}");
            node(&mut d, &name, &[&format!("exporter {id}"), target]);
            edges.push(("collector", name, String::new(), ids(Part::Exporter(i))));
        }
    } else {
        node(&mut d, "collector", &["collector: not checked", "pass --collector-config FILE"]);
    }
    let mut broken_links = Vec::new();
    for (index, (from, to, label, (found, broken))) in edges.iter().enumerate() {
        let label = match (found.is_empty(), *broken) {
            (true, _) => label.clone(),
            (false, true) => format!("✗ {}", found.join(" ")),
            (false, false) => format!("! {}", found.join(" ")),
        };
        let arrow = match (found.is_empty(), *broken) {
            (true, _) => "-->",
            (false, true) => "--x",
            (false, false) => "-.->",
        };
        match label.is_empty() {
            true => { let _ = writeln!(d, "  {from} {arrow} {to}"); }
            false => { let _ = writeln!(d, "  {from} {arrow}|\"{}\"| {to}", escape(&label)); }
        }
        if *broken {
            broken_links.push(index);
        }
    }
    if collector.is_none() {
        let _ = writeln!(d, "  endpoint -.- collector");
    }
    let _ = writeln!(d, "  classDef broken fill:#fde2e2,stroke:#c0392b,stroke-width:2px");
    let _ = writeln!(d, "  classDef warned fill:#fff4d6,stroke:#b7950b");
    for (name, part) in [("app", Part::App), ("collector", Part::Collector)] {
        let (found, broken) = ids(part);
        if !found.is_empty() {
            let class = if broken { "broken" } else { "warned" };
            let _ = writeln!(d, "  class {name} {class}");
        }
    }
    for index in broken_links {
        let _ = writeln!(d, "  linkStyle {index} stroke:#c0392b,stroke-width:2px");
    }
    d
}

/// Findings on the app node and the collector node, as `(node, ids)`, for the legend.
pub fn node_findings(report: &Report) -> Vec<(&'static str, Vec<&'static str>)> {
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
    let text: Vec<String> = lines.iter().filter(|l| !l.is_empty()).map(|l| escape(l)).collect();
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
        assert_eq!(authority("http://collector:4318/v1/traces"), "collector:4318");
        assert_eq!(authority("unusable: no host"), "unusable: no host");
    }
}
