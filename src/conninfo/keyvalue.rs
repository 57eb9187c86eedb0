//! The `key=value` form of a connection string (libpq's conninfo_parse):
//! white space between pairs, single-quoted values with `\\` escapes.

use super::keys::{Key, Settings};
use super::{is_space, position, show, syntax_error};
use crate::error::{Error, Result, Status};

/// Read the pairs of `s` into `settings` (the last of a key wins).
pub(super) fn parse_key_value(s: &str, settings: &mut Settings) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::tests::*;
    use crate::conninfo::*;
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
        assert_eq!(c.tls.mode, SslMode::Disable);
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
        assert_eq!(c.tls.mode, SslMode::Prefer);
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
}
