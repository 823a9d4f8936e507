use super::app;
use super::target::endpoints;
use crate::checks::{Check, Context, Run};
use crate::deploy::Platform;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP015",
    name: "compose-host-docker-internal",
    family: Family::Deployment,
    severity: Severity::Warning,
    title: "host.docker.internal is mapped where the app sends to it",
    explanation: Explanation {
        checks: "For each Compose app whose tracing endpoint host is `host.docker.internal`, \
                 whether the service maps that name with \
                 `extra_hosts: [\"host.docker.internal:host-gateway\"]`.",
        why: "Docker Desktop (macOS, Windows) resolves `host.docker.internal` by itself; Docker \
              Engine on Linux does not, so the same file loses every span on a Linux host or CI \
              runner, where the exporter cannot resolve the name.",
        fix: "Add `extra_hosts: [\"host.docker.internal:host-gateway\"]` to the service.",
        example: "environment:\n  OTEL_EXPORTER_OTLP_ENDPOINT: http://host.docker.internal:4318\n# no extra_hosts",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

const NAME: &str = "host.docker.internal";

fn run(ctx: &Context) -> Outcome {
    let (_, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    if w.platform != Platform::Compose {
        return Outcome::skip("Compose services only");
    }
    let mapped = w
        .hosts
        .iter()
        .find(|(host, _, _)| host.eq_ignore_ascii_case(NAME));
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for e in endpoints(ctx, w)
        .into_iter()
        .filter(|e| e.host.eq_ignore_ascii_case(NAME))
    {
        if let Some((_, address, at)) = mapped {
            evidence.push(e.var.clone(), format!("{NAME} → {address} ({at})"));
            continue;
        }
        drafts.push(
            Draft::new(
                e.var.clone(),
                format!(
                    "{} sends to {NAME}, which service {} does not map: it resolves on Docker Desktop but not on Docker Engine for Linux.",
                    e.var, w.name
                ),
                format!(
                    "Under service {} at {}, add `extra_hosts: [\"{NAME}:host-gateway\"]`.",
                    w.name, w.source
                ),
            )
            .at(e.at.clone().unwrap_or_else(|| w.source.clone())),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::compose_testing::{compose, findings, passes};

    const APP: &str = "services:\n  shop:\n    image: shop:1\n    environment:\n      OTEL_SERVICE_NAME: shop\n      OTEL_EXPORTER_OTLP_ENDPOINT: http://host.docker.internal:4318\n";

    #[test]
    fn passes_with_host_gateway() {
        let p = compose(&format!(
            "{APP}    extra_hosts:\n      - host.docker.internal:host-gateway\n"
        ));
        assert!(passes(&CHECK, &p, Some("shop")));
    }

    #[test]
    fn flags_the_unmapped_name_at_the_variable() {
        let f = findings(&CHECK, &compose(APP), Some("shop"));
        assert_eq!(f[0].location.as_ref().unwrap().line, 6);
        assert!(
            f[0].fix.contains("host.docker.internal:host-gateway"),
            "{}",
            f[0].fix
        );
    }
}
