//! Tests of the connection-string parser as a whole: attributes, errors that
//! must not show the password, redaction and a fuzz-style garbage run.

use super::*;
use std::collections::HashMap;

pub(super) const SECRET: &str = "Sup3rS3cretPW";

/// Parse with an injected environment and fixed built-in defaults: the
/// default host is the socket directory, the OS user is "osuser", and
/// there is no home directory (so no password file unless PGPASSFILE).
pub(super) fn parse_in(conninfo: &str, env: &[(&str, &str)]) -> Result<Config> {
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

pub(super) fn ok(conninfo: &str) -> Config {
    match parse_in(conninfo, &[]) {
        Ok(c) => c,
        Err(e) => panic!("{:?} failed: {}", conninfo, e),
    }
}

pub(super) fn err(conninfo: &str) -> Error {
    match parse_in(conninfo, &[]) {
        Ok(c) => panic!("{:?} parsed: {:?}", conninfo, c),
        Err(e) => e,
    }
}

pub(super) fn hp(host: &str, port: u16) -> HostPort {
    HostPort {
        host: host.to_string(),
        port,
    }
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
fn errors_never_show_the_password() {
    let cases = [
        format!("password={} host=a port=0", SECRET),
        format!("password='{}", SECRET),
        format!("password = {} bogus=1", SECRET),
        format!("password=abc {} host=a", SECRET),
        format!("password=abc {}=x", SECRET),
        format!("password={} sslmode=verify-any", SECRET),
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

#[test]
fn debug_output_hides_the_password() {
    let c = super::parse_with_env("host=h user=u password=s3cr3t dbname=d", &|_| None).unwrap();
    let shown = format!("{:?}", c);
    assert!(!shown.contains("s3cr3t"), "{}", shown);
    assert!(shown.contains("user=u"), "{}", shown);
}

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
