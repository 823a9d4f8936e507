//! Exporter and SDK switches: is anything exported at all?

pub mod exporter_console;
pub mod exporter_jaeger;
pub mod exporter_none;
pub mod exporter_unknown;
pub mod exporter_zipkin;
pub mod propagators;
pub mod propagators_unknown;
pub mod sdk_disabled;
