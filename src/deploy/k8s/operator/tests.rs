//! The webhook simulation on whole manifests.
