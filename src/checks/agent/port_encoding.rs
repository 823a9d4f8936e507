use crate::checks::live;
use crate::checks::{Check, Context, Explanation, Family, Needs, Run};
use crate::report::{Draft, Evidence, Outcome, Severity};
use crate::settings::Sdk;

pub static CHECK: Check = Check {
    id: "AGT002",
    name: "agent-port-matches-encoding",
    family: Family::JaegerAgent,
    severity: Severity::Warning,
    title: "The Jaeger agent port matches the client's thrift encoding (6831 compact, 6832 binary)",
    explanation: Explanation {
        checks: "The configured `JAEGER_AGENT_PORT` against the client's encoding: Node's jaeger-client sends \
                 thrift binary (port 6832), the other jaeger clients thrift compact (port 6831). `--sdk node` \
                 selects Node.",
        why: "Compact thrift sent to the binary port (or the reverse) is dropped by the agent, which only logs \
              `Bad version in ReadMessageBegin`; the client sees nothing.",
        fix: "Set `JAEGER_AGENT_PORT=6831` for compact clients (Go, Java, Python, C#) and `6832` for Node.",
        example: "JAEGER_AGENT_PORT=6832   # with a Python jaeger-client (compact)",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(agent) = live::agent(ctx) else {
        return Outcome::skip(
            "no Jaeger agent is configured (JAEGER_AGENT_HOST/JAEGER_AGENT_PORT unset)",
        );
    };
    let (encoding, expected) = if ctx.settings.sdk == Sdk::Node {
        ("binary", 6832)
    } else {
        ("compact", 6831)
    };
    let client = if ctx.settings.sdk == Sdk::Node {
        "Node's jaeger-client"
    } else {
        "jaeger clients other than Node's"
    };
    let evidence = Evidence::new()
        .with("JAEGER_AGENT_PORT", agent.port)
        .with("client_encoding", encoding);
    let wrong = match agent.port {
        6831 | 6832 => agent.port != expected,
        _ => false,
    };
    if !wrong {
        return Outcome::Pass(evidence);
    }
    Outcome::Findings(vec![Draft::new(
        "JAEGER_AGENT_PORT",
        format!(
            "JAEGER_AGENT_PORT is {} but {client} send thrift {encoding}, which the agent expects on {expected}: the agent drops every batch (`Bad version in ReadMessageBegin`).",
            agent.port
        ),
        format!("JAEGER_AGENT_PORT={expected}"),
    )
    .evidence("JAEGER_AGENT_PORT", agent.port)
    .evidence("client_encoding", encoding)])
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{run_with, run_with_sdk};
    use crate::report::Outcome;
    use crate::settings::Sdk;

    #[test]
    fn compact_port_passes_for_compact_clients() {
        assert!(matches!(
            run_with(&super::CHECK, &[("JAEGER_AGENT_PORT", "6831")]),
            Outcome::Pass(_)
        ));
        assert!(matches!(
            run_with_sdk(&super::CHECK, Sdk::Node, &[("JAEGER_AGENT_PORT", "6832")]),
            Outcome::Pass(_)
        ));
    }

    #[test]
    fn swapped_ports_are_reported() {
        let Outcome::Findings(f) = run_with(&super::CHECK, &[("JAEGER_AGENT_PORT", "6832")]) else {
            panic!()
        };
        assert_eq!(f[0].fix, "JAEGER_AGENT_PORT=6831");
        let Outcome::Findings(f) =
            run_with_sdk(&super::CHECK, Sdk::Node, &[("JAEGER_AGENT_PORT", "6831")])
        else {
            panic!()
        };
        assert_eq!(f[0].fix, "JAEGER_AGENT_PORT=6832");
    }
}
