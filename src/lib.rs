//! pgtc — PostgreSQL Transparent Connectivity.
//!
//! One logical connection over a primary and a hot standby: read-only work
//! at READ COMMITTED is balanced over both servers, everything else runs on
//! the primary, and a session never reads older data than it wrote.

pub mod attr;
pub mod balance;
pub mod catalog;
pub mod classify;
pub mod conninfo;
pub mod error;
pub mod ffi;
pub mod monitor;
pub mod result;
pub mod route;
pub mod session;
pub mod wire;

pub use error::{Error, Result, Status};
pub use result::{ResultSet, Server};
pub use session::Session;
