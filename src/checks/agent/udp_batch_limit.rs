use crate::checks::live;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "AGT004",
    name: "agent-udp-batch-limit",
    family: Family::JaegerAgent,
    severity: Severity::Info,
    title: "No Jaeger agent over UDP, whose batches are limited to 65000 bytes",
    explanation: Explanation {
        checks: "Whether spans go to a Jaeger agent over UDP (`JAEGER_AGENT_HOST`/`JAEGER_AGENT_PORT` set, no \
                 `JAEGER_ENDPOINT`).",
        why: "The agent reads datagrams into a 65000-byte buffer: larger batches are truncated and fail to \
              decode, and clients refuse spans that do not fit (`data does not fit within one UDP packet`). \
              Spans with big tags or logs vanish without a trace.",
        fix: "Keep batches small (`JAEGER_REPORTER_MAX_PACKET_SIZE` where the client has it), or send over \
              HTTP with `JAEGER_ENDPOINT=http://<collector>:14268/api/traces`, which has no such limit.",
        example: "JAEGER_AGENT_HOST=localhost",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(agent) = live::agent(ctx) else {
        return Outcome::Pass(Evidence::new().with("transport", "no UDP agent configured"));
    };
    Outcome::Findings(vec![Draft::new(
        "JAEGER_AGENT_HOST",
        format!(
            "Spans go to the agent at {}:{}/udp in datagrams of at most 65000 bytes: a batch over that is dropped, with at most a client-side log line.",
            agent.host, agent.port
        ),
        format!("export JAEGER_ENDPOINT=http://{}:14268/api/traces (over HTTP, batches have no 65000-byte limit)", agent.host),
    )
    .evidence("max_datagram_bytes", 65000)])
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::run_with;
    use crate::report::Outcome;

    #[test]
    fn notes_the_limit_only_for_udp_agents() {
        assert!(matches!(run_with(&super::CHECK, &[]), Outcome::Pass(_)));
        assert!(matches!(
            run_with(
                &super::CHECK,
                &[
                    ("JAEGER_AGENT_HOST", "a"),
                    ("JAEGER_ENDPOINT", "http://c:14268/api/traces")
                ]
            ),
            Outcome::Pass(_)
        ));
        let Outcome::Findings(f) = run_with(&super::CHECK, &[("JAEGER_AGENT_HOST", "agent")])
        else {
            panic!()
        };
        assert!(f[0].message.contains("65000"));
    }
}
