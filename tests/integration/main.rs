//! The one integration test binary: CLI behaviour through the built `tracectl`, real peers,
//! hostile peers and snapshots. Each area is a module of its own.

mod support;

mod cli;
mod doctor_e2e;
mod doctor_offline;
mod send_test_span;
mod send_verify;
