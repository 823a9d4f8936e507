use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::Sdk;

pub static CHECK: Check = Check {
    id: "SVC001",
    name: "service-name-unset",
    family: Family::ServiceName,
    severity: Severity::Error,
    title: "A service name is configured",
    explanation: Explanation {
        checks: "Whether `OTEL_SERVICE_NAME` or `service.name` in `OTEL_RESOURCE_ATTRIBUTES` gives the \
                 service a name. Empty values count as unset, and an `OTEL_RESOURCE_ATTRIBUTES` that does \
                 not parse is discarded whole. With `--sdk`, the finding names the fallback that SDK reports.",
        why: "Without a name the SDK reports `unknown_service` or `unknown_service:<executable>` \
              (Go: the binary name, Java: `unknown_service:java`, Node: `unknown_service:node`, .NET: the \
              process name, Python and Rust: `unknown_service`). Every unnamed service lands in that one \
              bucket and searching the backend for the real name finds nothing. A name assembled from an \
              unset variable (`OTEL_SERVICE_NAME=$SERVICE`) is the usual cause.",
        fix: "Set `OTEL_SERVICE_NAME` to the deployment unit's name (the binary, Kubernetes Deployment or \
              metrics job), before the app starts.",
        example: "OTEL_SERVICE_NAME=        # assembled from an unset variable\n\
                  tracectl doctor --sdk java   # reports unknown_service:java",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let s = &ctx.settings;
    let service = &s.service;
    if s.sdk.is_jaeger_client() {
        return jaeger_client(ctx);
    }
    if !service.fallback {
        return Outcome::Pass(Evidence::new().setting("service.name", &service.effective));
    }
    let fallback = &service.effective.value;
    let who = match s.sdk {
        Sdk::Spec => format!(
            "the SDK will report `{fallback}` (e.g. `unknown_service:python`; --sdk names yours)"
        ),
        sdk => format!("the {sdk} SDK will report `{fallback}`"),
    };
    let mut causes = Vec::new();
    let mut draft = Draft::new("OTEL_SERVICE_NAME", String::new(), String::new());
    match s.inputs.get("OTEL_SERVICE_NAME") {
        Some(raw) => {
            causes.push(format!(
                "OTEL_SERVICE_NAME is set but empty ({}), as when it is assembled from an unset variable",
                raw.source
            ));
            draft = draft
                .fact("OTEL_SERVICE_NAME", "")
                .fact("OTEL_SERVICE_NAME.source", raw.source.to_string());
        }
        None => {
            causes.push("OTEL_SERVICE_NAME is unset".to_string());
            draft = draft.fact("OTEL_SERVICE_NAME", "(unset)");
        }
    }
    if let Some(resource) = &s.resource {
        match &resource.value.error {
            Some(error) => causes.push(format!(
                "OTEL_RESOURCE_ATTRIBUTES is discarded because it does not parse ({error})"
            )),
            None => causes.push("OTEL_RESOURCE_ATTRIBUTES has no service.name".to_string()),
        }
    }
    let mut name = "<your-service>".to_string();
    if let Some(jaeger) = &service.jaeger_service_name {
        causes.push(format!(
            "JAEGER_SERVICE_NAME={} is set, but OpenTelemetry SDKs do not read it",
            jaeger.value
        ));
        name = jaeger.value.trim().to_string();
        draft = draft.setting("JAEGER_SERVICE_NAME", jaeger);
    }
    draft.message = format!(
        "No service name is configured: {}; {who}.",
        causes.join("; ")
    );
    draft.fix = format!("export OTEL_SERVICE_NAME={name}");
    Outcome::Findings(vec![
        draft
            .fact("fallback", fallback.as_str())
            .fact("sdk", s.sdk.as_str()),
    ])
}

/// A Jaeger client reads its name from JAEGER_SERVICE_NAME (Go, Java, Node) or from code
/// (Python), and without one refuses to create a tracer: no `unknown_service` bucket, no spans.
fn jaeger_client(ctx: &Context) -> Outcome {
    let s = &ctx.settings;
    let sdk = s.sdk;
    let Some(var) = sdk.facts().service_name_var else {
        return Outcome::Pass(Evidence::new().fact("sdk", sdk.as_str()).fact(
            "service.name",
            "given in code (jaeger_client.Config(service_name=…))",
        ));
    };
    if let Some(name) = &s.service.jaeger_service_name {
        return Outcome::Pass(Evidence::new().setting(var, name));
    }
    let name = s
        .service
        .otel_service_name
        .as_ref()
        .map_or("<your-service>".to_string(), |n| n.value.trim().to_string());
    Outcome::Findings(vec![
        Draft::new(
            var,
            format!(
                "{var} is unset: the {sdk} client refuses to create a tracer without a service \
                 name (Go: `no service name provided`, Node: `config.serviceName must be provided`), \
                 so the app reports no spans at all."
            ),
            format!("export {var}={name}"),
        )
        .fact(var, "(unset)")
        .fact("sdk", sdk.as_str()),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_a_name_from_either_variable() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_SERVICE_NAME", "checkout")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_RESOURCE_ATTRIBUTES", "service.name=checkout")]
        ));
    }

    #[test]
    fn empty_name_names_the_sdk_fallback() {
        let f = findings(&CHECK, Sdk::Java, &[("OTEL_SERVICE_NAME", "")]);
        assert!(
            f[0].message.contains("`unknown_service:java`"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("set but empty"));
        let f = findings(&CHECK, Sdk::Python, &[]);
        assert!(
            f[0].message
                .contains("python SDK will report `unknown_service:<python executable name>`"),
            "{}",
            f[0].message
        );
        let f = findings(&CHECK, Sdk::Spec, &[]);
        assert!(f[0].message.contains("unknown_service:<executable name>"));
    }

    #[test]
    fn suggests_the_jaeger_name_and_explains_a_discarded_resource() {
        let f = findings(
            &CHECK,
            Sdk::Go,
            &[
                ("JAEGER_SERVICE_NAME", "checkout"),
                ("OTEL_RESOURCE_ATTRIBUTES", "service.name=x,broken"),
            ],
        );
        assert_eq!(f[0].fix, "export OTEL_SERVICE_NAME=checkout");
        assert!(f[0].message.contains("discarded"));
    }

    #[test]
    fn a_jaeger_client_reads_jaeger_service_name() {
        assert!(passes(
            &CHECK,
            Sdk::Jaeger,
            &[("JAEGER_SERVICE_NAME", "pyapp")]
        ));
        assert!(passes(&CHECK, Sdk::JaegerPython, &[]));
        let f = findings(&CHECK, Sdk::JaegerGo, &[("OTEL_SERVICE_NAME", "shop")]);
        assert_eq!(f[0].fix, "export JAEGER_SERVICE_NAME=shop");
        assert!(f[0].message.contains("refuses to create a tracer"));
    }
}
