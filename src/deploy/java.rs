//! The Java agent's system properties in a deployment: each container's JVM options (its
//! JAVA_TOOL_OPTIONS & co. and its `java` command line) applied over its environment, so every
//! check sees the value the process really uses, at the line of the option that sets it.

use super::{Deployment, EnvValue, EnvVar, Location, Workload};
use crate::settings::java::{self, Carrier};
use crate::settings::{Source, is_secret};

/// Applies every workload's JVM options to its environment. Run after anything that adds
/// environment (the reader, an admission-webhook simulation), before the checks.
pub fn apply(d: &mut Deployment) {
    for w in &mut d.workloads {
        apply_one(w);
    }
}

fn apply_one(w: &mut Workload) {
    let mut inputs = super::inputs(w);
    let words = java::options::command_options(&w.command, &w.args);
    let command = (!words.is_empty()).then(|| Carrier {
        name: "the command".to_string(),
        words,
        at: Source::Deployment {
            file: w.source.file.to_string(),
            line: w.source.line,
            origin: "command".to_string(),
        },
        open_quote: false,
    });
    // JAVA_OPTS is read by launch scripts, not by `java` itself: a command running java directly
    // (or a `sh -c` script that does) reads it only when it names it.
    let all = java::options::command_words(&w.command, &w.args);
    let runs_java = all.iter().any(|a| java::options::is_java(a));
    let reads_java_opts = !runs_java || all.iter().any(|a| a.contains("JAVA_OPTS"));
    let carriers = java::carriers(&inputs, command, reads_java_opts);
    if carriers.is_empty() {
        return;
    }
    let read = |path: &str| {
        let (_, text) = w.mounted.iter().find(|(p, _)| p == path)?;
        Some(java::ConfigText {
            name: text.name.clone(),
            first: Some(text.first.clone()),
            text: text.text.clone(),
        })
    };
    java::apply(&mut inputs, &carriers, &read);
    let Some(jvm) = inputs.jvm.take() else {
        return;
    };
    // Every variable the options or the configuration file set (or replaced) goes back into
    // the container's environment, at the line of the option or file entry.
    for v in inputs.all() {
        let Source::Deployment { file, line, origin } = &v.source else {
            continue;
        };
        let at = Location::new(file.clone(), *line);
        let old = w.var(&v.name).cloned();
        if old
            .as_ref()
            .is_some_and(|o| o.source == at && &o.origin == origin)
        {
            continue;
        }
        let mut overrides = Vec::new();
        if let Some(old) = &old {
            overrides.push(format!("{} at {}", old.origin, old.source));
            overrides.extend(old.overrides.iter().cloned());
        }
        let new = EnvVar {
            name: v.name.clone(),
            value: EnvValue::Literal(v.value.clone()),
            placeholders: Vec::new(),
            source: at,
            origin: origin.clone(),
            secret: is_secret(&v.name) || old.as_ref().is_some_and(|o| o.secret),
            overrides,
        };
        match w.env.binary_search_by(|e| e.name.as_str().cmp(&v.name)) {
            Ok(i) => w.env[i] = new,
            Err(i) => w.env.insert(i, new),
        }
    }
    w.jvm = Some(Box::new(jvm));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::model::tests::{env, workload};

    #[test]
    fn properties_replace_the_environment_at_their_carriers_line() {
        let mut w = workload("app");
        let mut opts = env(
            "JAVA_TOOL_OPTIONS",
            "-javaagent:/otel/javaagent.jar -Dotel.exporter.otlp.endpoint=http://prop:4318",
        );
        opts.source = Location::new("deploy.yaml", 31);
        w.env = vec![opts, env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4317")];
        w.command = vec!["java".into(), "-Dotel.service.name=cmd".into()];
        w.args = vec!["-jar".into(), "/app.jar".into()];
        let mut d = Deployment {
            workloads: vec![w],
            ..Deployment::default()
        };
        apply(&mut d);
        let w = &d.workloads[0];
        let v = w.var("OTEL_EXPORTER_OTLP_ENDPOINT").unwrap();
        assert_eq!(v.value.text(), "http://prop:4318");
        assert_eq!(v.source.to_string(), "deploy.yaml:31");
        assert_eq!(
            v.origin,
            "-Dotel.exporter.otlp.endpoint in JAVA_TOOL_OPTIONS"
        );
        assert_eq!(v.overrides, ["env at deploy.yaml:10"]);
        let name = w.var("OTEL_SERVICE_NAME").unwrap();
        assert_eq!(
            (name.value.text(), name.origin.as_str()),
            ("cmd", "-Dotel.service.name in the command")
        );
        let jvm = w.jvm.as_ref().unwrap();
        assert_eq!(jvm.shadowed.len(), 1);
        assert!(jvm.agent.is_some());
        let inputs = crate::deploy::inputs(w);
        assert_eq!(inputs.jvm.as_ref().map(|j| j.shadowed.len()), Some(1));
    }

    #[test]
    fn java_opts_is_not_read_by_a_plain_java_command() {
        let mut w = workload("app");
        w.env = vec![env("JAVA_OPTS", "-Dotel.service.name=opts")];
        w.command = vec!["java".into(), "-jar".into(), "/app.jar".into()];
        let mut d = Deployment {
            workloads: vec![w.clone()],
            ..Deployment::default()
        };
        apply(&mut d);
        assert!(d.workloads[0].var("OTEL_SERVICE_NAME").is_none());
        // A script that runs java itself does not read it either, unless it names it.
        w.command = vec!["sh".into(), "-c".into(), "exec java -jar /app.jar".into()];
        let mut d = Deployment {
            workloads: vec![w.clone()],
            ..Deployment::default()
        };
        apply(&mut d);
        assert!(d.workloads[0].var("OTEL_SERVICE_NAME").is_none());
        w.command = vec![
            "sh".into(),
            "-c".into(),
            "exec java $JAVA_OPTS -jar /app.jar".into(),
        ];
        let mut d = Deployment {
            workloads: vec![w.clone()],
            ..Deployment::default()
        };
        apply(&mut d);
        assert!(d.workloads[0].var("OTEL_SERVICE_NAME").is_some());
        w.command = vec!["/opt/tomcat/bin/catalina.sh".into(), "run".into()];
        let mut d = Deployment {
            workloads: vec![w],
            ..Deployment::default()
        };
        apply(&mut d);
        assert_eq!(
            d.workloads[0]
                .var("OTEL_SERVICE_NAME")
                .map(|v| v.value.text()),
            Some("opts")
        );
    }
}

#[cfg(test)]
mod fixture_tests {
    use crate::deploy::k8s::{self, Input};

    #[test]
    fn the_agent_configuration_file_is_read_from_its_mounted_config_map() {
        let input = Input {
            name: "java-agent.yaml".into(),
            text: include_str!("../../tests/fixtures/java/java-agent.yaml").into(),
        };
        let mut d = k8s::read(&[input], "default");
        let w = d.workloads.iter().find(|w| w.name == "checkout").unwrap();
        let paths: Vec<&str> = w.mounted.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["/etc/otel/agent.properties"]);
        super::apply(&mut d);
        let w = d.workloads.iter().find(|w| w.name == "checkout").unwrap();
        let sampler = w.var("OTEL_TRACES_SAMPLER").unwrap();
        assert_eq!(sampler.value.text(), "parentbased_traceidratio");
        assert_eq!(
            (sampler.source.line, sampler.origin.as_str()),
            (
                86,
                "otel.traces.sampler in ConfigMap otel-agent key agent.properties"
            )
        );
        assert_eq!(w.var("OTEL_SERVICE_NAME").unwrap().value.text(), "checkout");
    }
}
