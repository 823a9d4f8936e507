use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "SVC003",
    name: "service-name-assembled",
    family: Family::ServiceName,
    severity: Severity::Warning,
    title: "The service name does not look assembled from an empty variable",
    explanation: Explanation {
        checks: "Whether a configured service name starts or ends with `-`, `_` or `.`, holds a doubled \
                 separator (`--`, `__`, `..`), or an unexpanded `$`.",
        why: "Names are often built in a shell or a manifest, e.g. `OTEL_SERVICE_NAME=${TEAM}-checkout`. \
              When the variable is unset the app reports `-checkout`: a new service nobody searches for, \
              while the dashboards for `shop-checkout` stay empty.",
        fix: "Set the variable the name is built from before the app starts, or write the full name.",
        example: "OTEL_SERVICE_NAME=-checkout      # from ${TEAM}-checkout with TEAM unset",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

const SEPARATORS: [char; 3] = ['-', '_', '.'];

/// Why a name looks assembled from an empty part, if it does.
fn looks_assembled(name: &str) -> Option<String> {
    let name = name.trim();
    if name.contains('$') {
        return Some("holds an unexpanded `$`".to_string());
    }
    if let Some(c) = name.chars().next().filter(|c| SEPARATORS.contains(c)) {
        return Some(format!("starts with `{c}`"));
    }
    if let Some(c) = name.chars().last().filter(|c| SEPARATORS.contains(c)) {
        return Some(format!("ends with `{c}`"));
    }
    ["--", "__", ".."]
        .iter()
        .find(|d| name.contains(*d))
        .map(|d| format!("holds `{d}`"))
}

fn run(ctx: &Context) -> Outcome {
    let service = &ctx.settings.service;
    let drafts = service
        .configured()
        .filter_map(|r| {
            let why = looks_assembled(&r.value)?;
            let var = r.var.unwrap_or("OTEL_SERVICE_NAME");
            Some(
                Draft::new(
                    var,
                    format!(
                        "The service name `{}` {why}: it looks built from a variable that was empty \
                         (e.g. `${{PREFIX}}-svc`), so spans are filed under a name nobody searches for.",
                        r.value
                    ),
                    format!(
                        "Set the variable the name is built from before the app starts, or export \
                         {var}=<full-service-name>"
                    ),
                )
                .setting(var, r),
            )
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
    fn passes_for_ordinary_names() {
        for name in ["checkout", "shop-checkout", "api.v2", "unknown_service"] {
            assert!(
                passes(&CHECK, Sdk::Spec, &[("OTEL_SERVICE_NAME", name)]),
                "{name}"
            );
        }
    }

    #[test]
    fn flags_names_with_an_empty_part() {
        for name in ["-svc", "svc_", ".svc", "shop--svc", "${TEAM}-svc"] {
            let f = findings(&CHECK, Sdk::Spec, &[("OTEL_SERVICE_NAME", name)]);
            assert_eq!(f[0].subject, "OTEL_SERVICE_NAME", "{name}");
        }
        let f = findings(&CHECK, Sdk::Spec, &[("JAEGER_SERVICE_NAME", "svc-")]);
        assert!(f[0].message.contains("ends with `-`"));
    }
}
