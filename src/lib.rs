//! pgtc — PostgreSQL Transparent Connectivity.
//!
//! One logical connection over a primary and a hot standby: read-only work
//! at READ COMMITTED is balanced over both servers, everything else runs on
//! the primary, and a session never reads older data than it wrote.

pub mod classify;
pub mod conninfo;
pub mod error;
