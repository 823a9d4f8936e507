use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::resource::RESOURCE_ATTRIBUTES;

pub static CHECK: Check = Check {
    id: "SVC006",
    name: "resource-attributes-invalid",
    family: Family::ServiceName,
    severity: Severity::Warning,
    title: "OTEL_RESOURCE_ATTRIBUTES parses as key=value pairs",
    explanation: Explanation {
        checks: "Whether `OTEL_RESOURCE_ATTRIBUTES` is a comma-separated list of `key=value` pairs with \
                 valid `%XX` escapes. Reported as an error when the variable holds `service.name`.",
        why: "By the spec, any parse error makes the SDK discard the whole variable: not just the broken \
              entry but every attribute in it, `service.name` and `deployment.environment` included. The \
              SDK logs one line at start-up, if anything.",
        fix: "Write `key=value` pairs separated by `,`. Inside keys and values, percent-encode `,` as \
              `%2C`, `=` as `%3D` and `%` as `%25`.",
        example: "OTEL_RESOURCE_ATTRIBUTES=service.name=checkout,team=web,shop",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(resource) = &ctx.settings.resource else {
        return Outcome::Pass(Evidence::new().fact("OTEL_RESOURCE_ATTRIBUTES", "(unset)"));
    };
    let raw = ctx.settings.var(RESOURCE_ATTRIBUTES).unwrap_or("");
    let evidence = Evidence::new().fact("OTEL_RESOURCE_ATTRIBUTES", raw).fact(
        "OTEL_RESOURCE_ATTRIBUTES.source",
        resource.source.to_string(),
    );
    let Some(error) = &resource.value.error else {
        return Outcome::Pass(evidence.fact("attributes", resource.value.attributes.len()));
    };
    let names_service = raw.contains("service.name");
    let mut draft = Draft::new(
        "OTEL_RESOURCE_ATTRIBUTES",
        format!(
            "OTEL_RESOURCE_ATTRIBUTES does not parse ({error}): the SDK discards the whole variable, \
             so none of its attributes is set{}.",
            if names_service { ", service.name included" } else { "" }
        ),
        "Write key=value pairs separated by `,` and percent-encode `,` `=` `%` inside values \
         (%2C %3D %25), e.g. export OTEL_RESOURCE_ATTRIBUTES=service.name=checkout,deployment.environment=prod",
    )
    .fact("OTEL_RESOURCE_ATTRIBUTES", raw)
    .fact("OTEL_RESOURCE_ATTRIBUTES.source", resource.source.to_string())
    .fact("error", error.as_str());
    if names_service {
        draft = draft.severity(Severity::Error);
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
    fn passes_when_unset_or_valid() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_RESOURCE_ATTRIBUTES", "service.name=a,team=b%2Cc")]
        ));
    }

    #[test]
    fn flags_a_discarded_variable() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_RESOURCE_ATTRIBUTES", "team=web,shop")],
        );
        assert_eq!(f[0].severity, None);
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_RESOURCE_ATTRIBUTES", "service.name=100%")],
        );
        assert_eq!(f[0].severity, Some(Severity::Error));
        assert!(f[0].message.contains("service.name included"));
    }
}
