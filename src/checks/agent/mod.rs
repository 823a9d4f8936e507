//! The legacy Jaeger agent over UDP: is something there, is it the right port for the client's
//! encoding, is it a collector-only setup, and how big a batch can be.

pub mod agent_port_open;
pub mod collector_only;
pub mod port_encoding;
pub mod udp_batch_limit;
