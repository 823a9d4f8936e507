//! Sampler: does the SDK keep any span at all?

pub mod always_off;
pub mod arg_invalid;
pub mod ratio_range;
pub mod ratio_zero;
pub mod sampler_unknown;
