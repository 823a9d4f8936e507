//! Facts about the machine doctor runs on that the live checks need: whether it is a container,
//! which proxy variables the app would inherit, the NTP servers its time daemon uses, and its
//! non-loopback addresses. Read once in `cmd/doctor`; tests build [`HostFacts`] by hand.

use std::net::{IpAddr, UdpSocket};
use std::path::Path;

/// What doctor knows about the local machine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFacts {
    /// Why we think this is a container or a pod (e.g. `/.dockerenv exists`), if we do.
    pub container: Option<String>,
    /// Proxy variables that are set, with their values (`HTTPS_PROXY`, `no_proxy`…).
    pub proxies: Vec<(String, String)>,
    /// NTP servers named in chrony / ntpd / systemd-timesyncd configuration.
    pub ntp_servers: Vec<String>,
    /// This host's non-loopback addresses (the source address of its default routes).
    pub addresses: Vec<IpAddr>,
}

const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "GRPC_PROXY",
    "grpc_proxy",
    "NO_PROXY",
    "no_proxy",
];

impl HostFacts {
    /// Reads the facts from this process's environment and the filesystem. With
    /// `TRACECTL_TEST_NO_HOST=1` (a hidden switch for snapshot tests) the host is a blank one:
    /// no container, no proxy, no NTP configuration, no other address.
    pub fn detect() -> HostFacts {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if env("TRACECTL_TEST_NO_HOST").is_some() {
            return HostFacts::default();
        }
        HostFacts {
            container: container(Path::new("/"), env("KUBERNETES_SERVICE_HOST").is_some()),
            proxies: PROXY_VARS
                .iter()
                .filter_map(|k| env(k).map(|v| ((*k).to_string(), v)))
                .collect(),
            ntp_servers: ntp_servers(Path::new("/")),
            addresses: addresses(),
        }
    }
}

/// Container or pod evidence under `root`.
pub fn container(root: &Path, kubernetes_env: bool) -> Option<String> {
    if kubernetes_env {
        return Some("KUBERNETES_SERVICE_HOST is set (a Kubernetes pod)".into());
    }
    for marker in [".dockerenv", "run/.containerenv"] {
        if root.join(marker).exists() {
            return Some(format!("/{marker} exists"));
        }
    }
    let cgroup = std::fs::read_to_string(root.join("proc/1/cgroup")).unwrap_or_default();
    ["docker", "kubepods", "containerd", "libpod"]
        .iter()
        .find(|k| cgroup.contains(*k))
        .map(|k| format!("/proc/1/cgroup mentions `{k}`"))
}

/// Servers named in the usual time-daemon configuration files under `root`.
pub fn ntp_servers(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for file in [
        "etc/chrony/chrony.conf",
        "etc/chrony.conf",
        "etc/ntp.conf",
        "etc/ntpsec/ntp.conf",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if matches!(words.next(), Some("server" | "pool")) {
                found.extend(words.next().map(str::to_string));
            }
        }
    }
    let timesyncd =
        std::fs::read_to_string(root.join("etc/systemd/timesyncd.conf")).unwrap_or_default();
    for line in timesyncd.lines() {
        if let Some(list) = line.trim().strip_prefix("NTP=") {
            found.extend(list.split_whitespace().map(str::to_string));
        }
    }
    found.dedup();
    found
}

/// The source addresses the OS would use for the default IPv4 and IPv6 routes. Connecting a UDP
/// socket sends no packet.
fn addresses() -> Vec<IpAddr> {
    let mut found = Vec::new();
    for (bind, peer) in [("0.0.0.0:0", "192.0.2.1:9"), ("[::]:0", "[2001:db8::1]:9")] {
        let local =
            UdpSocket::bind(bind).and_then(|s| s.connect(peer).and_then(|()| s.local_addr()));
        if let Ok(addr) = local
            && !addr.ip().is_loopback()
            && !addr.ip().is_unspecified()
        {
            found.push(addr.ip());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_markers() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(container(dir.path(), false), None);
        assert!(container(dir.path(), true).unwrap().contains("KUBERNETES"));
        std::fs::write(dir.path().join(".dockerenv"), "").unwrap();
        assert_eq!(container(dir.path(), false).unwrap(), "/.dockerenv exists");
    }

    #[test]
    fn ntp_servers_from_chrony_and_timesyncd() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("etc/chrony")).unwrap();
        std::fs::create_dir_all(dir.path().join("etc/systemd")).unwrap();
        std::fs::write(
            dir.path().join("etc/chrony/chrony.conf"),
            "# x\npool 2.debian.pool.ntp.org iburst\nserver ntp1 iburst\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("etc/systemd/timesyncd.conf"),
            "[Time]\nNTP=a.example b.example\n",
        )
        .unwrap();
        assert_eq!(
            ntp_servers(dir.path()),
            ["2.debian.pool.ntp.org", "ntp1", "a.example", "b.example"]
        );
    }
}
