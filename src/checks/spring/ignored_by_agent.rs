use super::{agent, at, spring};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::java::options::variable_of;
use crate::spring::{ENDPOINT, TRANSPORT, bound_key, canonical};

pub static CHECK: Check = Check {
    id: "SPR005",
    name: "spring-property-ignored-by-agent",
    family: Family::Spring,
    severity: Severity::Warning,
    title: "No Spring property is meant for the Java agent, which does not read it",
    explanation: Explanation {
        checks: "With the Java agent loaded (`-javaagent`), whether an application file sets \
                 `otel.*` properties, or Spring sets its own OTLP endpoint or transport.",
        why: "The agent reads only system properties, environment variables and its own \
              configuration file: `otel.*` keys in application.yaml configure the OpenTelemetry \
              Spring Boot starter, not the agent, so the agent runs with other values. Spring's \
              `management.otlp.tracing.*` configure Micrometer's exporter only: the agent's \
              spans go where OTEL_* says.",
        fix: "Give the agent its settings as OTEL_* variables or -Dotel.* options (or in \
              otel.javaagent.configuration-file), and drop the Spring properties it ignores.",
        example: "JAVA_TOOL_OPTIONS=-javaagent:/otel/javaagent.jar\n\
                  application.yaml: otel.exporter.otlp.endpoint: http://collector:4318",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let spring = match spring(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let Some(loaded) = agent(ctx) else {
        return Outcome::Pass(Evidence::new().with("java agent", "not loaded"));
    };
    let exporter: Vec<String> = ENDPOINT
        .iter()
        .chain(TRANSPORT)
        .map(|k| canonical(k))
        .collect();
    let drafts = spring
        .properties()
        .iter()
        .filter_map(|p| {
            let key = bound_key(&p.key);
            let file_otel = p.from_file && key.starts_with("otel.");
            if !file_otel && !exporter.contains(&key) {
                return None;
            }
            let (what, fix) = if file_otel {
                let var = variable_of(&p.key).unwrap_or_default();
                // What the agent reads instead, redacted like every shown value (headers).
                let used = (ctx.settings.inputs.get(&var))
                    .filter(|v| !v.value.is_empty())
                    .map_or("its default".to_string(), |v| {
                        format!("{var}={}", v.display_value())
                    });
                (
                    format!(
                        "the agent does not read application files, so it runs with {used}, not {}",
                        p.shown()
                    ),
                    format!(
                        "Set {var}={} in the container's environment (or -D{}={} in \
                         JAVA_TOOL_OPTIONS) and remove {} from the application file.",
                        p.shown(),
                        p.key,
                        p.shown(),
                        p.key
                    ),
                )
            } else {
                (
                    "it configures Spring's Micrometer exporter, not the agent: the agent's spans \
                     go where OTEL_EXPORTER_OTLP_* says"
                        .to_string(),
                    format!(
                        "Configure the agent with OTEL_EXPORTER_OTLP_ENDPOINT (or \
                         -Dotel.exporter.otlp.endpoint) and remove {} unless Spring's own \
                         exporter is meant to send too.",
                        p.key
                    ),
                )
            };
            Some(at(
                Draft::new(
                    p.key.clone(),
                    format!(
                        "{} = {} ({}) is set while the Java agent is loaded ({loaded}): {what}.",
                        p.key,
                        p.shown(),
                        p.source
                    ),
                    fix,
                ),
                p,
            ))
        })
        .collect();
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("java agent", loaded.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::spring::testing::{findings, passes};

    const AGENT: &[(&str, &str)] = &[("JAVA_TOOL_OPTIONS", "-javaagent:/otel/javaagent.jar")];

    #[test]
    fn passes_without_the_agent_or_with_spring_only_settings() {
        assert!(passes(
            &CHECK,
            "otel.exporter.otlp.endpoint: http://c:4318\n",
            &[]
        ));
        assert!(passes(
            &CHECK,
            "management.tracing.sampling.probability: 1.0\n",
            AGENT
        ));
    }

    #[test]
    fn flags_otel_keys_in_files_and_springs_own_endpoint() {
        let f = findings(
            &CHECK,
            "otel:\n  exporter:\n    otlp:\n      endpoint: http://c:4318\nmanagement.otlp.tracing.endpoint: http://c:4318/v1/traces\n",
            AGENT,
        );
        assert_eq!(f.len(), 2);
        assert_eq!(
            f[0].location.as_ref().unwrap().to_string(),
            "application.yaml:4"
        );
        assert!(
            f[0].fix
                .starts_with("Set OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318"),
            "{}",
            f[0].fix
        );
        assert!(f[1].message.contains("Micrometer"), "{}", f[1].message);
    }

    #[test]
    fn header_values_stay_hidden_in_the_file_and_in_what_the_agent_reads() {
        let env = [
            AGENT[0],
            (
                "OTEL_EXPORTER_OTLP_HEADERS",
                "authorization=Bearer env-secret-token-987654321",
            ),
        ];
        let f = findings(
            &CHECK,
            "otel.exporter.otlp.headers: authorization=Bearer file-secret-token-123456789\n",
            &env,
        );
        assert_eq!(f.len(), 1);
        let text = format!("{} {}", f[0].message, f[0].fix);
        assert!(text.contains("OTEL_EXPORTER_OTLP_HEADERS="), "{text}");
        for secret in ["env-secret-token", "file-secret-token"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
