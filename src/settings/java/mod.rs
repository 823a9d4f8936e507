//! The Java agent's configuration layers above and below the environment: system properties
//! (`-D` in JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, JAVA_OPTS, the `java` command line or
//! `--java-options`, _JAVA_OPTIONS) beat environment variables, which beat the agent's
//! configuration file (`otel.javaagent.configuration-file`). Each `otel.*` property is applied
//! as the variable it stands for, with the property as its source (docs/settings.md).

pub mod options;
pub mod properties;

use serde::Serialize;

use super::{Inputs, Location, RawVar, Source};

/// The JVM option variables in the order the JVM applies them, later ones winning: the VM reads
/// JAVA_TOOL_OPTIONS before its command line and _JAVA_OPTIONS after it; the `java` launcher
/// puts JDK_JAVA_OPTIONS before its own arguments; JAVA_OPTS is read by launch scripts
/// (catalina.sh, Gradle and Spring Boot start scripts), which put it on the command line.
pub const BEFORE_COMMAND: &[&str] = &["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS"];
/// The option variable the VM applies after its command line: it wins over everything.
pub const AFTER_COMMAND: &str = "_JAVA_OPTIONS";
/// The property naming the agent's configuration file.
pub const CONFIG_FILE: &str = "otel.javaagent.configuration-file";
/// The variable naming the agent's configuration file.
pub const CONFIG_FILE_VAR: &str = "OTEL_JAVAAGENT_CONFIGURATION_FILE";

/// Whether `name` is a variable that carries JVM options.
pub fn is_options_var(name: &str) -> bool {
    BEFORE_COMMAND.contains(&name) || name == AFTER_COMMAND
}

/// One list of JVM options and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Carrier {
    /// What reports call it: `JAVA_TOOL_OPTIONS`, `--java-options`, `the command`.
    pub name: String,
    pub words: Vec<String>,
    /// Where the carrier itself is defined.
    pub at: Source,
    /// A quote is left open where the JVM itself splits the text: it refuses to start.
    pub open_quote: bool,
}

/// One system property as the JVM ends up with it (the last definition wins).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    pub key: String,
    pub value: String,
    pub source: Source,
}

/// An environment variable a system property replaces with a different value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shadowed {
    /// The property that wins, e.g. `otel.exporter.otlp.endpoint`.
    pub property: String,
    /// The variable's definition the agent does not read.
    #[serde(skip)]
    pub beaten: RawVar,
}

/// What the JVM options give: the agent, the system properties, the variables they beat.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Jvm {
    /// Where `-javaagent` is given (`JAVA_TOOL_OPTIONS (deploy.yaml:31)`), when it is.
    pub agent: Option<String>,
    /// Every system property, sorted by key.
    pub properties: Vec<Property>,
    pub shadowed: Vec<Shadowed>,
    /// The agent configuration file named and read, when there is one.
    pub config_file: Option<String>,
    /// Carriers with an unmatched quote (name, where it is defined): the JVM does not start.
    pub unmatched_quote: Vec<(String, Source)>,
}

impl Jvm {
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.key == key)
    }
}

/// The agent configuration file's text, as found by the caller (read from disk, or a ConfigMap
/// key mounted at that path).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigText {
    /// The file as reports name it.
    pub name: String,
    /// Where its first line is, when it is part of a deployment file (else `name`, line 1).
    pub first: Option<Location>,
    pub text: String,
}

/// The carriers of JVM options found in `inputs` around the command line's options
/// (`command`), in the JVM's order. `read_java_opts` is false when the container runs `java`
/// itself, so no launch script reads JAVA_OPTS.
pub fn carriers(inputs: &Inputs, command: Option<Carrier>, read_java_opts: bool) -> Vec<Carrier> {
    let var = |name: &str| {
        inputs
            .get(name)
            .filter(|v| !v.value.trim().is_empty())
            .map(|v| {
                let (words, open) = options::split(&v.value, options::Syntax::Jvm);
                Carrier {
                    name: name.to_string(),
                    words,
                    at: v.source.clone(),
                    // HotSpot itself splits these two and stops at an unmatched quote.
                    open_quote: open && (name == "JAVA_TOOL_OPTIONS" || name == AFTER_COMMAND),
                }
            })
    };
    let mut all: Vec<Carrier> = BEFORE_COMMAND
        .iter()
        .filter(|&&n| read_java_opts || n != "JAVA_OPTS")
        .filter_map(|n| var(n))
        .collect();
    all.extend(command);
    all.extend(var(AFTER_COMMAND));
    all
}

/// Applies the carriers' system properties (above every variable) and the configuration file
/// (below them) to `inputs`, and records what was found in `inputs.jvm`. `read` finds the
/// configuration file's text by path.
pub fn apply(inputs: &mut Inputs, carriers: &[Carrier], read: &dyn Fn(&str) -> Option<ConfigText>) {
    let mut jvm = Jvm::default();
    for carrier in carriers {
        if carrier.open_quote {
            jvm.unmatched_quote
                .push((carrier.name.clone(), carrier.at.clone()));
        }
        for word in &carrier.words {
            if options::is_javaagent(word) && jvm.agent.is_none() {
                jvm.agent = Some(format!("{} ({})", carrier.name, carrier.at));
            }
            let Some((key, value)) = options::property(word) else {
                continue;
            };
            let source = property_source(&format!("-D{key} in {}", carrier.name), &carrier.at);
            let property = Property {
                key: key.to_string(),
                value: value.to_string(),
                source,
            };
            match jvm.properties.binary_search_by(|p| p.key.as_str().cmp(key)) {
                Ok(i) => jvm.properties[i] = property,
                Err(i) => jvm.properties.insert(i, property),
            }
        }
    }
    let named = jvm
        .property(CONFIG_FILE)
        .map(|p| p.value.clone())
        .or_else(|| inputs.get(CONFIG_FILE_VAR).map(|v| v.value.clone()))
        .filter(|p| !p.trim().is_empty());
    if let Some(file) = named.as_deref().and_then(|path| read(path.trim())) {
        apply_file(inputs, &file);
        jvm.config_file = Some(file.name);
    }
    for p in &jvm.properties {
        let Some(var) = options::variable_of(&p.key) else {
            continue;
        };
        if let Some(old) = inputs.get(&var)
            && old.value.trim() != p.value.trim()
        {
            jvm.shadowed.push(Shadowed {
                property: p.key.clone(),
                beaten: old.clone(),
            });
        }
        inputs.set(var, p.value.clone(), p.source.clone());
    }
    if jvm != Jvm::default() {
        inputs.jvm = Some(jvm);
    }
}

/// The configuration file's `otel.*` entries, for the variables nothing else sets.
fn apply_file(inputs: &mut Inputs, file: &ConfigText) {
    for entry in properties::parse(&file.text) {
        let Some(var) = options::variable_of(&entry.key) else {
            continue;
        };
        if inputs.get(&var).is_some() {
            continue;
        }
        let at = match &file.first {
            Some(first) => Location::new(first.file.clone(), first.line + entry.line - 1),
            None => Location::new(file.name.clone(), entry.line),
        };
        let source = match &file.first {
            Some(_) => Source::Deployment {
                origin: format!("{} in {}", entry.key, file.name),
                file: at.file.to_string(),
                line: at.line,
            },
            None => Source::Property {
                origin: "Java agent configuration file".to_string(),
                at: Some(at),
            },
        };
        inputs.set(var, entry.value, source);
    }
}

/// Where a property's value comes from: at the deployment file line of its carrier, or the
/// carrier's own source (env, env file line, flag).
fn property_source(origin: &str, at: &Source) -> Source {
    match at {
        Source::Deployment { file, line, .. } => Source::Deployment {
            file: file.clone(),
            line: *line,
            origin: origin.to_string(),
        },
        Source::EnvFile { path, line } => Source::Property {
            origin: origin.to_string(),
            at: Some(Location::new(
                path.display().to_string(),
                u32::try_from(*line).unwrap_or(u32::MAX),
            )),
        },
        other => Source::Property {
            origin: format!("{origin} ({other})"),
            at: None,
        },
    }
}

#[cfg(test)]
mod tests;
