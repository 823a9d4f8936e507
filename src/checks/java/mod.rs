//! Checks of the Java agent's configuration layers: system properties that beat the
//! environment, option texts the JVM refuses.

pub mod property_beats_env;
pub mod unmatched_quote;
