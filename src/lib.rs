//! pgtc — PostgreSQL Transparent Connectivity.
//!
//! One logical connection over a primary and a hot standby: read-only work
//! at READ COMMITTED is balanced over both servers, everything else runs on
//! the primary, and a session never reads older data than it wrote.
//!
//! The public surface is the C ABI (`ffi`, whose exports `include/pgtc.h`
//! declares) and the Rust API re-exported here and in `session`. Everything
//! else is internal; `classify` and `conninfo` are reachable (hidden from the
//! documentation) only so that the fuzz targets and benchmarks can drive
//! them directly.

pub(crate) mod attr;
pub(crate) mod balance;
pub(crate) mod catalog;
#[doc(hidden)]
pub mod classify;
#[doc(hidden)]
pub mod conninfo;
pub(crate) mod counters;
pub(crate) mod error;
pub mod ffi;
pub(crate) mod floor;
pub(crate) mod monitor;
pub mod pool;
pub(crate) mod result;
pub(crate) mod route;
pub mod session;
pub(crate) mod wire;

pub use counters::{process_counters, Counter, Counters};
pub use error::{Error, Fields, Notice, Result, Status};
pub use pool::{Pool, PoolStats, Pooled};
pub use result::{Column, ColumnMeta, ResultSet, Server};
pub use session::{NoticeHandler, Notification, Session};
