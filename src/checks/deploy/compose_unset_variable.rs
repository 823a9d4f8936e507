use super::deployment;
use crate::checks::{Check, Context, Run};
use crate::deploy::ProblemKind;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::is_tracing_var;
use crate::settings::secret::redact;

pub static CHECK: Check = Check {
    id: "DEP013",
    name: "compose-unset-variable",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "Every ${VAR} in the Compose files is set",
    explanation: Explanation {
        checks: "Every `$VAR` / `${VAR}` without a default in the Compose files and their \
                 `env_file`s, against the project's variables (the shell, then the project \
                 directory's `.env` or --compose-env-file). Where the value is a tracing variable \
                 (OTEL_*, JAEGER_*…) it is an error; elsewhere it is reported as information, as \
                 Compose only warns.",
        why: "Compose replaces an unset variable with an empty string and starts the container \
              anyway, printing a warning few people read. `http://${OTEL_HOST}:4317` becomes \
              `http://:4317`, and the exporter fails on every batch or falls back to localhost.",
        fix: "Set the variable in the project's .env (or the environment `docker compose` runs \
              in), or give it a default: `${OTEL_HOST:-otel-collector}`.",
        example: "environment:\n  OTEL_EXPORTER_OTLP_ENDPOINT: http://${OTEL_HOST}:4317   # OTEL_HOST is in no .env",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let scope = match deployment(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let d = scope.deployment();
    let mut drafts = Vec::new();
    for p in d
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::UnsetVariable)
    {
        let lands_in = d.workloads.iter().find_map(|w| {
            w.env
                .iter()
                .find(|v| v.source == p.location)
                .map(|v| (w, v))
        });
        let draft = match lands_in {
            Some((w, v)) if is_tracing_var(&v.name) => Draft::new(
                v.name.clone(),
                format!(
                    "{} of service {} is `{}`: {}",
                    v.name,
                    w.name,
                    if v.secret {
                        redact(v.value.text())
                    } else {
                        v.value.text().to_string()
                    },
                    p.message
                ),
                format!(
                    "Set the variable in the project's .env or the shell, or give it a default (`${{VAR:-value}}`) at {}.",
                    p.location
                ),
            ),
            _ => Draft::new(
                p.workload.clone().unwrap_or_else(|| p.location.file.to_string()),
                p.message.clone(),
                format!(
                    "Set the variable in the project's .env or the shell, or give it a default at {}.",
                    p.location
                ),
            )
            .severity(Severity::Info),
        };
        drafts.push(
            draft
                .evidence("at", p.location.to_string())
                .at(p.location.clone()),
        );
    }
    Outcome::from_drafts(drafts, Evidence::new().with("workloads", d.workloads.len()))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::compose_testing::{compose, findings, passes, project};
    use crate::rule::Severity;

    #[test]
    fn passes_when_every_variable_is_set_or_defaulted() {
        let p = project(
            &[
                (
                    "compose.yaml",
                    "services:\n  app:\n    image: app:${TAG}\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: http://${OTEL_HOST:-collector}:4318\n",
                ),
                (".env", "TAG=1\n"),
            ],
            &["compose.yaml"],
        );
        assert!(passes(&CHECK, &p, None));
    }

    #[test]
    fn an_unset_variable_in_a_tracing_value_is_an_error_at_its_line() {
        let p = compose(
            "services:\n  app:\n    image: app:${TAG}\n    environment:\n      - OTEL_EXPORTER_OTLP_ENDPOINT=http://${OTEL_HOST}:4318\n",
        );
        let f = findings(&CHECK, &p, None);
        assert_eq!(f.len(), 2, "{f:#?}");
        let tracing = f
            .iter()
            .find(|d| d.subject == "OTEL_EXPORTER_OTLP_ENDPOINT")
            .unwrap();
        assert_eq!(tracing.severity, None);
        assert_eq!(tracing.location.as_ref().unwrap().line, 5);
        assert!(
            tracing.message.contains("`http://:4318`"),
            "{}",
            tracing.message
        );
        assert!(
            tracing.message.contains("${OTEL_HOST}"),
            "{}",
            tracing.message
        );
        let image = f
            .iter()
            .find(|d| d.subject == "app" || d.location.as_ref().unwrap().line == 3)
            .unwrap();
        assert_eq!(image.severity, Some(Severity::Info));
    }

    #[test]
    fn an_unset_variable_in_an_env_file_points_at_that_file() {
        let p = project(
            &[
                (
                    "compose.yaml",
                    "services:\n  app:\n    image: app\n    env_file: otel.env\n",
                ),
                (
                    "otel.env",
                    "OTEL_SERVICE_NAME=app\nOTEL_EXPORTER_OTLP_ENDPOINT=http://${COLLECTOR}:4318\n",
                ),
            ],
            &["compose.yaml"],
        );
        let f = findings(&CHECK, &p, None);
        let at = f[0].location.clone().unwrap();
        assert!(at.file.ends_with("otel.env") && at.line == 2, "{at:?}");
    }
}
