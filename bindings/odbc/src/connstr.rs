//! ODBC connection strings: `Key=Value;…` pairs (values optionally in
//! braces, where `}}` stands for `}`), mapped onto pgtc's conninfo.

use std::fmt::Write;

/// One parsed connection string: its pairs in order, keys as written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Adds `key` unless the string already has it (a DSN's keys fill in
    /// what the connection string leaves out).
    pub fn add_default(&mut self, key: &str, value: &str) {
        if self.get(key).is_none() {
            self.0.push((key.to_string(), value.to_string()));
        }
    }
}

/// Splits `Key=Value;…`. An empty pair (`;;`) is skipped; a pair without
/// `=`, an empty key or an unclosed brace is an error.
pub fn parse(s: &str) -> Result<Pairs, String> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] == b';' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && b[i] != b'=' && b[i] != b';' {
            i += 1;
        }
        let key = s[start..i].trim();
        if i >= b.len() || b[i] != b'=' {
            return Err(format!("connection string: \"{}\" has no '='", key));
        }
        if key.is_empty() {
            return Err("connection string: a value without a key".to_string());
        }
        i += 1;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let value = if i < b.len() && b[i] == b'{' {
            i += 1;
            let mut v = String::new();
            let mut closed = false;
            let mut seg = i;
            while i < b.len() {
                if b[i] == b'}' {
                    v.push_str(&s[seg..i]);
                    if i + 1 < b.len() && b[i + 1] == b'}' {
                        v.push('}');
                        i += 2;
                        seg = i;
                        continue;
                    }
                    i += 1;
                    closed = true;
                    break;
                }
                i += 1;
            }
            if !closed {
                return Err(format!(
                    "connection string: the value of {} has no closing '}}'",
                    key
                ));
            }
            while i < b.len() && b[i] != b';' {
                if !b[i].is_ascii_whitespace() {
                    return Err(format!(
                        "connection string: text after the closing '}}' of {}",
                        key
                    ));
                }
                i += 1;
            }
            v
        } else {
            let vs = i;
            while i < b.len() && b[i] != b';' {
                i += 1;
            }
            s[vs..i].trim_end().to_string()
        };
        out.push((key.to_string(), value));
    }
    Ok(Pairs(out))
}

/// ODBC (and psqlODBC) key names with the libpq key they stand for.
const ALIASES: &[(&str, &str)] = &[
    ("server", "host"),
    ("servername", "host"),
    ("port", "port"),
    ("database", "dbname"),
    ("uid", "user"),
    ("username", "user"),
    ("pwd", "password"),
    ("password", "password"),
    ("sslmode", "sslmode"),
];

/// Keys the driver manager or the driver itself consumes: never sent on.
const CONSUMED: &[&str] = &["driver", "dsn", "filedsn", "savefile", "description"];

fn quote(v: &str) -> String {
    let mut q = String::with_capacity(v.len() + 2);
    q.push('\'');
    for c in v.chars() {
        if c == '\'' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('\'');
    q
}

/// The pgtc conninfo for these pairs: ODBC names mapped to libpq's, the
/// driver manager's own keys dropped, every other key passed on as it
/// is (pgtc rejects, naming it, any key it does not know). A key given
/// twice keeps its first value, as ODBC says.
pub fn to_conninfo(p: &Pairs) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut out = String::new();
    for (k, v) in &p.0 {
        let lower = k.to_ascii_lowercase();
        if CONSUMED.contains(&lower.as_str()) {
            continue;
        }
        let name = ALIASES
            .iter()
            .find(|(a, _)| *a == lower)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| k.clone());
        let norm = name.to_ascii_lowercase();
        if seen.contains(&norm) {
            continue;
        }
        seen.push(norm);
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{}={}", name, quote(v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_braces() {
        let p =
            parse("Driver={pgtc ODBC};Server=h1,h2; Port=5432,5433;PWD={a;b}}c};;UID=u").unwrap();
        assert_eq!(p.get("driver"), Some("pgtc ODBC"));
        assert_eq!(p.get("SERVER"), Some("h1,h2"));
        assert_eq!(p.get("port"), Some("5432,5433"));
        assert_eq!(p.get("pwd"), Some("a;b}c"));
        assert_eq!(p.get("uid"), Some("u"));
        assert_eq!(p.0.len(), 5);
    }

    #[test]
    fn malformed_strings() {
        assert!(parse("Server").unwrap_err().contains("Server"));
        assert!(parse("=x").is_err());
        assert!(parse("PWD={abc").unwrap_err().contains("PWD"));
        assert!(parse("PWD={abc}x;").is_err());
        assert_eq!(parse("").unwrap(), Pairs::default());
    }

    #[test]
    fn conninfo_mapping() {
        let p = parse(
            "DSN=x;Driver=y;Servername=h;Port=1;Database=d b;Username=o'k;Password=p\\w;\
             PREFERRED_ACCESS=READ_MOSTLY;UID=ignored;Bogus=1",
        )
        .unwrap();
        assert_eq!(
            to_conninfo(&p),
            "host='h' port='1' dbname='d b' user='o\\'k' password='p\\\\w' \
             PREFERRED_ACCESS='READ_MOSTLY' Bogus='1'"
        );
    }

    #[test]
    fn unknown_key_is_named_by_pgtc() {
        let p = parse("Server=localhost;Port=1;Frobnicate=1").unwrap();
        let e = pgtc::conninfo::parse(&to_conninfo(&p)).unwrap_err();
        assert!(e.message.contains("Frobnicate"), "{}", e.message);
    }
}
