//! The fuzz targets' entry points: each takes untrusted bytes through one parser the way tracectl
//! does, minus the I/O. `fuzz/` (cargo-fuzz, nightly) and the stable corpus replay test
//! (`tests/integration/fuzz_corpus.rs`) both call them through [`TARGETS`].
//!
//! Adding a target is one line in [`TARGETS`] plus `scripts/fuzz-add NAME` (the cargo-fuzz binary
//! and a seed corpus directory).

use std::time::{Duration, UNIX_EPOCH};

use crate::collector::ConfigFile;
use crate::deploy::{self, ProblemKind};
use crate::listen::{self, Batch, Protocol};
use crate::protocol::{jaeger, otlp};
use crate::trace;

/// A fuzz target's entry point: `true` when the parser accepted the input.
pub type Target = fn(&[u8]) -> bool;

/// Every fuzz target of the `tracectl` library: its name (the cargo-fuzz binary and the
/// `fuzz/corpus/<name>` directory) and its entry point, which answers whether the parser accepted
/// the input (the replay test checks that the seeds still parse). The header decoder's target,
/// `decode`, lives in `tracectl_propagation::fuzzing`.
pub const TARGETS: &[(&str, Target)] = &[
    ("jaeger_thrift", jaeger_thrift),
    ("otlp_protobuf", otlp_protobuf),
    ("otlp_json", otlp_json),
    ("trace_file", trace_file),
    ("collector_config", collector_config),
    ("k8s_manifest", k8s_manifest),
    ("compose_project", compose_project),
];

/// A fixed receive time, so runs are reproducible.
fn at() -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_219_200)
}

/// Renders a batch the way `listen --format json` writes it.
fn render(batch: &Batch) {
    let mut out = String::new();
    listen::json_line::push_batch(&mut out, batch, "2026-11-21T00:00:00Z", 4318);
}

/// A Jaeger agent datagram (either encoding) and a bare `Batch` as POSTed to `/api/traces`, each
/// converted to span lines and rendered as listen does.
pub fn jaeger_thrift(data: &[u8]) -> bool {
    let mut accepted = false;
    if let Ok(message) = jaeger::decode_emit_batch(data) {
        accepted = true;
        let protocol = Protocol::of_thrift(message.encoding);
        render(&Batch::Lines(listen::convert::jaeger(
            &message.batch,
            protocol,
            6831,
            at(),
        )));
    }
    for encoding in [jaeger::Encoding::Binary, jaeger::Encoding::Compact] {
        if let Ok(batch) = jaeger::decode_batch(data, encoding) {
            accepted = true;
            render(&Batch::Lines(listen::convert::jaeger(
                &batch,
                Protocol::JaegerHttp,
                14268,
                at(),
            )));
        }
    }
    accepted
}

/// An OTLP/HTTP protobuf body (also a gRPC message's payload), rendered as listen does.
pub fn otlp_protobuf(data: &[u8]) -> bool {
    otlp::decode_protobuf(data)
        .map(|request| {
            render(&Batch::Otlp {
                request,
                protocol: Protocol::OtlpHttpProtobuf,
            });
        })
        .is_ok()
}

/// An OTLP/HTTP JSON body, rendered as listen does.
pub fn otlp_json(data: &[u8]) -> bool {
    otlp::decode_json(data)
        .map(|request| {
            render(&Batch::Otlp {
                request,
                protocol: Protocol::OtlpHttpJson,
            });
        })
        .is_ok()
}

/// A trace file as `analyze` reads it (any format), then its trees and cross-host links.
pub fn trace_file(data: &[u8]) -> bool {
    trace::read(data)
        .map(|set| {
            for index in 0..set.traces.len() {
                trace::tree::lines(&set, index);
            }
            trace::links(&set);
        })
        .is_ok()
}

/// A collector config as `--collector-config` reads it.
pub fn collector_config(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let mut file = ConfigFile::parse("config.yaml", &text);
    file.note_env(|var| (var.len() % 2 == 0).then(|| "set".to_string()));
    file.parsed.is_ok()
}

/// Kubernetes manifests as `doctor --k8s` reads them (documents, lists, ConfigMaps, pod
/// templates, env resolution); accepted when every document parses.
pub fn k8s_manifest(data: &[u8]) -> bool {
    let input = deploy::k8s::Input {
        name: "manifest.yaml".into(),
        text: String::from_utf8_lossy(data).into_owned(),
    };
    let deployment = deploy::k8s::read(&[input], "default");
    deployment
        .problems
        .iter()
        .all(|p| p.kind != ProblemKind::Unreadable)
}

/// A Compose file as `doctor --compose` resolves it (interpolation, overlays of one file,
/// environment, ports), without the process environment; accepted when the project loads. The
/// file is written to a directory of this process, the one I/O a project needs.
pub fn compose_project(data: &[u8]) -> bool {
    let dir = std::env::temp_dir().join(format!("tracectl-fuzz-compose-{}", std::process::id()));
    let file = dir.join("compose.yaml");
    if std::fs::create_dir_all(&dir).is_err() || std::fs::write(&file, data).is_err() {
        return false;
    }
    let options = deploy::compose::Options {
        files: vec![file],
        env_file: None,
        profiles: Vec::new(),
        process_env: None,
    };
    let accepted = deploy::compose::read(&options).0.is_some();
    let _ = std::fs::remove_dir_all(&dir);
    accepted
}
