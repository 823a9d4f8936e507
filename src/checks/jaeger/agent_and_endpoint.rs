use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "JGR004",
    name: "jaeger-agent-and-endpoint",
    family: Family::Jaeger,
    severity: Severity::Warning,
    title: "JAEGER_AGENT_HOST and JAEGER_ENDPOINT are not both set",
    explanation: Explanation {
        checks: "Whether `JAEGER_ENDPOINT` is set together with `JAEGER_AGENT_HOST` or `JAEGER_AGENT_PORT`.",
        why: "A client sends either over UDP to the agent or over HTTP to the collector. Most clients \
              silently use the endpoint and ignore the agent; some jaeger-client-go versions refuse to \
              start the tracer: `cannot set env vars JAEGER_AGENT_HOST and JAEGER_ENDPOINT together`. \
              Either way, one of the two settings is not doing what its author thinks.",
        fix: "Keep one transport: unset the agent variables to send to the collector, or unset \
              `JAEGER_ENDPOINT` to send through the agent.",
        example: "JAEGER_AGENT_HOST=jaeger-agent\nJAEGER_ENDPOINT=http://jaeger-collector:14268/api/traces",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let j = &ctx.settings.jaeger;
    let agent: Vec<_> = [&j.agent_host, &j.agent_port]
        .into_iter()
        .flatten()
        .collect();
    let (Some(endpoint), false) = (&j.endpoint, agent.is_empty()) else {
        return Outcome::Pass(Evidence::new().fact(
            "transports",
            usize::from(j.endpoint.is_some()) + usize::from(!agent.is_empty()),
        ));
    };
    let names: Vec<&str> = agent.iter().filter_map(|r| r.var).collect();
    let mut draft = Draft::new(
        "JAEGER_ENDPOINT",
        format!(
            "JAEGER_ENDPOINT and {} are both set: most clients use the endpoint and ignore the agent; \
             some jaeger-client-go versions refuse to start.",
            names.join(" and ")
        ),
        format!("unset {}  # or unset JAEGER_ENDPOINT to send through the agent", names.join(" ")),
    )
    .setting("JAEGER_ENDPOINT", endpoint);
    for r in agent {
        draft = draft.setting("agent", r);
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_one_transport() {
        assert!(passes(&CHECK, Sdk::Spec, &[("JAEGER_AGENT_HOST", "a")]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("JAEGER_ENDPOINT", "http://c:14268/api/traces")]
        ));
    }

    #[test]
    fn flags_both() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("JAEGER_AGENT_HOST", "a"),
                ("JAEGER_AGENT_PORT", "6831"),
                ("JAEGER_ENDPOINT", "http://c:14268/api/traces"),
            ],
        );
        assert!(
            f[0].fix
                .starts_with("unset JAEGER_AGENT_HOST JAEGER_AGENT_PORT")
        );
    }
}
