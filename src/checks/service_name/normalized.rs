use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "SVC005",
    name: "service-name-spelling",
    family: Family::ServiceName,
    severity: Severity::Warning,
    title: "The service name has no whitespace, quotes or capitals that split a service in two",
    explanation: Explanation {
        checks: "Whether the effective service name has leading, trailing or inner whitespace, quote \
                 characters (as `docker run --env-file` keeps them), or capital letters (reported as info).",
        why: "Backends compare service names byte for byte: `checkout `, `\"checkout\"` and `Checkout` \
              are three services next to `checkout`, each with part of the traces. Capitals are not wrong, \
              but services written in other languages or by other teams usually use lower case.",
        fix: "Write the name in lower case without spaces or quotes, the same in every deployment.",
        example: "OTEL_SERVICE_NAME=\"checkout\"   # in a docker --env-file: the quotes are kept",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let service = &ctx.settings.service;
    let effective = &service.effective;
    let evidence = Evidence::new().setting("service.name", effective);
    if service.fallback {
        return Outcome::Pass(evidence);
    }
    let name = &effective.value;
    let var = effective.var.unwrap_or("OTEL_SERVICE_NAME");
    let clean: String = name
        .trim()
        .trim_matches(['"', '\''])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    let mut problems = Vec::new();
    if name.trim() != name {
        problems.push("leading or trailing whitespace");
    }
    if name.trim().contains(char::is_whitespace) {
        problems.push("whitespace inside");
    }
    if name.contains(['"', '\'']) {
        problems.push("quote characters (a docker --env-file keeps quotes)");
    }
    let draft =
        |message: String, fix: String| Draft::new(var, message, fix).setting(var, effective);
    let mut drafts = Vec::new();
    if !problems.is_empty() {
        drafts.push(draft(
            format!(
                "The service name `{name}` has {}: the backend files it apart from `{clean}`.",
                problems.join(" and ")
            ),
            format!("export {var}={clean}"),
        ));
    } else if name.chars().any(char::is_uppercase) {
        drafts.push(
            draft(
                format!(
                    "The service name `{name}` has capital letters: if other services or dashboards \
                     spell it `{}`, the backend shows two services.",
                    name.to_lowercase()
                ),
                format!("export {var}={} (if that is how the rest of the system spells it)", name.to_lowercase()),
            )
            .severity(Severity::Info),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_for_clean_names_and_the_fallback() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_SERVICE_NAME", "shop-checkout")]
        ));
        assert!(passes(&CHECK, Sdk::Spec, &[]));
    }

    #[test]
    fn flags_whitespace_and_quotes_with_the_clean_name() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_SERVICE_NAME", "\"check out \"")],
        );
        assert_eq!(f[0].fix, "export OTEL_SERVICE_NAME=check-out");
        assert!(f[0].message.contains("quote"));
        assert_eq!(f[0].severity, None);
    }

    #[test]
    fn capitals_are_info() {
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_SERVICE_NAME", "Checkout")]);
        assert_eq!(f[0].severity, Some(Severity::Info));
        assert!(f[0].fix.starts_with("export OTEL_SERVICE_NAME=checkout"));
    }
}
