//! Loopback traps: `localhost` inside a container is the container, and a collector bound to
//! 127.0.0.1 cannot be reached from anywhere else.

pub mod bound_to_loopback;
pub mod container_loopback;
