use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "JVA002",
    name: "jvm-options-unmatched-quote",
    family: Family::Java,
    severity: Severity::Error,
    title: "JAVA_TOOL_OPTIONS and _JAVA_OPTIONS close every quote",
    explanation: Explanation {
        checks: "Whether JAVA_TOOL_OPTIONS or _JAVA_OPTIONS leaves a `'` or `\"` open. The JVM \
                 splits these variables itself: whitespace separates options, quotes group them, \
                 and a backslash escapes nothing.",
        why: "On an unmatched quote the JVM prints `Unmatched quote in JAVA_TOOL_OPTIONS` and \
              does not start: the app is down, not just untraced. It often comes from a \
              backslash written to escape a quote, which the JVM does not read as an escape.",
        fix: "Close the quote, or quote the whole value the other way: \
              `-Dotel.resource.attributes='team=a b'`; to put a `\"` in a value, wrap it in `'…'`.",
        example: "JAVA_TOOL_OPTIONS=-javaagent:/otel.jar -Dotel.service.name=\"my app",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(jvm) = &ctx.settings.inputs.jvm else {
        return Outcome::Pass(Evidence::new().with("JVM options", "none"));
    };
    let drafts = jvm
        .unmatched_quote
        .iter()
        .map(|(name, at)| {
            let draft = Draft::new(
                name.clone(),
                format!(
                    "{name} ({at}) leaves a quote open: the JVM stops at start with `Unmatched \
                     quote in {name}`, so the app does not run."
                ),
                format!(
                    "Close the quote in {name} ({at}); the JVM reads no backslash escapes, so \
                     write a `\"` inside '…' and a `'` inside \"…\"."
                ),
            );
            match at.location() {
                Some(l) => draft.at(l),
                None => draft,
            }
        })
        .collect();
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("system properties", jvm.properties.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::Context;
    use crate::checks::testing::run_in;
    use crate::report::Outcome;
    use crate::settings::{Inputs, Sdk, Settings, Source, java};

    fn run(name: &str, value: &str) -> Outcome {
        let mut inputs = Inputs::default();
        inputs.set(name, value, Source::Env);
        let carriers = java::carriers(&inputs, None, true);
        java::apply(&mut inputs, &carriers, &|_| None);
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
        run_in(
            &CHECK,
            &Context::new(Settings::resolve(inputs, Sdk::Javaagent), deadline, false),
        )
    }

    #[test]
    fn passes_with_closed_quotes_and_in_launch_script_variables() {
        assert!(matches!(
            run("JAVA_TOOL_OPTIONS", "-Dotel.service.name='my app'"),
            Outcome::Pass(_)
        ));
        assert!(matches!(run("JAVA_OPTS", "-Dx='open"), Outcome::Pass(_)));
    }

    #[test]
    fn flags_an_open_quote_the_jvm_refuses() {
        let Outcome::Findings(f) = run("_JAVA_OPTIONS", "-Dotel.service.name=\\\"my app") else {
            panic!("no finding");
        };
        assert_eq!(f[0].subject, "_JAVA_OPTIONS");
        assert!(
            f[0].message.contains("Unmatched quote in _JAVA_OPTIONS"),
            "{}",
            f[0].message
        );
    }
}
