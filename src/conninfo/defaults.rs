//! What the connection string leaves out, as libpq fills it in: the `PG*`
//! environment variables, the OS user name and home directory, built-in
//! defaults; then validation of each setting and the resulting `Config`.

use super::hosts::{resolve_hosts, resolve_weights};
use super::keys::{all_keys, attr_keys, Key, Origin, Setting, Settings};
use super::pgpass::pgpass_lookup;
use super::tls::resolve_tls;
use super::{invalid_value, parse_attr, show, Attributes, Config};
use crate::error::{Error, Result};
use std::path::PathBuf;
use std::time::Duration;

/// Everything outside the connection string that defaults may come from.
pub(super) struct Sources<'a> {
    pub(super) env: &'a dyn Fn(&str) -> Option<String>,
    /// The host of an empty host entry.
    pub(super) default_host: &'a dyn Fn() -> String,
    /// The OS user name (getpwuid_r(geteuid())).
    pub(super) os_user: &'a dyn Fn() -> Option<String>,
    /// The home directory from the password database (when HOME is unset).
    pub(super) os_home: &'a dyn Fn() -> Option<PathBuf>,
}

impl Sources<'_> {
    pub(super) fn env_nonempty(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }
}

/// Apply the environment and built-in defaults, validate, build the Config.
pub(super) fn resolve(mut set: Settings, src: &Sources<'_>) -> Result<Config> {
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

    let mut tls = resolve_tls(&set, src)?;
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

    let (hosts, pgpass_host, named) = resolve_hosts(&set, src)?;
    let weights = resolve_weights(&set, hosts.len())?;

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
    tls.server_names = named;

    Ok(Config {
        hosts,
        user,
        password,
        dbname,
        connect_timeout,
        application_name,
        options,
        tls,
        attrs,
        weights,
    })
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

/// The effective user's name and home directory from the password database.
#[cfg(unix)]
pub(super) fn os_account() -> Option<(String, PathBuf)> {
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
pub(super) fn os_account() -> Option<(String, PathBuf)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::tests::*;
    use crate::conninfo::*;
    #[test]
    fn sslmode_encoding_session_attrs() {
        assert_eq!(ok("sslmode=prefer").tls.mode, SslMode::Prefer);
        assert_eq!(ok("sslmode=ALLOW").tls.mode, SslMode::Allow);
        assert_eq!(ok("sslmode=require").tls.mode, SslMode::Require);
        // libpq's JDBC compatibility: ssl=true means sslmode=require.
        assert_eq!(ok("postgresql://h/db?ssl=true").tls.mode, SslMode::Require);
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
        assert_eq!(c.tls.mode, SslMode::Disable);
        // The connection string wins over the environment.
        let c = parse_in("postgresql://u@h:1/d?sslmode=allow", &env).unwrap();
        assert_eq!(c.hosts, vec![hp("h", 1)]);
        assert_eq!((c.user.as_str(), c.dbname.as_str()), ("u", "d"));
        assert_eq!(c.tls.mode, SslMode::Allow);
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
        let c = parse_in("", &[("PGSSLMODE", "verify-ca")]).unwrap();
        assert_eq!(c.tls.mode, SslMode::VerifyCa);
        let e = parse_in("", &[("PGSSLMODE", "sometimes")]).unwrap_err();
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
}
