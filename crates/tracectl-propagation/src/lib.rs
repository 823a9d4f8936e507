//! Propagation-header parsing for tracectl: pure functions over strings, no I/O.
