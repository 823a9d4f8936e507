use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::Sdk;
use crate::settings::jaeger::AGENT_PORT;

pub static CHECK: Check = Check {
    id: "JGR002",
    name: "jaeger-agent-port-encoding",
    family: Family::Jaeger,
    severity: Severity::Error,
    title: "JAEGER_AGENT_PORT matches the client's thrift encoding",
    explanation: Explanation {
        checks: "Whether `JAEGER_AGENT_PORT` is a port, and whether it matches the encoding the Jaeger \
                 client sends: 6831 takes compact thrift (Go, Java, Python, C# clients), 6832 binary \
                 thrift (Node's jaeger-client; pass `--sdk jaeger-node`).",
        why: "UDP gives the sender no error. Compact thrift sent to 6832, or binary to 6831, is dropped by \
              the agent with `Bad version in ReadMessageBegin` in its own log; the app sees nothing and \
              the spans vanish.",
        fix: "Use 6831 for compact-thrift clients and 6832 for Node's binary-thrift client.",
        example: "JAEGER_AGENT_PORT=6832    # with jaeger-client-go, which sends compact thrift",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let sdk = ctx.settings.sdk;
    let Some(port) = &ctx.settings.jaeger.agent_port else {
        return Outcome::Pass(Evidence::new().fact(AGENT_PORT, "(unset)"));
    };
    let expected = sdk.jaeger_agent_port();
    let (expected, client) = if expected == 6832 {
        (expected, "Node's jaeger-client sends binary thrift")
    } else {
        (
            expected,
            "Jaeger clients other than Node's send compact thrift",
        )
    };
    let draft = match port.value.trim().parse::<u16>() {
        Err(_) => Draft::new(
            AGENT_PORT,
            format!(
                "JAEGER_AGENT_PORT is `{}`, not a port number: the client refuses it or falls back to 6831.",
                port.value
            ),
            format!("export JAEGER_AGENT_PORT={expected}"),
        ),
        Ok(p @ (6831 | 6832)) if p != expected => {
            let node = if matches!(sdk, Sdk::Spec | Sdk::Jaeger) {
                " (if the app uses Node's jaeger-client, 6832 is right: pass --sdk jaeger-node)"
            } else {
                ""
            };
            Draft::new(
                AGENT_PORT,
                format!(
                    "JAEGER_AGENT_PORT is {p}, but {client}, which the agent expects on {expected}: it \
                     drops every packet on {p}{node}."
                ),
                format!("export JAEGER_AGENT_PORT={expected}"),
            )
        }
        Ok(_) => return Outcome::Pass(Evidence::new().setting(AGENT_PORT, port)),
    };
    Outcome::Findings(vec![
        draft.setting(AGENT_PORT, port).fact("sdk", sdk.as_str()),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_for_matching_ports() {
        assert!(passes(&CHECK, Sdk::Go, &[("JAEGER_AGENT_PORT", "6831")]));
        assert!(passes(&CHECK, Sdk::Node, &[("JAEGER_AGENT_PORT", "6832")]));
        assert!(passes(&CHECK, Sdk::Spec, &[]));
    }

    #[test]
    fn flags_crossed_encodings_and_bad_ports() {
        let f = findings(&CHECK, Sdk::Spec, &[("JAEGER_AGENT_PORT", "6832")]);
        assert_eq!(f[0].fix, "export JAEGER_AGENT_PORT=6831");
        assert!(f[0].message.contains("--sdk jaeger-node"));
        let f = findings(&CHECK, Sdk::Node, &[("JAEGER_AGENT_PORT", "6831")]);
        assert_eq!(f[0].fix, "export JAEGER_AGENT_PORT=6832");
        findings(&CHECK, Sdk::Go, &[("JAEGER_AGENT_PORT", "udp")]);
    }
}
