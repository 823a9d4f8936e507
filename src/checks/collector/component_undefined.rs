use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::model::{CollectorConfig, Ref, Section};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL007",
    name: "component-undefined",
    family: Family::Collector,
    severity: Severity::Error,
    title: "Every component a pipeline names is defined",
    explanation: Explanation {
        checks: "Ids listed in a pipeline's receivers, processors or exporters (connectors count as \
                 receivers and exporters) and in `service.extensions` that have no definition.",
        why: "The collector refuses to start: `service::pipelines::traces: references exporter \
              \"otlp/jaegr\" which is not configured`. Usually a typo or a `/name` suffix that \
              differs between the definition and the pipeline.",
        fix: "Define the component under its section, or correct the id in the pipeline to the one \
              defined.",
        example: "exporters:\n  otlp/jaeger:\n    endpoint: jaeger:4317\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [otlp/jaegr]\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

/// Whether `id`, named where `section` is expected, has a definition.
fn defined(config: &CollectorConfig, section: Section, id: &str) -> bool {
    config.find(section, id).is_some()
        || (matches!(section, Section::Receivers | Section::Exporters)
            && config.find(Section::Connectors, id).is_some())
}

fn draft(config: &CollectorConfig, section: Section, r: &Ref, path: &str) -> Draft {
    let suggestion = config
        .components_in(section)
        .map(|c| (strsim::jaro_winkler(&c.id, &r.id), c.id.as_str()))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id);
    let fix = match suggestion {
        Some(id) => format!(
            "Did you mean `{id}`? Use that id in {path}, or define `{}` under {}.",
            r.id,
            section.key()
        ),
        None => format!(
            "Define `{}` under {}, or remove it from {path}.",
            r.id,
            section.key()
        ),
    };
    Draft::new(
        config.subject(r.line, &format!("{path}: {}", r.id)),
        format!(
            "{path} names the {} `{}`, which is not defined: the collector refuses to start.",
            section.singular(),
            r.id
        ),
        fix,
    )
    .evidence("component", r.id.clone())
}

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let mut drafts = Vec::new();
    let mut refs = 0;
    for p in &config.pipelines {
        for (section, r) in p.refs() {
            refs += 1;
            if !defined(config, section, &r.id) {
                drafts.push(draft(
                    config,
                    section,
                    r,
                    &format!("{}.{}", p.path(), section.key()),
                ));
            }
        }
    }
    for r in &config.service_extensions {
        refs += 1;
        if !defined(config, Section::Extensions, &r.id) {
            drafts.push(draft(config, Section::Extensions, r, "service.extensions"));
        }
    }
    Outcome::from_drafts(drafts, Evidence::new().with("references", refs))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_when_every_reference_is_defined() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn flags_typos_with_a_suggestion() {
        let yaml = GOOD.replace("exporters: [otlp/jaeger]", "exporters: [otlp/jaegr]")
            + "  extensions: [health_check]\n";
        let f = findings(&CHECK, &yaml);
        assert_eq!(
            f[0].subject,
            "config.yaml:20 service.pipelines.traces.exporters: otlp/jaegr"
        );
        assert!(
            f[0].fix.contains("Did you mean `otlp/jaeger`"),
            "{}",
            f[0].fix
        );
        assert!(f[1].subject.contains("service.extensions: health_check"));
    }

    #[test]
    fn connectors_count_as_receivers_and_exporters() {
        let yaml = "connectors:\n  forward: {}\nreceivers:\n  otlp: {}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [forward]\n    traces/2:\n      receivers: [forward]\n      exporters: [debug]\n";
        assert!(passes(&CHECK, yaml));
    }
}
