//! Service name: the name every span is filed under in the backend.

pub mod assembled;
pub mod normalized;
pub mod resource_attributes;
pub mod sources_disagree;
pub mod unknown_service;
pub mod unset;
