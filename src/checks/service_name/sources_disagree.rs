use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "SVC004",
    name: "service-name-sources-disagree",
    family: Family::ServiceName,
    severity: Severity::Warning,
    title: "Every variable that names the service gives the same name",
    explanation: Explanation {
        checks: "Whether `OTEL_SERVICE_NAME`, `service.name` in `OTEL_RESOURCE_ATTRIBUTES` and \
                 `JAEGER_SERVICE_NAME` name the same service, when more than one is set.",
        why: "`OTEL_SERVICE_NAME` wins over the resource attribute, silently. `JAEGER_SERVICE_NAME` is \
              read only by legacy Jaeger clients: a fleet half-migrated to OpenTelemetry then shows one \
              service under two names, with traces split between them.",
        fix: "Use one name everywhere: set `OTEL_SERVICE_NAME` and drop (or align) the others.",
        example: "OTEL_SERVICE_NAME=checkout\n\
                  OTEL_RESOURCE_ATTRIBUTES=service.name=checkout-svc\n\
                  JAEGER_SERVICE_NAME=Checkout",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

/// Case, whitespace and `-`/`_` removed: names equal here differ only in spelling.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn run(ctx: &Context) -> Outcome {
    let service = &ctx.settings.service;
    let named: Vec<_> = service.configured().collect();
    let Some(first) = named.first() else {
        return Outcome::Pass(Evidence::new().fact("names", 0));
    };
    if named.iter().all(|r| r.value == first.value) {
        return Outcome::Pass(Evidence::new().setting("service.name", &service.effective));
    }
    let listed: Vec<String> = named
        .iter()
        .map(|r| {
            let var = r.var.unwrap_or("?");
            let role = match var {
                "OTEL_SERVICE_NAME" => "wins",
                "OTEL_RESOURCE_ATTRIBUTES" if service.otel_service_name.is_some() => "ignored",
                "OTEL_RESOURCE_ATTRIBUTES" => "wins",
                _ => "read only by Jaeger clients",
            };
            format!("{var} `{}` ({}, {role})", r.value, r.source)
        })
        .collect();
    let spelling = if named
        .iter()
        .all(|r| folded(&r.value) == folded(&first.value))
    {
        " They differ only in case, whitespace or `-`/`_`: backends still count two services."
    } else {
        ""
    };
    let name = service.effective.value.trim();
    let mut fix = format!("export OTEL_SERVICE_NAME={name}");
    if service.resource_attribute.is_some() {
        fix.push_str(
            " and remove service.name from OTEL_RESOURCE_ATTRIBUTES (or set it to the same)",
        );
    }
    if service.jaeger_service_name.is_some() {
        fix.push_str(&format!(
            "; export JAEGER_SERVICE_NAME={name} where Jaeger clients remain"
        ));
    }
    let mut draft = Draft::new(
        "service.name",
        format!(
            "The service is named in {} places that disagree: {}.{spelling}",
            named.len(),
            listed.join("; ")
        ),
        fix,
    );
    for r in &named {
        draft = draft.setting("service.name", r);
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_when_one_or_all_equal() {
        assert!(passes(&CHECK, Sdk::Spec, &[("OTEL_SERVICE_NAME", "a")]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_SERVICE_NAME", "a"), ("JAEGER_SERVICE_NAME", "a")]
        ));
    }

    #[test]
    fn flags_disagreement_and_says_which_wins() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_SERVICE_NAME", "checkout"),
                ("OTEL_RESOURCE_ATTRIBUTES", "service.name=check_out"),
                ("JAEGER_SERVICE_NAME", "Checkout"),
            ],
        );
        let m = &f[0].message;
        assert!(
            m.contains("OTEL_SERVICE_NAME `checkout` (env, wins)"),
            "{m}"
        );
        assert!(m.contains("(env, ignored)"), "{m}");
        assert!(m.contains("differ only in case"), "{m}");
        assert!(f[0].fix.starts_with("export OTEL_SERVICE_NAME=checkout"));
    }
}
