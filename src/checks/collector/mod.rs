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

/// The parsed config, or the outcome to return when there is none to check: no config, one
/// that does not parse, or an empty one (COL001 reports those once).
fn config(ctx: &Context) -> Result<&CollectorConfig, Outcome> {
    match &ctx.collector_config {
        None => Err(Outcome::skip(
            "no collector config: pass --collector-config FILE",
        )),
        Some(file) => match &file.parsed {
            Err(_) => Err(Outcome::skip(format!(
                "{} is not valid YAML (see COL001); fix it first",
                file.file
            ))),
            Ok(c) if is_empty(c) => Err(Outcome::skip(format!(
                "{} declares nothing (see COL001)",
                file.file
            ))),
            Ok(c) => Ok(c),
        },
    }
}

/// A config with no component and no pipeline: an empty file, or one of comments only.
fn is_empty(config: &CollectorConfig) -> bool {
    config.components.is_empty() && config.pipelines.is_empty()
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

    proptest::proptest! {
        /// Any text, YAML-like or not, gives every COL check an outcome, never a panic.
        #[test]
        fn no_config_text_panics(text in "[a-z0-9_/:.{}\\[\\], \n$-]{0,200}") {
            let ctx = ctx(&text, &[]);
            for check in crate::registry::CHECKS
                .iter()
                .filter(|c| c.needs == crate::checks::Needs::CollectorConfig)
            {
                crate::checks::testing::run_in(check, &ctx);
            }
        }

        /// A valid config with random ids and endpoints in its sections and pipelines.
        #[test]
        fn no_config_shape_panics(
            ids in proptest::collection::vec("(otlp|jaeger|zipkin|debug|batch|spanmetrics)(/[a-z]{1,3})?", 1..6),
            ports in proptest::collection::vec(proptest::num::u32::ANY, 1..6),
        ) {
            let mut yaml = String::new();
            for section in ["receivers", "processors", "exporters", "connectors"] {
                yaml.push_str(&format!("{section}:\n"));
                for (id, port) in ids.iter().zip(&ports) {
                    yaml.push_str(&format!("  {id}:\n    endpoint: localhost:{port}\n    protocols:\n      grpc:\n        endpoint: :{port}\n"));
                }
            }
            let list = ids.join(", ");
            yaml.push_str(&format!("service:\n  pipelines:\n    traces:\n      receivers: [{list}]\n      exporters: [{list}]\n    metrics:\n      receivers: [{list}]\n"));
            let ctx = ctx(&yaml, &[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")]);
            for check in crate::registry::CHECKS
                .iter()
                .filter(|c| c.needs == crate::checks::Needs::CollectorConfig)
            {
                crate::checks::testing::run_in(check, &ctx);
            }
        }
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
