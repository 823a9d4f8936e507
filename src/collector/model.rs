//! The parts of a collector config the checks reason about: components, pipelines, listeners and
//! `${env:VAR}` references, each with the line it is on.

use super::components::{self, OtlpTransport, Signal};
use super::yaml::{Node, Value};

/// The top-level sections that define components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Receivers,
    Processors,
    Exporters,
    Connectors,
    Extensions,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Receivers,
        Section::Processors,
        Section::Exporters,
        Section::Connectors,
        Section::Extensions,
    ];

    /// The YAML key, e.g. `receivers`.
    pub fn key(self) -> &'static str {
        match self {
            Section::Receivers => "receivers",
            Section::Processors => "processors",
            Section::Exporters => "exporters",
            Section::Connectors => "connectors",
            Section::Extensions => "extensions",
        }
    }

    /// One component of the section, e.g. `receiver`.
    pub fn singular(self) -> &'static str {
        match self {
            Section::Receivers => "receiver",
            Section::Processors => "processor",
            Section::Exporters => "exporter",
            Section::Connectors => "connector",
            Section::Extensions => "extension",
        }
    }
}

/// One defined component, e.g. `exporters.otlp/jaeger`.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub section: Section,
    /// `type[/name]`.
    pub id: String,
    pub line: u32,
    pub config: Node,
}

impl Component {
    /// The type part of the id: `otlp` for `otlp/jaeger`.
    pub fn kind(&self) -> &str {
        kind_of(&self.id)
    }

    /// `exporters.otlp/jaeger`.
    pub fn path(&self) -> String {
        format!("{}.{}", self.section.key(), self.id)
    }
}

/// The type part of a component id.
pub fn kind_of(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

/// A component id named in a pipeline or in `service.extensions`, and its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    pub id: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    /// e.g. `traces` or `traces/jaeger`.
    pub id: String,
    pub line: u32,
    pub signal: Option<Signal>,
    pub receivers: Vec<Ref>,
    pub processors: Vec<Ref>,
    pub exporters: Vec<Ref>,
}

impl Pipeline {
    /// `service.pipelines.traces`.
    pub fn path(&self) -> String {
        format!("service.pipelines.{}", self.id)
    }

    /// Every reference with the section it must be defined in (receivers may also be connectors).
    pub fn refs(&self) -> impl Iterator<Item = (Section, &Ref)> {
        let r = self.receivers.iter().map(|r| (Section::Receivers, r));
        let p = self.processors.iter().map(|r| (Section::Processors, r));
        let e = self.exporters.iter().map(|r| (Section::Exporters, r));
        r.chain(p).chain(e)
    }
}

/// A `${env:VAR}` or `${VAR}` reference in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvRef {
    pub var: String,
    pub line: u32,
    /// Written with a fallback, `${env:VAR:-default}`.
    pub has_default: bool,
}

/// A socket a receiver listens on, configured or defaulted.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    /// The receiver id, e.g. `otlp`.
    pub receiver: String,
    /// The protocol key (`grpc`, `http`, `thrift_compact`), or `""` for single-endpoint receivers.
    pub protocol: String,
    /// Line of the endpoint, or of the protocol/receiver when the endpoint is defaulted.
    pub line: u32,
    /// The endpoint as written; `None` when the receiver's default applies.
    pub endpoint: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub udp: bool,
    pub otlp: Option<OtlpTransport>,
}

impl Listener {
    /// `receivers.otlp.protocols.grpc.endpoint`, or the receiver's own path.
    pub fn path(&self) -> String {
        match (self.protocol.is_empty(), self.endpoint.is_some()) {
            (true, true) => format!("receivers.{}.endpoint", self.receiver),
            (true, false) => format!("receivers.{}", self.receiver),
            (false, true) => format!(
                "receivers.{}.protocols.{}.endpoint",
                self.receiver, self.protocol
            ),
            (false, false) => format!("receivers.{}.protocols.{}", self.receiver, self.protocol),
        }
    }

    /// `host:port` as the collector would bind it.
    pub fn address(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.endpoint.clone().unwrap_or_else(|| self.host.clone()),
        }
    }
}

/// A parsed collector configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectorConfig {
    /// The file name as given, used in findings' subjects.
    pub file: String,
    pub components: Vec<Component>,
    /// Line of `service.pipelines`, or of `service`, or 1.
    pub pipelines_line: u32,
    pub pipelines: Vec<Pipeline>,
    pub service_extensions: Vec<Ref>,
    pub env_refs: Vec<EnvRef>,
    /// For a config merged from several files: where each file's line numbers start, in order.
    /// Empty for one file, whose lines are its own.
    pub parts: Vec<Part>,
}

/// One of several merged files: its lines are numbered from `start + 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub start: u32,
    pub file: String,
}

impl CollectorConfig {
    /// Builds the model from a parsed document and the text it came from.
    pub fn from_yaml(file: &str, root: &Node, text: &str) -> CollectorConfig {
        let mut components = Vec::new();
        for section in Section::ALL {
            for (key, config) in root.get(section.key()).map(Node::entries).unwrap_or(&[]) {
                components.push(Component {
                    section,
                    id: key.text.to_string(),
                    line: key.line,
                    config: config.clone(),
                });
            }
        }
        let service = root.entry("service");
        let pipelines_entry = service.and_then(|(_, s)| s.entry("pipelines"));
        let pipelines_line = pipelines_entry
            .map(|(k, _)| k.line)
            .or(service.map(|(k, _)| k.line))
            .unwrap_or(1);
        let pipelines = pipelines_entry
            .map(|(_, p)| p.entries())
            .unwrap_or(&[])
            .iter()
            .map(|(key, body)| Pipeline {
                id: key.text.to_string(),
                line: key.line,
                signal: Signal::of_pipeline(&key.text),
                receivers: refs(body.get("receivers")),
                processors: refs(body.get("processors")),
                exporters: refs(body.get("exporters")),
            })
            .collect();
        let service_extensions = refs(service.and_then(|(_, s)| s.get("extensions")));
        CollectorConfig {
            file: file.to_string(),
            components,
            pipelines_line,
            pipelines,
            service_extensions,
            env_refs: env_refs(text),
            parts: Vec::new(),
        }
    }

    /// `FILE:LINE path`, the subject of a finding.
    pub fn subject(&self, line: u32, path: &str) -> String {
        let (file, line) = self.place(line);
        format!("{file}:{line} {path}")
    }

    /// The file and line a line of the model is on (several merged files have a range each).
    pub fn place(&self, line: u32) -> (&str, u32) {
        match self.parts.iter().rev().find(|p| p.start < line) {
            Some(p) => (&p.file, line - p.start),
            None => (&self.file, line),
        }
    }

    pub fn components_in(&self, section: Section) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(move |c| c.section == section)
    }

    pub fn find(&self, section: Section, id: &str) -> Option<&Component> {
        self.components_in(section).find(|c| c.id == id)
    }

    /// The sockets every receiver listens on.
    pub fn listeners(&self) -> Vec<Listener> {
        self.components_in(Section::Receivers)
            .flat_map(receiver_listeners)
            .collect()
    }

    /// Whether a pipeline names `id` as a receiver.
    pub fn receiver_in_pipeline(&self, id: &str, signal: Option<Signal>) -> bool {
        self.pipelines
            .iter()
            .filter(|p| signal.is_none() || p.signal == signal)
            .any(|p| p.receivers.iter().any(|r| r.id == id))
    }
}

fn refs(node: Option<&Node>) -> Vec<Ref> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|n| {
                n.as_str().map(|id| Ref {
                    id: id.to_string(),
                    line: n.line,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn receiver_listeners(receiver: &Component) -> Vec<Listener> {
    let defaults = components::default_listeners(receiver.kind());
    let listener = |protocol: &str, line: u32, endpoint: Option<&Node>| {
        let default = defaults.iter().find(|d| d.protocol == protocol);
        let written = endpoint.and_then(Node::as_str).map(str::to_string);
        let (host, port) = match &written {
            Some(e) => split_host_port(e),
            None => ("localhost".to_string(), default.map(|d| d.port)),
        };
        Listener {
            receiver: receiver.id.clone(),
            protocol: protocol.to_string(),
            line: endpoint.map_or(line, |e| e.line),
            endpoint: written,
            host,
            port,
            udp: default.is_some_and(|d| d.udp),
            otlp: default.and_then(|d| d.otlp),
        }
    };
    let has_protocols = defaults.iter().any(|d| !d.protocol.is_empty());
    if has_protocols {
        receiver
            .config
            .get("protocols")
            .map(Node::entries)
            .unwrap_or(&[])
            .iter()
            .map(|(key, body)| listener(&key.text, key.line, body.get("endpoint")))
            .collect()
    } else if !defaults.is_empty() || receiver.config.get("endpoint").is_some() {
        vec![listener("", receiver.line, receiver.config.get("endpoint"))]
    } else {
        Vec::new()
    }
}

/// Host and port of an endpoint written as `host:port`, `:port`, `[v6]:port` or a URL.
pub fn split_host_port(endpoint: &str) -> (String, Option<u16>) {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest)
        .trim();
    let authority = rest.split('/').next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, tail) = v6.split_once(']').unwrap_or((v6, ""));
        let port = tail.strip_prefix(':').and_then(|p| p.parse().ok());
        return (host.to_string(), port);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') || host.contains("${") => {
            (host.to_string(), port.parse().ok())
        }
        _ => (authority.to_string(), None),
    }
}

/// Whether a host only accepts connections from the same machine (or network namespace).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_matches(|c| c == '[' || c == ']');
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a bind host listens on every interface.
pub fn is_wildcard(host: &str) -> bool {
    matches!(
        host.trim_matches(|c| c == '[' || c == ']'),
        "" | "0.0.0.0" | "::"
    )
}

/// Every `${env:VAR}`, `${env:VAR:-default}`, `${VAR}` outside comment lines.
fn env_refs(text: &str) -> Vec<EnvRef> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut rest = line;
        while let Some(start) = rest.find("${") {
            let escaped = rest[..start].ends_with('$');
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            let inner = &after[..end];
            rest = &after[end + 1..];
            if escaped {
                continue;
            }
            let inner = inner.strip_prefix("env:").unwrap_or(inner);
            let (var, has_default) = match inner.split_once(":-") {
                Some((var, _)) => (var, true),
                None => (inner, false),
            };
            let valid = var
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if valid {
                found.push(EnvRef {
                    var: var.to_string(),
                    line: line_no,
                    has_default,
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_split_into_host_and_port() {
        assert_eq!(
            split_host_port("0.0.0.0:4317"),
            ("0.0.0.0".into(), Some(4317))
        );
        assert_eq!(split_host_port(":4318"), ("".into(), Some(4318)));
        assert_eq!(split_host_port("[::]:4317"), ("::".into(), Some(4317)));
        assert_eq!(
            split_host_port("http://jaeger:4318/v1/traces"),
            ("jaeger".into(), Some(4318))
        );
        assert_eq!(
            split_host_port("${env:POD_IP}:4317"),
            ("${env:POD_IP}".into(), Some(4317))
        );
        assert_eq!(split_host_port("jaeger"), ("jaeger".into(), None));
    }

    #[test]
    fn env_references_in_every_form() {
        let refs = env_refs(
            "a: ${env:A}\n# b: ${env:COMMENTED}\nc: ${C:-x} $${env:ESCAPED} ${file:/x} ${env:D}\n",
        );
        let got: Vec<_> = refs
            .iter()
            .map(|r| (r.var.as_str(), r.line, r.has_default))
            .collect();
        assert_eq!(got, [("A", 1, false), ("C", 3, true), ("D", 3, false)]);
    }

    #[test]
    fn loopback_and_wildcard_hosts() {
        assert!(is_loopback("localhost") && is_loopback("127.0.0.1") && is_loopback("[::1]"));
        assert!(!is_loopback("0.0.0.0") && !is_loopback("otel-collector"));
        assert!(is_wildcard("0.0.0.0") && is_wildcard("") && is_wildcard("[::]"));
    }
}
