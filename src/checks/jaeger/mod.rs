//! Legacy Jaeger settings: JAEGER_* client variables and the removed OTEL_EXPORTER_JAEGER_* ones.

pub mod agent_and_endpoint;
pub mod agent_port;
pub mod client_vars;
pub mod endpoint_path;
pub mod removed_exporter_vars;
