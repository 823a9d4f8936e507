//! The one integration test binary: CLI behaviour through the built `tracectl`, real peers,
//! hostile peers and snapshots. Each area is a module of its own.

mod support;

mod analyze;
mod architecture;
mod cli;
mod collector_config;
mod decode_header;
mod doctor_e2e;
mod doctor_offline;
mod errors;
mod fuzz_corpus;
mod hostile;
mod listen;
mod live_peers;
mod send_cause;
mod send_test_span;
mod send_verify;
