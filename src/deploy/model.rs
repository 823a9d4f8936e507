//! The workload model shared by every deployment reader (Kubernetes, Compose): what runs, with
//! which environment and ports, which names it can reach, and where in the input each fact is.

use serde::Serialize;

pub use crate::settings::Location;

/// Which platform the input describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Kubernetes,
    Compose,
}

/// What a container is, judged by its image and command: apps are checked as instrumented
/// applications; collectors, agents and backends as what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An application (anything not recognised as tracing infrastructure).
    App,
    /// An OpenTelemetry Collector (core, contrib, k8s distributions), Jaeger v2 or rotel.
    Collector,
    /// A Jaeger agent (the legacy node-local UDP forwarder).
    Agent,
    /// A tracing backend: Jaeger all-in-one / collector / query, Zipkin, Tempo.
    Backend,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::App => "app",
            Role::Collector => "collector",
            Role::Agent => "agent",
            Role::Backend => "backend",
        }
    }
}

/// A port's transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Tcp,
    Udp,
    Sctp,
}

impl Transport {
    /// Reads `TCP`, `udp`, … (case-insensitive); `None` for anything else.
    pub fn parse(text: &str) -> Option<Transport> {
        match text.to_ascii_lowercase().as_str() {
            "tcp" => Some(Transport::Tcp),
            "udp" => Some(Transport::Udp),
            "sctp" => Some(Transport::Sctp),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "TCP",
            Transport::Udp => "UDP",
            Transport::Sctp => "SCTP",
        }
    }
}

/// A port a container declares (Kubernetes `ports[]`, Compose `ports` / `expose`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Port {
    /// The port the process listens on inside the container.
    pub container_port: u16,
    /// The node's or host's port mapped to it (`hostPort`, a Compose published port).
    pub host_port: Option<u16>,
    /// The host address the published port binds to (`hostIP`, `127.0.0.1:4317:4317`).
    pub host_ip: Option<String>,
    pub transport: Transport,
    /// The port's name (Kubernetes `name`, used by named Service target ports).
    pub name: Option<String>,
    /// Where the port is declared.
    pub source: Location,
}

/// An environment variable's value as the container would see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum EnvValue {
    /// Known from the input, after `$(VAR)` expansion or Compose interpolation. A placeholder
    /// expanded into it is written as its field path (`http://status.hostIP:4317`) and listed in
    /// [`EnvVar::placeholders`].
    Literal(String),
    /// Known only at run time: a `fieldRef` such as `status.hostIP`, `status.podIP`,
    /// `spec.nodeName`.
    Placeholder(String),
    /// A reference the input does not resolve, as written (e.g. `secretKeyRef otel-auth/token`
    /// when that Secret is not in the input).
    Unresolved(String),
}

impl EnvValue {
    /// The text settings resolution sees: the literal, the placeholder's field path, or empty
    /// for an unresolved reference.
    pub fn text(&self) -> &str {
        match self {
            EnvValue::Literal(s) | EnvValue::Placeholder(s) => s,
            EnvValue::Unresolved(_) => "",
        }
    }
}

/// One environment variable of a container, after the platform's precedence rules: only the
/// winning definition of each name is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
    /// Run-time placeholders (`status.hostIP`, …) a literal embeds through `$(VAR)` expansion.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
    /// Where the winning definition is written (the `env` entry, the ConfigMap key, the env file
    /// line).
    pub source: Location,
    /// How the value arrived, for people: `env`, `envFrom ConfigMap otel-env`,
    /// `valueFrom secretKeyRef otel-auth/token`, `env_file .env`, `environment`.
    pub origin: String,
    /// The value comes from a Secret (or is a secret by name): never shown in full.
    pub secret: bool,
    /// Definitions of the same name this one overrides (e.g. a ConfigMap key beaten by `env`),
    /// latest first, as `origin at file:line`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

/// Which containers share a network namespace (so `localhost` reaches each other).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Network {
    /// Workloads with the same group share `localhost`: the pod's id in Kubernetes; in Compose
    /// the service's own name, or the service named by `network_mode: service:X`.
    pub group: String,
    /// The container uses the node's or host's network (`hostNetwork: true`,
    /// `network_mode: host`): its ports are reachable on the node's address.
    pub host: bool,
}

/// One container of a workload: the unit the settings checks run on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workload {
    /// Stable, unique id: `namespace/kind/name/container` (Kubernetes), the service name
    /// (Compose). `--workload` globs match it.
    pub id: String,
    pub platform: Platform,
    /// `Deployment`, `DaemonSet`, `CronJob`, … ; `service` for Compose.
    pub kind: String,
    /// The Kubernetes namespace; the Compose project name.
    pub namespace: String,
    /// The object's name (Kubernetes), the service name (Compose).
    pub name: String,
    /// The container's name (Compose: `container_name`, else the service name).
    pub container: String,
    /// An init container (sidecars are init containers with `restartPolicy: Always`).
    pub init: bool,
    pub image: Option<String>,
    /// The entrypoint (`command`, Compose `entrypoint`), as a list of words.
    pub command: Vec<String>,
    /// The arguments (`args`, Compose `command`), as a list of words.
    pub args: Vec<String>,
    /// Where the container is defined (its `- name:` line; the Compose service's key).
    pub source: Location,
    /// For `helm template` output: the template named by the document's `# Source:` comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The environment, sorted by name, one entry per name.
    pub env: Vec<EnvVar>,
    pub ports: Vec<Port>,
    pub role: Role,
    pub network: Network,
    /// Pod template labels (Kubernetes), service labels (Compose): what selectors match.
    pub labels: Vec<(String, String)>,
    /// Pod template annotations (Kubernetes), service labels (Compose): injection annotations.
    pub annotations: Vec<(String, String)>,
    /// Names added to the container's /etc/hosts (Compose `extra_hosts`), with the address each
    /// maps to (e.g. `host.docker.internal` → `host-gateway`) and where it is written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<(String, String, Location)>,
    /// Files the input puts in the container's file system (Kubernetes: ConfigMap volumes of app
    /// containers), by path: where the Java agent's configuration file is looked up.
    #[serde(skip)]
    pub mounted: Vec<(String, ConfigText)>,
    /// The JVM's options and system properties, when the container has any: set after reading
    /// by [`crate::deploy::java::apply`], which also puts each `-Dotel.*` value in `env`.
    #[serde(skip)]
    pub jvm: Option<Box<crate::settings::java::Jvm>>,
    /// The OpenTelemetry Operator instruments this container (its env then holds what the
    /// webhook adds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injected: Option<Box<Injected>>,
}

/// What the OpenTelemetry Operator injects into a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Injected {
    /// The `inject-<lang>` language: `java`, `nodejs`, `python`, `dotnet`, `go`, `sdk`.
    pub lang: String,
    /// The Instrumentation's `namespace/name` and where it is defined.
    pub instrumentation: String,
    pub at: Location,
    /// The annotation that asks for it, as written, and its line.
    pub annotation: String,
    pub annotation_at: Location,
    /// The app container the telemetry is about: this one, or for Go the one the agent
    /// sidecar instruments.
    pub container: String,
}

impl Workload {
    /// The winning definition of `name`.
    pub fn var(&self, name: &str) -> Option<&EnvVar> {
        self.env
            .binary_search_by(|v| v.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.env[i])
    }

    /// Whether the containers of `self` and `other` share `localhost`.
    pub fn shares_network_with(&self, other: &Workload) -> bool {
        self.network.group == other.network.group || (self.network.host && other.network.host)
    }
}

/// A Service's (or Compose service's) target port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TargetPort {
    Number(u16),
    /// A container port's name.
    Name(String),
}

/// One port a network name answers on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServicePort {
    pub name: Option<String>,
    /// The port clients connect to by the service's name.
    pub port: u16,
    /// The container port traffic is sent to.
    pub target: TargetPort,
    pub transport: Transport,
    /// Where the port is declared.
    pub source: Location,
}

/// What a network name sends traffic to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Backing {
    /// A Kubernetes selector: pod templates whose labels include all of these.
    Selector(Vec<(String, String)>),
    /// No selector (a Service backed by hand-made Endpoints, or ExternalName).
    None,
    /// The Compose service's own containers (workload ids).
    Workloads(Vec<String>),
}

/// A name other workloads can connect to: a Kubernetes Service, a Compose service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub platform: Platform,
    /// The Kubernetes namespace; the Compose project name.
    pub namespace: String,
    pub name: String,
    /// Further names resolving to it (Compose `container_name`, `hostname`, network aliases).
    pub aliases: Vec<String>,
    pub ports: Vec<ServicePort>,
    pub backing: Backing,
    /// `clusterIP: None`.
    pub headless: bool,
    /// Where the object (the Compose service) is defined.
    pub source: Location,
}

/// A config text found in the input (a ConfigMap key, a Compose config or mounted file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigText {
    /// For people: `ConfigMap otel-collector-conf key relay.yaml`, a file path.
    pub name: String,
    /// Where the text's first line is in the input: line N of the text is at `first.line + N - 1`.
    pub first: Location,
    pub text: String,
}

/// A collector container and the config files it is started with, in `--config` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectorInput {
    /// The collector's [`Workload::id`].
    pub workload: String,
    pub configs: Vec<ConfigText>,
}

/// What kind of problem the input itself has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The file could not be read or parsed.
    Unreadable,
    /// An object lacks something the platform requires (no name, containers not a list…).
    Malformed,
    /// `envFrom` / `valueFrom` / `env_file` names a source that is neither in the input nor
    /// optional: the container will not start.
    MissingSource,
    /// A Compose `$VAR` / `${VAR}` without a default that nothing sets: Compose warns and uses "".
    UnsetVariable,
}

/// A problem with the input found while reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The workload concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    pub location: Location,
    /// A sentence a user can act on.
    pub message: String,
}

/// Everything read from the deployment inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Deployment {
    /// One per container, in input order.
    pub workloads: Vec<Workload>,
    pub services: Vec<Service>,
    pub collectors: Vec<CollectorInput>,
    pub problems: Vec<Problem>,
    /// Istio mesh tracing, when the input holds Istio objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh: Option<crate::deploy::mesh::Mesh>,
    /// What keeps the OpenTelemetry Operator's injection from working as written.
    pub injections: Vec<Injection>,
}

/// Something about the OpenTelemetry Operator's injection a check reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InjectionIssue {
    /// An `inject-*` annotation on the workload object's own metadata, not its pod template.
    AnnotationOnObject,
    /// `"true"` with no Instrumentation, or with several, in the namespace.
    NoSingleInstrumentation,
    /// The annotation names an Instrumentation that is not in the input.
    MissingInstrumentation,
    /// An `envFrom` value the injected `env` entry will override.
    EnvFromOverridden,
    /// The webhook skips the container (e.g. `JAVA_TOOL_OPTIONS` from `valueFrom`).
    Skipped,
    /// `https://` exporter endpoint without `exporter.tls`.
    HttpsWithoutTls,
    /// `sidecar.opentelemetry.io/inject` without a sidecar-mode OpenTelemetryCollector.
    SidecarWithoutCollector,
}

/// One [`InjectionIssue`] where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Injection {
    pub issue: InjectionIssue,
    /// The workload concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    pub location: Location,
    /// A sentence saying what happens.
    pub message: String,
    /// A sentence saying what to change.
    pub fix: String,
}

impl Deployment {
    /// Adds another input's workloads, names, collectors and problems (e.g. Compose next to
    /// Kubernetes manifests).
    pub fn extend(&mut self, other: Deployment) {
        self.workloads.extend(other.workloads);
        self.services.extend(other.services);
        self.collectors.extend(other.collectors);
        self.problems.extend(other.problems);
        self.mesh = self.mesh.take().or(other.mesh);
        self.injections.extend(other.injections);
    }

    pub fn workload(&self, id: &str) -> Option<&Workload> {
        self.workloads.iter().find(|w| w.id == id)
    }

    /// The collector config inputs of a workload, if it is a collector whose config was found.
    pub fn collector_of(&self, id: &str) -> Option<&CollectorInput> {
        self.collectors.iter().find(|c| c.workload == id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A Kubernetes app container `default/Deployment/<name>/<name>` with no env, for tests.
    pub fn workload(name: &str) -> Workload {
        Workload {
            id: format!("default/Deployment/{name}/{name}"),
            platform: Platform::Kubernetes,
            kind: "Deployment".into(),
            namespace: "default".into(),
            name: name.into(),
            container: name.into(),
            init: false,
            image: None,
            command: Vec::new(),
            args: Vec::new(),
            source: Location::new("deploy.yaml", 1),
            template: None,
            env: Vec::new(),
            ports: Vec::new(),
            role: Role::App,
            network: Network {
                group: format!("default/Deployment/{name}"),
                host: false,
            },
            labels: Vec::new(),
            annotations: Vec::new(),
            hosts: Vec::new(),
            mounted: Vec::new(),
            jvm: None,
            injected: None,
        }
    }

    /// A literal `env` entry at deploy.yaml:10.
    pub fn env(name: &str, value: &str) -> EnvVar {
        EnvVar {
            name: name.into(),
            value: EnvValue::Literal(value.into()),
            placeholders: Vec::new(),
            source: Location::new("deploy.yaml", 10),
            origin: "env".into(),
            secret: false,
            overrides: Vec::new(),
        }
    }

    #[test]
    fn var_finds_the_winning_definition_and_pods_share_localhost() {
        let mut a = workload("a");
        a.env = vec![env("A", "1"), env("B", "2")];
        assert_eq!(a.var("B").map(|v| v.value.text()), Some("2"));
        assert!(a.var("C").is_none());
        let mut b = workload("b");
        assert!(!a.shares_network_with(&b));
        b.network.group = a.network.group.clone();
        assert!(a.shares_network_with(&b));
    }
}
