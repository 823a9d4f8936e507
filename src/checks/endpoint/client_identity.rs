use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::otlp::{CLIENT_CERTIFICATE, CLIENT_KEY};

pub static CHECK: Check = Check {
    id: "END010",
    name: "otlp-client-cert-without-key",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "The mTLS client certificate and client key are set together",
    explanation: Explanation {
        checks: "Whether one of `OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE` and \
                 `OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY` is set without the other.",
        why: "Mutual TLS needs both the certificate and its private key. With only one, SDKs either \
              refuse to build the exporter or connect without a client identity, and a collector \
              that requires client certificates closes every handshake: no span arrives.",
        fix: "Set both variables, to the certificate chain and the key that belongs to it.",
        example: "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/etc/otel/client.pem   # no CLIENT_KEY",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let (present, missing, var_of_missing) = match (&otlp.client_certificate, &otlp.client_key) {
        (Some(cert), None) => (cert, "client key", CLIENT_KEY),
        (None, Some(key)) => (key, "client certificate", CLIENT_CERTIFICATE),
        (Some(cert), Some(key)) => {
            return Outcome::Pass(
                Evidence::new()
                    .setting(CLIENT_CERTIFICATE, cert)
                    .setting(CLIENT_KEY, key),
            );
        }
        (None, None) => return Outcome::Pass(Evidence::new().with("mtls", "not configured")),
    };
    let var = present.var.unwrap_or(CLIENT_CERTIFICATE);
    let missing_var = if var.contains("_TRACES_") {
        var_of_missing.replace("OTLP_", "OTLP_TRACES_")
    } else {
        var_of_missing.to_string()
    };
    Outcome::Findings(vec![
        Draft::new(
            var,
            format!(
                "{var} is set but no {missing} is: mutual TLS needs both, so the exporter either fails \
                 to start or connects without a client identity."
            ),
            format!(
                "export {missing_var}=/path/to/{}.pem",
                missing.replace(' ', "-")
            ),
        )
        .setting(var, present),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_both_or_neither() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", "/c.pem"),
                ("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/k.pem"),
            ]
        ));
    }

    #[test]
    fn flags_a_certificate_without_key_and_the_reverse() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", "/c.pem")],
        );
        assert_eq!(
            f[0].fix,
            "export OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY=/path/to/client-key.pem"
        );
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/k.pem")],
        );
        assert_eq!(f[0].subject, "OTEL_EXPORTER_OTLP_CLIENT_KEY");
        assert_eq!(
            f[0].fix,
            "export OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/path/to/client-certificate.pem"
        );
    }
}
