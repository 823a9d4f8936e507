//! `tracectl check-propagation`: send a request with a fresh trace context to a running service
//! and prove that it continues the trace and forwards it downstream.
//!
//! [`inject`] writes the context sent and [`request`] sends it; [`downstream`] records the calls
//! the service makes and [`calls`] reads their context; listen's receivers take the spans it
//! exports ([`spans`]), or [`readback`] reads them from Jaeger; [`exec`] can start the service;
//! [`run`] waits until every verdict is decided; [`judge`] turns what arrived into the findings
//! of [`catalog`]; [`output`] renders them, and [`report`] makes them the shared report for the
//! CI formats.

pub mod calls;
pub mod catalog;
pub mod downstream;
pub mod exec;
pub mod inject;
pub mod judge;
pub mod output;
pub mod readback;
pub mod report;
pub mod request;
pub mod run;
pub mod spans;

pub use catalog::{VERDICTS, Verdict};
