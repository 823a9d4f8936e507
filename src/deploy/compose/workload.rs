//! A resolved Compose project as the shared workload model: one workload per service, one
//! network name per service (with `container_name`, `hostname` and aliases), the collectors'
//! mounted config files, and Compose's own warnings as problems.

use std::path::{Path, PathBuf};

use super::environment::{EnvVar, Origin, ProjectSource};
use super::{ComposeError, Project, Service, read_bounded};
use crate::deploy::config_args::config_paths;
use crate::deploy::{
    Backing, CollectorInput, ConfigText, Deployment, EnvValue, Location, Network, Platform, Port,
    Problem, ProblemKind, Role, Service as NetworkName, ServicePort, TargetPort, Transport,
    Workload, role,
};
use crate::settings::is_secret;

/// The deployment of a resolved project.
pub fn deployment(project: &Project) -> Deployment {
    let mut d = Deployment::default();
    for (at, name) in &project.unset {
        d.problems.push(Problem {
            kind: ProblemKind::UnsetVariable,
            workload: None,
            location: Location::new(project.path(*at).display().to_string(), at.line),
            message: unset_message(name),
        });
    }
    for s in &project.services {
        let w = workload(project, s);
        for var in &s.environment {
            if let Origin::EnvFile { path, line } = &var.origin {
                for name in &var.unset {
                    d.problems.push(Problem {
                        kind: ProblemKind::UnsetVariable,
                        workload: Some(w.id.clone()),
                        location: Location::new(path.display().to_string(), *line as u32),
                        message: unset_message(name),
                    });
                }
            }
        }
        if let Some(name) = network_name(project, s, &w) {
            d.services.push(name);
        }
        if w.role == Role::Collector {
            match collector(project, s) {
                Ok(Some(input)) => d.collectors.push(input),
                Ok(None) => {}
                Err(e) => d.problems.push(problem(e, Some(&w.id))),
            }
        }
        d.workloads.push(w);
    }
    d
}

/// A project Compose refuses, as the one problem of an otherwise empty deployment.
pub fn refused(e: ComposeError) -> Deployment {
    Deployment {
        problems: vec![problem(e, None)],
        ..Deployment::default()
    }
}

fn problem(e: ComposeError, workload: Option<&String>) -> Problem {
    let line = e.line.map_or(1, |l| u32::try_from(l).unwrap_or(u32::MAX));
    Problem {
        kind: ProblemKind::Unreadable,
        workload: workload.cloned(),
        location: Location::new(e.path.display().to_string(), line),
        message: e.message,
    }
}

fn unset_message(name: &str) -> String {
    format!(
        "${{{name}}} is not set in the shell or the project's .env: Compose uses an empty string"
    )
}

fn at(project: &Project, at: super::At) -> Location {
    Location::new(project.path(at).display().to_string(), at.line)
}

fn workload(project: &Project, s: &Service) -> Workload {
    let d = &s.declared;
    let words = |c: &Option<(Vec<String>, super::At)>| {
        c.as_ref().map(|(w, _)| w.clone()).unwrap_or_default()
    };
    let (command, args) = (words(&d.entrypoint), words(&d.command));
    let image = d.image.as_ref().map(|(i, _)| i.clone());
    let program = if command.is_empty() { &args } else { &command };
    let role = role::recognise(image.as_deref(), program);
    let mode = d.network_mode.as_ref().map(|(m, _)| m.as_str());
    let network = match mode {
        Some("host") => Network {
            group: "host".into(),
            host: true,
        },
        Some(m) => match m
            .strip_prefix("service:")
            .or_else(|| container_service(project, m))
        {
            Some(other) => Network {
                group: other.to_string(),
                host: false,
            },
            None => Network {
                group: format!("{}:{m}", s.name),
                host: false,
            },
        },
        None => Network {
            group: s.name.clone(),
            host: false,
        },
    };
    let mut ports: Vec<Port> = d
        .ports
        .iter()
        .map(|p| Port {
            container_port: p.target,
            host_port: p.published.as_deref().and_then(|h| h.parse().ok()),
            host_ip: p.host_ip.clone(),
            transport: Transport::parse(&p.protocol).unwrap_or(Transport::Tcp),
            name: None,
            source: at(project, p.at),
        })
        .collect();
    for (spec, place) in &d.expose {
        ports.extend(exposed(spec).into_iter().map(|(port, transport)| Port {
            container_port: port,
            host_port: None,
            host_ip: None,
            transport,
            name: None,
            source: at(project, *place),
        }));
    }
    Workload {
        id: s.name.clone(),
        platform: Platform::Compose,
        kind: "service".into(),
        namespace: project.name.clone(),
        name: s.name.clone(),
        container: d
            .container_name
            .as_ref()
            .map_or_else(|| s.name.clone(), |(c, _)| c.clone()),
        init: false,
        image,
        command,
        args,
        source: at(project, s.at),
        template: None,
        env: s
            .environment
            .iter()
            .filter_map(|v| env_var(project, v))
            .collect(),
        ports,
        role,
        network,
        labels: Vec::new(),
        annotations: Vec::new(),
        hosts: d
            .extra_hosts
            .iter()
            .map(|h| (h.host.clone(), h.address.clone(), at(project, h.at)))
            .collect(),
        mounted: Vec::new(),
        jvm: None,
        injected: None,
    }
}

/// The service whose `container_name` is `container:NAME`'s name.
fn container_service<'a>(project: &'a Project, mode: &str) -> Option<&'a str> {
    let name = mode.strip_prefix("container:")?;
    project
        .services
        .iter()
        .find(|s| {
            s.declared
                .container_name
                .as_ref()
                .is_some_and(|(c, _)| c == name)
        })
        .map(|s| s.name.as_str())
}

/// `expose` entries: `PORT`, `START-END`, with `/udp` or `/tcp`; at most 65,536 ports.
fn exposed(spec: &str) -> Vec<(u16, Transport)> {
    let (range, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
    let transport = Transport::parse(proto).unwrap_or(Transport::Tcp);
    let (start, end) = range.split_once('-').unwrap_or((range, range));
    match (start.trim().parse::<u16>(), end.trim().parse::<u16>()) {
        (Ok(s), Ok(e)) if s <= e => (s..=e).map(|p| (p, transport)).collect(),
        _ => Vec::new(),
    }
}

fn env_var(project: &Project, v: &EnvVar) -> Option<crate::deploy::EnvVar> {
    let value = v.value.clone()?;
    let (source, origin) = match &v.origin {
        Origin::Environment(place) => (at(project, *place), "environment".to_string()),
        Origin::Project { at: place, from } => {
            let from = match from {
                ProjectSource::Process => "the shell".to_string(),
                ProjectSource::File { path, line } => format!("{}:{line}", path.display()),
            };
            (
                at(project, *place),
                format!("environment, value from {from}"),
            )
        }
        Origin::EnvFile { path, line } => (
            Location::new(path.display().to_string(), *line as u32),
            format!("env_file {}", file_name(path)),
        ),
    };
    Some(crate::deploy::EnvVar {
        name: v.name.clone(),
        value: EnvValue::Literal(value),
        placeholders: Vec::new(),
        source,
        origin,
        secret: is_secret(&v.name),
        overrides: v
            .overrides
            .iter()
            .map(|(path, line)| {
                format!("env_file {} at {}:{line}", file_name(path), path.display())
            })
            .collect(),
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The names other services reach this one by; none for a service outside Compose's networks
/// (`network_mode: host`, `service:X`, `container:X`, `none`).
fn network_name(project: &Project, s: &Service, w: &Workload) -> Option<NetworkName> {
    let d = &s.declared;
    if d.network_mode.is_some() {
        return None;
    }
    let mut aliases: Vec<String> = Vec::new();
    let names = d
        .container_name
        .iter()
        .chain(d.hostname.iter())
        .map(|(n, _)| n.clone());
    let network_aliases = d
        .networks
        .iter()
        .flatten()
        .flat_map(|n| n.aliases.iter().cloned());
    for alias in names.chain(network_aliases) {
        if alias != s.name && !aliases.contains(&alias) {
            aliases.push(alias);
        }
    }
    let ports = w
        .ports
        .iter()
        .map(|p| ServicePort {
            name: None,
            port: p.container_port,
            target: TargetPort::Number(p.container_port),
            transport: p.transport,
            source: p.source.clone(),
        })
        .collect();
    Some(NetworkName {
        platform: Platform::Compose,
        namespace: project.name.clone(),
        name: s.name.clone(),
        aliases,
        ports,
        backing: Backing::Workloads(vec![w.id.clone()]),
        headless: false,
        source: w.source.clone(),
    })
}

/// Where collector images read their config when the command names none.
const DEFAULT_CONFIGS: &[&str] = &[
    "/etc/otelcol-contrib/config.yaml",
    "/etc/otelcol/config.yaml",
    "/etc/otelcol-k8s/config.yaml",
    "/etc/rotel/config.yaml",
];

/// The config files a collector service is started with, read from the host paths mounted at
/// them (`--config` order).
fn collector(project: &Project, s: &Service) -> Result<Option<CollectorInput>, ComposeError> {
    let d = &s.declared;
    let words: Vec<&str> = [&d.entrypoint, &d.command]
        .into_iter()
        .flatten()
        .flat_map(|(w, _)| w.iter().map(String::as_str))
        .collect();
    let mut paths = config_paths(&words);
    if paths.is_empty() {
        paths = DEFAULT_CONFIGS.iter().map(|p| p.to_string()).collect();
    }
    let mut configs = Vec::new();
    for path in paths {
        let Some(host) = host_path(project, s, &path) else {
            continue;
        };
        if !host.is_file() {
            continue;
        }
        configs.push(ConfigText {
            name: host.display().to_string(),
            first: Location::new(host.display().to_string(), 1),
            text: read_bounded(&host)?,
        });
    }
    Ok((!configs.is_empty()).then(|| CollectorInput {
        workload: s.name.clone(),
        configs,
    }))
}

/// The host file bind-mounted at `path` in the container (directly, or through a mounted
/// directory); relative sources are relative to the project directory.
fn host_path(project: &Project, s: &Service, path: &str) -> Option<PathBuf> {
    s.declared.volumes.iter().find_map(|v| {
        let source = v.source.as_deref()?;
        if !(source.starts_with('.') || source.starts_with('/') || source.starts_with('~')) {
            return None;
        }
        let target = v.target.trim_end_matches('/');
        let rest = if path == target {
            ""
        } else {
            path.strip_prefix(target)?.strip_prefix('/')?
        };
        let base = super::in_project(&project.dir, source);
        Some(if rest.is_empty() {
            base
        } else {
            base.join(rest)
        })
    })
}

#[cfg(test)]
mod tests;
