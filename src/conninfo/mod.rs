//! Connection strings: libpq `key=value` and `postgresql://` URI forms, with
//! multi-host lists, plus pgtc's own attributes (declared in `crate::attr`).
//!
//! Parsing itself is pure; filling in what the string leaves out follows
//! libpq and therefore looks outside: the `PG*` environment variables, the
//! password file (`~/.pgpass` or `PGPASSFILE`), the OS user name and whether
//! the default Unix-socket directory exists.
//!
//! The work is split by job: `keys` (the keys and the raw settings),
//! `keyvalue` and `uri` (the two forms), `defaults` (environment and
//! built-in defaults, validation), `hosts` (the server list) and `pgpass`
//! (the password file).

mod defaults;
mod hosts;
mod keys;
mod keyvalue;
mod pgpass;
#[cfg(test)]
mod tests;
mod tls;
mod uri;

pub use self::tls::{ChannelBinding, RootCert, SslMode, SslNegotiation, Tls, TlsFile};

use self::defaults::{os_account, resolve, Sources};
use self::keys::{Key, Settings};
use self::keyvalue::parse_key_value;
use self::uri::{parse_uri, uri_prefix_len};
use crate::attr;
use crate::attr::show;
pub use crate::attr::{
    names as attr_names, parse_attr, Access, Attr, Attributes, Consistency, Isolation, OnError,
};
use crate::error::{Error, Result, Status};
use std::path::Path;
use std::time::Duration;

/// One server address. A `host` that starts with `/` is a Unix-socket
/// directory (the socket is `{host}/.s.PGSQL.{port}`), as in libpq.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostPort {
    pub host: String,
    pub port: u16,
}

/// "host:port", "[v6]:port", or the socket path for a Unix-socket directory.
impl std::fmt::Display for HostPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.starts_with('/') {
            write!(f, "{}/.s.PGSQL.{}", self.host, self.port)
        } else if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// A parsed connection string.
/// `Debug` never shows the password (see `redacted`).
#[derive(Clone, PartialEq, Eq)]
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
    /// TLS for every physical connection (primary, standby, monitor,
    /// catalog); names are checked against each server's own host name.
    pub tls: Tls,
    pub attrs: Attributes,
    /// `HOST_WEIGHTS`: one weight per entry of `hosts` (0–100; all 1 when
    /// not given). A server of weight 2 is given twice the sessions and
    /// statements of one of weight 1; weight 0 gives it no balanced reads.
    pub weights: Vec<u32>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Config({})", self.redacted())
    }
}

/// What identifies a cluster within a process: its servers (in any order),
/// the user and the database. Sessions with the same key share a monitor
/// and a catalog.
pub type ClusterKey = (Vec<HostPort>, String, String);

impl Config {
    /// This configuration's `ClusterKey`.
    pub fn cluster_key(&self) -> ClusterKey {
        let mut hosts = self.hosts.clone();
        hosts.sort();
        (hosts, self.user.clone(), self.dbname.clone())
    }

    /// The connection string without the password, for log lines.
    ///
    /// A `key=value` string that parses back to the same configuration
    /// (except that a password, when there is one, reads `********`).
    pub fn redacted(&self) -> String {
        let mut out = String::new();
        let mut push = |key: Key, value: &str| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(key.name());
            out.push('=');
            if key.secret() {
                out.push_str(PASSWORD_MASK);
            } else {
                out.push_str(&quote_value(value));
            }
        };
        let hosts: Vec<&str> = self.hosts.iter().map(|h| h.host.as_str()).collect();
        let ports: Vec<String> = self.hosts.iter().map(|h| h.port.to_string()).collect();
        push(Key::Host, &hosts.join(","));
        push(Key::Port, &ports.join(","));
        push(Key::DbName, &self.dbname);
        push(Key::User, &self.user);
        if let Some(p) = &self.password {
            push(Key::Password, p);
        }
        if let Some(t) = self.connect_timeout {
            push(Key::ConnectTimeout, &t.as_secs().to_string());
        }
        if let Some(a) = &self.application_name {
            push(Key::ApplicationName, a);
        }
        if let Some(o) = &self.options {
            push(Key::Options, o);
        }
        for (key, value) in self.tls.pairs() {
            push(key, &value);
        }
        for (i, spec) in attr::TABLE.iter().enumerate() {
            push(Key::Attr(i as u8), &spec.text(&self.attrs));
        }
        if self.weights.iter().any(|&w| w != 1) {
            let w: Vec<String> = self.weights.iter().map(u32::to_string).collect();
            push(Key::HostWeights, &w.join(","));
        }
        out
    }

    /// The weight of the server at `addr` (1 when it is not in the list).
    pub fn weight_of(&self, addr: &HostPort) -> u32 {
        self.hosts
            .iter()
            .position(|h| h == addr)
            .and_then(|i| self.weights.get(i).copied())
            .unwrap_or(1)
    }
}

/// Parse a connection string (either form). Defaults follow libpq: the
/// environment variables PGHOST, PGHOSTADDR, PGPORT, PGUSER, PGPASSWORD,
/// PGDATABASE, PGAPPNAME, PGCONNECT_TIMEOUT, PGOPTIONS, PGSSLMODE,
/// PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, PGSSLNEGOTIATION and PGCHANNELBINDING, the
/// password file (PGPASSFILE or `~/.pgpass`), then built-in defaults.
pub fn parse(conninfo: &str) -> Result<Config> {
    parse_with_env(conninfo, &|name| std::env::var(name).ok())
}

/// [`parse`] with the environment looked up through `env` instead of the
/// process environment (`HOME`, `USER` and `PGPASSFILE` included).
pub(crate) fn parse_with_env(
    conninfo: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config> {
    let default_host = || {
        if Path::new(DEFAULT_SOCKET_DIR).is_dir() {
            DEFAULT_SOCKET_DIR.to_string()
        } else {
            DEFAULT_TCP_HOST.to_string()
        }
    };
    let os_user = || os_account().map(|(name, _)| name);
    let os_home = || os_account().map(|(_, home)| home);
    parse_with_sources(
        conninfo,
        &Sources {
            env,
            default_host: &default_host,
            os_user: &os_user,
            os_home: &os_home,
        },
    )
}

const DEFAULT_PORT: u16 = 5432;
/// The built-in Unix-socket directory (Debian's, and the one libpq packages
/// on most Linux distributions are built with). Used when it exists.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
const DEFAULT_TCP_HOST: &str = "localhost";
/// One primary and up to fifteen standbys.
const MAX_HOSTS: usize = 16;
/// The largest weight `HOST_WEIGHTS` takes.
const MAX_WEIGHT: u32 = 100;
const PASSWORD_MASK: &str = "********";

fn syntax_error(message: String) -> Error {
    Error::new(Status::ConninfoSyntax, message)
}

fn invalid_value(message: String) -> Error {
    Error::new(Status::InvalidAttributeValue, message)
}

/// libpq's `isspace` set.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// A value as it must be written in a `key=value` string.
fn quote_value(v: &str) -> String {
    let plain = !v.is_empty() && !v.bytes().any(|c| is_space(c) || c == b'\'' || c == b'\\');
    if plain {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len() + 2);
    out.push('\'');
    for c in v.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// 1-based character position of byte offset `off` in `s`.
fn position(s: &str, off: usize) -> usize {
    let off = off.min(s.len());
    s.as_bytes()[..off]
        .iter()
        .filter(|&&c| (c & 0xc0) != 0x80)
        .count()
        + 1
}

/// Parse with every outside source of defaults given.
fn parse_with_sources(conninfo: &str, src: &Sources<'_>) -> Result<Config> {
    if let Some(off) = conninfo.find('\0') {
        return Err(syntax_error(format!(
            "connection string contains a NUL character at position {}",
            position(conninfo, off)
        )));
    }
    let mut settings = Settings::default();
    let start = conninfo.len()
        - conninfo
            .trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8))
            .len();
    let end = conninfo
        .trim_end_matches(|c: char| c.is_ascii() && is_space(c as u8))
        .len();
    if start < end && uri_prefix_len(&conninfo[start..end]) > 0 {
        parse_uri(conninfo, start, end, &mut settings)?;
    } else {
        parse_key_value(conninfo, &mut settings)?;
    }
    resolve(settings, src)
}
