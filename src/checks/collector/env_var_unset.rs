use super::config;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL011",
    name: "config-env-var-unset",
    family: Family::Collector,
    severity: Severity::Warning,
    title: "Every ${env:VAR} the collector config uses is set",
    explanation: Explanation {
        checks: "`${env:VAR}` and `${VAR}` references (outside comments, without a `:-default`) \
                 whose variable is unset or empty in the settings being checked: the process \
                 environment, `--env-file` (every variable of the file, not only OTEL_*) and `--set`.",
        why: "The collector replaces an unset variable with an empty string and starts anyway: an \
              endpoint becomes `:4317` or empty, an API key header is sent empty, and the backend \
              refuses or never receives the spans.",
        fix: "Set the variable where the collector runs (`export VAR=value`, the container's \
              `environment:`), or give a fallback: `${env:VAR:-value}`.",
        example: "exporters:\n  otlp:\n    endpoint: ${env:BACKEND_ENDPOINT}\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let mut drafts: Vec<Draft> = Vec::new();
    let mut reported: Vec<&str> = Vec::new();
    for r in config.env_refs.iter().filter(|r| !r.has_default) {
        let set = ctx
            .collector_config
            .as_ref()
            .is_some_and(|f| f.var_is_set(&ctx.settings, &r.var));
        if set || reported.contains(&r.var.as_str()) {
            continue;
        }
        reported.push(&r.var);
        let lines: Vec<u32> = config
            .env_refs
            .iter()
            .filter(|o| o.var == r.var && !o.has_default)
            .map(|o| o.line)
            .collect();
        let mut draft = Draft::new(
            config.subject(r.line, &format!("${{env:{}}}", r.var)),
            format!(
                "{} is unset in the settings checked: the collector substitutes an empty string \
                 (used on {} line{}).",
                r.var,
                lines.len(),
                if lines.len() == 1 { "" } else { "s" }
            ),
            format!(
                "Set {} where the collector runs (or pass --set {}=VALUE to check with it), or \
                 write ${{env:{}:-DEFAULT}}.",
                r.var, r.var, r.var
            ),
        )
        .evidence("variable", r.var.clone());
        draft.evidence.push("lines", lines);
        drafts.push(draft);
    }
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("references", config.env_refs.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{ctx, findings, passes};
    use crate::checks::testing::run_in;
    use crate::report::Outcome;

    const YAML: &str = "exporters:\n  otlp:\n    endpoint: ${env:OTEL_BACKEND}\n    headers:\n      key: ${OTEL_KEY}\n      other: ${env:OTEL_BACKEND}\n      region: ${env:OTEL_REGION:-eu}\n";

    #[test]
    fn passes_when_every_variable_is_set() {
        let all_set = ctx(YAML, &[("OTEL_BACKEND", "jaeger:4317"), ("OTEL_KEY", "k")]);
        assert!(matches!(run_in(&CHECK, &all_set), Outcome::Pass(_)));
        assert!(passes(&CHECK, "receivers:\n  otlp: {}\n"));
        let mut from_process = ctx(YAML, &[("OTEL_KEY", "k")]);
        if let Some(file) = from_process.collector_config.as_mut() {
            file.note_env(|v| (v == "OTEL_BACKEND").then(|| "jaeger:4317".to_string()));
        }
        assert!(matches!(run_in(&CHECK, &from_process), Outcome::Pass(_)));
    }

    #[test]
    fn flags_each_unset_variable_once_with_its_lines() {
        let f = findings(&CHECK, YAML);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].subject, "config.yaml:3 ${env:OTEL_BACKEND}");
        assert_eq!(f[0].evidence.get("lines"), Some(&serde_json::json!([3, 6])));
        assert_eq!(f[1].subject, "config.yaml:5 ${env:OTEL_KEY}");
    }
}
