//! The deployment files an app is started from (Docker Compose projects), read the way the
//! platform reads them, so each container's settings can be checked before it runs.

pub mod compose;
