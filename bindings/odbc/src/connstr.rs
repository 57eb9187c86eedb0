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

/// What a key of an ODBC connection string does.
#[derive(Debug, Clone, Copy)]
pub enum Does {
    /// Stands for this libpq key (its value as it is).
    Libpq(&'static str),
    /// Stands for this pgtc attribute, its value translated.
    Pgtc(&'static str, fn(&str) -> Result<String, String>),
    /// Read by the driver itself.
    Driver(Own),
    /// Accepted, with no effect: pgtc always behaves as the reason says.
    NoEffect(&'static str),
    /// Accepted with a value meaning what pgtc does (0, or the listed
    /// values); any other value is an error saying why.
    OnlyOff(&'static [&'static str], &'static str),
    /// Consumed by the driver manager or the driver: never sent on.
    Consumed,
    /// Refused, saying why.
    Refused(&'static str),
}

/// The driver's own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Own {
    Fetch,
    UseDeclareFetch,
    ConnSettings,
    Pqopt,
    BoolsAsChar,
    MaxVarcharSize,
    MaxLongVarcharSize,
    TextAsLongVarchar,
    UnknownsAsLongVarchar,
    UnknownSizes,
    ByteaAsLongVarBinary,
}

/// One key: its names (the first is the one documented; psqlODBC's
/// abbreviations follow) and what it does.
pub struct KeySpec {
    pub names: &'static [&'static str],
    pub does: Does,
}

const fn k(names: &'static [&'static str], does: Does) -> KeySpec {
    KeySpec { names, does }
}

/// Every ODBC and psqlODBC key pgtc's driver knows (psqlODBC's list,
/// with the abbreviations it writes, and ODBC's own). Any other key is
/// passed on to pgtc, which takes its attributes and libpq's keys and
/// rejects every other key, naming it.
pub const KEYS: &[KeySpec] = &[
    k(&["Driver"], Does::Consumed),
    k(&["DSN"], Does::Consumed),
    k(&["FILEDSN"], Does::Consumed),
    k(&["SAVEFILE"], Does::Consumed),
    k(&["Description"], Does::Consumed),
    k(&["Servername", "Server"], Does::Libpq("host")),
    k(&["Port"], Does::Libpq("port")),
    k(&["Database", "DX"], Does::Libpq("dbname")),
    k(&["Username", "UID"], Does::Libpq("user")),
    k(&["Password", "PWD"], Does::Libpq("password")),
    k(&["SSLmode", "CA"], Does::Pgtc("sslmode", sslmode)),
    k(&["KeepaliveTime", "D1"], Does::Libpq("keepalives_idle")),
    k(
        &["KeepaliveInterval", "D2"],
        Does::Libpq("keepalives_interval"),
    ),
    k(&["ReadOnly", "A0"], Does::Pgtc("READ_ONLY", on_off)),
    k(&["Protocol", "A1"], Does::Pgtc("ON_ERROR", protocol)),
    k(&["ConnSettings", "A6"], Does::Driver(Own::ConnSettings)),
    k(&["pqopt", "D5"], Does::Driver(Own::Pqopt)),
    k(&["Fetch", "A7"], Does::Driver(Own::Fetch)),
    k(
        &["UseDeclareFetch", "B6"],
        Does::Driver(Own::UseDeclareFetch),
    ),
    k(&["BoolsAsChar", "B9"], Does::Driver(Own::BoolsAsChar)),
    k(&["MaxVarcharSize", "B0"], Does::Driver(Own::MaxVarcharSize)),
    k(
        &["MaxLongVarcharSize", "B1"],
        Does::Driver(Own::MaxLongVarcharSize),
    ),
    k(
        &["TextAsLongVarchar", "B7"],
        Does::Driver(Own::TextAsLongVarchar),
    ),
    k(
        &["UnknownsAsLongVarchar", "B8"],
        Does::Driver(Own::UnknownsAsLongVarchar),
    ),
    k(&["UnknownSizes", "A9"], Does::Driver(Own::UnknownSizes)),
    k(
        &["ByteaAsLongVarBinary", "C7"],
        Does::Driver(Own::ByteaAsLongVarBinary),
    ),
    k(
        &["UseServerSidePrepare", "C8"],
        Does::NoEffect("statements with parameters are always prepared on the server"),
    ),
    k(
        &["Parse", "C0"],
        Does::NoEffect("result columns are always described by the server, without executing"),
    ),
    k(
        &["DisallowPremature", "C3"],
        Does::NoEffect("a prepared statement is described without being executed"),
    ),
    k(
        &["UpdatableCursors", "C4"],
        Does::NoEffect(
            "cursors are read-only: SQLSetPos and SQLBulkOperations are not exported, \
             as SQLGetFunctions says",
        ),
    ),
    k(
        &["Debug", "B2"],
        Does::NoEffect("pgtc logs through RUST_LOG, not to files"),
    ),
    k(
        &["CommLog", "B3"],
        Does::NoEffect("pgtc logs through RUST_LOG, not to files"),
    ),
    k(
        &["Logdir"],
        Does::NoEffect("pgtc logs through RUST_LOG, not to files"),
    ),
    k(
        &["Optimizer", "B4"],
        Does::NoEffect("obsolete in psqlODBC too; use ConnSettings"),
    ),
    k(&["Ksqo", "B5"], Does::NoEffect("obsolete in psqlODBC too")),
    k(&["UniqueIndex"], Does::NoEffect("obsolete in psqlODBC too")),
    k(
        &["BatchSize", "D8"],
        Does::NoEffect("parameter arrays are sent as pgtc sends them"),
    ),
    k(
        &["OptionalErrors", "D7"],
        Does::NoEffect("errors of optional features are always reported"),
    ),
    k(
        &["XaOpt", "D4"],
        Does::NoEffect("Windows' distributed transactions do not exist here"),
    ),
    k(
        &["Dtclog"],
        Does::NoEffect("Windows' distributed transactions do not exist here"),
    ),
    k(
        &["ExtraSysTablePrefixes", "C2"],
        Does::NoEffect("system tables are those of pg_catalog and information_schema"),
    ),
    k(
        &["ShowSystemTables", "A5"],
        Does::OnlyOff(&["0"], "system tables are not listed"),
    ),
    k(
        &["CancelAsFreeStmt", "C1"],
        Does::OnlyOff(&["0"], "SQLCancel only cancels"),
    ),
    k(
        &["FakeOidIndex", "A2"],
        Does::OnlyOff(&["0"], "there is no oid index to fake"),
    ),
    k(
        &["ShowOidColumn", "A3"],
        Does::OnlyOff(&["0"], "oid columns are not shown"),
    ),
    k(
        &["RowVersioning", "A4"],
        Does::OnlyOff(&["0"], "cursors are read-only"),
    ),
    k(
        &["Lie"],
        Does::OnlyOff(&["0"], "SQLGetFunctions answers what is exported"),
    ),
    k(
        &["LFConversion", "C5"],
        Does::OnlyOff(&["0"], "text is returned as stored"),
    ),
    k(
        &["TrueIsMinus1", "C6"],
        Does::OnlyOff(&["0"], "true reads 1"),
    ),
    k(
        &["LowerCaseIdentifier", "C9"],
        Does::OnlyOff(&["0"], "identifiers keep their case"),
    ),
    k(
        &["IgnoreTimeout", "D9"],
        Does::OnlyOff(&["0"], "SQL_ATTR_QUERY_TIMEOUT is honoured"),
    ),
    k(
        &["FetchRefcursors", "DA"],
        Does::OnlyOff(&["0"], "refcursors are returned as names"),
    ),
    k(&["BI"], Does::OnlyOff(&["0", "-5"], "bigint is SQL_BIGINT")),
    k(
        &["NumericAs", "D6"],
        Does::OnlyOff(&["-101", "2"], "numeric is SQL_NUMERIC"),
    ),
    k(
        &["CX"],
        Does::Refused("psqlODBC's abbreviated option bits are not read: give each key by name"),
    ),
    k(
        &["AB"],
        Does::Refused("psqlODBC's extra option bits are not read: give each key by name"),
    ),
    k(
        &["TranslationName"],
        Does::Refused("translation DLLs are Windows' only"),
    ),
    k(
        &["TranslationDLL"],
        Does::Refused("translation DLLs are Windows' only"),
    ),
    k(
        &["TranslationOption"],
        Does::Refused("translation DLLs are Windows' only"),
    ),
];

/// The entry of key `name` (case-insensitive), if it is one of `KEYS`.
pub fn lookup(name: &str) -> Option<&'static KeySpec> {
    KEYS.iter()
        .find(|s| s.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// psqlODBC's 0/1 (pgtc's words accepted too).
fn flag(key: &str, v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "on" | "true" | "yes" => Ok(true),
        "0" | "off" | "false" | "no" => Ok(false),
        _ => Err(format!(
            "invalid value {:?} for key {}: allowed values are 0 and 1",
            v, key
        )),
    }
}

fn on_off(v: &str) -> Result<String, String> {
    flag("ReadOnly", v).map(|b| if b { "ON" } else { "OFF" }.to_string())
}

/// psqlODBC's `Protocol`: a version (ignored, as psqlODBC ignores it) and
/// `-N`, the rollback-on-error level: 0 (PostgreSQL's behaviour) and 1
/// (the transaction is lost) are ROLLBACK_TRANSACTION, 2 is
/// ROLLBACK_STATEMENT; no level leaves the driver's default.
fn protocol(v: &str) -> Result<String, String> {
    match v.split_once('-').map(|(_, l)| l.trim()) {
        None => Ok(String::new()),
        Some("0") | Some("1") => Ok("ROLLBACK_TRANSACTION".into()),
        Some("2") => Ok("ROLLBACK_STATEMENT".into()),
        Some(_) => Err(format!(
            "invalid value {:?} for key Protocol: the rollback-on-error level after '-' is 0, 1 or 2",
            v
        )),
    }
}

/// `SSLmode`: libpq's names, or the letters psqlODBC abbreviates them to.
fn sslmode(v: &str) -> Result<String, String> {
    let names = [
        "disable",
        "allow",
        "prefer",
        "require",
        "verify-ca",
        "verify-full",
    ];
    let l = v.trim().to_ascii_lowercase();
    if names.contains(&l.as_str()) {
        return Ok(l);
    }
    Ok(match l.as_str() {
        "d" => "disable",
        "a" => "allow",
        "p" => "prefer",
        "r" => "require",
        "vc" => "verify-ca",
        "vf" => "verify-full",
        _ => return Ok(v.to_string()), // pgtc names the bad value
    }
    .to_string())
}

/// What the driver takes from a connection string for itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Driver {
    pub options: crate::types::Options,
    /// Rows per batch of a streamed result; None leaves the default.
    pub fetch: Option<usize>,
    /// SQL run once connected (`ConnSettings`).
    pub conn_settings: Option<String>,
}

fn number(key: &str, v: &str) -> Result<usize, String> {
    v.trim()
        .parse::<usize>()
        .map_err(|_| format!("invalid value {:?} for key {}: a whole number", v, key))
}

/// The pgtc conninfo for these pairs and what the driver keeps: ODBC's
/// and psqlODBC's names mapped to libpq's and pgtc's, the driver's own
/// keys taken out, every other key passed on as it is (pgtc rejects,
/// naming it, any key it does not know). A key given twice keeps its
/// first value, as ODBC says. Errors name the key.
///
/// ON_ERROR is ROLLBACK_STATEMENT unless the string says otherwise
/// (psqlODBC's default).
pub fn translate(p: &Pairs) -> Result<(String, Driver), String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = String::new();
    let mut drv = Driver::default();
    let mut fetch = None;
    let mut declare = None;
    let mut pqopt = String::new();
    let push = |out: &mut String, seen: &mut Vec<String>, name: &str, v: &str| {
        let norm = name.to_ascii_lowercase();
        if seen.contains(&norm) {
            return;
        }
        seen.push(norm);
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{}={}", name, quote(v));
    };
    for (key, v) in &p.0 {
        let Some(spec) = lookup(key) else {
            push(&mut out, &mut seen, key, v);
            continue;
        };
        let first = spec.names[0];
        let own = format!("odbc:{}", first.to_ascii_lowercase());
        if seen.contains(&own) {
            continue;
        }
        seen.push(own);
        let own_key = matches!(
            spec.does,
            Does::Driver(_) | Does::OnlyOff(..) | Does::NoEffect(_) | Does::Pgtc(..)
        );
        if own_key && v.trim().is_empty() {
            // An empty value in an odbc.ini: the default, as psqlODBC
            // reads it.
            continue;
        }
        match spec.does {
            Does::Consumed | Does::NoEffect(_) => {}
            Does::Libpq(name) => push(&mut out, &mut seen, name, v),
            Does::Pgtc(name, f) => {
                let t = f(v)?;
                if !t.is_empty() {
                    push(&mut out, &mut seen, name, &t);
                }
            }
            Does::OnlyOff(ok, why) => {
                // psqlODBC's setup writes Yes/No for its flags.
                let off = ok == ["0"] && flag(key, v) == Ok(false);
                if !off && !ok.contains(&v.trim()) {
                    return Err(format!(
                        "key {}={} is not supported: {} (accepted: {})",
                        key,
                        v,
                        why,
                        ok.join(", ")
                    ));
                }
            }
            Does::Refused(why) => return Err(format!("key {} is not supported: {}", key, why)),
            Does::Driver(o) => {
                let opt = &mut drv.options;
                match o {
                    Own::Fetch => fetch = Some(number(key, v)?),
                    Own::UseDeclareFetch => declare = Some(flag(key, v)?),
                    Own::ConnSettings => {
                        drv.conn_settings = Some(v.clone()).filter(|s| !s.trim().is_empty())
                    }
                    Own::Pqopt => pqopt = v.clone(),
                    Own::BoolsAsChar => opt.bools_as_char = flag(key, v)?,
                    Own::MaxVarcharSize => {
                        opt.max_varchar = Some(number(key, v)?).filter(|n| *n > 0)
                    }
                    Own::MaxLongVarcharSize => {
                        opt.max_longvarchar = Some(number(key, v)?).filter(|n| *n > 0)
                    }
                    Own::TextAsLongVarchar => opt.text_as_longvarchar = flag(key, v)?,
                    Own::UnknownsAsLongVarchar => opt.unknowns_as_longvarchar = flag(key, v)?,
                    Own::ByteaAsLongVarBinary => opt.bytea_as_longvarbinary = flag(key, v)?,
                    Own::UnknownSizes => {
                        if v.trim() != "0" {
                            return Err(format!(
                                "key {}={} is not supported: sizes of unbounded columns are \
                                 MaxVarcharSize / MaxLongVarcharSize when given, else \
                                 PostgreSQL's limit (accepted: 0)",
                                key, v
                            ));
                        }
                    }
                }
            }
        }
    }
    drv.fetch = match (declare, fetch) {
        (Some(false), _) => Some(0),
        (_, Some(n)) => Some(n),
        (Some(true), None) => Some(100),
        (None, None) => None,
    };
    if !seen.iter().any(|s| s == "on_error") {
        push(&mut out, &mut seen, "ON_ERROR", "ROLLBACK_STATEMENT");
    }
    if !pqopt.trim().is_empty() {
        // libpq's own syntax, read by pgtc's conninfo parser.
        out.push(' ');
        out.push_str(pqopt.trim());
    }
    Ok((out, drv))
}

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

    fn conninfo(s: &str) -> String {
        translate(&parse(s).unwrap()).unwrap().0
    }

    #[test]
    fn conninfo_mapping() {
        assert_eq!(
            conninfo(
                "DSN=x;Driver=y;Servername=h;Port=1;Database=d b;Username=o'k;Password=p\\w;\
                 PREFERRED_ACCESS=READ_MOSTLY;UID=ignored;Bogus=1"
            ),
            "host='h' port='1' dbname='d b' user='o\\'k' password='p\\\\w' \
             PREFERRED_ACCESS='READ_MOSTLY' Bogus='1' ON_ERROR='ROLLBACK_STATEMENT'"
        );
        // psqlODBC's abbreviations and its other spellings.
        assert_eq!(
            conninfo("server=h;DX=d;UID=u;PWD=p;CA=r;A0=1;A1=7.4-0;D1=30"),
            "host='h' dbname='d' user='u' password='p' sslmode='require' READ_ONLY='ON' \
             ON_ERROR='ROLLBACK_TRANSACTION' keepalives_idle='30'"
        );
        assert_eq!(
            conninfo("Protocol=7.4-2;ReadOnly=0;pqopt={sslrootcert=/x keepalives=1}"),
            "ON_ERROR='ROLLBACK_STATEMENT' READ_ONLY='OFF' sslrootcert=/x keepalives=1"
        );
        // A Protocol without a level leaves the default; ON_ERROR given
        // by name wins as any first key does.
        assert_eq!(conninfo("Protocol=7.4"), "ON_ERROR='ROLLBACK_STATEMENT'");
        assert_eq!(
            conninfo("ON_ERROR=ROLLBACK_TRANSACTION;Protocol=7.4-2"),
            "ON_ERROR='ROLLBACK_TRANSACTION'"
        );
        assert_eq!(
            conninfo("Parse=1;UseServerSidePrepare=0;UpdatableCursors=1;Debug=1;BI=0"),
            "ON_ERROR='ROLLBACK_STATEMENT'"
        );
    }

    #[test]
    fn driver_options_and_fetch() {
        let d = |s: &str| translate(&parse(s).unwrap()).unwrap().1;
        assert_eq!(d("").fetch, None);
        assert_eq!(d("Fetch=500").fetch, Some(500));
        assert_eq!(d("A7=0").fetch, Some(0));
        assert_eq!(d("UseDeclareFetch=1").fetch, Some(100));
        assert_eq!(d("UseDeclareFetch=1;Fetch=20").fetch, Some(20));
        assert_eq!(d("UseDeclareFetch=0;Fetch=20").fetch, Some(0));
        let o =
            d("BoolsAsChar=1;B0=255;MaxLongVarcharSize=8190;B7=0;B8=1;C7=0;UnknownSizes=0").options;
        assert!(o.bools_as_char && o.unknowns_as_longvarchar);
        assert!(!o.text_as_longvarchar && !o.bytea_as_longvarbinary);
        assert_eq!((o.max_varchar, o.max_longvarchar), (Some(255), Some(8190)));
        assert_eq!(d("").options, crate::types::Options::default());
        assert_eq!(
            d("ConnSettings={SET search_path=a;SET work_mem='8MB'}").conn_settings,
            Some("SET search_path=a;SET work_mem='8MB'".to_string())
        );
    }

    #[test]
    fn refused_keys_and_values_name_the_key() {
        let e = |s: &str| translate(&parse(s).unwrap()).unwrap_err();
        assert!(e("Fetch=many").contains("Fetch"));
        assert!(e("BoolsAsChar=2").contains("BoolsAsChar"));
        assert!(e("ShowOidColumn=1").contains("ShowOidColumn"));
        assert!(e("A3=1").contains("A3"));
        assert!(e("UnknownSizes=2").contains("UnknownSizes"));
        assert!(e("CX=1c305008b").contains("CX"));
        assert!(e("Protocol=7.4-9").contains("Protocol"));
        assert!(e("ShowOidColumn=Yes").contains("ShowOidColumn"));
        // What psqlODBC's setup writes into odbc.ini passes.
        let ok = "ReadOnly=No;ShowOidColumn=No;FakeOidIndex=No;RowVersioning=No;\
                  ShowSystemTables=No;Protocol=7.4;UseServerSidePrepare=1;BoolsAsChar=Yes;\
                  ConnSettings=;Fetch=;LFConversion=0;UpdatableCursors=Yes";
        let (c, d) = translate(&parse(ok).unwrap()).unwrap();
        assert_eq!(c, "READ_ONLY='OFF' ON_ERROR='ROLLBACK_STATEMENT'");
        assert!(d.options.bools_as_char);
        assert_eq!((d.fetch, d.conn_settings), (None, None));
    }

    #[test]
    fn the_key_table_has_distinct_names_and_every_one_is_documented() {
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
        )
        .unwrap();
        let mut all: Vec<String> = Vec::new();
        for spec in KEYS {
            for n in spec.names {
                let l = n.to_ascii_lowercase();
                assert!(!all.contains(&l), "{} twice", n);
                all.push(l);
            }
            if matches!(spec.does, Does::Consumed) {
                continue;
            }
            let row = format!("| `{}` |", spec.names[0]);
            assert!(readme.contains(&row), "README lacks a row {}", row);
        }
    }

    #[test]
    fn unknown_key_is_named_by_pgtc() {
        let c = conninfo("Server=localhost;Port=1;Frobnicate=1");
        let e = pgtc::conninfo::parse(&c).unwrap_err();
        assert!(e.message.contains("Frobnicate"), "{}", e.message);
        // Every libpq key pgtc takes, and its attributes, pass on.
        let c = conninfo("Server=localhost;sslrootcert=/x;connect_timeout=3;CONSISTENCY=WAIT");
        assert!(pgtc::conninfo::parse(&c).is_ok(), "{}", c);
    }
}
