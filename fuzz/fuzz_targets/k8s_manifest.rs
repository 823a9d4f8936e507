//! The template of every library fuzz target: the binary's name picks its entry point in
//! `tracectl::fuzzing::TARGETS` (scripts/fuzz-add copies this file to fuzz_targets/NAME.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAME: &str = env!("CARGO_BIN_NAME");

fuzz_target!(|data: &[u8]| {
    if let Some((_, run)) = tracectl::fuzzing::TARGETS.iter().find(|(n, _)| *n == NAME) {
        run(data);
    }
});
