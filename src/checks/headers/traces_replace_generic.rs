use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::Headers;
use crate::settings::otlp::{HEADERS, TRACES_HEADERS};

pub static CHECK: Check = Check {
    id: "HDR003",
    name: "otlp-traces-headers-replace-generic",
    family: Family::Headers,
    severity: Severity::Warning,
    title: "OTEL_EXPORTER_OTLP_TRACES_HEADERS keeps every header of OTEL_EXPORTER_OTLP_HEADERS",
    explanation: Explanation {
        checks: "When both `OTEL_EXPORTER_OTLP_TRACES_HEADERS` and `OTEL_EXPORTER_OTLP_HEADERS` are set, \
                 whether a header named in the generic variable is missing from the traces one. Only \
                 header names are compared and shown, never values.",
        why: "The signal-specific variable replaces the generic one; the two are not merged. Adding \
              `OTEL_EXPORTER_OTLP_TRACES_HEADERS=x-tenant=a` next to a generic \
              `authorization=...` drops the authorization header from trace exports only: metrics \
              and logs still arrive, and the backend answers every trace export with 401.",
        fix: "Repeat every header the trace exporter needs in `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, or \
              move the extra header into `OTEL_EXPORTER_OTLP_HEADERS` and unset the traces variable.",
        example: "OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20<token>\n\
                  OTEL_EXPORTER_OTLP_TRACES_HEADERS=x-tenant=acme",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn names(headers: &Headers) -> Vec<String> {
    headers
        .headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .collect()
}

fn run(ctx: &Context) -> Outcome {
    let (Some(traces), Some(generic)) =
        (ctx.settings.var(TRACES_HEADERS), ctx.settings.var(HEADERS))
    else {
        return Outcome::Pass(Evidence::new().with("both_set", false));
    };
    let kept = names(&Headers::parse(traces));
    let generic = names(&Headers::parse(generic));
    let lost: Vec<String> = generic
        .iter()
        .filter(|name| !kept.contains(name))
        .cloned()
        .collect();
    let evidence = Evidence::new()
        .with("generic_headers", generic.clone())
        .with("traces_headers", kept.clone());
    if lost.is_empty() {
        return Outcome::Pass(evidence);
    }
    let mut draft = Draft::new(
        TRACES_HEADERS,
        format!(
            "{TRACES_HEADERS} replaces {HEADERS} for trace exports (the two are not merged): \
             the header{} {} set only in {HEADERS} {} not sent with spans.",
            if lost.len() == 1 { "" } else { "s" },
            lost.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if lost.len() == 1 { "is" } else { "are" },
        ),
        format!(
            "Add {} to {TRACES_HEADERS} (name=value, comma-separated), or unset {TRACES_HEADERS} \
             and put its headers in {HEADERS}.",
            lost.join(", ")
        ),
    );
    draft.evidence = evidence.with("lost_headers", lost);
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_one_variable_or_every_header_repeated() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20x")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20x"),
                (
                    "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
                    "authorization=Bearer%20y,x-tenant=a"
                ),
            ]
        ));
    }

    #[test]
    fn names_the_lost_headers_but_never_their_values() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                (
                    "OTEL_EXPORTER_OTLP_HEADERS",
                    "authorization=Bearer%20s3cr3t,x-tenant=a",
                ),
                ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-tenant=b"),
            ],
        );
        assert!(f[0].message.contains("`authorization`"), "{}", f[0].message);
        let all = format!("{:?}", f[0]);
        assert!(!all.contains("s3cr3t"), "{all}");
        assert_eq!(
            f[0].evidence.get("lost_headers"),
            Some(&serde_json::json!(["authorization"]))
        );
    }
}
