use super::workload;
use crate::checks::{Check, Context, Run};
use crate::deploy::EnvValue;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::is_tracing_var;

pub static CHECK: Check = Check {
    id: "DEP006",
    name: "value-with-surrounding-whitespace",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "No tracing value carries a trailing newline or surrounding spaces",
    explanation: Explanation {
        checks: "Whether an OTEL_* or JAEGER_* value of a container, as the platform passes it, \
                 starts or ends with whitespace — typically the newline a YAML `|` block keeps at \
                 the end.",
        why: "SDKs do not trim values: `http://collector:4317\\n` is not a valid URL, a service \
              name with a newline is a different service, and `grpc ` is not a protocol. \
              OperationsPAI/train-ticket #22 lost every span to a `value: |` block.",
        fix: "Write the value on the key's line (`value: http://collector:4317`), or use `|-` to \
              strip the final newline.",
        example: "- name: OTEL_EXPORTER_OTLP_ENDPOINT\n  value: |\n    http://otel-collector:4317",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (_, w) = match workload(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut checked = 0;
    let drafts = w
        .env
        .iter()
        .filter(|v| is_tracing_var(&v.name))
        .filter_map(|v| {
            checked += 1;
            let EnvValue::Literal(text) = &v.value else {
                return None;
            };
            if text.trim() == text {
                return None;
            }
            let shown = if v.secret {
                "(a secret: value not shown)".to_string()
            } else {
                format!("{text:?}")
            };
            let what = if text.ends_with('\n') {
                "ends with a newline"
            } else {
                "has spaces around it"
            };
            Some(
                Draft::new(
                    v.name.clone(),
                    format!(
                        "{} {what} ({}): the SDK reads it as written, so it is not the value meant.",
                        v.name, v.origin
                    ),
                    format!(
                        "At {}, write the value without surrounding whitespace (on the key's line, or with `|-` instead of `|`).",
                        v.source
                    ),
                )
                .evidence("value", shown)
                .at(v.source.clone()),
            )
        })
        .collect();
    Outcome::from_drafts(drafts, Evidence::new().with("variables", checked))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, item, passes};

    #[test]
    fn passes_for_plain_values() {
        let m = demo(&item("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"));
        assert!(passes(&CHECK, &m, Some("checkout/app")));
    }

    #[test]
    fn flags_the_newline_a_block_scalar_keeps() {
        let m = demo(
            "            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: |\n                http://c:4317\n",
        );
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert!(
            f[0].message.contains("ends with a newline"),
            "{}",
            f[0].message
        );
        assert_eq!(
            f[0].evidence.get("value").unwrap(),
            &serde_json::json!("\"http://c:4317\\n\"")
        );
    }
}
