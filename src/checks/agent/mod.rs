//! The legacy Jaeger agent over UDP: is something there, is it a collector-only setup, and how
//! big a batch can be. (The compact/binary port match is JGR002, a settings check.)

pub mod agent_port_open;
pub mod collector_only;
pub mod udp_batch_limit;
