use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL001",
    name: "collector-config-parses",
    family: Family::Collector,
    severity: Severity::Error,
    title: "The collector config is valid YAML with a service.pipelines section",
    explanation: Explanation {
        checks: "Whether the file given to `--collector-config` parses as YAML, and whether it has \
                 the `service.pipelines` section the collector builds its pipelines from.",
        why: "A collector whose config does not parse exits at start-up; one without \
              `service.pipelines` starts no pipeline at all. Either way every span sent to it is \
              refused or dropped, and the apps only log export errors.",
        fix: "Fix the YAML at the line and column reported (indentation, an unclosed bracket or \
              quote), and declare at least one pipeline under `service.pipelines`.",
        example: "receivers:\n  otlp:\n    protocols:\n      grpc: [endpoint: 0.0.0.0:4317\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(file) = &ctx.collector_config else {
        return Outcome::skip("no collector config: pass --collector-config FILE");
    };
    match &file.parsed {
        Err(e) => {
            let line = e.line.unwrap_or(1);
            let mut draft = Draft::new(
                format!("{}:{line}", file.file),
                format!(
                    "{} is not valid YAML: {e}. The collector would exit at start-up.",
                    file.file
                ),
                "Fix the YAML at that line and column: check indentation, brackets and quotes.",
            );
            if let (Some(l), Some(c)) = (e.line, e.column) {
                draft = draft.evidence("line", l).evidence("column", c);
            }
            // A config read from deployment files is located like the deployment findings.
            if ctx.deploy.is_some() {
                let line = u32::try_from(line).unwrap_or(u32::MAX);
                draft = draft.at(crate::settings::Location::new(file.file.clone(), line));
            }
            Outcome::Findings(vec![draft.evidence("error", e.message.clone())])
        }
        Ok(config) if super::is_empty(config) => Outcome::Findings(vec![Draft::new(
            format!("{}:1", file.file),
            format!(
                "{} declares no receiver, exporter or pipeline (an empty file?): the collector \
                 refuses to start without them.",
                file.file
            ),
            "Write the config: receivers (e.g. otlp), exporters, and service.pipelines.traces \
             naming them.",
        )]),
        Ok(config) if config.pipelines.is_empty() => Outcome::Findings(vec![
            Draft::new(
                config.subject(config.pipelines_line, "service.pipelines"),
                "The config declares no pipeline under service.pipelines: the collector runs no \
                 pipeline and receives nothing.",
                "Add a pipeline, e.g. service.pipelines.traces with receivers: [otlp] and \
                 exporters: [otlp].",
            )
            .evidence("components", config.components.len()),
        ]),
        Ok(config) => Outcome::Pass(
            Evidence::new()
                .with("file", file.file.clone())
                .with("components", config.components.len())
                .with("pipelines", config.pipelines.len()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_on_a_complete_config() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn reports_the_line_of_a_syntax_error() {
        let f = findings(
            &CHECK,
            "receivers:\n  otlp:\n    protocols: [grpc\nservice: {}\n",
        );
        assert!(f[0].subject.starts_with("config.yaml:"), "{}", f[0].subject);
        assert!(f[0].evidence.get("line").is_some());
    }

    #[test]
    fn fails_without_pipelines() {
        let f = findings(
            &CHECK,
            "receivers:\n  otlp: {}\nservice:\n  extensions: []\n",
        );
        assert_eq!(f[0].subject, "config.yaml:3 service.pipelines");
    }
}
