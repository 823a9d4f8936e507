use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::service::is_unknown_service;

pub static CHECK: Check = Check {
    id: "SVC002",
    name: "service-name-unknown-service",
    family: Family::ServiceName,
    severity: Severity::Warning,
    title: "No variable sets the service name to an unknown_service placeholder",
    explanation: Explanation {
        checks: "Whether `OTEL_SERVICE_NAME`, `service.name` in `OTEL_RESOURCE_ATTRIBUTES` or \
                 `JAEGER_SERVICE_NAME` is explicitly `unknown_service` or `unknown_service:<something>`.",
        why: "`unknown_service` is what SDKs report when no name is configured. Setting it explicitly \
              (often copied from a backend's service list) files the service together with every other \
              unnamed one.",
        fix: "Set the real service name.",
        example: "OTEL_SERVICE_NAME=unknown_service:java",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let service = &ctx.settings.service;
    let drafts = service
        .configured()
        .filter(|r| is_unknown_service(r.value.trim()))
        .map(|r| {
            let var = r.var.unwrap_or("OTEL_SERVICE_NAME");
            let fix = if var == "OTEL_RESOURCE_ATTRIBUTES" {
                "Replace service.name in OTEL_RESOURCE_ATTRIBUTES with the real name, e.g. \
                 service.name=checkout, or export OTEL_SERVICE_NAME=checkout"
                    .to_string()
            } else {
                format!("export {var}=<your-service>")
            };
            Draft::new(
                var,
                format!(
                    "{var} sets the service name to `{}`, the placeholder SDKs use when no name is \
                     configured: this service is filed with every unnamed one.",
                    r.value
                ),
                fix,
            )
            .setting(var, r)
        })
        .collect();
    Outcome::from_drafts(
        drafts,
        Evidence::new().setting("service.name", &service.effective),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_a_real_name_or_none() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_SERVICE_NAME", "unknown_services")]
        ));
        assert!(passes(&CHECK, Sdk::Spec, &[]));
    }

    #[test]
    fn flags_each_placeholder() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_SERVICE_NAME", "unknown_service:java"),
                ("OTEL_RESOURCE_ATTRIBUTES", "service.name=unknown_service"),
            ],
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].fix, "export OTEL_SERVICE_NAME=<your-service>");
        assert_eq!(f[1].subject, "OTEL_RESOURCE_ATTRIBUTES");
    }
}
