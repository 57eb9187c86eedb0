//! pgtc's ODBC driver: an ODBC 3.x driver for unixODBC over pgtc's Rust
//! API, so that ODBC applications get pgtc's routing from a connection
//! string attribute (`PREFERRED_ACCESS=READ_MOSTLY`).
//!
//! The exported `SQL…` functions live in `api`; everything they do is
//! plain Rust in the other modules, tested there.

pub mod api;
mod catalog;
mod conn;
pub mod connstr;
mod escape;
mod getdata;
mod handle;
mod info;
mod params;
mod run;
mod strings;
mod sys;
#[cfg(test)]
mod tests;
mod types;
