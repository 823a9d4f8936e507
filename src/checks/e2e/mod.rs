//! End-to-end: a test span sent where the app's settings point, read back from the backend.

pub mod pipeline;
