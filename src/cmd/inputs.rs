//! What several commands read the same way: the app's settings (environment, env files, `--set`),
//! the collector config, the checks to run and their severity overrides, and the async runtime.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;

use crate::checks::Check;
use crate::cli::SettingsArgs;
use crate::collector::ConfigFile;
use crate::error::UsageError;
use crate::input;
use crate::registry;
use crate::rule::Severity;
use crate::settings::{self, Inputs, Sdk, Settings, Source, java};
use crate::spring;
use crate::text::key_value;

/// Gathers the app's settings: environment, then env files, then `--set`, then the JVM's system
/// properties (JAVA_TOOL_OPTIONS & co., `--java-options`) above them all.
pub fn resolve_settings(args: &SettingsArgs) -> anyhow::Result<Settings> {
    let mut inputs = Inputs::default();
    if !args.no_env {
        inputs.add_env(std::env::vars_os());
    }
    inputs.extend(&file_and_flag_inputs(args)?);
    let flags = (!args.java_options.is_empty()).then(|| java::Carrier {
        name: "--java-options".to_string(),
        words: args
            .java_options
            .iter()
            .flat_map(|o| java::options::words(o))
            .collect(),
        at: Source::Flag,
        open_quote: false,
    });
    let carriers = java::carriers(&inputs, flags, true);
    java::apply(&mut inputs, &carriers, &local_agent_config);
    let agent = inputs.jvm.as_ref().and_then(|j| j.agent.as_ref());
    let sdk = args.sdk.or(agent.map(|_| Sdk::Javaagent));
    Ok(Settings::resolve_for(inputs, sdk))
}

/// The Java agent's configuration file named by the settings, when it is on this machine.
fn local_agent_config(path: &str) -> Option<java::ConfigText> {
    let bytes = input::read_file(Path::new(path), input::APP_CONFIG).ok()?;
    Some(java::ConfigText {
        name: path.to_string(),
        first: None,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// The variables of `--env-file` (in order) and then `--set`, without the process environment.
pub fn file_and_flag_inputs(args: &SettingsArgs) -> anyhow::Result<Inputs> {
    let mut inputs = Inputs::default();
    for path in &args.env_file {
        let text =
            input::read_file(path, input::ENV_FILE).map_err(|error| UsageError::EnvFile {
                path: path.clone(),
                error,
            })?;
        if text.starts_with(&[0xff, 0xfe]) || text.starts_with(&[0xfe, 0xff]) || text.contains(&0) {
            return Err(UsageError::Invalid(format!(
                "env file {} is UTF-16 or binary, not text of KEY=VALUE lines; save it as UTF-8, \
                 e.g. iconv -f UTF-16 -t UTF-8",
                path.display()
            ))
            .into());
        }
        settings::env_file::load(
            &mut inputs,
            path,
            &String::from_utf8_lossy(&text),
            args.env_file_format,
        )
        .map_err(UsageError::from)?;
    }
    for kv in &args.set {
        let (k, v) = key_value(kv).ok_or_else(|| UsageError::NotKeyValue(shown_set(kv)))?;
        inputs.set(k, v, Source::Flag);
    }
    Ok(inputs)
}

/// How an unparsable `--set` is named in its error: a variable name as typed (`--set
/// OTEL_SERVICE_NAME`), anything else not at all, since it may be a header value or a token.
fn shown_set(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("`{text}`")
    } else {
        format!(
            "one --set value (not shown: it may hold a secret, {} chars)",
            text.chars().count()
        )
    }
}

/// Spring Boot's tracing properties from `--spring-config` files (in order) and the settings'
/// environment and system properties; `None` when nothing shows Spring tracing.
pub fn spring_config(
    files: &[spring::File],
    inputs: &Inputs,
) -> Result<Option<spring::Spring>, UsageError> {
    Ok(spring_files(files)?.with_inputs(inputs))
}

/// The properties of the `--spring-config` files alone, parsed once.
pub fn spring_files(files: &[spring::File]) -> Result<spring::Spring, UsageError> {
    spring::Spring::from_files(files).map_err(|e| {
        UsageError::Invalid(format!(
            "--spring-config {e}; fix the file (Spring Boot would refuse it too)"
        ))
    })
}

/// Reads every `--spring-config` file.
pub fn read_spring_files(paths: &[std::path::PathBuf]) -> Result<Vec<spring::File>, UsageError> {
    paths
        .iter()
        .map(|path| {
            let bytes = input::read_file(path, input::APP_CONFIG).map_err(|e| {
                UsageError::Invalid(format!(
                    "cannot read --spring-config {}: {}; pass an application.yaml, .yml or \
                     .properties file",
                    path.display(),
                    crate::text::io_reason(&e)
                ))
            })?;
            Ok(spring::File {
                name: path.display().to_string(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            })
        })
        .collect()
}

/// Reads and parses `--collector-config`; a syntax error is a finding (COL001), not an error.
pub fn load_collector_config(path: &Path, no_env: bool) -> Result<ConfigFile, UsageError> {
    let bytes = input::read_file(path, input::COLLECTOR_CONFIG).map_err(|error| {
        UsageError::CollectorConfig {
            path: path.to_path_buf(),
            error,
        }
    })?;
    if bytes.contains(&0) {
        return Err(UsageError::Invalid(format!(
            "collector config {} is not a text file (it holds NUL bytes: binary, or UTF-16); pass \
             the collector's YAML config, saved as UTF-8",
            path.display()
        )));
    }
    let mut file = ConfigFile::parse(
        &path.display().to_string(),
        &String::from_utf8_lossy(&bytes),
    );
    if !no_env {
        file.note_env(|var| std::env::var(var).ok());
    }
    Ok(file)
}

/// The checks a command runs: `--select` (or every check) minus `--skip`, kept to those `runs`
/// accepts. A `--select` entry naming only checks of the other command is an error naming it:
/// `this` is this command's name, `other` how the other command is run.
pub fn checks_for(
    select: &[String],
    skip: &[String],
    runs: fn(&Check) -> bool,
    (this, other): (&str, &str),
) -> Result<Vec<&'static Check>, UsageError> {
    for key in select {
        if !registry::resolve(key)?.into_iter().any(runs) {
            return Err(UsageError::Invalid(format!(
                "`{key}` is checked by `{other}`, not by {this}: run {other} --select {key}"
            )));
        }
    }
    let mut checks = registry::selection(select, skip)?;
    checks.retain(|c| runs(c));
    Ok(checks)
}

/// `--severity ID=LEVEL` entries as the severity each named check (or family) gets.
pub fn severity_overrides(
    entries: &[String],
) -> Result<HashMap<&'static str, Severity>, UsageError> {
    let mut overrides = HashMap::new();
    for entry in entries {
        let (key, level) = key_value(entry).ok_or_else(|| {
            UsageError::Invalid(format!(
                "--severity takes CHECK=LEVEL, not `{entry}`; write it as e.g. --severity {}=warning \
                 (levels: error, warning, info)",
                entry.trim()
            ))
        })?;
        let severity = Severity::parse(level.trim()).ok_or_else(|| UsageError::BadSeverity {
            check: key.to_string(),
            given: level.to_string(),
        })?;
        for check in registry::resolve(key)? {
            overrides.insert(check.id, severity);
        }
    }
    Ok(overrides)
}

/// The async runtime a command's network work runs on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}
