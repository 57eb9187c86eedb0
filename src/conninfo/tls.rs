//! The TLS settings of a connection string — `sslmode`, `sslrootcert`,
//! `sslcert`, `sslkey`, `sslnegotiation`, `channel_binding` and their
//! `PGSSL*` / `PGCHANNELBINDING` defaults — checked together as libpq
//! checks them. Files are only named here; `wire` reads them when a
//! connection negotiates TLS.

use super::defaults::Sources;
use super::keys::{Key, Origin, Settings};
use super::{invalid_value, show, HostPort};
use crate::error::Result;
use std::path::PathBuf;

/// `sslmode`, as in libpq.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain first; TLS only when the server refuses a plain connection.
    Allow,
    /// TLS when the server offers it, plain otherwise (the default).
    Prefer,
    /// TLS or nothing; the certificate is checked only when a root
    /// certificate file exists (then as `VerifyCa`).
    Require,
    /// TLS with a certificate signed by a trusted CA.
    VerifyCa,
    /// As `VerifyCa`, and the certificate names the host connected to.
    VerifyFull,
}

impl SslMode {
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// The server's certificate must be signed by a trusted CA.
    pub fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }

    /// A connection without TLS is not acceptable.
    pub fn requires_tls(self) -> bool {
        matches!(
            self,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    }
}

/// `sslnegotiation`: how TLS starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslNegotiation {
    /// An SSLRequest first, as every PostgreSQL version understands.
    Postgres,
    /// The TLS handshake at once, with ALPN `postgresql` (PostgreSQL 17+).
    Direct,
}

/// `channel_binding`: SCRAM-SHA-256-PLUS with `tls-server-end-point`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelBinding {
    Disable,
    /// Used when the connection is TLS and the server offers it.
    Prefer,
    /// Authentication must be SCRAM with channel binding.
    Require,
}

/// Where trusted CA certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// No file: the server's certificate is not checked (only allowed
    /// below `verify-ca`).
    None,
    /// A PEM file of CA certificates.
    File(PathBuf),
    /// The operating system's store (`sslrootcert=system`).
    System,
}

/// A file setting: the path, and whether the connection string (or the
/// environment) named it rather than the `~/.postgresql` default. A named
/// file must exist; a default one is used only when it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFile {
    pub path: PathBuf,
    pub explicit: bool,
}

/// Everything a physical connection needs to set up TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    pub mode: SslMode,
    /// `sslrootcert` as resolved: a default `~/.postgresql/root.crt` that
    /// does not exist is `RootCert::None` (an error for verify-ca and
    /// verify-full once TLS is tried, as in libpq).
    pub rootcert: RootCert,
    /// Where the default root certificate file is looked for (for errors).
    pub default_rootcert: PathBuf,
    /// The `sslrootcert` value as given, for `redacted`.
    pub rootcert_given: Option<String>,
    pub cert: Option<TlsFile>,
    pub key: Option<TlsFile>,
    pub negotiation: SslNegotiation,
    pub channel_binding: ChannelBinding,
    /// The host name of each server given by `hostaddr` together with
    /// `host`: certificates are checked against that name.
    pub server_names: Vec<(HostPort, String)>,
}

impl Default for Tls {
    fn default() -> Tls {
        Tls {
            mode: SslMode::Prefer,
            rootcert: RootCert::None,
            default_rootcert: PathBuf::from("~/.postgresql/root.crt"),
            rootcert_given: None,
            cert: None,
            key: None,
            negotiation: SslNegotiation::Postgres,
            channel_binding: ChannelBinding::Prefer,
            server_names: Vec::new(),
        }
    }
}

impl Tls {
    /// The server's certificate chain is checked against trusted CAs.
    pub fn verifies_chain(&self) -> bool {
        self.rootcert != RootCert::None
    }

    /// The server's certificate must name the host connected to.
    pub fn verifies_name(&self) -> bool {
        self.mode == SslMode::VerifyFull
    }

    /// The name a server's certificate must hold: the `host` given for it.
    pub fn server_name<'a>(&'a self, addr: &'a HostPort) -> &'a str {
        self.server_names
            .iter()
            .find(|(a, _)| a == addr)
            .map_or(addr.host.as_str(), |(_, n)| n.as_str())
    }

    /// `(key, value)` pairs that parse back to these settings.
    pub(super) fn pairs(&self) -> Vec<(Key, String)> {
        let mut out = vec![(Key::SslMode, self.mode.name().to_string())];
        if let Some(r) = &self.rootcert_given {
            out.push((Key::SslRootCert, r.clone()));
        }
        for (key, f) in [(Key::SslCertFile, &self.cert), (Key::SslKeyFile, &self.key)] {
            if let Some(f) = f.as_ref().filter(|f| f.explicit) {
                out.push((key, f.path.to_string_lossy().into_owned()));
            }
        }
        if self.negotiation == SslNegotiation::Direct {
            out.push((Key::SslNegotiation, "direct".into()));
        }
        let cb = match self.channel_binding {
            ChannelBinding::Disable => "disable",
            ChannelBinding::Prefer => "prefer",
            ChannelBinding::Require => "require",
        };
        out.push((Key::ChannelBinding, cb.into()));
        out
    }
}

/// One of a fixed set of words (case-insensitive), or the default.
fn choice<T: Copy>(set: &Settings, key: Key, options: &[(&str, T)]) -> Result<Option<(T, Origin)>> {
    let Some((value, origin)) = set.word(key) else {
        return Ok(None);
    };
    for (name, v) in options {
        if value.eq_ignore_ascii_case(name) {
            return Ok(Some((*v, origin)));
        }
    }
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    Err(invalid_value(format!(
        "invalid {} value {} ({}); allowed values: {}",
        key.name(),
        show(value),
        origin,
        names.join(", ")
    )))
}

/// Resolve the TLS settings as libpq does.
pub(super) fn resolve_tls(set: &Settings, src: &Sources<'_>) -> Result<Tls> {
    use SslMode::*;
    let mode = choice(
        set,
        Key::SslMode,
        &[
            ("disable", Disable),
            ("allow", Allow),
            ("prefer", Prefer),
            ("require", Require),
            ("verify-ca", VerifyCa),
            ("verify-full", VerifyFull),
        ],
    )?;
    let negotiation = choice(
        set,
        Key::SslNegotiation,
        &[
            ("postgres", SslNegotiation::Postgres),
            ("direct", SslNegotiation::Direct),
        ],
    )?
    .map_or(SslNegotiation::Postgres, |(v, _)| v);
    let channel_binding = choice(
        set,
        Key::ChannelBinding,
        &[
            ("disable", ChannelBinding::Disable),
            ("prefer", ChannelBinding::Prefer),
            ("require", ChannelBinding::Require),
        ],
    )?
    .map_or(ChannelBinding::Prefer, |(v, _)| v);

    let home = || {
        src.env_nonempty("HOME")
            .map(PathBuf::from)
            .or_else(|| (src.os_home)())
            .map(|h| h.join(".postgresql"))
    };
    let file = |key: Key, default: &str| -> Option<TlsFile> {
        match set.nonempty(key) {
            Some(s) => Some(TlsFile {
                path: PathBuf::from(&s.value),
                explicit: true,
            }),
            None => home().map(|h| TlsFile {
                path: h.join(default),
                explicit: false,
            }),
        }
    };

    let rootcert_given = set.nonempty(Key::SslRootCert).map(|s| s.value.clone());
    let system = rootcert_given.as_deref() == Some("system");
    // libpq: sslrootcert=system defaults sslmode to verify-full and refuses
    // anything weaker (the system store trusts any name a public CA signed).
    let mode = match (mode, system) {
        (None, true) => VerifyFull,
        (Some((m, origin)), true) if m != VerifyFull => {
            return Err(invalid_value(format!(
            "weak sslmode {} ({}) may not be used with sslrootcert=system (use \"verify-full\")",
            show(m.name()),
            origin
        )))
        }
        (m, _) => m.map_or(Prefer, |(m, _)| m),
    };
    if negotiation == SslNegotiation::Direct && !mode.requires_tls() {
        return Err(invalid_value(format!(
            "weak sslmode {} may not be used with sslnegotiation=direct (use \"require\", \
             \"verify-ca\" or \"verify-full\")",
            show(mode.name())
        )));
    }
    let rootcert = if system {
        RootCert::System
    } else {
        match file(Key::SslRootCert, "root.crt") {
            Some(f) if f.explicit || f.path.is_file() => RootCert::File(f.path),
            _ => RootCert::None,
        }
    };
    Ok(Tls {
        mode,
        rootcert,
        default_rootcert: home().map_or_else(
            || PathBuf::from("~/.postgresql/root.crt"),
            |h| h.join("root.crt"),
        ),
        rootcert_given,
        cert: file(Key::SslCertFile, "postgresql.crt"),
        key: file(Key::SslKeyFile, "postgresql.key"),
        negotiation,
        channel_binding,
        server_names: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::tests::*;

    #[test]
    fn modes_and_their_checks() {
        for (text, mode) in [
            ("disable", SslMode::Disable),
            ("allow", SslMode::Allow),
            ("PREFER", SslMode::Prefer),
            ("require", SslMode::Require),
        ] {
            assert_eq!(ok(&format!("sslmode={}", text)).tls.mode, mode);
        }
        let t = ok("").tls;
        assert_eq!(t.mode, SslMode::Prefer);
        assert_eq!(t.negotiation, SslNegotiation::Postgres);
        assert_eq!(t.channel_binding, ChannelBinding::Prefer);
        assert_eq!(t.rootcert, RootCert::None);
        assert!(!t.verifies_chain());
        // verify-* without a root file parse; connecting over TCP fails
        // (see wire::tls), over a Unix socket the mode is ignored.
        assert_eq!(ok("sslmode=verify-ca").tls.rootcert, RootCert::None);
        let t = ok("sslmode=verify-ca sslrootcert=/x/ca.pem").tls;
        assert_eq!(t.rootcert, RootCert::File("/x/ca.pem".into()));
        assert!(t.verifies_chain() && !t.verifies_name());
        // require with a root certificate behaves as verify-ca.
        let t = ok("sslmode=require sslrootcert=/x/ca.pem").tls;
        assert!(t.verifies_chain() && !t.verifies_name());
        let t = ok("sslmode=verify-full sslrootcert=/x/ca.pem").tls;
        assert!(t.verifies_chain() && t.verifies_name());
        let e = err("sslmode=sometimes");
        assert!(e.message.contains("verify-full"), "{}", e);
    }

    #[test]
    fn system_roots_direct_and_channel_binding() {
        let t = ok("sslrootcert=system").tls;
        assert_eq!(
            (t.mode, t.rootcert),
            (SslMode::VerifyFull, RootCert::System)
        );
        for weak in ["require", "verify-ca", "prefer"] {
            let e = err(&format!("sslrootcert=system sslmode={}", weak));
            assert!(e.message.contains("weak sslmode"), "{}", e);
        }
        let t = ok("sslmode=require sslnegotiation=direct").tls;
        assert_eq!(t.negotiation, SslNegotiation::Direct);
        for weak in ["", "sslmode=prefer", "sslmode=disable"] {
            let e = err(&format!("{} sslnegotiation=direct", weak));
            assert!(e.message.contains("sslnegotiation=direct"), "{}", e);
        }
        assert!(err("sslnegotiation=tls")
            .message
            .contains("postgres, direct"));
        assert_eq!(
            ok("channel_binding=require").tls.channel_binding,
            ChannelBinding::Require
        );
        assert_eq!(
            ok("channel_binding=Disable").tls.channel_binding,
            ChannelBinding::Disable
        );
        assert!(err("channel_binding=maybe")
            .message
            .contains("disable, prefer, require"));
    }

    #[test]
    fn files_and_the_environment() {
        let env = [
            ("PGSSLMODE", "verify-full"),
            ("PGSSLROOTCERT", "/e/ca.pem"),
            ("PGSSLCERT", "/e/c.pem"),
            ("PGSSLKEY", "/e/k.pem"),
            ("PGSSLNEGOTIATION", "direct"),
            ("PGCHANNELBINDING", "require"),
        ];
        let t = parse_in("", &env).unwrap().tls;
        assert_eq!(t.mode, SslMode::VerifyFull);
        assert_eq!(t.rootcert, RootCert::File("/e/ca.pem".into()));
        let file = |p: &str| {
            Some(TlsFile {
                path: p.into(),
                explicit: true,
            })
        };
        assert_eq!(
            (t.cert.clone(), t.key.clone()),
            (file("/e/c.pem"), file("/e/k.pem"))
        );
        assert_eq!(t.negotiation, SslNegotiation::Direct);
        assert_eq!(t.channel_binding, ChannelBinding::Require);
        // The connection string wins.
        let t = parse_in("sslkey=/s/k.pem sslmode=require", &env)
            .unwrap()
            .tls;
        assert_eq!(t.key, file("/s/k.pem"));
        assert_eq!(t.mode, SslMode::Require);
        // Defaults live in ~/.postgresql; a missing default root file means
        // no verification.
        let t = parse_in("", &[("HOME", "/nonexistent-home")]).unwrap().tls;
        assert_eq!(t.rootcert, RootCert::None);
        let c = t.cert.unwrap();
        assert_eq!(
            c.path,
            PathBuf::from("/nonexistent-home/.postgresql/postgresql.crt")
        );
        assert!(!c.explicit);
        // Every setting survives `redacted`.
        let c = parse_in("", &env).unwrap();
        assert_eq!(parse_in(&c.redacted(), &[]).unwrap(), c);
        // hostaddr with host: the certificate must name the host.
        let c = ok("host=db.example,b hostaddr=10.0.0.1,10.0.0.2");
        assert_eq!(c.tls.server_name(&c.hosts[0]), "db.example");
        assert_eq!(c.tls.server_name(&c.hosts[1]), "b");
        let c = ok("host=a,b");
        assert_eq!(c.tls.server_name(&c.hosts[1]), "b");
    }
}
