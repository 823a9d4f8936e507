//! The two environments Compose computes: the project's (the shell, then `.env` for what the
//! shell does not set), used for `${VAR}` in the files; and each container's (`env_file` entries,
//! overridden by `environment`, whose bare `NAME` entries take the project's value).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::dotenv;
use super::service::Declared;
use super::tree::At;
use super::{ComposeError, read_bounded};

/// Where a project variable came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectSource {
    /// The environment tracectl runs in (Compose's shell).
    Process,
    /// The project's `.env` or `--compose-env-file`, at this line.
    File { path: PathBuf, line: usize },
}

/// The project environment: every variable `${VAR}` may name.
#[derive(Debug, Clone, Default)]
pub struct ProjectEnv {
    vars: HashMap<String, (String, ProjectSource)>,
}

impl ProjectEnv {
    /// The process variables (unless `None`), then each env file for what they do not set. In an
    /// env file, `${VAR}` sees the process first, then the lines read before.
    pub fn load(
        process: Option<&[(String, String)]>,
        files: &[PathBuf],
    ) -> Result<ProjectEnv, ComposeError> {
        let mut env = ProjectEnv::default();
        for (k, v) in process.unwrap_or_default() {
            env.vars
                .insert(k.clone(), (v.clone(), ProjectSource::Process));
        }
        let shell: HashMap<String, String> = process.unwrap_or_default().iter().cloned().collect();
        let mut read: HashMap<String, String> = HashMap::new();
        for path in files {
            let text = read_bounded(path)?;
            let lookup = |k: &str| shell.get(k).cloned();
            let entries = dotenv::parse(&text, &lookup, &mut read)
                .map_err(|e| ComposeError::at(path, e.line, e.message))?;
            for e in entries {
                if !shell.contains_key(&e.key) {
                    let source = ProjectSource::File {
                        path: path.clone(),
                        line: e.line,
                    };
                    env.vars.insert(e.key, (e.value, source));
                }
            }
        }
        Ok(env)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|(v, _)| v.as_str())
    }

    pub fn source(&self, name: &str) -> Option<&ProjectSource> {
        self.vars.get(name).map(|(_, s)| s)
    }
}

/// One variable of a container, and where its value was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    /// `None`: a bare `NAME` in `environment` that the project environment does not set; the
    /// container gets no such variable.
    pub value: Option<String>,
    pub origin: Origin,
    /// Variables `${VAR}` in the value named that were not set (Compose used "").
    pub unset: Vec<String>,
    /// `env_file` lines this definition overrides, latest first.
    pub overrides: Vec<(PathBuf, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Written in `environment` at this place.
    Environment(At),
    /// A bare `NAME` in `environment` (at `at`), its value taken from the project environment.
    Project { at: At, from: ProjectSource },
    /// A line of an `env_file`.
    EnvFile { path: PathBuf, line: usize },
}

/// The container environment of a service, sorted by name, as compose-go's
/// `WithServicesEnvironmentResolved` computes it.
pub fn resolve(
    d: &Declared,
    project: &ProjectEnv,
    dir: &Path,
    files: &[PathBuf],
) -> Result<Vec<EnvVar>, ComposeError> {
    let mut declared: BTreeMap<String, EnvVar> = BTreeMap::new();
    for e in &d.environment {
        let var = match (&e.value, project.get(&e.name)) {
            (Some(v), _) => EnvVar {
                name: e.name.clone(),
                value: Some(v.clone()),
                origin: Origin::Environment(e.at),
                unset: e.unset.clone(),
                overrides: Vec::new(),
            },
            (None, found) => EnvVar {
                name: e.name.clone(),
                value: found.map(str::to_string),
                origin: match project.source(&e.name) {
                    Some(from) => Origin::Project {
                        at: e.at,
                        from: from.clone(),
                    },
                    None => Origin::Environment(e.at),
                },
                unset: Vec::new(),
                overrides: Vec::new(),
            },
        };
        declared.insert(var.name.clone(), var);
    }
    let mut vars: HashMap<String, String> = declared
        .values()
        .filter_map(|v| Some((v.name.clone(), v.value.clone()?)))
        .collect();
    let mut out: BTreeMap<String, EnvVar> = BTreeMap::new();
    for file in &d.env_files {
        let path = super::in_project(dir, &file.path);
        if !path.exists() {
            if file.required {
                let at = &files[file.at.file];
                return Err(ComposeError::at(
                    at,
                    file.at.line as usize,
                    format!("env_file {} not found", path.display()),
                ));
            }
            continue;
        }
        let text = read_bounded(&path)?;
        let lookup = |k: &str| {
            project
                .get(k)
                .or_else(|| declared.get(k).and_then(|v| v.value.as_deref()))
                .map(str::to_string)
        };
        let entries = dotenv::parse(&text, &lookup, &mut vars)
            .map_err(|e| ComposeError::at(&path, e.line, e.message))?;
        for e in entries {
            let origin = Origin::EnvFile {
                path: path.clone(),
                line: e.line,
            };
            let mut var = EnvVar {
                name: e.key.clone(),
                value: Some(e.value),
                origin,
                unset: e.unset,
                overrides: Vec::new(),
            };
            if let Some(old) = out.remove(&e.key) {
                var.overrides = old.overrides;
                if let Origin::EnvFile { path, line } = old.origin {
                    var.overrides.insert(0, (path, line));
                }
            }
            out.insert(e.key, var);
        }
    }
    for (name, mut var) in declared {
        if let Some(old) = out.remove(&name) {
            var.overrides = old.overrides;
            if let Origin::EnvFile { path, line } = old.origin {
                var.overrides.insert(0, (path, line));
            }
        }
        out.insert(name, var);
    }
    Ok(out.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_shell_wins_over_dot_env_and_dot_env_sees_the_shell() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        fs::write(&env, "A=from-file\nB=${A}-${SHELL_ONLY}\nC=3\n").unwrap();
        let process = [
            ("A".to_string(), "from-shell".to_string()),
            ("SHELL_ONLY".to_string(), "s".to_string()),
        ];
        let p = ProjectEnv::load(Some(&process), std::slice::from_ref(&env)).unwrap();
        assert_eq!(p.get("A"), Some("from-shell"));
        assert_eq!(p.get("B"), Some("from-shell-s"));
        assert_eq!(
            p.source("C"),
            Some(&ProjectSource::File { path: env, line: 3 })
        );
        let quiet = ProjectEnv::load(None, &[dir.path().join(".env")]).unwrap();
        assert_eq!(quiet.get("A"), Some("from-file"));
        assert_eq!(quiet.get("SHELL_ONLY"), None);
    }
}
