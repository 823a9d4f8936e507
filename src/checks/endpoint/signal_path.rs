use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::otlp::TRACES_ENDPOINT;

pub static CHECK: Check = Check {
    id: "END003",
    name: "otlp-traces-endpoint-without-path",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "An HTTP traces endpoint ends in /v1/traces",
    explanation: Explanation {
        checks: "For OTLP/HTTP, whether `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` has a path ending in \
                 `/v1/traces`. A path other than `/` is reported as a warning (it may be a gateway's route).",
        why: "The signal-specific endpoint is used as-is: unlike `OTEL_EXPORTER_OTLP_ENDPOINT`, nothing is \
              appended to it. `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:4318` posts spans to `/`, \
              and the collector answers `404 page not found` on every export.",
        fix: "Write the full URL, ending in `/v1/traces`, or set the generic `OTEL_EXPORTER_OTLP_ENDPOINT` \
              to the base URL instead.",
        example: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:4318",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let evidence = Evidence::new().setting("endpoint", &otlp.endpoint);
    let Ok(url) = &otlp.url else {
        return Outcome::Pass(evidence);
    };
    if !otlp.protocol.value.is_http()
        || otlp.endpoint.var != Some(TRACES_ENDPOINT)
        || url.path().trim_end_matches('/').ends_with("/v1/traces")
    {
        return Outcome::Pass(evidence.fact("url", url.as_str()));
    }
    let mut fixed = url.clone();
    fixed.set_path(&format!("{}/v1/traces", url.path().trim_end_matches('/')));
    let mut draft = Draft::new(
        TRACES_ENDPOINT,
        format!(
            "{TRACES_ENDPOINT} is used as-is for OTLP/HTTP: spans are posted to `{url}`, not to \
             `/v1/traces`, and an OTLP collector answers 404."
        ),
        format!("export {TRACES_ENDPOINT}={fixed}"),
    )
    .setting("endpoint", &otlp.endpoint)
    .setting("protocol", &otlp.protocol)
    .fact("url", url.as_str());
    if url.path() != "/" {
        draft = draft.severity(Severity::Warning);
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_with_the_full_path_or_grpc() {
        let full = [(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "http://c:4318/v1/traces",
        )];
        assert!(passes(&CHECK, Sdk::Spec, &full));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Java,
            &[("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4317")]
        ));
    }

    #[test]
    fn flags_a_root_path_as_error_and_other_paths_as_warning() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318")],
        );
        assert_eq!(
            f[0].fix,
            "export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://c:4318/v1/traces"
        );
        assert_eq!(f[0].severity, None);
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://gw/otlp/")],
        );
        assert_eq!(f[0].severity, Some(Severity::Warning));
        assert_eq!(
            f[0].fix,
            "export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://gw/otlp/v1/traces"
        );
    }
}
