//! Docker Compose projects, resolved as `docker compose -f A -f B config` resolves them: the
//! project environment (shell, then `.env`), `${VAR}` interpolation, overlays merged by
//! compose-go's rules, profiles, and each service's container environment (`env_file`, then
//! `environment`), ports, networks and names — every value with the file and line it came from.
//!
//! Every file read is bounded by [`crate::input::COMPOSE_FILE`]. `extends` and `include` are refused with a
//! sentence saying so; the `!reset` / `!override` merge tags are honoured on service fields and
//! whole services.

mod dotenv;
mod environment;
mod ports;
mod service;
mod template;
mod tree;
mod workload;

use std::fmt;
use std::path::{Path, PathBuf};

pub use environment::{EnvVar, Origin, ProjectEnv, ProjectSource};
pub use ports::Port;
pub use service::{Declared, EnvFileRef, ExtraHost, NetworkRef, Volume};
pub use tree::At;
pub use workload::{deployment, refused};

use crate::collector::yaml;

/// What to load, as `docker compose` would be called.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `-f` files in order; the first one's directory is the project directory.
    pub files: Vec<PathBuf>,
    /// `--env-file`: replaces the project directory's `.env`.
    pub env_file: Option<PathBuf>,
    /// `--profile` names; when empty, `COMPOSE_PROFILES` from the project environment.
    pub profiles: Vec<String>,
    /// The shell's variables; `None` leaves them out (`--no-env`).
    pub process_env: Option<Vec<(String, String)>>,
}

/// A resolved project.
#[derive(Debug, Clone)]
pub struct Project {
    /// `COMPOSE_PROJECT_NAME`, else the files' top-level `name`, else the directory's name.
    pub name: String,
    pub dir: PathBuf,
    /// The Compose files; [`At::file`] indexes this list.
    pub files: Vec<PathBuf>,
    /// The project env file that was read, if any.
    pub env_file: Option<PathBuf>,
    pub environment: ProjectEnv,
    pub profiles: Vec<String>,
    /// The services that run with the active profiles, by name.
    pub services: Vec<Service>,
    /// Services left out because none of their profiles is active.
    pub inactive: Vec<String>,
    /// `$VAR` / `${VAR}` in the files that the project environment does not set (Compose warns
    /// and uses ""), where they are.
    pub unset: Vec<(At, String)>,
}

/// One service, resolved.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// Where the service is first declared.
    pub at: At,
    pub declared: Declared,
    /// The container's environment, sorted by name.
    pub environment: Vec<EnvVar>,
}

impl Project {
    /// The file an [`At`] points into.
    pub fn path(&self, at: At) -> &Path {
        self.files
            .get(at.file)
            .map_or(Path::new(""), PathBuf::as_path)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}

/// A project that cannot be loaded, as Compose would refuse it, with the place to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl ComposeError {
    fn at(path: &Path, line: usize, message: impl Into<String>) -> ComposeError {
        ComposeError {
            path: path.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }

    fn file(path: &Path, message: impl Into<String>) -> ComposeError {
        ComposeError {
            path: path.to_path_buf(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ComposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ComposeError {}

/// Reads a file of at most [`crate::input::COMPOSE_FILE`].
fn read_bounded(path: &Path) -> Result<String, ComposeError> {
    let bytes = crate::input::read_file(path, crate::input::COMPOSE_FILE).map_err(|e| {
        ComposeError::file(path, format!("cannot read: {}", crate::text::io_reason(&e)))
    })?;
    String::from_utf8(bytes).map_err(|_| ComposeError::file(path, "is not UTF-8 text"))
}

/// Reads a project into the workload model; a project Compose would refuse becomes the one
/// problem of an empty deployment.
pub fn read(options: &Options) -> (Option<Project>, crate::deploy::Deployment) {
    match load(options) {
        Ok(project) => {
            let d = deployment(&project);
            (Some(project), d)
        }
        Err(e) => (None, refused(e)),
    }
}

/// Loads and resolves a project.
pub fn load(options: &Options) -> Result<Project, ComposeError> {
    let first = options
        .files
        .first()
        .ok_or_else(|| ComposeError::file(Path::new(""), "no Compose file was given"))?;
    let dir = first
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let env_file = match &options.env_file {
        Some(file) => Some(file.clone()),
        None => Some(in_project(&dir, ".env")).filter(|p| p.is_file()),
    };
    let env_files: Vec<PathBuf> = env_file.iter().cloned().collect();
    let environment = ProjectEnv::load(options.process_env.as_deref(), &env_files)?;
    let lookup = |k: &str| environment.get(k).map(str::to_string);
    let mut merged: Vec<(String, At, Declared)> = Vec::new();
    let mut unset = Vec::new();
    let mut name = None;
    for (index, path) in options.files.iter().enumerate() {
        let text = read_bounded(path)?;
        let doc = yaml::parse(&text).map_err(|e| ComposeError {
            path: path.clone(),
            line: e.line.and_then(|l| usize::try_from(l).ok()),
            message: format!("not valid YAML: {}", e.message),
        })?;
        let doc = tree::Node::interpolated(doc, index, &lookup).map_err(|e| {
            ComposeError::at(path, e.at.line as usize, dotenv::template_message(&e.error))
        })?;
        if !matches!(doc.value, tree::Value::Null | tree::Value::Map(_)) {
            return Err(ComposeError::file(path, "the top level must be a mapping"));
        }
        collect_unset(&doc, &mut unset);
        if let Some(n) = doc.get("name").and_then(tree::Node::as_str) {
            name = Some(n.to_string());
        }
        if let Some((k, _)) = doc.entry("include") {
            return Err(ComposeError::at(
                path,
                k.at.line as usize,
                "`include` is not resolved by tracectl yet; pass the included files with --compose",
            ));
        }
        let tags = tree::merge_tags(&text);
        let services = doc.get("services").map(tree::Node::entries);
        for (key, node) in services.unwrap_or_default() {
            let tag = tags
                .iter()
                .find(|(l, _)| *l == key.at.line)
                .map(|(_, t)| *t);
            if tag.is_some() {
                merged.retain(|(name, _, _)| *name != key.text);
            }
            if tag == Some(tree::Tag::Reset) {
                continue;
            }
            let d = service::declared(key, node, &tags)
                .map_err(|(at, m)| ComposeError::at(path, at.line as usize, m))?;
            match merged.iter_mut().find(|(name, _, _)| *name == key.text) {
                Some((_, _, base)) => base.overlay(d),
                None => merged.push((key.text.clone(), key.at, d)),
            }
        }
    }
    let profiles = if options.profiles.is_empty() {
        environment
            .get("COMPOSE_PROFILES")
            .map(|p| {
                p.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        options.profiles.clone()
    };
    let name = environment
        .get("COMPOSE_PROJECT_NAME")
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or(name)
        .unwrap_or_else(|| {
            let dir = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let mut project = Project {
        name: normalize_name(&name),
        dir,
        files: options.files.clone(),
        env_file,
        environment,
        profiles,
        services: Vec::new(),
        inactive: Vec::new(),
        unset,
    };
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, at, declared) in merged {
        let active = declared.profiles.is_empty()
            || declared
                .profiles
                .iter()
                .any(|p| project.profiles.iter().any(|a| a == p || a == "*"));
        if !active {
            project.inactive.push(name);
            continue;
        }
        let environment = environment::resolve(
            &declared,
            &project.environment,
            &project.dir,
            &project.files,
        )?;
        project.services.push(Service {
            name,
            at,
            declared,
            environment,
        });
    }
    Ok(project)
}

/// `path` (relative to the project directory `dir`, or absolute) as locations show it: joined
/// without `.` components, so `compose.yaml`'s `./otel.yaml` is `otel.yaml` like a path given on
/// the command line, and `deploy/compose.yaml`'s is `deploy/otel.yaml`.
fn in_project(dir: &Path, path: impl AsRef<Path>) -> PathBuf {
    let joined: PathBuf = dir
        .join(path)
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect();
    if joined.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        joined
    }
}

/// Compose's project name rule: lower case, only `a-z0-9_-`, starting with a letter or digit.
fn normalize_name(name: &str) -> String {
    let kept: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    kept.trim_start_matches(['_', '-']).to_string()
}

fn collect_unset(node: &tree::Node, out: &mut Vec<(At, String)>) {
    match &node.value {
        tree::Value::Scalar(s) => out.extend(s.unset.iter().map(|n| (node.at, n.clone()))),
        tree::Value::Seq(items) => items.iter().for_each(|n| collect_unset(n, out)),
        tree::Value::Map(entries) => entries.iter().for_each(|(_, n)| collect_unset(n, out)),
        tree::Value::Null => {}
    }
}
