use super::endpoint_var;
use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "END005",
    name: "otlp-insecure-scheme-conflict",
    family: Family::Endpoint,
    severity: Severity::Warning,
    title: "OTEL_EXPORTER_OTLP_INSECURE agrees with the endpoint's scheme",
    explanation: Explanation {
        checks: "Whether `OTEL_EXPORTER_OTLP_[TRACES_]INSECURE=true` is set with an `https://` endpoint \
                 (the scheme wins: TLS is used), whether it is set for OTLP/HTTP (it is read by gRPC \
                 exporters only), and whether a gRPC endpoint without a scheme will use TLS because \
                 INSECURE is not `true` (only the exact word `true` counts).",
        why: "The scheme decides TLS. A plaintext collector receiving a TLS handshake, or the reverse, \
              closes the connection: `connection closed before server preface received` or \
              `first record does not look like a TLS handshake`, on every export.",
        fix: "Write the scheme you mean: `http://` for a plaintext collector, `https://` for TLS, and drop \
              `OTEL_EXPORTER_OTLP_INSECURE`.",
        example: "OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\n\
                  OTEL_EXPORTER_OTLP_INSECURE=true",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let var = endpoint_var(otlp);
    let configured = otlp.endpoint.value.trim();
    let evidence = Evidence::new().setting("endpoint", &otlp.endpoint);
    let Ok(url) = &otlp.url else {
        return Outcome::Pass(evidence);
    };
    let has_scheme = configured.contains("://");
    let insecure = otlp.insecure.as_ref();
    let draft = match insecure {
        Some(flag) if flag.value && url.scheme() == "https" && has_scheme => Draft::new(
            flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE"),
            format!(
                "{} is true but {var} starts with https://: the scheme wins and the exporter uses TLS.",
                flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE")
            ),
            format!(
                "export {var}={} for a plaintext collector (and unset {})",
                configured.replacen("https://", "http://", 1),
                flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE")
            ),
        )
        .setting("insecure", flag),
        Some(flag) if otlp.protocol.value.is_http() => Draft::new(
            flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE"),
            format!(
                "{} is set, but the exporter speaks {}: only gRPC exporters read it; the scheme of {var} \
                 decides TLS.",
                flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE"),
                otlp.protocol.value
            ),
            format!(
                "unset {} and write the scheme in {var} (http:// or https://)",
                flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE")
            ),
        )
        .severity(Severity::Info)
        .setting("insecure", flag),
        _ if !has_scheme && url.scheme() == "https" => {
            let why = match insecure {
                Some(flag) => format!(
                    "{} is `{}`, not `true`",
                    flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE"),
                    ctx.settings
                        .var(flag.var.unwrap_or("OTEL_EXPORTER_OTLP_INSECURE"))
                        .unwrap_or("")
                ),
                None => "OTEL_EXPORTER_OTLP_INSECURE is unset".to_string(),
            };
            Draft::new(
                var,
                format!(
                    "{var} `{configured}` has no scheme and {why}: the gRPC exporter uses TLS. A \
                     plaintext collector closes the connection."
                ),
                format!("export {var}=http://{configured} (plaintext) or https://{configured} (TLS)"),
            )
        }
        _ => return Outcome::Pass(evidence.fact("tls", url.scheme() == "https")),
    };
    Outcome::Findings(vec![
        draft
            .setting("endpoint", &otlp.endpoint)
            .setting("protocol", &otlp.protocol),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    const GRPC: (&str, &str) = ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");

    #[test]
    fn passes_when_scheme_and_flag_agree() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[GRPC, ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[
                GRPC,
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "c:4317"),
                ("OTEL_EXPORTER_OTLP_INSECURE", "TRUE")
            ]
        ));
    }

    #[test]
    fn flags_insecure_with_https() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                GRPC,
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c:4317"),
                ("OTEL_EXPORTER_OTLP_INSECURE", "true"),
            ],
        );
        assert!(
            f[0].fix
                .starts_with("export OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4317")
        );
    }

    #[test]
    fn flags_a_schemeless_grpc_endpoint_that_will_use_tls() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                GRPC,
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "c:4317"),
                ("OTEL_EXPORTER_OTLP_INSECURE", "yes"),
            ],
        );
        assert!(
            f[0].message.contains("is `yes`, not `true`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn insecure_with_http_protocol_is_info() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"),
                ("OTEL_EXPORTER_OTLP_INSECURE", "true"),
            ],
        );
        assert_eq!(f[0].severity, Some(Severity::Info));
    }
}
