use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::otlp::{ENDPOINT, TRACES_ENDPOINT};

pub static CHECK: Check = Check {
    id: "END004",
    name: "otlp-endpoint-doubled-path",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "The generic OTLP endpoint does not already end in /v1/traces",
    explanation: Explanation {
        checks: "For OTLP/HTTP, whether `OTEL_EXPORTER_OTLP_ENDPOINT` (the generic, base-URL variable) \
                 already ends in `/v1/traces`.",
        why: "SDKs append `/v1/traces` to the generic endpoint, so `http://collector:4318/v1/traces` becomes \
              `http://collector:4318/v1/traces/v1/traces` and every export gets a 404. Metrics and logs \
              sent through the same variable break too (`/v1/traces/v1/metrics`).",
        fix: "Give the generic variable the base URL only, or move the full URL to \
              `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`.",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318/v1/traces",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let evidence = Evidence::new().setting("endpoint", &otlp.endpoint);
    let configured = otlp.endpoint.value.trim();
    let base = configured.trim_end_matches('/');
    if !otlp.protocol.value.is_http()
        || otlp.endpoint.var != Some(ENDPOINT)
        || !base.ends_with("/v1/traces")
    {
        return Outcome::Pass(evidence);
    }
    let url = otlp.url.as_ref().map(|u| u.to_string()).unwrap_or_default();
    let stripped = base.trim_end_matches("/v1/traces");
    Outcome::Findings(vec![
        Draft::new(
            ENDPOINT,
            format!(
                "{ENDPOINT} already ends in /v1/traces and the SDK appends it again: spans are posted \
                 to `{url}`, which answers 404."
            ),
            format!(
                "export {ENDPOINT}={stripped} (or unset it and export {TRACES_ENDPOINT}={configured})"
            ),
        )
        .setting("endpoint", &otlp.endpoint)
        .setting("protocol", &otlp.protocol)
        .fact("url", url),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_a_base_url_or_grpc() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/prefix")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Java,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317/v1/traces")]
        ));
    }

    #[test]
    fn flags_the_doubled_path() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/v1/traces/")],
        );
        assert!(
            f[0].message.contains("http://c:4318/v1/traces/v1/traces"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].fix
                .starts_with("export OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318 ")
        );
    }
}
