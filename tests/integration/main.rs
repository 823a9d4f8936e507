//! The one integration test binary: CLI behaviour through the built `tracectl`, real peers,
//! hostile peers and snapshots. Each area is a module of its own.

mod support;

mod analyze;
mod architecture;
mod check_propagation;
mod check_propagation_output;
mod cli;
mod collector_config;
mod compose_peer;
mod decode_header;
mod doctor_collector_layers;
mod doctor_compose;
mod doctor_e2e;
mod doctor_java;
mod doctor_k8s;
mod doctor_mesh;
mod doctor_offline;
mod doctor_operator;
mod errors;
mod fuzz_corpus;
mod hostile;
mod jaeger_client;
mod limits;
mod listen;
mod listen_limits;
mod live_peers;
mod reports;
mod sdk_facts;
mod secrets;
mod send_cause;
mod send_test_span;
mod send_verify;
