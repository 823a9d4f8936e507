//! tracectl: diagnose distributed-tracing setups (OpenTelemetry and Jaeger).
//!
//! The binary is a thin shell over this library: [`cli`] declares the command line, [`cmd`] glues
//! each subcommand to the library, [`checks`] and [`registry`] hold the checks, [`runner`] runs
//! them, and [`report`] renders what they found.

pub mod check_propagation;
pub mod checks;
pub mod cli;
pub mod cmd;
pub mod collector;
pub mod decode_header;
pub mod deploy;
pub mod error;
pub mod exit;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod host;
pub mod input;
pub mod listen;
pub mod probe;
pub mod protocol;
pub mod registry;
pub mod report;
pub mod rule;
pub mod runner;
pub mod send;
pub mod settings;
pub mod spring;
pub mod style;
pub mod symptom;
pub mod text;
pub mod trace;
