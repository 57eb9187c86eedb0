//! The keys a connection string may hold (libpq's, then pgtc's attributes
//! from `attr::TABLE`), and `Settings`: the raw values found for them,
//! with where each came from, before defaults and validation.

use super::show;
use crate::attr;
use crate::error::{Error, Result, Status};
use std::collections::HashMap;
use std::fmt;

/// A key a connection string may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Key {
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
    SslRootCert,
    SslCertFile,
    SslKeyFile,
    SslNegotiation,
    ChannelBinding,
    ClientEncoding,
    Keepalives,
    KeepalivesIdle,
    KeepalivesInterval,
    KeepalivesCount,
    TcpUserTimeout,
    TargetSessionAttrs,
    /// pgtc's per-server weights, aligned with the host list.
    HostWeights,
    /// One of pgtc's attributes: its index in `attr::TABLE`.
    Attr(u8),
}

/// libpq's keys, in the order error messages list them (pgtc's
/// attributes follow, see `all_keys`).
const LIBPQ_KEYS: [Key; 23] = [
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
    Key::SslRootCert,
    Key::SslCertFile,
    Key::SslKeyFile,
    Key::SslNegotiation,
    Key::ChannelBinding,
    Key::ClientEncoding,
    Key::Keepalives,
    Key::KeepalivesIdle,
    Key::KeepalivesInterval,
    Key::KeepalivesCount,
    Key::TcpUserTimeout,
    Key::TargetSessionAttrs,
];

/// pgtc's attributes as keys, in the order of `attr::TABLE`.
pub(super) fn attr_keys() -> impl Iterator<Item = Key> {
    (0..attr::TABLE.len()).map(|i| Key::Attr(i as u8))
}

/// Every key a connection string may hold.
pub(super) fn all_keys() -> impl Iterator<Item = Key> {
    LIBPQ_KEYS
        .into_iter()
        .chain(attr_keys())
        .chain([Key::HostWeights])
}

/// libpq connection options pgtc does not implement: named as such in the
/// error rather than as unknown.
const UNSUPPORTED_LIBPQ_KEYS: &[&str] = &[
    "service",
    "passfile",
    "require_auth",
    "requiressl",
    "sslcompression",
    "sslkeylogfile",
    "sslpassword",
    "sslcertmode",
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
    pub(super) fn name(self) -> &'static str {
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
            Key::SslRootCert => "sslrootcert",
            Key::SslCertFile => "sslcert",
            Key::SslKeyFile => "sslkey",
            Key::SslNegotiation => "sslnegotiation",
            Key::ChannelBinding => "channel_binding",
            Key::ClientEncoding => "client_encoding",
            Key::Keepalives => "keepalives",
            Key::KeepalivesIdle => "keepalives_idle",
            Key::KeepalivesInterval => "keepalives_interval",
            Key::KeepalivesCount => "keepalives_count",
            Key::TcpUserTimeout => "tcp_user_timeout",
            Key::TargetSessionAttrs => "target_session_attrs",
            Key::HostWeights => "HOST_WEIGHTS",
            Key::Attr(i) => attr::TABLE[usize::from(i)].name,
        }
    }

    /// The value must never be shown (`redacted` masks it).
    pub(super) fn secret(self) -> bool {
        match self {
            Key::Password => true,
            Key::Attr(i) => attr::TABLE[usize::from(i)].secret,
            _ => false,
        }
    }

    /// The libpq environment variable that supplies the default.
    pub(super) fn env_var(self) -> Option<&'static str> {
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
            Key::SslRootCert => Some("PGSSLROOTCERT"),
            Key::SslCertFile => Some("PGSSLCERT"),
            Key::SslKeyFile => Some("PGSSLKEY"),
            Key::SslNegotiation => Some("PGSSLNEGOTIATION"),
            Key::ChannelBinding => Some("PGCHANNELBINDING"),
            _ => None,
        }
    }

    pub(super) fn lookup(name: &str) -> Option<Key> {
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

/// Where a value came from, for error messages.
#[derive(Debug, Clone, Copy)]
pub(super) enum Origin {
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
pub(super) struct Setting {
    pub(super) value: String,
    pub(super) origin: Origin,
}

#[derive(Debug, Default)]
pub(super) struct Settings {
    pub(super) map: HashMap<Key, Setting>,
}

impl Settings {
    /// Store `value` under the key spelled `key` (last one wins).
    pub(super) fn store(&mut self, key: &str, value: String, pos: usize) -> Result<()> {
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

    pub(super) fn get(&self, key: Key) -> Option<&Setting> {
        self.map.get(&key)
    }

    /// The setting when present and not empty.
    pub(super) fn nonempty(&self, key: Key) -> Option<&Setting> {
        self.get(key).filter(|s| !s.value.is_empty())
    }

    /// The trimmed value when present and not blank (for enumerations and
    /// integers, where an empty value means "the default").
    pub(super) fn word(&self, key: Key) -> Option<(&str, Origin)> {
        self.get(key)
            .map(|s| (s.value.trim(), s.origin))
            .filter(|(v, _)| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::tests::*;
    use crate::conninfo::*;
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
}
