use super::drafts_for;
use crate::checks::{Check, Context, Run};
use crate::report::{Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::HeaderProblemKind;

pub static CHECK: Check = Check {
    id: "HDR001",
    name: "otlp-headers-malformed",
    family: Family::Headers,
    severity: Severity::Error,
    title: "OTEL_EXPORTER_OTLP_HEADERS is a list of name=value pairs",
    explanation: Explanation {
        checks: "Whether every comma-separated entry of `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS` is \
                 `name=value` with a valid header name and valid `%XX` escapes. Values are never shown: \
                 findings name the entry by position and the header by name.",
        why: "SDKs drop an entry they cannot parse, and some drop the whole variable. The authentication \
              or tenant header never reaches the backend: exports fail with 401/403 or land in another \
              tenant, and the SDK logs it once if at all. Writing `Authorization: Bearer x` (HTTP syntax) \
              or an unencoded `%` are the usual causes.",
        fix: "Write `name=value` pairs separated by `,`; percent-encode spaces as `%20` in values.",
        example: "OTEL_EXPORTER_OTLP_HEADERS=Authorization: Bearer <token>",
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
        &[
            HeaderProblemKind::MissingEquals,
            HeaderProblemKind::EmptyName,
            HeaderProblemKind::InvalidName,
            HeaderProblemKind::BadPercentEncoding,
        ],
        "the SDK drops it, so the backend never gets this header.",
        |kind| match kind {
            HeaderProblemKind::BadPercentEncoding => format!(
                "Write a literal % as %25 in {var}, e.g. export {var}=authorization=Bearer%20<token>"
            ),
            _ => format!(
                "export {var}=authorization=Bearer%20<token> (name=value pairs, comma-separated)"
            ),
        },
    );
    let names: Vec<&str> = headers
        .value
        .headers
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    Outcome::from_drafts(
        drafts,
        Evidence::new()
            .with("variable", var)
            .with("source", headers.source.to_string())
            .with("header_names", names.join(",")),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    const TOKEN: &str = "s3cr3t-token-value";

    #[test]
    fn passes_for_well_formed_headers() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[(
                "OTEL_EXPORTER_OTLP_HEADERS",
                "authorization=Bearer%20abc,x-tenant=a"
            )]
        ));
    }

    #[test]
    fn flags_http_syntax_without_showing_the_token() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[(
                "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
                &format!("Authorization: Bearer {TOKEN}"),
            )],
        );
        assert_eq!(f[0].subject, "OTEL_EXPORTER_OTLP_TRACES_HEADERS");
        let shown = format!("{f:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(f[0].message.contains("no `=`"), "{}", f[0].message);
    }
}
