//! Legacy Jaeger client settings (`JAEGER_*`, read by jaeger-client libraries, ignored by
//! OpenTelemetry SDKs) and the `OTEL_EXPORTER_JAEGER_*` variables removed from the spec in 2023.

use serde::Serialize;

use super::pipeline::read;
use super::{Inputs, Resolved, Secret};

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
}

impl Jaeger {
    pub fn resolve(inputs: &Inputs) -> Jaeger {
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
        let j = Jaeger::resolve(&inputs);
        assert_eq!(j.agent_host.unwrap().value, "agent");
        assert!(j.agent_port.is_none());
        assert_eq!(j.client_vars, [AGENT_HOST, PASSWORD]);
        assert_eq!(j.removed_otel_vars, ["OTEL_EXPORTER_JAEGER_ENDPOINT"]);
        let shown = serde_json::to_string(&j.password).unwrap();
        assert!(!shown.contains("hunter2-long-password"), "{shown}");
    }
}
