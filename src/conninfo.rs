//! Connection strings: libpq `key=value` and `postgresql://` URI forms, with
//! multi-host lists, plus pgtc's own attributes (PREFERRED_ACCESS,
//! AUTOCOMMIT, TXN_ISOLATION). Pure parsing, no I/O.

use crate::error::{Error, Result, Status};
use std::time::Duration;

/// Where read-only work should go (solidDB's PREFERRED_ACCESS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everything on the primary (the default): an ordinary driver.
    WriteMostly,
    /// Read-only READ COMMITTED work is balanced over primary and standby.
    ReadMostly,
}

/// Transaction isolation levels PostgreSQL distinguishes (READ UNCOMMITTED
/// behaves as READ COMMITTED in PostgreSQL and is mapped to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isolation {
    ReadCommitted,
    RepeatableRead,
    Serializable,
}

impl Isolation {
    /// The SQL spelling, e.g. "REPEATABLE READ".
    pub fn sql(self) -> &'static str {
        match self {
            Isolation::ReadCommitted => "READ COMMITTED",
            Isolation::RepeatableRead => "REPEATABLE READ",
            Isolation::Serializable => "SERIALIZABLE",
        }
    }
}

/// One of pgtc's own attributes with its parsed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    PreferredAccess(Access),
    Autocommit(bool),
    TxnIsolation(Isolation),
}

/// pgtc's attributes as a set, with their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attributes {
    pub preferred_access: Access,
    pub autocommit: bool,
    pub txn_isolation: Isolation,
}

impl Default for Attributes {
    fn default() -> Self {
        Attributes {
            preferred_access: Access::WriteMostly,
            autocommit: true,
            txn_isolation: Isolation::ReadCommitted,
        }
    }
}

impl Attributes {
    pub fn apply(&mut self, attr: Attr) {
        match attr {
            Attr::PreferredAccess(a) => self.preferred_access = a,
            Attr::Autocommit(a) => self.autocommit = a,
            Attr::TxnIsolation(i) => self.txn_isolation = i,
        }
    }
}

/// `sslmode`: pgtc speaks plain TCP or Unix sockets only, so only the modes
/// that allow a non-TLS connection are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
}

/// One server address. A `host` that starts with `/` is a Unix-socket
/// directory (the socket is `{host}/.s.PGSQL.{port}`), as in libpq.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostPort {
    pub host: String,
    pub port: u16,
}

/// A parsed connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// At least one; normally two (primary and standby, in any order).
    pub hosts: Vec<HostPort>,
    pub user: String,
    pub password: Option<String>,
    pub dbname: String,
    pub connect_timeout: Option<Duration>,
    pub application_name: Option<String>,
    /// Command-line options sent to the server (libpq `options`, e.g. "-c search_path=x").
    pub options: Option<String>,
    pub sslmode: SslMode,
    pub attrs: Attributes,
}

impl Config {
    /// The connection string without the password, for log lines.
    pub fn redacted(&self) -> String {
        todo!()
    }
}

/// Parse a connection string (either form). Defaults follow libpq: the
/// environment variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE,
/// PGAPPNAME, PGCONNECT_TIMEOUT, PGOPTIONS, then built-in defaults.
pub fn parse(conninfo: &str) -> Result<Config> {
    let _ = conninfo;
    todo!()
}

/// Parse one pgtc attribute (case-insensitive name and value).
pub fn parse_attr(name: &str, value: &str) -> Result<Attr> {
    let _ = (name, value);
    let _ = Error::new(Status::UnknownAttribute, "");
    todo!()
}
