//! The `postgresql://` URI form of a connection string (libpq's
//! conninfo_uri_parse): user and password, a host list with ports and
//! IPv6 brackets, the database name and `?key=value` parameters, all
//! percent-decoded.

use super::keys::Settings;
use super::{position, show, syntax_error};
use crate::error::Result;

const URI_PREFIXES: [&str; 2] = ["postgresql://", "postgres://"];

/// Length of the URI scheme prefix at the start of `s` (any case), or 0.
pub(super) fn uri_prefix_len(s: &str) -> usize {
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
pub(super) fn parse_uri(
    full: &str,
    start: usize,
    end: usize,
    settings: &mut Settings,
) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use crate::conninfo::tests::*;
    use crate::conninfo::*;
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
        assert_eq!(c.tls.mode, SslMode::Allow);
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
}
