use super::drafts_for;
use crate::checks::{Check, Context, Run};
use crate::report::{Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::HeaderProblemKind;

pub static CHECK: Check = Check {
    id: "HDR002",
    name: "otlp-headers-quoted",
    family: Family::Headers,
    severity: Severity::Error,
    title: "OTEL_EXPORTER_OTLP_HEADERS has no literal quotes",
    explanation: Explanation {
        checks: "Whether a header name or value in `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS` starts or ends \
                 with a quote character.",
        why: "Nothing in the headers format removes quotes. `OTEL_EXPORTER_OTLP_HEADERS=\"authorization=Bearer \
              x\"` in a `docker run --env-file` file, a Kubernetes manifest that quotes twice, or a YAML \
              value copied with its quotes sends a header named `\"authorization` or a token ending in \
              `\"`: the backend rejects every export with 401.",
        fix: "Remove the quotes from the value (in a docker --env-file, write the line without quotes).",
        example: "OTEL_EXPORTER_OTLP_HEADERS=\"authorization=Bearer <token>\"   # in a docker --env-file",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(headers) = &ctx.settings.otlp.headers else {
        return Outcome::Pass(Evidence::new().with("headers", "(unset)"));
    };
    let var = headers.var.unwrap_or("OTEL_EXPORTER_OTLP_HEADERS");
    let drafts = drafts_for(
        headers,
        &[HeaderProblemKind::Quoted],
        "backends reject the header.",
        |_| format!("Remove the quotes: export {var}=authorization=Bearer%20<token>"),
    );
    Outcome::from_drafts(
        drafts,
        Evidence::new()
            .with("variable", var)
            .with("source", headers.source.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_without_quotes() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_HEADERS", "a=b")]
        ));
    }

    #[test]
    fn flags_quotes_kept_around_the_whole_variable() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[(
                "OTEL_EXPORTER_OTLP_HEADERS",
                "\"authorization=Bearer s3cr3t-token-value\"",
            )],
        );
        assert!(!format!("{f:?}").contains("s3cr3t-token-value"));
        assert!(f[0].message.contains("(authorization)"), "{}", f[0].message);
    }
}
