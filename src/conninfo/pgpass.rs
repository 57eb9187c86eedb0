//! The password file (`PGPASSFILE` or `~/.pgpass`), read as libpq reads it:
//! ignored unless a plain file without group or world access; the first
//! line whose host, port, database and user match gives the password.

use super::defaults::Sources;
use super::{DEFAULT_SOCKET_DIR, DEFAULT_TCP_HOST};
use std::path::{Path, PathBuf};

/// The password for this server, database and user from the password file
/// `PGPASSFILE` names, or `~/.pgpass`; None when there is none.
pub(super) fn pgpass_lookup(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::tests::*;
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
}
