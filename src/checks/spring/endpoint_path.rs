use super::{assign, at, spring};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::secret::redact_urls;
use crate::spring::ENDPOINT;

pub static CHECK: Check = Check {
    id: "SPR001",
    name: "spring-endpoint-without-traces-path",
    family: Family::Spring,
    severity: Severity::Error,
    title: "Spring's OTLP/HTTP endpoint is the full URL ending in /v1/traces",
    explanation: Explanation {
        checks: "Whether `management.otlp.tracing.endpoint` (Spring Boot 3) or \
                 `management.opentelemetry.tracing.export.otlp.endpoint` (Spring Boot 4), with the \
                 http transport (the default), is a URL whose path ends in `/v1/traces`.",
        why: "Spring Boot posts spans to the URL exactly as written; unlike OTEL_EXPORTER_OTLP_ENDPOINT \
              it does not append `/v1/traces`. A collector answers `http://collector:4318` with 404 \
              and every span is dropped.",
        fix: "Write the full URL: `management.otlp.tracing.endpoint: http://collector:4318/v1/traces`.",
        example: "management:\n  otlp:\n    tracing:\n      endpoint: http://otel-collector:4318",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let spring = match spring(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let (transport, _) = spring.transport();
    let mut evidence = Evidence::new().with("transport", transport.clone());
    let Some(p) = spring.first(ENDPOINT) else {
        return Outcome::Pass(evidence.with("endpoint", "not set"));
    };
    evidence = evidence.with("endpoint", p.shown().trim().to_string());
    if transport != "http" {
        return Outcome::Pass(evidence);
    }
    let shown = p.shown();
    let value = shown.trim();
    let draft = match url::Url::parse(p.value.trim()) {
        Err(e) => Draft::new(
            p.key.clone(),
            format!(
                "{} `{value}` is not a URL ({e}): Spring cannot export.",
                p.key
            ),
            format!(
                "Write a full URL, e.g. {}",
                assign(p, "http://otel-collector:4318/v1/traces")
            ),
        ),
        Ok(url) if url.path().trim_end_matches('/').ends_with("/v1/traces") => {
            return Outcome::Pass(evidence);
        }
        Ok(mut url) => {
            let path = format!("{}/v1/traces", url.path().trim_end_matches('/'));
            url.set_path(&path);
            Draft::new(
                p.key.clone(),
                format!(
                    "{} is `{value}`: Spring Boot posts spans to that URL as written (it adds no \
                     /v1/traces), so an OTLP/HTTP receiver answers 404 and every span is dropped.",
                    p.key
                ),
                format!("Set {}", assign(p, &redact_urls(url.as_str()))),
            )
        }
    };
    Outcome::Findings(vec![at(draft, p)])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::spring::testing::{findings, passes, run};
    use crate::report::Outcome;

    #[test]
    fn passes_with_the_full_path_or_grpc() {
        assert!(passes(
            &CHECK,
            "management.otlp.tracing.endpoint: http://c:4318/v1/traces\n",
            &[]
        ));
        assert!(passes(
            &CHECK,
            "management.otlp.tracing:\n  endpoint: http://c:4317\n  transport: grpc\n",
            &[]
        ));
        assert!(matches!(run(&CHECK, "", &[]), Outcome::Skipped(_)));
    }

    #[test]
    fn flags_a_base_url_at_its_line_with_the_full_url_as_fix() {
        let f = findings(
            &CHECK,
            "spring.application.name: shop\nmanagement:\n  opentelemetry:\n    tracing:\n      export:\n        otlp:\n          endpoint: http://c:4318\n",
            &[],
        );
        assert_eq!(
            f[0].location.as_ref().unwrap().to_string(),
            "application.yaml:7"
        );
        assert_eq!(
            f[0].fix,
            "Set management.opentelemetry.tracing.export.otlp.endpoint: http://c:4318/v1/traces"
        );
        let f = findings(
            &CHECK,
            "",
            &[("MANAGEMENT_OTLP_TRACING_ENDPOINT", "http://c:4318/")],
        );
        assert_eq!(
            f[0].fix,
            "Set MANAGEMENT_OTLP_TRACING_ENDPOINT=http://c:4318/v1/traces"
        );
    }

    #[test]
    fn a_password_in_the_endpoint_is_never_shown() {
        let f = findings(
            &CHECK,
            "management.otlp.tracing.endpoint: http://user:pa55word@c:4318\n",
            &[],
        );
        let text = format!("{} {} {:?}", f[0].message, f[0].fix, f[0].evidence);
        assert!(!text.contains("pa55word"), "{text}");
    }
}
