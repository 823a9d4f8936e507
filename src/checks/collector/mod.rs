//! Collector configuration lint (`doctor --collector-config FILE`): the pipeline that would not
//! start, or would start and drop every span, found before it runs.

pub mod app_protocol;
pub mod component_undefined;
pub mod component_unused;
pub mod config_parses;
pub mod env_var_unset;
pub mod exporter_loop;
pub mod receiver_default_endpoint;
pub mod receiver_localhost;
pub mod receiver_port_clash;
pub mod removed_jaeger_exporter;
pub mod signal_mismatch;
pub mod traces_pipeline;

use crate::checks::Context;
use crate::collector::CollectorConfig;
use crate::report::Outcome;

/// The parsed config, or the outcome to return when there is none to check.
fn config(ctx: &Context) -> Result<&CollectorConfig, Outcome> {
    match &ctx.collector_config {
        None => Err(Outcome::skip(
            "no collector config given; pass --collector-config FILE to check one",
        )),
        Some(file) => file.parsed.as_ref().map_err(|_| {
            Outcome::skip(format!(
                "{} is not valid YAML (see COL001); fix it first",
                file.file
            ))
        }),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::checks::testing::{context, run_in};
    use crate::checks::{Check, Context};
    use crate::collector::ConfigFile;
    use crate::report::{Draft, Outcome};
    use crate::settings::Sdk;

    /// A context with `yaml` as `config.yaml` and `vars` as the app's settings.
    pub fn ctx(yaml: &str, vars: &[(&str, &str)]) -> Context {
        let mut ctx = context(Sdk::Spec, vars);
        ctx.collector_config = Some(ConfigFile::parse("config.yaml", yaml));
        ctx
    }

    pub fn run(check: &Check, yaml: &str) -> Outcome {
        run_in(check, &ctx(yaml, &[]))
    }

    /// The findings of `check` on `yaml`; panics when it passes or skips.
    pub fn findings(check: &Check, yaml: &str) -> Vec<Draft> {
        match run(check, yaml) {
            Outcome::Findings(f) => f,
            other => panic!("expected findings, got {other:?}"),
        }
    }

    pub fn passes(check: &Check, yaml: &str) -> bool {
        matches!(run(check, yaml), Outcome::Pass(_))
    }

    /// A config that is correct in every respect the checks look at.
    pub const GOOD: &str = "\
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
        endpoint: 0.0.0.0:4318
processors:
  batch: {}
exporters:
  otlp/jaeger:
    endpoint: jaeger:4317
    tls:
      insecure: true
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp/jaeger]
";
}
