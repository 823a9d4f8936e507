//! Exporter and SDK switches: is anything exported at all?

pub mod sdk_disabled;
