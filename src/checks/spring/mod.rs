//! Spring Boot's own tracing properties (Micrometer Tracing with its OTLP exporter, no agent):
//! the endpoint's path and port for its transport, an endpoint that is missing, a sampling
//! probability of 0, and properties the Java agent does not read. Findings point at the file
//! and line of the property.

pub mod endpoint_missing;
pub mod endpoint_path;
pub mod ignored_by_agent;
pub mod sampling_zero;
pub mod transport_port;

use crate::checks::Context;
use crate::report::{Draft, Outcome};
use crate::spring::{Property, Spring};

/// Spring's properties, or the outcome to return when the app shows no Spring tracing.
fn spring(ctx: &Context) -> Result<&Spring, Outcome> {
    ctx.spring
        .as_ref()
        .ok_or_else(|| Outcome::skip("no Spring Boot tracing property or --spring-config"))
}

/// Whether the Java agent is loaded (then it, not Spring, exports the agent's spans).
fn agent(ctx: &Context) -> Option<&str> {
    ctx.settings.inputs.jvm.as_ref()?.agent.as_deref()
}

/// `draft` pointed at `p`'s file and line when it has one.
fn at(draft: Draft, p: &Property) -> Draft {
    match p.source.location() {
        Some(location) => draft.at(location),
        None => draft.evidence("source", p.source.to_string()),
    }
}

/// The spelling of a property a fix should use: the one found (`MANAGEMENT_OTLP_TRACING_ENDPOINT`
/// in the environment, the file's key otherwise).
fn assign(p: &Property, value: &str) -> String {
    if p.key.contains('.') {
        format!("{}: {value}", p.key)
    } else {
        format!("{}={value}", p.key)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use std::time::Duration;

    use crate::checks::testing::run_in;
    use crate::checks::{Check, Context};
    use crate::report::{Draft, Outcome};
    use crate::settings::{Inputs, Sdk, Settings, Source, java};
    use crate::spring::{File, Spring};

    /// The outcome of `check` for an `application.yaml` with `yaml` (none when empty) and
    /// `vars` as the environment.
    pub fn run(check: &Check, yaml: &str, vars: &[(&str, &str)]) -> Outcome {
        let mut inputs = Inputs::default();
        for (k, v) in vars {
            inputs.set(*k, *v, Source::Env);
        }
        let carriers = java::carriers(&inputs, None, true);
        java::apply(&mut inputs, &carriers, &|_| None);
        let files: Vec<File> = (!yaml.is_empty())
            .then(|| File {
                name: "application.yaml".into(),
                text: yaml.into(),
            })
            .into_iter()
            .collect();
        let spring = Spring::resolve(&files, &inputs).expect("valid files");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
        let mut ctx = Context::new(Settings::resolve(inputs, Sdk::Java), deadline, false);
        ctx.spring = spring;
        run_in(check, &ctx)
    }

    pub fn findings(check: &Check, yaml: &str, vars: &[(&str, &str)]) -> Vec<Draft> {
        match run(check, yaml, vars) {
            Outcome::Findings(d) => d,
            other => panic!("{} found nothing: {other:?}", check.id),
        }
    }

    pub fn passes(check: &Check, yaml: &str, vars: &[(&str, &str)]) -> bool {
        match run(check, yaml, vars) {
            Outcome::Pass(_) => true,
            Outcome::Findings(d) => panic!("{} found {d:#?}", check.id),
            Outcome::Skipped(r) => panic!("{} skipped: {r}", check.id),
        }
    }
}
