use super::report;
use crate::checks::{Check, Context, Run};
use crate::deploy::InjectionIssue;
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR007",
    name: "https-endpoint-without-tls",
    family: Family::Deployment,
    severity: Severity::Warning,
    title: "An https:// exporter endpoint of an Instrumentation comes with exporter.tls",
    explanation: Explanation {
        checks: "For each Instrumentation the webhook applies, whether `spec.exporter.endpoint` \
                 starts with `https://` while `spec.exporter.tls` is missing.",
        why: "Without `exporter.tls` the operator mounts no CA and sets no \
              OTEL_EXPORTER_OTLP_CERTIFICATE, so each SDK trusts only the CAs baked into its \
              image: a collector with a cluster-issued certificate fails every TLS handshake. \
              The operator's own validation warns about this combination.",
        fix: "Add `spec.exporter.tls` with the Secret or ConfigMap holding the CA (`ca_file`), or \
              use `http://` inside the cluster.",
        example: "exporter:\n  endpoint: https://otel-collector.observability.svc:4317   # no tls:",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    report(ctx, InjectionIssue::HttpsWithoutTls)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::operator::testing::{WORKING, inject, manifest};

    #[test]
    fn passes_with_tls_or_http() {
        assert!(passes(
            &CHECK,
            &manifest(WORKING, &inject("java", "true"), ""),
            None
        ));
        let spec = WORKING.replace("http://", "https://") + "  \n";
        let spec = spec.replace(
            "endpoint: https://otel-collector:4318\n",
            "endpoint: https://otel-collector:4318\n    tls:\n      secretName: ca\n      ca_file: ca.crt\n",
        );
        assert!(passes(
            &CHECK,
            &manifest(&spec, &inject("java", "true"), ""),
            None
        ));
    }

    #[test]
    fn flags_https_without_tls_at_the_endpoint() {
        let spec = WORKING.replace("http://", "https://");
        let f = findings(&CHECK, &manifest(&spec, &inject("java", "true"), ""), None);
        assert_eq!(f[0].location.as_ref().unwrap().line, 31);
    }
}
