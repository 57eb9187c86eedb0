//! Connection strings: libpq `key=value` and `postgresql://` URI forms, with
//! multi-host lists, plus pgtc's own attributes (declared in `crate::attr`).
//!
//! Parsing itself is pure; filling in what the string leaves out follows
//! libpq and therefore looks outside: the `PG*` environment variables, the
//! password file (`~/.pgpass` or `PGPASSFILE`), the OS user name and whether
//! the default Unix-socket directory exists.

use crate::attr::{self, show};
pub use crate::attr::{parse_attr, Access, Attr, Attributes, Consistency, Isolation};
use crate::error::{Error, Result, Status};
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    pub sslmode: SslMode,
    pub attrs: Attributes,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Config({})", self.redacted())
    }
}

impl Config {
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
        let sslmode = match self.sslmode {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
        };
        push(Key::SslMode, sslmode);
        for (i, spec) in attr::TABLE.iter().enumerate() {
            push(Key::Attr(i as u8), &spec.text(&self.attrs));
        }
        out
    }
}

/// Parse a connection string (either form). Defaults follow libpq: the
/// environment variables PGHOST, PGHOSTADDR, PGPORT, PGUSER, PGPASSWORD,
/// PGDATABASE, PGAPPNAME, PGCONNECT_TIMEOUT, PGOPTIONS and PGSSLMODE, the
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

// ---------------------------------------------------------------------------
// Constants and small helpers
// ---------------------------------------------------------------------------

const DEFAULT_PORT: u16 = 5432;
/// The built-in Unix-socket directory (Debian's, and the one libpq packages
/// on most Linux distributions are built with). Used when it exists.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
const DEFAULT_TCP_HOST: &str = "localhost";
/// One primary and one standby.
const MAX_HOSTS: usize = 2;
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

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Host,
    HostAddr,
    Port,
    DbName,
    User,
    Password,
    ConnectTimeout,
    ApplicationName,
    FallbackApplicationName,
    Options,
    SslMode,
    ClientEncoding,
    Keepalives,
    KeepalivesIdle,
    KeepalivesInterval,
    KeepalivesCount,
    TcpUserTimeout,
    TargetSessionAttrs,
    /// One of pgtc's attributes: its index in `attr::TABLE`.
    Attr(u8),
}

/// libpq's keys, in the order error messages list them (pgtc's
/// attributes follow, see `all_keys`).
const LIBPQ_KEYS: [Key; 18] = [
    Key::Host,
    Key::HostAddr,
    Key::Port,
    Key::DbName,
    Key::User,
    Key::Password,
    Key::ConnectTimeout,
    Key::ApplicationName,
    Key::FallbackApplicationName,
    Key::Options,
    Key::SslMode,
    Key::ClientEncoding,
    Key::Keepalives,
    Key::KeepalivesIdle,
    Key::KeepalivesInterval,
    Key::KeepalivesCount,
    Key::TcpUserTimeout,
    Key::TargetSessionAttrs,
];

/// pgtc's attributes as keys, in the order of `attr::TABLE`.
fn attr_keys() -> impl Iterator<Item = Key> {
    (0..attr::TABLE.len()).map(|i| Key::Attr(i as u8))
}

/// Every key a connection string may hold.
fn all_keys() -> impl Iterator<Item = Key> {
    LIBPQ_KEYS.into_iter().chain(attr_keys())
}

/// libpq connection options pgtc does not implement: named as such in the
/// error rather than as unknown.
const UNSUPPORTED_LIBPQ_KEYS: &[&str] = &[
    "service",
    "passfile",
    "channel_binding",
    "require_auth",
    "requiressl",
    "sslnegotiation",
    "sslcompression",
    "sslcert",
    "sslkey",
    "sslkeylogfile",
    "sslpassword",
    "sslcertmode",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "requirepeer",
    "gssencmode",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "replication",
    "load_balance_hosts",
    "min_protocol_version",
    "max_protocol_version",
    "scram_client_key",
    "scram_server_key",
    "oauth_issuer",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_scope",
];

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::Host => "host",
            Key::HostAddr => "hostaddr",
            Key::Port => "port",
            Key::DbName => "dbname",
            Key::User => "user",
            Key::Password => "password",
            Key::ConnectTimeout => "connect_timeout",
            Key::ApplicationName => "application_name",
            Key::FallbackApplicationName => "fallback_application_name",
            Key::Options => "options",
            Key::SslMode => "sslmode",
            Key::ClientEncoding => "client_encoding",
            Key::Keepalives => "keepalives",
            Key::KeepalivesIdle => "keepalives_idle",
            Key::KeepalivesInterval => "keepalives_interval",
            Key::KeepalivesCount => "keepalives_count",
            Key::TcpUserTimeout => "tcp_user_timeout",
            Key::TargetSessionAttrs => "target_session_attrs",
            Key::Attr(i) => attr::TABLE[usize::from(i)].name,
        }
    }

    /// The value must never be shown (`redacted` masks it).
    fn secret(self) -> bool {
        match self {
            Key::Password => true,
            Key::Attr(i) => attr::TABLE[usize::from(i)].secret,
            _ => false,
        }
    }

    /// The libpq environment variable that supplies the default.
    fn env_var(self) -> Option<&'static str> {
        match self {
            Key::Host => Some("PGHOST"),
            Key::HostAddr => Some("PGHOSTADDR"),
            Key::Port => Some("PGPORT"),
            Key::DbName => Some("PGDATABASE"),
            Key::User => Some("PGUSER"),
            Key::Password => Some("PGPASSWORD"),
            Key::ConnectTimeout => Some("PGCONNECT_TIMEOUT"),
            Key::ApplicationName => Some("PGAPPNAME"),
            Key::Options => Some("PGOPTIONS"),
            Key::SslMode => Some("PGSSLMODE"),
            _ => None,
        }
    }

    fn lookup(name: &str) -> Option<Key> {
        all_keys().find(|k| k.name().eq_ignore_ascii_case(name))
    }
}

fn unknown_key(key: &str, pos: usize) -> Error {
    let lower = key.to_ascii_lowercase();
    let message = if UNSUPPORTED_LIBPQ_KEYS.contains(&lower.as_str()) {
        format!(
            "connection option {} at position {} is not supported by pgtc",
            show(key),
            pos
        )
    } else {
        let known: Vec<&str> = all_keys().map(|k| k.name()).collect();
        format!(
            "unknown connection option {} at position {}; known options: {}",
            show(key),
            pos,
            known.join(", ")
        )
    };
    Error::new(Status::UnknownAttribute, message)
}

// ---------------------------------------------------------------------------
// Settings: the raw values, before defaults and validation
// ---------------------------------------------------------------------------

/// Where a value came from, for error messages.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// 1-based character position of the key in the connection string.
    At(usize),
    Env(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::At(p) => write!(f, "at position {}", p),
            Origin::Env(v) => write!(f, "from environment variable {}", v),
        }
    }
}

#[derive(Debug, Clone)]
struct Setting {
    value: String,
    origin: Origin,
}

#[derive(Debug, Default)]
struct Settings {
    map: HashMap<Key, Setting>,
}

impl Settings {
    /// Store `value` under the key spelled `key` (last one wins).
    fn store(&mut self, key: &str, value: String, pos: usize) -> Result<()> {
        let k = Key::lookup(key).ok_or_else(|| unknown_key(key, pos))?;
        self.map.insert(
            k,
            Setting {
                value,
                origin: Origin::At(pos),
            },
        );
        Ok(())
    }

    fn get(&self, key: Key) -> Option<&Setting> {
        self.map.get(&key)
    }

    /// The setting when present and not empty.
    fn nonempty(&self, key: Key) -> Option<&Setting> {
        self.get(key).filter(|s| !s.value.is_empty())
    }

    /// The trimmed value when present and not blank (for enumerations and
    /// integers, where an empty value means "the default").
    fn word(&self, key: Key) -> Option<(&str, Origin)> {
        self.get(key)
            .map(|s| (s.value.trim(), s.origin))
            .filter(|(v, _)| !v.is_empty())
    }
}

// ---------------------------------------------------------------------------
// The key=value form
// ---------------------------------------------------------------------------

fn parse_key_value(s: &str, settings: &mut Settings) -> Result<()> {
    let b = s.as_bytes();
    let mut i = 0;
    // The previous pair was an unquoted password: the next word may be the
    // rest of a password with a space in it, so errors must not quote it.
    let mut after_password = false;
    loop {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return Ok(());
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && !is_space(b[i]) {
            i += 1;
        }
        let key = &s[key_start..i];
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            let shown = if after_password {
                "the word after the password (not shown: an unquoted password cannot \
                 contain white space)"
                    .to_string()
            } else {
                show(key)
            };
            return Err(syntax_error(format!(
                "missing \"=\" after {} at position {} in connection string",
                shown,
                position(s, key_start)
            )));
        }
        if key.is_empty() {
            return Err(syntax_error(format!(
                "missing key before \"=\" at position {} in connection string",
                position(s, i)
            )));
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let mut value = Vec::new();
        let quoted = i < b.len() && b[i] == b'\'';
        if quoted {
            let quote_pos = i;
            i += 1;
            loop {
                if i >= b.len() {
                    return Err(syntax_error(format!(
                        "unterminated quoted value for {} (quote opened at position {})",
                        show(key),
                        position(s, quote_pos)
                    )));
                }
                match b[i] {
                    b'\\' => {
                        i += 1;
                        if i < b.len() {
                            value.push(b[i]);
                            i += 1;
                        }
                    }
                    b'\'' => {
                        i += 1;
                        break;
                    }
                    c => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < b.len() && !is_space(b[i]) {
                if b[i] == b'\\' {
                    i += 1;
                    if i >= b.len() {
                        break;
                    }
                }
                value.push(b[i]);
                i += 1;
            }
        }
        // Escapes only drop ASCII backslashes, so this cannot fail; stay safe.
        let value = String::from_utf8(value)
            .map_err(|_| syntax_error(format!("value of {} is not valid UTF-8", show(key))))?;
        let pos = position(s, key_start);
        if after_password && Key::lookup(key).is_none() {
            return Err(Error::new(
                Status::UnknownAttribute,
                format!(
                    "unknown connection option at position {} (the word after the password, \
                     not shown: an unquoted password cannot contain white space)",
                    pos
                ),
            ));
        }
        after_password = !quoted && Key::lookup(key) == Some(Key::Password);
        settings.store(key, value, pos)?;
    }
}

// ---------------------------------------------------------------------------
// The URI form
// ---------------------------------------------------------------------------

const URI_PREFIXES: [&str; 2] = ["postgresql://", "postgres://"];

/// Length of the URI scheme prefix at the start of `s` (any case), or 0.
fn uri_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    URI_PREFIXES
        .iter()
        .find(|p| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
        .map_or(0, |p| p.len())
}

/// Percent-decode `full[start..end]`. `what` names the component for the
/// error message; the text itself is never quoted (it may be a password).
fn uri_decode(full: &str, start: usize, end: usize, what: &str) -> Result<String> {
    let b = &full.as_bytes()[start..end];
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let hex = |c: u8| (c as char).to_digit(16);
        let (hi, lo) = match (
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (Some(hi), Some(lo)) => (hi, lo),
            _ => {
                return Err(syntax_error(format!(
                    "invalid percent-encoded token at position {} in the {} of the URI \
                     (\"%\" must be followed by two hexadecimal digits)",
                    position(full, start + i),
                    what
                )))
            }
        };
        let byte = (hi * 16 + lo) as u8;
        if byte == 0 {
            return Err(syntax_error(format!(
                "forbidden value %00 at position {} in the {} of the URI",
                position(full, start + i),
                what
            )));
        }
        out.push(byte);
        i += 3;
    }
    String::from_utf8(out).map_err(|_| {
        syntax_error(format!(
            "the {} of the URI at position {} is not valid UTF-8 once percent-decoded",
            what,
            position(full, start)
        ))
    })
}

/// Parse `full[start..end]`, which begins with a URI prefix.
fn parse_uri(full: &str, start: usize, end: usize, settings: &mut Settings) -> Result<()> {
    let b = &full.as_bytes()[..end];
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let begin = start + uri_prefix_len(&full[start..end]);
    let mut p = begin;

    // user[:password]@ -- only if an '@' comes before the path or query.
    let mut q = p;
    while q < b.len() && !matches!(b[q], b'@' | b'/' | b'?') {
        q += 1;
    }
    if at(q) == b'@' {
        let user_end = full[begin..q].find(':').map_or(q, |i| begin + i);
        if user_end > begin {
            let user = uri_decode(full, begin, user_end, "user name")?;
            settings.store("user", user, position(full, begin))?;
        }
        if user_end < q && user_end + 1 < q {
            let password = uri_decode(full, user_end + 1, q, "password")?;
            settings.store("password", password, position(full, user_end + 1))?;
        }
        p = q + 1;
    }

    // host[:port][,host[:port]...]
    let hosts_pos = position(full, p);
    let mut hostbuf = String::new();
    let mut portbuf = String::new();
    let mut term;
    loop {
        if at(p) == b'[' {
            let open = p;
            let h_start = p + 1;
            let mut h_end = h_start;
            while h_end < b.len() && b[h_end] != b']' {
                h_end += 1;
            }
            if h_end >= b.len() {
                return Err(syntax_error(format!(
                    "missing \"]\" for the IPv6 address opened at position {} in the URI",
                    position(full, open)
                )));
            }
            if h_end == h_start {
                return Err(syntax_error(format!(
                    "empty IPv6 address at position {} in the URI",
                    position(full, open)
                )));
            }
            hostbuf.push_str(&uri_decode(full, h_start, h_end, "host")?);
            p = h_end + 1;
            if p < b.len() && !matches!(b[p], b':' | b'/' | b'?' | b',') {
                let c = full[p..].chars().next().unwrap_or('?');
                return Err(syntax_error(format!(
                    "unexpected character {:?} at position {} in the URI \
                     (expected \":\", \"/\", \"?\" or \",\" after an IPv6 address)",
                    c,
                    position(full, p)
                )));
            }
        } else {
            let h_start = p;
            while p < b.len() && !matches!(b[p], b':' | b'/' | b'?' | b',') {
                p += 1;
            }
            hostbuf.push_str(&uri_decode(full, h_start, p, "host")?);
        }
        term = at(p);
        if term == b':' {
            p += 1;
            let p_start = p;
            while p < b.len() && !matches!(b[p], b'/' | b'?' | b',') {
                p += 1;
            }
            portbuf.push_str(&uri_decode(full, p_start, p, "port")?);
            term = at(p);
        }
        if term != b',' {
            break;
        }
        p += 1;
        hostbuf.push(',');
        portbuf.push(',');
    }
    if !hostbuf.is_empty() {
        settings.store("host", hostbuf, hosts_pos)?;
    }
    // Unlike libpq, a list of empty ports counts as no port at all, so that
    // PGPORT still applies to `postgresql://a,b`.
    if portbuf.bytes().any(|c| c != b',') {
        settings.store("port", portbuf, hosts_pos)?;
    }

    // /dbname
    if term == b'/' {
        p += 1;
        let d_start = p;
        while p < b.len() && b[p] != b'?' {
            p += 1;
        }
        if p > d_start {
            let dbname = uri_decode(full, d_start, p, "database name")?;
            if !dbname.is_empty() {
                settings.store("dbname", dbname, position(full, d_start))?;
            }
        }
        term = at(p);
    }

    // ?key=value&...
    if term == b'?' {
        p += 1;
        while p < b.len() {
            let k_start = p;
            let mut eq = None;
            while p < b.len() && b[p] != b'&' {
                if b[p] == b'=' {
                    if eq.is_some() {
                        let key =
                            uri_decode(full, k_start, eq.unwrap_or(k_start), "parameter name")?;
                        return Err(syntax_error(format!(
                            "extra \"=\" at position {} in URI query parameter {} \
                             (write \"=\" inside a value as %3D)",
                            position(full, p),
                            show(&key)
                        )));
                    }
                    eq = Some(p);
                }
                p += 1;
            }
            let Some(eq) = eq else {
                return Err(syntax_error(format!(
                    "missing \"=\" in URI query parameter {} at position {}",
                    show(&full[k_start..p]),
                    position(full, k_start)
                )));
            };
            let key = uri_decode(full, k_start, eq, "parameter name")?;
            let value = uri_decode(
                full,
                eq + 1,
                p,
                &format!("value of parameter {}", show(&key)),
            )?;
            let pos = position(full, k_start);
            // libpq's JDBC compatibility: ssl=true means sslmode=require.
            if key == "ssl" && value == "true" {
                settings.store("sslmode", "require".to_string(), pos)?;
            } else {
                settings.store(&key, value, pos)?;
            }
            if p < b.len() {
                p += 1; // the '&'
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Defaults and validation
// ---------------------------------------------------------------------------

/// Everything outside the connection string that defaults may come from.
struct Sources<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    /// The host of an empty host entry.
    default_host: &'a dyn Fn() -> String,
    /// The OS user name (getpwuid_r(geteuid())).
    os_user: &'a dyn Fn() -> Option<String>,
    /// The home directory from the password database (when HOME is unset).
    os_home: &'a dyn Fn() -> Option<PathBuf>,
}

impl Sources<'_> {
    fn env_nonempty(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }
}

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

/// Apply the environment and built-in defaults, validate, build the Config.
fn resolve(mut set: Settings, src: &Sources<'_>) -> Result<Config> {
    for key in all_keys() {
        if let Some(var) = key.env_var() {
            if set.get(key).is_none() {
                if let Some(value) = (src.env)(var) {
                    set.map.insert(
                        key,
                        Setting {
                            value,
                            origin: Origin::Env(var),
                        },
                    );
                }
            }
        }
    }

    let mut attrs = Attributes::default();
    for key in attr_keys() {
        if let Some((value, origin)) = set.word(key) {
            let attr = parse_attr(key.name(), value)
                .map_err(|e| Error::new(e.status, format!("{} ({})", e.message, origin)))?;
            attrs.apply(attr);
        }
    }

    let sslmode = resolve_sslmode(&set)?;
    check_client_encoding(&set)?;
    check_target_session_attrs(&set)?;

    let connect_timeout = match int_setting(&set, Key::ConnectTimeout)? {
        Some(n) if n > 0 => Some(Duration::from_secs(n as u64)),
        _ => None,
    };
    for key in [
        Key::Keepalives,
        Key::KeepalivesIdle,
        Key::KeepalivesInterval,
        Key::KeepalivesCount,
        Key::TcpUserTimeout,
    ] {
        // Validated like libpq does; pgtc's sockets use their own settings.
        int_setting(&set, key)?;
    }

    let user = match set.nonempty(Key::User) {
        Some(s) => s.value.clone(),
        None => (src.os_user)()
            .filter(|u| !u.is_empty())
            .or_else(|| src.env_nonempty("USER"))
            .unwrap_or_else(|| "postgres".to_string()),
    };
    let dbname = match set.nonempty(Key::DbName) {
        Some(s) => s.value.clone(),
        None => user.clone(),
    };

    let (hosts, pgpass_host) = resolve_hosts(&set, src)?;

    let password = match set.nonempty(Key::Password) {
        Some(s) => Some(s.value.clone()),
        None => pgpass_lookup(src, &pgpass_host, hosts[0].port, &dbname, &user),
    }
    .filter(|p| !p.is_empty());

    let application_name = set
        .nonempty(Key::ApplicationName)
        .or_else(|| set.nonempty(Key::FallbackApplicationName))
        .map(|s| s.value.clone());
    let options = set.nonempty(Key::Options).map(|s| s.value.clone());

    Ok(Config {
        hosts,
        user,
        password,
        dbname,
        connect_timeout,
        application_name,
        options,
        sslmode,
        attrs,
    })
}

fn resolve_sslmode(set: &Settings) -> Result<SslMode> {
    let Some((value, origin)) = set.word(Key::SslMode) else {
        return Ok(SslMode::Prefer);
    };
    match value.to_ascii_lowercase().as_str() {
        "disable" => Ok(SslMode::Disable),
        "allow" => Ok(SslMode::Allow),
        "prefer" => Ok(SslMode::Prefer),
        "require" | "verify-ca" | "verify-full" => Err(invalid_value(format!(
            "sslmode {} ({}) is not supported: TLS is not supported by pgtc; \
             use disable, allow or prefer",
            show(value),
            origin
        ))),
        _ => Err(invalid_value(format!(
            "invalid sslmode value {} ({}); allowed values: disable, allow, prefer \
             (require, verify-ca and verify-full need TLS, which pgtc does not support)",
            show(value),
            origin
        ))),
    }
}

fn check_client_encoding(set: &Settings) -> Result<()> {
    let Some((value, origin)) = set.word(Key::ClientEncoding) else {
        return Ok(());
    };
    let norm: String = value
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if norm == "utf8" || norm == "unicode" {
        Ok(())
    } else {
        Err(invalid_value(format!(
            "client_encoding {} ({}) is not supported: pgtc always uses UTF8",
            show(value),
            origin
        )))
    }
}

fn check_target_session_attrs(set: &Settings) -> Result<()> {
    let Some((value, origin)) = set.word(Key::TargetSessionAttrs) else {
        return Ok(());
    };
    if value.eq_ignore_ascii_case("any") {
        Ok(())
    } else {
        Err(invalid_value(format!(
            "target_session_attrs {} ({}) is not supported: pgtc chooses the server for \
             each statement (writes go to the primary, read-only work may go to the standby, \
             see PREFERRED_ACCESS); only \"any\" is accepted",
            show(value),
            origin
        )))
    }
}

/// An integer option, parsed like libpq's parse_int_param (a C int,
/// surrounding white space allowed). Empty means unset.
fn int_setting(set: &Settings, key: Key) -> Result<Option<i32>> {
    let Some((value, origin)) = set.word(key) else {
        return Ok(None);
    };
    value.parse::<i32>().map(Some).map_err(|_| {
        invalid_value(format!(
            "invalid integer value {} for connection option {} ({})",
            show(value),
            key.name(),
            origin
        ))
    })
}

/// Split a comma-separated list option; None when absent or empty.
fn list(set: &Settings, key: Key) -> Option<(Vec<&str>, Origin)> {
    set.nonempty(key)
        .map(|s| (s.value.split(',').map(str::trim).collect(), s.origin))
}

/// The server list, and the host name to look up in the password file.
fn resolve_hosts(set: &Settings, src: &Sources<'_>) -> Result<(Vec<HostPort>, String)> {
    let names = list(set, Key::Host);
    let addrs = list(set, Key::HostAddr);
    let n = match (&names, &addrs) {
        (Some((h, _)), Some((a, origin))) => {
            if h.len() != a.len() {
                return Err(invalid_value(format!(
                    "could not match {} host names to {} hostaddr values (hostaddr {})",
                    h.len(),
                    a.len(),
                    origin
                )));
            }
            a.len()
        }
        (Some((h, _)), None) => h.len(),
        (None, Some((a, _))) => a.len(),
        (None, None) => 1,
    };
    if n > MAX_HOSTS {
        let origin = addrs.as_ref().or(names.as_ref()).map(|(_, o)| *o);
        return Err(invalid_value(format!(
            "{} hosts given ({}); pgtc uses one primary and one standby, so at most {} \
             hosts are allowed",
            n,
            origin.map_or_else(String::new, |o| o.to_string()),
            MAX_HOSTS
        )));
    }
    if let Some((a, origin)) = &addrs {
        for entry in a.iter().filter(|e| !e.is_empty()) {
            if entry.parse::<IpAddr>().is_err() {
                return Err(invalid_value(format!(
                    "invalid hostaddr {} ({}): not a numeric IPv4 or IPv6 address",
                    show(entry),
                    origin
                )));
            }
        }
    }

    let mut ports = vec![DEFAULT_PORT; n];
    if let Some((p, origin)) = list(set, Key::Port) {
        if p.len() != 1 && p.len() != n {
            return Err(invalid_value(format!(
                "could not match {} port numbers to {} hosts (port {})",
                p.len(),
                n,
                origin
            )));
        }
        for (i, port) in ports.iter_mut().enumerate() {
            let entry = if p.len() == 1 { p[0] } else { p[i] };
            if entry.is_empty() {
                continue;
            }
            *port = match entry.parse::<u32>() {
                Ok(v) if (1..=65535).contains(&v) => v as u16,
                _ => {
                    return Err(invalid_value(format!(
                        "invalid port number {} ({}): must be an integer from 1 to 65535",
                        show(entry),
                        origin
                    )))
                }
            };
        }
    }

    let entry = |l: &Option<(Vec<&str>, Origin)>, i: usize| -> Option<String> {
        l.as_ref()
            .and_then(|(v, _)| v.get(i).copied())
            .filter(|e| !e.is_empty())
            .map(str::to_string)
    };
    let mut hosts: Vec<HostPort> = Vec::with_capacity(n);
    let mut pgpass_host = String::new();
    for (i, port) in ports.into_iter().enumerate() {
        let name = entry(&names, i);
        let addr = entry(&addrs, i);
        let host = match addr.clone().or_else(|| name.clone()) {
            Some(h) => h,
            None => (src.default_host)(),
        };
        if i == 0 {
            pgpass_host = name.or(addr).unwrap_or_else(|| host.clone());
        }
        let key = |h: &HostPort| {
            if h.host.starts_with('/') {
                (h.host.clone(), h.port)
            } else {
                (h.host.to_ascii_lowercase(), h.port)
            }
        };
        let new = HostPort { host, port };
        if hosts.iter().any(|h| key(h) == key(&new)) {
            return Err(invalid_value(format!(
                "server {}:{} is listed twice; pgtc needs two different servers \
                 (one primary and one standby)",
                show(&new.host),
                new.port
            )));
        }
        hosts.push(new);
    }
    Ok((hosts, pgpass_host))
}

// ---------------------------------------------------------------------------
// The password file
// ---------------------------------------------------------------------------

fn pgpass_lookup(
    src: &Sources<'_>,
    host: &str,
    port: u16,
    dbname: &str,
    user: &str,
) -> Option<String> {
    let path = match src.env_nonempty("PGPASSFILE") {
        Some(p) => PathBuf::from(p),
        None => src
            .env_nonempty("HOME")
            .map(PathBuf::from)
            .or_else(|| (src.os_home)())?
            .join(".pgpass"),
    };
    pgpass_from_file(&path, host, port, dbname, user)
}

/// libpq's passwordFromFile: ignore a missing file, refuse one that is not
/// a plain file or that group or others may access.
fn pgpass_from_file(
    path: &Path,
    host: &str,
    port: u16,
    dbname: &str,
    user: &str,
) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        log::warn!("password file {:?} is not a plain file; ignored", path);
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            log::warn!(
                "password file {:?} has group or world access; permissions should be \
                 u=rw (0600) or less; ignored",
                path
            );
            return None;
        }
    }
    let data = std::fs::read(path).ok()?;
    // "localhost" matches a Unix-socket connection to the default directory.
    let host = if host.is_empty() || host == DEFAULT_SOCKET_DIR {
        DEFAULT_TCP_HOST
    } else {
        host
    };
    pgpass_match(&data, host, &port.to_string(), dbname, user)
}

/// The password of the first matching line of a password file's contents.
fn pgpass_match(data: &[u8], host: &str, port: &str, dbname: &str, user: &str) -> Option<String> {
    for line in data.split(|&c| c == b'\n') {
        let mut line = line;
        while let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let mut rest = line;
        let mut matched = true;
        for token in [host, port, dbname, user] {
            match pgpass_field(rest, token.as_bytes()) {
                Some(r) => rest = r,
                None => {
                    matched = false;
                    break;
                }
            }
        }
        if !matched {
            continue;
        }
        // De-escape the password, which ends at an unescaped ':'.
        let mut password = Vec::new();
        let mut i = 0;
        while i < rest.len() && rest[i] != b':' {
            if rest[i] == b'\\' && i + 1 < rest.len() {
                i += 1;
            }
            password.push(rest[i]);
            i += 1;
        }
        return String::from_utf8(password).ok();
    }
    None
}

/// Match one field (`*`, or the token with `:` and `\` escaped) and return
/// the rest of the line after its ':' (libpq's pwdfMatchesString).
fn pgpass_field<'a>(buf: &'a [u8], token: &[u8]) -> Option<&'a [u8]> {
    if buf.starts_with(b"*:") {
        return Some(&buf[2..]);
    }
    let mut i = 0;
    let mut t = 0;
    while i < buf.len() {
        let mut escaped = false;
        if buf[i] == b'\\' {
            i += 1;
            escaped = true;
            if i >= buf.len() {
                return None;
            }
        }
        if buf[i] == b':' && !escaped && t == token.len() {
            return Some(&buf[i + 1..]);
        }
        if t == token.len() || buf[i] != token[t] {
            return None;
        }
        i += 1;
        t += 1;
    }
    None
}

/// The effective user's name and home directory from the password database.
#[cfg(unix)]
fn os_account() -> Option<(String, PathBuf)> {
    use std::ffi::{CStr, OsStr};
    use std::os::unix::ffi::OsStrExt;

    let mut buf: Vec<libc::c_char> = vec![0; 1024];
    loop {
        // SAFETY: every pointer refers to live, writable memory of the
        // stated size; getpwuid_r fills `pwd` with pointers into `buf`.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = unsafe {
            libc::getpwuid_r(
                libc::geteuid(),
                &mut pwd,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < (1 << 20) {
            let len = buf.len() * 2;
            buf.resize(len, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success pw_name and pw_dir are NUL-terminated strings
        // inside `buf`, which is still alive.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) }
            .to_str()
            .ok()?
            .to_string();
        let home = if pwd.pw_dir.is_null() {
            PathBuf::new()
        } else {
            PathBuf::from(OsStr::from_bytes(
                unsafe { CStr::from_ptr(pwd.pw_dir) }.to_bytes(),
            ))
        };
        return Some((name, home));
    }
}

#[cfg(not(unix))]
fn os_account() -> Option<(String, PathBuf)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "Sup3rS3cretPW";

    /// Parse with an injected environment and fixed built-in defaults: the
    /// default host is the socket directory, the OS user is "osuser", and
    /// there is no home directory (so no password file unless PGPASSFILE).
    fn parse_in(conninfo: &str, env: &[(&str, &str)]) -> Result<Config> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let env = move |k: &str| env.get(k).cloned();
        let default_host = || DEFAULT_SOCKET_DIR.to_string();
        let os_user = || Some("osuser".to_string());
        let os_home = || None;
        parse_with_sources(
            conninfo,
            &Sources {
                env: &env,
                default_host: &default_host,
                os_user: &os_user,
                os_home: &os_home,
            },
        )
    }

    fn ok(conninfo: &str) -> Config {
        match parse_in(conninfo, &[]) {
            Ok(c) => c,
            Err(e) => panic!("{:?} failed: {}", conninfo, e),
        }
    }

    fn err(conninfo: &str) -> Error {
        match parse_in(conninfo, &[]) {
            Ok(c) => panic!("{:?} parsed: {:?}", conninfo, c),
            Err(e) => e,
        }
    }

    fn hp(host: &str, port: u16) -> HostPort {
        HostPort {
            host: host.to_string(),
            port,
        }
    }

    #[test]
    fn key_value_basic() {
        let c = ok("host=db1 port=5433 dbname=app user=alice password=pw \
                    connect_timeout=10 application_name=svc options=-cgeqo=off sslmode=disable");
        assert_eq!(c.hosts, vec![hp("db1", 5433)]);
        assert_eq!(c.dbname, "app");
        assert_eq!(c.user, "alice");
        assert_eq!(c.password.as_deref(), Some("pw"));
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(10)));
        assert_eq!(c.application_name.as_deref(), Some("svc"));
        assert_eq!(c.options.as_deref(), Some("-cgeqo=off"));
        assert_eq!(c.sslmode, SslMode::Disable);
        assert_eq!(c.attrs, Attributes::default());
    }

    #[test]
    fn key_value_spacing_and_quotes() {
        let c = ok("  host = db1\tport= 5433 \n dbname ='my db' options='-c search_path=a,b'  ");
        assert_eq!(c.hosts, vec![hp("db1", 5433)]);
        assert_eq!(c.dbname, "my db");
        assert_eq!(c.options.as_deref(), Some("-c search_path=a,b"));
        // A value ends at white space; a quote only counts at the start.
        let c = ok("dbname=it's user=x");
        assert_eq!(c.dbname, "it's");
    }

    #[test]
    fn key_value_escapes() {
        let c = ok(r"application_name='it\'s a \\ test' dbname=a\ b user=x\\y");
        assert_eq!(c.application_name.as_deref(), Some(r"it's a \ test"));
        assert_eq!(c.dbname, "a b");
        assert_eq!(c.user, r"x\y");
        // Multi-byte characters survive escaping.
        let c = ok(r"dbname='caf\é' user=\€");
        assert_eq!(c.dbname, "café");
        assert_eq!(c.user, "€");
    }

    #[test]
    fn key_value_empty_values() {
        let c = ok("application_name='' options='' user=bob");
        assert_eq!(c.application_name, None);
        assert_eq!(c.options, None);
        assert_eq!(c.user, "bob");
        // `key=` followed by white space takes the next word as its value (libpq).
        let c = ok("dbname= user=bob");
        assert_eq!(c.dbname, "user=bob");
        let c = ok("dbname=");
        assert_eq!(c.dbname, "osuser");
        // The empty string: all defaults.
        let c = ok("");
        assert_eq!(c.hosts, vec![hp(DEFAULT_SOCKET_DIR, 5432)]);
        assert_eq!(c.user, "osuser");
        assert_eq!(c.dbname, "osuser");
        assert_eq!(c.password, None);
        assert_eq!(c.sslmode, SslMode::Prefer);
    }

    #[test]
    fn key_value_syntax_errors() {
        for bad in [
            "garbage",
            "host",
            "host=a port",
            "=x",
            " = ",
            "host='db1",
            r"host='db1\'",
        ] {
            let e = err(bad);
            assert_eq!(e.status, Status::ConninfoSyntax, "{:?}: {}", bad, e);
        }
        let e = err("host=a port 5432");
        assert!(e.message.contains("\"port\""), "{}", e);
        assert!(e.message.contains("position 8"), "{}", e);
        let e = err("host=a dbname='x");
        assert!(e.message.contains("unterminated"), "{}", e);
        assert!(e.message.contains("position 15"), "{}", e);
        assert_eq!(err("host=a\0").status, Status::ConninfoSyntax);
    }

    #[test]
    fn uri_basic() {
        let c = ok("postgresql://alice:pw@db1:5433/app?connect_timeout=5&application_name=svc");
        assert_eq!(c.hosts, vec![hp("db1", 5433)]);
        assert_eq!(c.user, "alice");
        assert_eq!(c.password.as_deref(), Some("pw"));
        assert_eq!(c.dbname, "app");
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(5)));
        assert_eq!(c.application_name.as_deref(), Some("svc"));
        let c = ok("postgres://db1");
        assert_eq!(c.hosts, vec![hp("db1", 5432)]);
        assert_eq!(c.dbname, "osuser");
        let c = ok("postgresql://");
        assert_eq!(c.hosts, vec![hp(DEFAULT_SOCKET_DIR, 5432)]);
        let c = ok("  POSTGRESQL://bob@/db?  ");
        assert_eq!((c.user.as_str(), c.dbname.as_str()), ("bob", "db"));
        // '@' in the query is not user info.
        let c = ok("postgresql://db1?application_name=a@b");
        assert_eq!(c.hosts, vec![hp("db1", 5432)]);
        assert_eq!(c.application_name.as_deref(), Some("a@b"));
        // User without password, password without user.
        let c = ok("postgresql://:pw@db1");
        assert_eq!(
            (c.user.as_str(), c.password.as_deref()),
            ("osuser", Some("pw"))
        );
    }

    #[test]
    fn uri_percent_decoding() {
        let c = ok("postgresql://us%40er:p%3Aw%2F@%2Ftmp%2Fsock/my%20db?options=-c%20x%3Dy");
        assert_eq!(c.user, "us@er");
        assert_eq!(c.password.as_deref(), Some("p:w/"));
        assert_eq!(c.hosts, vec![hp("/tmp/sock", 5432)]);
        assert_eq!(c.dbname, "my db");
        assert_eq!(c.options.as_deref(), Some("-c x=y"));
        let c = ok("postgresql://h/caf%C3%A9?application_name=%e2%82%ac");
        assert_eq!(c.dbname, "café");
        assert_eq!(c.application_name.as_deref(), Some("€"));
        for bad in [
            "postgresql://h/db%zz",
            "postgresql://h/db%4",
            "postgresql://h/db%",
            "postgresql://h/db%00",
            "postgresql://h/db%FF",
            "postgresql://h/db?application_name=a=b",
            "postgresql://h/db?application_name",
            "postgresql://h/db?&a=b",
        ] {
            assert_eq!(err(bad).status, Status::ConninfoSyntax, "{}", bad);
        }
        let e = err("postgresql://h/db%zz");
        assert!(e.message.contains("position 18"), "{}", e);
    }

    #[test]
    fn uri_ipv6() {
        let c = ok("postgresql://[::1]:5433,[fe80::1%25eth0]/db");
        assert_eq!(c.hosts, vec![hp("::1", 5433), hp("fe80::1%eth0", 5432)]);
        let c = ok("postgresql://u@[2001:db8::7]?sslmode=allow");
        assert_eq!(c.hosts, vec![hp("2001:db8::7", 5432)]);
        assert_eq!(c.sslmode, SslMode::Allow);
        for bad in [
            "postgresql://[::1",
            "postgresql://[]/db",
            "postgresql://[::1]x/db",
        ] {
            assert_eq!(err(bad).status, Status::ConninfoSyntax, "{}", bad);
        }
        assert!(err("postgresql://[::1]x/db").message.contains("'x'"));
        // The key=value form takes the address as it is.
        assert_eq!(ok("host=::1").hosts, vec![hp("::1", 5432)]);
    }

    #[test]
    fn multi_host_pairing() {
        // One port for all hosts.
        let c = ok("host=a,b port=6000");
        assert_eq!(c.hosts, vec![hp("a", 6000), hp("b", 6000)]);
        // As many ports as hosts: paired.
        let c = ok("host=a,b port=6000,6001");
        assert_eq!(c.hosts, vec![hp("a", 6000), hp("b", 6001)]);
        // Empty entries take the defaults.
        let c = ok("host=,b port=6000,");
        assert_eq!(c.hosts, vec![hp(DEFAULT_SOCKET_DIR, 6000), hp("b", 5432)]);
        let c = ok("host=/tmp,localhost port='5432, 5433'");
        assert_eq!(c.hosts, vec![hp("/tmp", 5432), hp("localhost", 5433)]);
        // URI form, ports per host.
        let c = ok("postgresql://a:6000,b/db");
        assert_eq!(c.hosts, vec![hp("a", 6000), hp("b", 5432)]);
        let c = ok("postgresql://:5432,:5433");
        assert_eq!(
            c.hosts,
            vec![hp(DEFAULT_SOCKET_DIR, 5432), hp(DEFAULT_SOCKET_DIR, 5433)]
        );
        // Mismatched counts.
        let e = err("host=a,b port=1,2,3");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("3 port numbers to 2 hosts"), "{}", e);
        assert_eq!(err("host=a port=1,2").status, Status::InvalidAttributeValue);
    }

    #[test]
    fn port_errors() {
        for bad in [
            "port=0",
            "port=65536",
            "port=abc",
            "port=-1",
            "port=54x32",
            "port=99999999999",
        ] {
            let e = err(bad);
            assert_eq!(e.status, Status::InvalidAttributeValue, "{}", bad);
            assert!(e.message.contains(&bad[5..]), "{}", e);
        }
        assert_eq!(
            err("postgresql://h:0/db").status,
            Status::InvalidAttributeValue
        );
        assert_eq!(
            err("postgresql://h:x/db").status,
            Status::InvalidAttributeValue
        );
        assert_eq!(ok("port=' 65535 '").hosts[0].port, 65535);
        assert_eq!(ok("port=1").hosts[0].port, 1);
        let e = err("host=a port=5432,zz");
        assert!(e.message.contains("position 8"), "{}", e);
    }

    #[test]
    fn host_count_and_duplicates() {
        let e = err("host=a,b,c");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("one primary and one standby"), "{}", e);
        assert_eq!(
            err("postgresql://a,b,c/db").status,
            Status::InvalidAttributeValue
        );
        let e = err("host=a,a");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("listed twice"), "{}", e);
        assert_eq!(
            err("host=db,DB port=5,5").status,
            Status::InvalidAttributeValue
        );
        // Default host twice with the default port.
        assert_eq!(err("host=,").status, Status::InvalidAttributeValue);
        // Same host, different ports: two servers.
        assert_eq!(ok("host=a,a port=1,2").hosts.len(), 2);
    }

    #[test]
    fn hostaddr() {
        let c = ok("hostaddr=10.0.0.1,::1");
        assert_eq!(c.hosts, vec![hp("10.0.0.1", 5432), hp("::1", 5432)]);
        // Both: hostaddr gives the address, an empty one falls back to host.
        let c = ok("host=a,b hostaddr=10.0.0.1, port=7");
        assert_eq!(c.hosts, vec![hp("10.0.0.1", 7), hp("b", 7)]);
        let e = err("host=a,b hostaddr=10.0.0.1");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("2 host names to 1 hostaddr"), "{}", e);
        let e = err("hostaddr=db.example.com");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("db.example.com"), "{}", e);
    }

    #[test]
    fn unknown_keys() {
        let e = err("host=a bogus=1");
        assert_eq!(e.status, Status::UnknownAttribute);
        assert!(e.message.contains("\"bogus\""), "{}", e);
        assert!(e.message.contains("position 8"), "{}", e);
        let e = err("postgresql://h/db?Frobnicate=1");
        assert_eq!(e.status, Status::UnknownAttribute);
        assert!(e.message.contains("Frobnicate"), "{}", e);
        let e = err("service=prod");
        assert_eq!(e.status, Status::UnknownAttribute);
        assert!(e.message.contains("not supported by pgtc"), "{}", e);
        // Unknown keys are errors even when a later pair would be fine.
        assert_eq!(err("x= host=a").status, Status::UnknownAttribute);
    }

    #[test]
    fn keys_are_case_insensitive() {
        let c = ok(
            "HOST=a Port=6 DBName=d preferred_access=read_mostly AutoCommit=off \
                    txn_isolation='repeatable read'",
        );
        assert_eq!(c.hosts, vec![hp("a", 6)]);
        assert_eq!(c.dbname, "d");
        assert_eq!(c.attrs.preferred_access, Access::ReadMostly);
        assert!(!c.attrs.autocommit);
        assert_eq!(c.attrs.txn_isolation, Isolation::RepeatableRead);
        let c = ok("postgresql://h/db?PREFERRED_ACCESS=READ_MOSTLY&TXN_ISOLATION=serializable");
        assert_eq!(c.attrs.preferred_access, Access::ReadMostly);
        assert_eq!(c.attrs.txn_isolation, Isolation::Serializable);
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let c = ok("host=a host=b user=x USER=y autocommit=maybe autocommit=off");
        assert_eq!(c.hosts, vec![hp("b", 5432)]);
        assert_eq!(c.user, "y");
        assert!(!c.attrs.autocommit);
        let c = ok("postgresql://u1@h1/d1?user=u2&host=h2&dbname=d2&dbname=d3");
        assert_eq!(c.user, "u2");
        assert_eq!(c.hosts, vec![hp("h2", 5432)]);
        assert_eq!(c.dbname, "d3");
    }

    #[test]
    fn parse_attr_values() {
        use Attr::*;
        assert_eq!(
            parse_attr("preferred_access", " read_mostly "),
            Ok(PreferredAccess(Access::ReadMostly))
        );
        assert_eq!(
            parse_attr("PREFERRED_ACCESS", "Write_Mostly"),
            Ok(PreferredAccess(Access::WriteMostly))
        );
        for (v, b) in [
            ("ON", true),
            ("off", false),
            ("true", true),
            ("False", false),
            ("1", true),
            ("0", false),
            ("yes", true),
            ("NO", false),
        ] {
            assert_eq!(parse_attr("autocommit", v), Ok(Autocommit(b)), "{}", v);
        }
        for (v, i) in [
            ("READ_COMMITTED", Isolation::ReadCommitted),
            ("read committed", Isolation::ReadCommitted),
            ("READ_UNCOMMITTED", Isolation::ReadCommitted),
            ("Read Uncommitted", Isolation::ReadCommitted),
            ("repeatable_read", Isolation::RepeatableRead),
            ("REPEATABLE  READ", Isolation::RepeatableRead),
            ("serializable", Isolation::Serializable),
        ] {
            assert_eq!(parse_attr("Txn_Isolation", v), Ok(TxnIsolation(i)), "{}", v);
        }
        let e = parse_attr("AUTOCOMMIT", "maybe").unwrap_err();
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(
            e.message.contains("maybe") && e.message.contains("ON, OFF"),
            "{}",
            e
        );
        let e = parse_attr("PREFERRED_ACCESS", "").unwrap_err();
        assert!(e.message.contains("READ_MOSTLY, WRITE_MOSTLY"), "{}", e);
        let e = parse_attr("TXN_ISOLATION", "snapshot").unwrap_err();
        assert!(e.message.contains("SERIALIZABLE"), "{}", e);
        let e = parse_attr("LOAD_BALANCE", "on").unwrap_err();
        assert_eq!(e.status, Status::UnknownAttribute);
        assert!(e.message.contains("LOAD_BALANCE"), "{}", e);
        assert!(
            e.message
                .contains("PREFERRED_ACCESS, AUTOCOMMIT, TXN_ISOLATION"),
            "{}",
            e
        );
    }

    #[test]
    fn bad_attribute_values_in_conninfo() {
        let e = err("host=a TXN_ISOLATION=chaos");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(
            e.message.contains("chaos") && e.message.contains("position 8"),
            "{}",
            e
        );
        let e = err("postgresql://h?autocommit=sometimes");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        // Empty means the default.
        assert!(ok("autocommit=").attrs.autocommit);
    }

    #[test]
    fn sslmode_encoding_session_attrs() {
        assert_eq!(ok("sslmode=prefer").sslmode, SslMode::Prefer);
        assert_eq!(ok("sslmode=ALLOW").sslmode, SslMode::Allow);
        for mode in ["require", "verify-ca", "verify-full"] {
            let e = err(&format!("sslmode={}", mode));
            assert_eq!(e.status, Status::InvalidAttributeValue);
            assert!(e.message.contains("TLS is not supported by pgtc"), "{}", e);
        }
        let e = err("postgresql://h/db?ssl=true");
        assert!(e.message.contains("TLS is not supported"), "{}", e);
        assert_eq!(
            err("sslmode=sometimes").status,
            Status::InvalidAttributeValue
        );
        assert!(ok("client_encoding=UTF8").hosts.len() == 1);
        assert!(ok("client_encoding=utf-8").hosts.len() == 1);
        let e = err("client_encoding=LATIN1");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("LATIN1"), "{}", e);
        assert!(ok("target_session_attrs=any").hosts.len() == 1);
        let e = err("target_session_attrs=read-write");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(
            e.message.contains("per statement") || e.message.contains("for each statement"),
            "{}",
            e
        );
    }

    #[test]
    fn integers() {
        assert_eq!(ok("connect_timeout=0").connect_timeout, None);
        assert_eq!(ok("connect_timeout=-3").connect_timeout, None);
        assert_eq!(
            ok("connect_timeout=' 7 '").connect_timeout,
            Some(Duration::from_secs(7))
        );
        let e = err("connect_timeout=soon");
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(
            e.message.contains("connect_timeout") && e.message.contains("soon"),
            "{}",
            e
        );
        assert!(
            ok(
                "keepalives=1 keepalives_idle=30 keepalives_interval=5 keepalives_count=3 \
                    tcp_user_timeout=1000"
            )
            .hosts
            .len()
                == 1
        );
        assert_eq!(
            err("keepalives_count=many").status,
            Status::InvalidAttributeValue
        );
        assert_eq!(
            err("tcp_user_timeout=9999999999").status,
            Status::InvalidAttributeValue
        );
    }

    #[test]
    fn application_name_fallback() {
        assert_eq!(
            ok("fallback_application_name=fb")
                .application_name
                .as_deref(),
            Some("fb")
        );
        assert_eq!(
            ok("fallback_application_name=fb application_name=app")
                .application_name
                .as_deref(),
            Some("app")
        );
        let c = parse_in("fallback_application_name=fb", &[("PGAPPNAME", "envapp")]).unwrap();
        assert_eq!(c.application_name.as_deref(), Some("envapp"));
    }

    #[test]
    fn environment_defaults() {
        let env = [
            ("PGHOST", "e1,e2"),
            ("PGPORT", "7000"),
            ("PGUSER", "envuser"),
            ("PGPASSWORD", SECRET),
            ("PGDATABASE", "envdb"),
            ("PGAPPNAME", "envapp"),
            ("PGCONNECT_TIMEOUT", "9"),
            ("PGOPTIONS", "-c work_mem=1MB"),
            ("PGSSLMODE", "disable"),
        ];
        let c = parse_in("", &env).unwrap();
        assert_eq!(c.hosts, vec![hp("e1", 7000), hp("e2", 7000)]);
        assert_eq!(c.user, "envuser");
        assert_eq!(c.password.as_deref(), Some(SECRET));
        assert_eq!(c.dbname, "envdb");
        assert_eq!(c.application_name.as_deref(), Some("envapp"));
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(9)));
        assert_eq!(c.options.as_deref(), Some("-c work_mem=1MB"));
        assert_eq!(c.sslmode, SslMode::Disable);
        // The connection string wins over the environment.
        let c = parse_in("postgresql://u@h:1/d?sslmode=allow", &env).unwrap();
        assert_eq!(c.hosts, vec![hp("h", 1)]);
        assert_eq!((c.user.as_str(), c.dbname.as_str()), ("u", "d"));
        assert_eq!(c.sslmode, SslMode::Allow);
        // PGPORT applies to a URI whose hosts have no ports.
        let c = parse_in("postgresql://a,b", &env).unwrap();
        assert_eq!(c.hosts, vec![hp("a", 7000), hp("b", 7000)]);
        // An explicitly empty value suppresses the environment (libpq).
        let c = parse_in("host='' user=''", &env).unwrap();
        assert_eq!(c.hosts, vec![hp(DEFAULT_SOCKET_DIR, 7000)]);
        assert_eq!(c.user, "osuser");
        // PGHOSTADDR, and errors name the variable.
        let c = parse_in("", &[("PGHOSTADDR", "127.0.0.1")]).unwrap();
        assert_eq!(c.hosts, vec![hp("127.0.0.1", 5432)]);
        let e = parse_in("", &[("PGPORT", "x")]).unwrap_err();
        assert!(e.message.contains("PGPORT"), "{}", e);
        let e = parse_in("", &[("PGSSLMODE", "require")]).unwrap_err();
        assert!(e.message.contains("PGSSLMODE"), "{}", e);
    }

    #[test]
    fn builtin_defaults() {
        let localhost = || DEFAULT_TCP_HOST.to_string();
        let no_user = || None;
        let no_home = || None;
        let run = |conninfo: &str, env: &dyn Fn(&str) -> Option<String>| {
            parse_with_sources(
                conninfo,
                &Sources {
                    env,
                    default_host: &localhost,
                    os_user: &no_user,
                    os_home: &no_home,
                },
            )
        };
        let c = run("", &|_| None).unwrap();
        assert_eq!(c.hosts, vec![hp("localhost", 5432)]);
        assert_eq!(c.user, "postgres");
        assert_eq!(c.dbname, "postgres");
        let c = run("port=6", &|k| (k == "USER").then(|| "envuser".to_string())).unwrap();
        assert_eq!(c.hosts, vec![hp("localhost", 6)]);
        assert_eq!((c.user.as_str(), c.dbname.as_str()), ("envuser", "envuser"));
    }

    #[test]
    fn parse_with_env_uses_the_injected_environment() {
        let env = |k: &str| match k {
            "PGHOST" => Some("envhost".to_string()),
            "PGUSER" => Some("envuser".to_string()),
            "PGPASSFILE" => Some("/nonexistent/pgtc/pgpass".to_string()),
            _ => None,
        };
        let c = parse_with_env("dbname=d", &env).unwrap();
        assert_eq!(c.hosts, vec![hp("envhost", 5432)]);
        assert_eq!(c.user, "envuser");
        assert_eq!(c.password, None);
    }

    #[test]
    fn pgpass_fields() {
        let data = b"# comment:*:*:*:nope\n\
                     \n\
                     other:*:*:*:wrong\n\
                     db\\:1:5432:app:al\\\\ice:p\\:w\\\\d:ignored\r\n\
                     *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_match(data, "db:1", "5432", "app", r"al\ice").as_deref(),
            Some(r"p:w\d")
        );
        assert_eq!(
            pgpass_match(data, "db", "5432", "app", "x").as_deref(),
            Some("fallback")
        );
        assert_eq!(
            pgpass_match(b"h:1:d:u:pw", "h", "1", "d", "u").as_deref(),
            Some("pw")
        );
        assert_eq!(pgpass_match(b"h:1:d:u:pw", "h", "2", "d", "u"), None);
        // "*" is a wildcard only as a whole field.
        assert_eq!(pgpass_match(b"h*:1:d:u:pw", "hx", "1", "d", "u"), None);
        assert_eq!(pgpass_match(b"h:1:d", "h", "1", "d", "u"), None);
        assert_eq!(pgpass_match(b"", "h", "1", "d", "u"), None);
    }

    #[cfg(unix)]
    fn temp_file(tag: &str, contents: &str, mode: u32) -> PathBuf {
        use std::io::Write;
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!(
            "pgtc-conninfo-{}-{}-{}-{}",
            tag,
            std::process::id(),
            nanos,
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .unwrap();
        f.write_all(contents.as_bytes()).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[cfg(unix)]
    #[test]
    fn pgpass_file() {
        let path = temp_file(
            "pgpass",
            "db1:5432:app:alice:first\n\
             localhost:*:*:bob:viasocket\n\
             *:6000:*:*:anyhost\n",
            0o600,
        );
        let file = path.to_str().unwrap();
        let env = [("PGPASSFILE", file)];
        let pw = |conninfo: &str| parse_in(conninfo, &env).unwrap().password;
        assert_eq!(
            pw("host=db1 dbname=app user=alice").as_deref(),
            Some("first")
        );
        // Matched against the first host only.
        assert_eq!(
            pw("host=db1,db2 dbname=app user=alice").as_deref(),
            Some("first")
        );
        assert_eq!(pw("host=db2,db1 dbname=app user=alice"), None);
        // The default socket directory matches "localhost".
        assert_eq!(pw("user=bob").as_deref(), Some("viasocket"));
        assert_eq!(pw("host=/tmp user=bob"), None);
        assert_eq!(pw("host=x port=6000").as_deref(), Some("anyhost"));
        // With hostaddr, the host name is what is looked up.
        assert_eq!(
            pw("host=db1 hostaddr=10.1.1.1 dbname=app user=alice").as_deref(),
            Some("first")
        );
        // A given password wins; an empty one does not count.
        assert_eq!(
            pw("host=db1 dbname=app user=alice password=given").as_deref(),
            Some("given")
        );
        assert_eq!(
            pw("host=db1 dbname=app user=alice password=''").as_deref(),
            Some("first")
        );
        std::fs::remove_file(&path).unwrap();

        // HOME/.pgpass is the default location.
        let home = temp_file("home", "", 0o600);
        std::fs::remove_file(&home).unwrap();
        std::fs::create_dir(&home).unwrap();
        let pgpass = home.join(".pgpass");
        std::fs::rename(temp_file("dot", "*:*:*:alice:fromhome\n", 0o600), &pgpass).unwrap();
        let env = [("HOME", home.to_str().unwrap())];
        let c = parse_in("user=alice host=db1 dbname=app", &env).unwrap();
        assert_eq!(c.password.as_deref(), Some("fromhome"));
        std::fs::remove_file(&pgpass).unwrap();
        std::fs::remove_dir(&home).unwrap();

        // Group/world access: ignored, like libpq.
        let open = temp_file("pgpass-open", "*:*:*:*:leaked\n", 0o644);
        let env = [("PGPASSFILE", open.to_str().unwrap())];
        assert_eq!(parse_in("", &env).unwrap().password, None);
        std::fs::remove_file(&open).unwrap();

        // A missing file or a directory is no error.
        let env = [("PGPASSFILE", "/nonexistent/pgtc/pgpass")];
        assert_eq!(parse_in("", &env).unwrap().password, None);
        let tmp = std::env::temp_dir();
        let env = [("PGPASSFILE", tmp.to_str().unwrap())];
        assert_eq!(parse_in("", &env).unwrap().password, None);
    }

    #[test]
    fn errors_never_show_the_password() {
        let cases = [
            format!("password={} host=a port=0", SECRET),
            format!("password='{}", SECRET),
            format!("password = {} bogus=1", SECRET),
            format!("password=abc {} host=a", SECRET),
            format!("password=abc {}=x", SECRET),
            format!("password={} sslmode=require", SECRET),
            format!("password={} host=a,a", SECRET),
            format!("postgresql://u:{}%zz@h/db", SECRET),
            format!("postgresql://u:{}%00@h/db", SECRET),
            format!("postgresql://u:{}%FF@h/db", SECRET),
            format!("postgresql://u:{}@h:99999/db", SECRET),
            format!("postgresql://u:{}@[::1/db", SECRET),
            format!("postgresql://h/db?password={}%zz", SECRET),
            format!("postgresql://h/db?password={}=x", SECRET),
            format!("postgresql://h/db?password={}&x", SECRET),
        ];
        for case in &cases {
            let e = err(case);
            assert!(!e.message.contains(SECRET), "{:?} -> {}", case, e);
        }
        let e = parse_in("port=x", &[("PGPASSWORD", SECRET)]).unwrap_err();
        assert!(!e.message.contains(SECRET), "{}", e);
    }

    #[test]
    fn redacted_hides_the_password_and_round_trips() {
        let c = ok(
            r"host=/tmp,db2 port=5432,5433 user=alice password=s3cr3t dbname='my db' connect_timeout=4 application_name='it\'s' options='-c a=b\\c' sslmode=allow PREFERRED_ACCESS=READ_MOSTLY AUTOCOMMIT=off TXN_ISOLATION=serializable",
        );
        let r = c.redacted();
        assert!(!r.contains("s3cr3t"), "{}", r);
        assert!(r.contains("password=********"), "{}", r);
        assert!(r.contains("host=/tmp,db2 port=5432,5433"), "{}", r);
        assert!(r.contains("PREFERRED_ACCESS=READ_MOSTLY"), "{}", r);
        let mut back = ok(&r);
        assert_eq!(back.password.as_deref(), Some(PASSWORD_MASK));
        back.password = c.password.clone();
        assert_eq!(back, c);
        // Without a password there is no password key at all.
        let c = ok("postgresql://h/db");
        assert!(!c.redacted().contains("password"));
        assert_eq!(ok(&c.redacted()), c);
    }

    /// xorshift64*: deterministic, no dependencies.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn garbage_never_panics() {
        const PIECES: &[&str] = &[
            "postgresql://",
            "postgres://",
            "host",
            "hostaddr",
            "port",
            "user",
            "password",
            "dbname",
            "PREFERRED_ACCESS",
            "autocommit",
            "txn_isolation",
            "sslmode",
            "=",
            "'",
            "\\",
            " ",
            "\t",
            "\n",
            "@",
            ":",
            "/",
            "?",
            "&",
            "[",
            "]",
            "%",
            "%2",
            "%41",
            "%00",
            "%zz",
            "%C3",
            ",",
            "::1",
            "5432",
            "0",
            "65536",
            "-1",
            "a",
            "b",
            "é",
            "€",
            "\u{0}",
            "#",
            "*",
            "read_mostly",
            "on",
            "require",
            "127.0.0.1",
            "''",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..20_000 {
            let mut s = String::new();
            if round % 4 == 0 {
                // Raw bytes, made into text.
                let bytes: Vec<u8> = (0..rng.below(40)).map(|_| rng.next() as u8).collect();
                s = String::from_utf8_lossy(&bytes).into_owned();
            } else {
                if round % 4 == 1 {
                    s.push_str(["postgresql://", "postgres://"][rng.below(2)]);
                }
                for _ in 0..rng.below(24) {
                    s.push_str(PIECES[rng.below(PIECES.len())]);
                }
            }
            let result = std::panic::catch_unwind(|| parse_in(&s, &[]));
            match result {
                Err(_) => panic!("parser panicked on {:?}", s),
                Ok(Ok(c)) => {
                    assert!(!c.hosts.is_empty() && c.hosts.len() <= MAX_HOSTS, "{:?}", s);
                    assert!(c.hosts.iter().all(|h| h.port != 0), "{:?}", s);
                }
                Ok(Err(e)) => assert!(
                    matches!(
                        e.status,
                        Status::ConninfoSyntax
                            | Status::UnknownAttribute
                            | Status::InvalidAttributeValue
                    ),
                    "{:?}: {:?}",
                    s,
                    e
                ),
            }
            // Attribute parsing too.
            let _ = parse_attr(&s, &s);
        }
    }
}

#[cfg(test)]
mod debug_tests {
    #[test]
    fn debug_output_hides_the_password() {
        let c = super::parse_with_env("host=h user=u password=s3cr3t dbname=d", &|_| None).unwrap();
        let shown = format!("{:?}", c);
        assert!(!shown.contains("s3cr3t"), "{}", shown);
        assert!(shown.contains("user=u"), "{}", shown);
    }
}

#[cfg(test)]
mod consistency_attr_tests {
    use super::*;

    #[test]
    fn consistency_share_and_monitor_attributes() {
        assert_eq!(
            parse_attr("consistency", "wait").unwrap(),
            Attr::Consistency(Consistency::Wait)
        );
        assert_eq!(
            parse_attr("CONSISTENCY", " FAST ").unwrap(),
            Attr::Consistency(Consistency::Fast)
        );
        assert_eq!(
            parse_attr("Consistency_Wait_Ms", "250").unwrap(),
            Attr::ConsistencyWaitMs(250)
        );
        assert_eq!(
            parse_attr("PRIMARY_SHARE", "0").unwrap(),
            Attr::PrimaryShare(0)
        );
        assert_eq!(
            parse_attr("PRIMARY_SHARE", "100").unwrap(),
            Attr::PrimaryShare(100)
        );
        assert_eq!(
            parse_attr("MONITOR_INTERVAL_MS", "5").unwrap(),
            Attr::MonitorIntervalMs(5)
        );
        for (name, bad) in [
            ("CONSISTENCY", "eventually"),
            ("CONSISTENCY_WAIT_MS", "-1"),
            ("CONSISTENCY_WAIT_MS", "60001"),
            ("PRIMARY_SHARE", "101"),
            ("PRIMARY_SHARE", "half"),
            ("MONITOR_INTERVAL_MS", "0"),
        ] {
            let e = parse_attr(name, bad).unwrap_err();
            assert_eq!(e.status, Status::InvalidAttributeValue, "{} {}", name, bad);
        }
        let c = parse_with_env(
            "host=h user=u consistency=WAIT consistency_wait_ms=300 primary_share=40 monitor_interval_ms=20",
            &|_| None,
        )
        .unwrap();
        assert_eq!(c.attrs.consistency, Consistency::Wait);
        assert_eq!(
            (
                c.attrs.consistency_wait_ms,
                c.attrs.primary_share,
                c.attrs.monitor_interval_ms
            ),
            (300, 40, 20)
        );
        let d = parse_with_env("host=h user=u", &|_| None).unwrap();
        assert_eq!(
            (
                d.attrs.consistency,
                d.attrs.consistency_wait_ms,
                d.attrs.primary_share,
                d.attrs.monitor_interval_ms
            ),
            (Consistency::Fast, 1000, 100, 10)
        );
        assert!(parse_attr("NOPE", "1")
            .unwrap_err()
            .message
            .contains("MONITOR_INTERVAL_MS"));
    }
}
