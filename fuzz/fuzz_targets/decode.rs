//! Everything `tracectl decode-header` does with untrusted bytes: see
//! `tracectl_propagation::fuzzing::run`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tracectl_propagation::fuzzing::run(data));
