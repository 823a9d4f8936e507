use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::Source;
use crate::settings::java::options::variable_of;

pub static CHECK: Check = Check {
    id: "JVA001",
    name: "system-property-overrides-variable",
    family: Family::Java,
    severity: Severity::Warning,
    title: "No -Dotel.* system property contradicts its OTEL_* variable",
    explanation: Explanation {
        checks: "Whether an `otel.*` Java system property (`-D` in JAVA_TOOL_OPTIONS, \
                 JDK_JAVA_OPTIONS, JAVA_OPTS, _JAVA_OPTIONS, the `java` command line or \
                 --java-options) and the environment variable of the same setting \
                 (`otel.exporter.otlp.endpoint` ↔ `OTEL_EXPORTER_OTLP_ENDPOINT`) are both set, \
                 to different values.",
        why: "The Java agent reads system properties before environment variables, so the \
              variable has no effect: whoever changes it (a Helm value, the OpenTelemetry \
              Operator's Instrumentation, a ConfigMap) changes nothing, and the manifest no \
              longer says where spans go.",
        fix: "Keep one definition: drop the `-D` property so the variable counts, or drop the \
              variable and keep the property.",
        example: "JAVA_TOOL_OPTIONS=-javaagent:/otel.jar -Dotel.exporter.otlp.endpoint=http://a:4318\n\
                  OTEL_EXPORTER_OTLP_ENDPOINT=http://b:4318",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let inputs = &ctx.settings.inputs;
    let Some(jvm) = &inputs.jvm else {
        return Outcome::Pass(Evidence::new().with("system properties", 0));
    };
    let drafts = jvm
        .shadowed
        .iter()
        .filter_map(|s| {
            let var = variable_of(&s.property)?;
            let winner = jvm.property(&s.property)?;
            let now = inputs.get(&var).filter(|v| v.source == winner.source)?;
            let beaten = &s.beaten;
            let draft = Draft::new(
                var.clone(),
                format!(
                    "{var} is set twice: {} sets {}, and the variable ({}) sets {}. The Java \
                     agent reads system properties first, so the process uses {}; the variable \
                     has no effect.",
                    place(&now.source),
                    now.display_value(),
                    place(&beaten.source),
                    beaten.display_value(),
                    now.display_value(),
                ),
                format!(
                    "Keep one: remove the property ({}) so {var} counts, or remove {var} ({}).",
                    place(&now.source),
                    place(&beaten.source)
                ),
            )
            .evidence("property", format!("-D{}", s.property))
            .evidence("property_source", now.source.to_string())
            .evidence("variable_source", beaten.source.to_string());
            Some(match now.source.location() {
                Some(at) => draft.at(at),
                None => draft,
            })
        })
        .collect();
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("system properties", jvm.properties.len()),
    )
}

/// A source as a sentence names it: `-Dotel.x in JAVA_TOOL_OPTIONS at deploy.yaml:31`.
fn place(source: &Source) -> String {
    match source {
        Source::Deployment { file, line, origin } => format!("{origin} at {file}:{line}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::Context;
    use crate::checks::testing::run_in;
    use crate::report::Outcome;
    use crate::settings::{Inputs, Sdk, Settings, Source, java};

    fn ctx(vars: &[(&str, &str)]) -> Context {
        let mut inputs = Inputs::default();
        for (k, v) in vars {
            inputs.set(*k, *v, Source::Env);
        }
        let carriers = java::carriers(&inputs, None, true);
        java::apply(&mut inputs, &carriers, &|_| None);
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
        Context::new(Settings::resolve(inputs, Sdk::Javaagent), deadline, false)
    }

    #[test]
    fn passes_when_property_and_variable_agree_or_only_one_is_set() {
        for vars in [
            &[
                ("JAVA_TOOL_OPTIONS", "-Dotel.service.name=a"),
                ("OTEL_SERVICE_NAME", "a"),
            ][..],
            &[("JAVA_TOOL_OPTIONS", "-Dotel.service.name=a")][..],
            &[("OTEL_SERVICE_NAME", "a")][..],
        ] {
            assert!(
                matches!(run_in(&CHECK, &ctx(vars)), Outcome::Pass(_)),
                "{vars:?}"
            );
        }
    }

    #[test]
    fn names_both_definitions_and_the_value_the_process_uses() {
        let c = ctx(&[
            (
                "JAVA_TOOL_OPTIONS",
                "-javaagent:/otel.jar -Dotel.exporter.otlp.endpoint=http://prop:4318",
            ),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4317"),
        ]);
        let Outcome::Findings(f) = run_in(&CHECK, &c) else {
            panic!("no finding");
        };
        assert_eq!(f[0].subject, "OTEL_EXPORTER_OTLP_ENDPOINT");
        assert!(
            f[0].message.contains("uses http://prop:4318"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("variable (env) sets http://env:4317"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].fix.contains(
                "remove the property (-Dotel.exporter.otlp.endpoint in JAVA_TOOL_OPTIONS (env))"
            ),
            "{}",
            f[0].fix
        );
    }

    #[test]
    fn secret_values_stay_hidden() {
        let c = ctx(&[
            (
                "JAVA_TOOL_OPTIONS",
                "-Dotel.exporter.otlp.headers=authorization=Bearer\\ prop-s3cr3t-value",
            ),
            (
                "OTEL_EXPORTER_OTLP_HEADERS",
                "authorization=Bearer env-s3cr3t-value",
            ),
        ]);
        let Outcome::Findings(f) = run_in(&CHECK, &c) else {
            panic!("no finding");
        };
        let text = format!("{} {}", f[0].message, f[0].fix);
        assert!(!text.contains("s3cr3t"), "{text}");
    }
}
