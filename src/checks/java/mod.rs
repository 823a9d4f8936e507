//! Checks of the Java agent's configuration layers: system properties that beat the
//! environment, option texts the JVM refuses.

pub mod property_beats_env;
pub mod unmatched_quote;

use crate::settings::{Location, Source};

/// The file and line a source points at, when it has one.
pub(crate) fn location_of(source: &Source) -> Option<Location> {
    match source {
        Source::Deployment { file, line, .. } => Some(Location::new(file.clone(), *line)),
        Source::Property { at, .. } => at.clone(),
        Source::EnvFile { path, line } => Some(Location::new(
            path.display().to_string(),
            u32::try_from(*line).unwrap_or(u32::MAX),
        )),
        _ => None,
    }
}
