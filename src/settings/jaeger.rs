//! Legacy Jaeger client settings (`JAEGER_*`, read by jaeger-client libraries, ignored by
//! OpenTelemetry SDKs) and the `OTEL_EXPORTER_JAEGER_*` variables removed from the spec in 2023,
//! with the one place that decides where a Jaeger client sends ([`Location`], docs/settings.md).

use serde::Serialize;

use super::pipeline::read;
use super::{Inputs, Resolved, Sdk, Secret, Source};

pub const AGENT_HOST: &str = "JAEGER_AGENT_HOST";
pub const AGENT_PORT: &str = "JAEGER_AGENT_PORT";
pub const ENDPOINT: &str = "JAEGER_ENDPOINT";
pub const USER: &str = "JAEGER_USER";
pub const PASSWORD: &str = "JAEGER_PASSWORD";
pub const AUTH_TOKEN: &str = "JAEGER_AUTH_TOKEN";
pub const SAMPLER_TYPE: &str = "JAEGER_SAMPLER_TYPE";
pub const SAMPLER_PARAM: &str = "JAEGER_SAMPLER_PARAM";
/// Prefix of the exporter variables the spec removed in v1.23.0.
pub const REMOVED_OTEL_PREFIX: &str = "OTEL_EXPORTER_JAEGER_";
pub const REMOVED_ENDPOINT: &str = "OTEL_EXPORTER_JAEGER_ENDPOINT";
pub const REMOVED_AGENT_HOST: &str = "OTEL_EXPORTER_JAEGER_AGENT_HOST";
pub const REMOVED_AGENT_PORT: &str = "OTEL_EXPORTER_JAEGER_AGENT_PORT";
/// The agent host every Jaeger client and the removed exporters default to.
pub const DEFAULT_AGENT_HOST: &str = "localhost";
/// The collector's thrift-over-HTTP path.
pub const COLLECTOR_PATH: &str = "/api/traces";

/// The three location variables of one family: endpoint, agent host, agent port.
const CLIENT_LOCATION: [&str; 3] = [ENDPOINT, AGENT_HOST, AGENT_PORT];
const REMOVED_LOCATION: [&str; 3] = [REMOVED_ENDPOINT, REMOVED_AGENT_HOST, REMOVED_AGENT_PORT];

/// A Jaeger agent: host and UDP port, each from a variable or the default.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    pub host: Resolved<String>,
    /// The port; a value that is not a port number falls back to the default (JGR002 says so).
    pub port: Resolved<u16>,
}

/// Where a Jaeger client sends spans, read from one family of variables (docs/settings.md):
/// the `JAEGER_*` client variables when any of JAEGER_ENDPOINT, JAEGER_AGENT_HOST,
/// JAEGER_AGENT_PORT is set, else the removed `OTEL_EXPORTER_JAEGER_*` ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    /// The collector URL (thrift over HTTP), as written, when the family sets one.
    pub endpoint: Option<Resolved<String>>,
    /// The agent, when the family sets its host or port (the default fills the other).
    pub agent: Option<Agent>,
    /// The agent port the client uses by default (6832 for Node's jaeger-client, else 6831).
    pub default_port: u16,
}

/// Which way a Jaeger client sends, by the clients' own rule: the HTTP collector endpoint when
/// one is set (the agent variables are then ignored), else the UDP agent.
#[derive(Debug, Clone, PartialEq)]
pub enum Sender<'a> {
    Http(&'a Resolved<String>),
    Agent(Agent),
}

impl Location {
    fn resolve(inputs: &Inputs, sdk: Sdk) -> Location {
        let vars = if inputs.first_set(&CLIENT_LOCATION).is_some() {
            CLIENT_LOCATION
        } else {
            REMOVED_LOCATION
        };
        let default_port = sdk.jaeger_agent_port();
        let endpoint = inputs.first_set(&vars[..1]);
        let host = inputs.first_set(&vars[1..2]);
        let port = inputs.first_set(&vars[2..]);
        let agent = (host.is_some() || port.is_some()).then(|| Agent {
            host: host
                .map(|h| h.map(|v| v.trim().to_string()))
                .unwrap_or_else(|| default(DEFAULT_AGENT_HOST.to_string())),
            port: port
                .and_then(|p| {
                    let n = p.value.trim().parse::<u16>().ok()?;
                    Some(p.map(|_| n))
                })
                .unwrap_or_else(|| default(default_port)),
        });
        Location {
            endpoint,
            agent,
            default_port,
        }
    }

    /// Whether any location variable is set.
    pub fn is_set(&self) -> bool {
        self.endpoint.is_some() || self.agent.is_some()
    }

    /// The agent configured, or the client's default `localhost:<default port>`.
    pub fn agent_or_default(&self) -> Agent {
        self.agent.clone().unwrap_or_else(|| Agent {
            host: default(DEFAULT_AGENT_HOST.to_string()),
            port: default(self.default_port),
        })
    }

    /// Where a client that reads these variables sends: the endpoint when set, else the agent
    /// (configured or default). `reads_endpoint` is false for clients without an HTTP sender.
    pub fn sender(&self, reads_endpoint: bool) -> Sender<'_> {
        match &self.endpoint {
            Some(endpoint) if reads_endpoint => Sender::Http(endpoint),
            _ => Sender::Agent(self.agent_or_default()),
        }
    }

    /// The host the setup points at (endpoint's host, else the agent's), for fixes.
    pub fn host(&self) -> Option<String> {
        let from_url = self.endpoint.as_ref().and_then(|e| {
            url::Url::parse(e.value.trim())
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
        });
        from_url.or_else(|| {
            self.agent
                .as_ref()
                .filter(|a| a.host.var.is_some())
                .map(|a| a.host.value.clone())
        })
    }
}

fn default<T>(value: T) -> Resolved<T> {
    Resolved {
        value,
        var: None,
        source: Source::SpecDefault,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jaeger {
    pub agent_host: Option<Resolved<String>>,
    pub agent_port: Option<Resolved<String>>,
    pub endpoint: Option<Resolved<String>>,
    pub user: Option<Resolved<String>>,
    pub password: Option<Resolved<Secret>>,
    pub auth_token: Option<Resolved<Secret>>,
    pub sampler_type: Option<Resolved<String>>,
    pub sampler_param: Option<Resolved<String>>,
    /// Every `JAEGER_*` variable that is set and not empty, by name.
    pub client_vars: Vec<String>,
    /// Every `OTEL_EXPORTER_JAEGER_*` variable that is set and not empty, by name.
    pub removed_otel_vars: Vec<String>,
    /// Where a Jaeger client (or a removed OpenTelemetry Jaeger exporter) sends.
    pub location: Location,
}

impl Jaeger {
    pub fn resolve(inputs: &Inputs, sdk: Sdk) -> Jaeger {
        let secret = |var| {
            read(inputs, var).map(|r| Resolved {
                value: Secret::new(r.value),
                var: r.var,
                source: r.source,
            })
        };
        let names = |prefix: &str| {
            inputs
                .tracing_vars()
                .filter(|v| v.name.starts_with(prefix) && !v.value.trim().is_empty())
                .map(|v| v.name.clone())
                .collect()
        };
        Jaeger {
            agent_host: read(inputs, AGENT_HOST),
            agent_port: read(inputs, AGENT_PORT),
            endpoint: read(inputs, ENDPOINT),
            user: read(inputs, USER),
            password: secret(PASSWORD),
            auth_token: secret(AUTH_TOKEN),
            sampler_type: read(inputs, SAMPLER_TYPE),
            sampler_param: read(inputs, SAMPLER_PARAM),
            client_vars: names("JAEGER_"),
            removed_otel_vars: names(REMOVED_OTEL_PREFIX),
            location: Location::resolve(inputs, sdk),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Source;

    #[test]
    fn collects_client_and_removed_variables() {
        let mut inputs = Inputs::default();
        for (k, v) in [
            (AGENT_HOST, "agent"),
            (PASSWORD, "hunter2-long-password"),
            (AGENT_PORT, ""),
            ("OTEL_EXPORTER_JAEGER_ENDPOINT", "http://j:14268/api/traces"),
        ] {
            inputs.set(k, v, Source::Env);
        }
        let j = Jaeger::resolve(&inputs, Sdk::Spec);
        assert_eq!(j.agent_host.unwrap().value, "agent");
        assert!(j.agent_port.is_none());
        assert_eq!(j.client_vars, [AGENT_HOST, PASSWORD]);
        assert_eq!(j.removed_otel_vars, ["OTEL_EXPORTER_JAEGER_ENDPOINT"]);
        let shown = serde_json::to_string(&j.password).unwrap();
        assert!(!shown.contains("hunter2-long-password"), "{shown}");
    }

    fn location(vars: &[(&str, &str)], sdk: Sdk) -> Location {
        let mut inputs = Inputs::default();
        for (k, v) in vars {
            inputs.set(*k, *v, Source::Env);
        }
        Jaeger::resolve(&inputs, sdk).location
    }

    /// The precedence docs/settings.md documents, one row per rule.
    #[test]
    fn one_precedence_for_the_jaeger_location() {
        // Nothing set: no location; a client still has its default agent.
        let none = location(&[], Sdk::JaegerNode);
        assert!(!none.is_set());
        let Sender::Agent(a) = none.sender(true) else {
            panic!()
        };
        assert_eq!((a.host.value.as_str(), a.port.value), ("localhost", 6832));
        // The endpoint wins over the agent, as every client's HTTP sender does.
        let both = location(
            &[
                (AGENT_HOST, "agent"),
                (ENDPOINT, "http://c:14268/api/traces"),
            ],
            Sdk::Spec,
        );
        assert!(matches!(both.sender(true), Sender::Http(e) if e.var == Some(ENDPOINT)));
        // ... except for a client that does not read JAEGER_ENDPOINT (Python's).
        let Sender::Agent(a) = both.sender(false) else {
            panic!()
        };
        assert_eq!((a.host.value.as_str(), a.port.value), ("agent", 6831));
        // Any JAEGER_ location variable selects the client family: the removed
        // OTEL_EXPORTER_JAEGER_* ones are then not mixed in.
        let mixed = location(
            &[
                (AGENT_PORT, "6832"),
                (REMOVED_ENDPOINT, "http://old:14268/api/traces"),
            ],
            Sdk::Spec,
        );
        assert!(mixed.endpoint.is_none());
        assert_eq!(mixed.agent.as_ref().unwrap().port.var, Some(AGENT_PORT));
        // Only removed variables: they are read, with the same endpoint-first rule.
        let removed = location(
            &[
                (REMOVED_AGENT_HOST, "a"),
                (REMOVED_ENDPOINT, "http://old:14268/api/traces"),
            ],
            Sdk::Spec,
        );
        assert!(matches!(removed.sender(true), Sender::Http(e) if e.var == Some(REMOVED_ENDPOINT)));
        assert_eq!(removed.host().as_deref(), Some("old"));
        // A port that is not a number falls back to the default.
        let bad = location(&[(AGENT_PORT, "udp")], Sdk::Spec);
        assert_eq!(bad.agent.unwrap().port.value, 6831);
    }
}
