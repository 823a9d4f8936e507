use super::endpoint_var;
use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::otlp::{TRACES_ENDPOINT, effective_url};

pub static CHECK: Check = Check {
    id: "END006",
    name: "otlp-endpoint-invalid",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "The OTLP endpoint is a usable URL",
    explanation: Explanation {
        checks: "Whether `OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT` parses as an `http://` or `https://` URL \
                 with a host (gRPC endpoints may omit the scheme).",
        why: "SDKs reject an endpoint they cannot parse: some fail to start the exporter, others log once \
              and fall back to `localhost`, where nothing listens in a container. Quotes kept by \
              `docker run --env-file`, a missing scheme for OTLP/HTTP, or a stray space are the usual \
              causes.",
        fix: "Write the full URL: scheme, host, port, e.g. `http://collector:4318`.",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318      # OTLP/HTTP needs http://",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let Err(error) = &otlp.url else {
        return Outcome::Pass(Evidence::new().setting("endpoint", &otlp.endpoint));
    };
    let var = endpoint_var(otlp);
    let protocol = otlp.protocol.value;
    let cleaned = otlp.endpoint.value.trim().trim_matches(['"', '\'']).trim();
    let candidate = if cleaned.contains("://") {
        cleaned.to_string()
    } else {
        format!("http://{cleaned}")
    };
    let signal = var == TRACES_ENDPOINT;
    let fix = if effective_url(&candidate, protocol, signal, None).is_ok() {
        format!("export {var}={candidate}")
    } else {
        format!(
            "export {var}=http://<collector-host>:{}",
            protocol.default_port()
        )
    };
    Outcome::Findings(vec![
        Draft::new(var, format!("{var} cannot be used: {error}."), fix)
            .setting("endpoint", &otlp.endpoint)
            .setting("protocol", &otlp.protocol),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_for_urls_and_schemeless_grpc() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Java,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "c:4317")]
        ));
    }

    #[test]
    fn flags_and_repairs_common_mistakes() {
        for (value, fixed) in [
            ("\"http://c:4318\"", "http://c:4318"),
            ("c:4318", "http://c:4318"),
        ] {
            let f = findings(&CHECK, Sdk::Spec, &[("OTEL_EXPORTER_OTLP_ENDPOINT", value)]);
            assert_eq!(
                f[0].fix,
                format!("export OTEL_EXPORTER_OTLP_ENDPOINT={fixed}"),
                "{value}"
            );
        }
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://")],
        );
        assert!(f[0].fix.contains("<collector-host>:4318"));
    }
}
