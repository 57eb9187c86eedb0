//! TLS against real servers: a pair running with TLS (`pgtc-cluster create
//! --tls`, a test CA and a certificate for "localhost") and the shared pair
//! without TLS. sslmode's checks, client certificates, channel binding, and
//! every physical connection encrypted.

mod common;
#[path = "common/tls_pair.rs"]
mod tls_pair;

use common::{exec, serial, wait_for, Cluster, CATCH_UP};
use pgtc::{Session, Status};
use tls_pair::TlsPair;

fn open(conninfo: &str) -> Session {
    Session::open(conninfo).unwrap_or_else(|e| panic!("{}: {}", conninfo, e))
}

fn open_err(conninfo: &str) -> pgtc::Error {
    match Session::open(conninfo) {
        Ok(_) => panic!("{} opened", conninfo),
        Err(e) => e,
    }
}

/// Whether this session's primary connection is encrypted, as the server sees it.
fn encrypted(s: &mut Session) -> String {
    let r = exec(
        s,
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    );
    r.value(0, 0).unwrap().to_string()
}

#[test]
fn verify_full_checks_the_name_and_the_ca() {
    let _t = serial();
    let p = TlsPair::get();
    let ca = p.file("ca.crt");
    let mut s = open(&format!(
        "{} sslmode=verify-full sslrootcert={}",
        p.conninfo("localhost", "pgtc"),
        ca
    ));
    assert_eq!(encrypted(&mut s), "t");
    // The certificate names "localhost", not "127.0.0.1": both named.
    let e = open_err(&format!(
        "{} sslmode=verify-full sslrootcert={}",
        p.conninfo("127.0.0.1", "pgtc"),
        ca
    ));
    assert_eq!(e.status, Status::ConnectFailed, "{}", e);
    assert!(
        e.message.contains("\"localhost\"") && e.message.contains("\"127.0.0.1\""),
        "{}",
        e
    );
    assert!(e.message.contains("does not match host name"), "{}", e);
    assert_eq!(e.sqlstate, "08001");
    // hostaddr connects, host names the server for the check.
    let mut s = open(&format!(
        "host=localhost,localhost hostaddr=127.0.0.1,127.0.0.1 port={},{} user=pgtc \
         password=pgtc dbname=postgres sslmode=verify-full sslrootcert={}",
        p.standby_port, p.primary_port, ca
    ));
    assert_eq!(encrypted(&mut s), "t");
    // A CA that did not sign the server's certificate.
    let e = open_err(&format!(
        "{} sslmode=verify-full sslrootcert={}",
        p.conninfo("localhost", "pgtc"),
        p.file("other-ca.crt")
    ));
    assert!(e.message.contains("not trusted"), "{}", e);
    assert!(e.message.contains("other-ca.crt"), "{}", e);
    assert!(!e.message.contains("password"), "{}", e);
    // The operating system's roots do not hold the test CA.
    let e = open_err(&format!(
        "{} sslrootcert=system",
        p.conninfo("localhost", "pgtc")
    ));
    assert!(e.message.contains("system"), "{}", e);
    if std::path::Path::new("/etc/ssl/certs/ca-certificates.crt").exists() {
        assert!(e.message.contains("not trusted"), "{}", e);
    }
}

#[test]
fn verify_ca_and_require_with_a_root_file_ignore_the_name() {
    let _t = serial();
    let p = TlsPair::get();
    for mode in ["verify-ca", "require"] {
        let mut s = open(&format!(
            "{} sslmode={} sslrootcert={}",
            p.conninfo("127.0.0.1", "pgtc"),
            mode,
            p.file("ca.crt")
        ));
        assert_eq!(encrypted(&mut s), "t");
        // libpq: require with a root certificate file checks the chain.
        let e = open_err(&format!(
            "{} sslmode={} sslrootcert={}",
            p.conninfo("127.0.0.1", "pgtc"),
            mode,
            p.file("other-ca.crt")
        ));
        assert!(e.message.contains("not trusted"), "{}: {}", mode, e);
    }
    // require without a root file checks nothing but encrypts.
    let mut s = open(&format!(
        "{} sslmode=require",
        p.conninfo("127.0.0.1", "pgtc")
    ));
    assert_eq!(encrypted(&mut s), "t");
}

#[test]
fn require_fails_against_a_server_without_tls_and_prefer_falls_back() {
    let c = Cluster::shared();
    let e = open_err(&format!("{} sslmode=require", c.conninfo));
    assert_eq!(e.status, Status::ConnectFailed, "{}", e);
    assert!(e.message.contains("does not support TLS"), "{}", e);
    assert!(e.message.contains("sslmode=require"), "{}", e);
    // prefer (the default) connects without TLS to a server without it…
    for extra in ["", "sslmode=prefer", "sslmode=allow"] {
        let mut s = c.open(extra);
        assert_eq!(encrypted(&mut s), "f", "{}", extra);
    }
    drop(c);
    // …and with TLS to one that offers it; allow prefers plain.
    let _t = serial();
    let p = TlsPair::get();
    let mut s = open(&p.conninfo("127.0.0.1", "pgtc"));
    assert_eq!(encrypted(&mut s), "t");
    let mut s = open(&format!(
        "{} sslmode=allow",
        p.conninfo("127.0.0.1", "pgtc")
    ));
    assert_eq!(encrypted(&mut s), "f");
    let mut s = open(&format!(
        "{} sslmode=disable",
        p.conninfo("127.0.0.1", "pgtc")
    ));
    assert_eq!(encrypted(&mut s), "f");
}

#[test]
fn allow_and_prefer_switch_when_the_server_refuses() {
    let _t = serial();
    let p = TlsPair::get();
    // pgtc_cert may only log in over TLS (hostssl … cert): allow retries
    // with TLS after the plain attempt is refused.
    let mut s = open(&format!(
        "{} sslmode=allow sslcert={} sslkey={}",
        p.conninfo("localhost", "pgtc_cert"),
        p.file("client.crt"),
        p.file("client.key")
    ));
    assert_eq!(encrypted(&mut s), "t");
    assert_eq!(
        exec(&mut s, "SELECT current_user").value(0, 0),
        Some("pgtc_cert")
    );
    // Without a certificate, prefer's TLS attempt is refused and so is the
    // plain one after it; both are reported.
    let e = open_err(&p.conninfo("localhost", "pgtc_cert"));
    assert!(e.message.contains("then without TLS"), "{}", e);
    drop(s);
    // A server without TLS: prefer makes one attempt, not two.
    let c = Cluster::shared();
    let e = open_err(&format!("{} password=wrong", c.conninfo));
    assert_eq!(e.status, Status::AuthFailed, "{}", e);
    assert!(!e.message.contains("then without TLS"), "{}", e);
}

#[test]
fn a_client_certificate_authenticates() {
    let _t = serial();
    let p = TlsPair::get();
    let base = format!(
        "{} sslmode=verify-full sslrootcert={}",
        p.conninfo("localhost", "pgtc_cert"),
        p.file("ca.crt")
    );
    let mut s = open(&format!(
        "{} sslcert={} sslkey={}",
        base,
        p.file("client.crt"),
        p.file("client.key")
    ));
    assert_eq!(
        exec(&mut s, "SELECT current_user").value(0, 0),
        Some("pgtc_cert")
    );
    // Without one the server refuses (hostssl … cert).
    let e = open_err(&base);
    assert_eq!(e.status, Status::AuthFailed, "{}", e);
    // Files that are missing, not PEM, or readable by others.
    let missing = format!("{}/nope.crt", p.dir.display());
    let e = open_err(&format!(
        "{} sslcert={} sslkey={}",
        base,
        missing,
        p.file("client.key")
    ));
    assert_eq!(e.status, Status::InvalidAttributeValue, "{}", e);
    assert!(e.message.contains("nope.crt"), "{}", e);
    let not_pem = p.dir.join("cluster.env").display().to_string();
    let e = open_err(&format!(
        "{} sslcert={} sslkey={}",
        base,
        not_pem,
        p.file("client.key")
    ));
    assert!(e.message.contains("PEM"), "{}", e);
    let e = open_err(&format!(
        "{} sslcert={} sslkey={}",
        base,
        p.file("client.crt"),
        not_pem
    ));
    assert!(e.message.contains("sslkey"), "{}", e);
    let open_key = p.dir.join("open.key");
    std::fs::copy(p.file("client.key"), &open_key).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&open_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = open_err(&format!(
        "{} sslcert={} sslkey={}",
        base,
        p.file("client.crt"),
        open_key.display()
    ));
    assert!(e.message.contains("group or world access"), "{}", e);
}

#[test]
fn root_certificate_files_must_exist_and_be_pem() {
    let _t = serial();
    let p = TlsPair::get();
    let e = open_err(&format!(
        "{} sslmode=verify-ca sslrootcert={}/nope.crt",
        p.conninfo("localhost", "pgtc"),
        p.dir.display()
    ));
    assert_eq!(e.status, Status::InvalidAttributeValue, "{}", e);
    assert!(e.message.contains("nope.crt"), "{}", e);
    let e = open_err(&format!(
        "{} sslmode=verify-ca sslrootcert={}",
        p.conninfo("localhost", "pgtc"),
        p.dir.join("cluster.env").display()
    ));
    assert!(e.message.contains("PEM"), "{}", e);
    // No sslrootcert and no ~/.postgresql/root.crt: verify-* cannot check.
    // (HOME is changed while this test holds the turn, and restored.)
    let home = p.dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let old_home = std::env::var_os("HOME");
    std::env::set_var("HOME", &home);
    let r = Session::open(&format!(
        "{} sslmode=verify-full",
        p.conninfo("localhost", "pgtc")
    ));
    match old_home {
        Some(h) => std::env::set_var("HOME", h),
        None => std::env::remove_var("HOME"),
    }
    let e = r
        .err()
        .expect("verify-full without a root certificate opened");
    assert!(e.message.contains("does not exist"), "{}", e);
    assert!(e.message.contains("root.crt"), "{}", e);
    // As in libpq, sslmode does not apply to Unix sockets.
    let mut s = open(&format!(
        "host={} port={} user=pgtc dbname=postgres sslmode=verify-full",
        p.dir.display(),
        p.primary_port
    ));
    assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
}

#[test]
fn channel_binding_requires_scram_over_tls() {
    let _t = serial();
    let p = TlsPair::get();
    let mut s = open(&format!(
        "{} channel_binding=require sslmode=verify-full sslrootcert={}",
        p.conninfo("localhost", "pgtc"),
        p.file("ca.crt")
    ));
    assert_eq!(encrypted(&mut s), "t");
    let mut s = open(&format!(
        "{} channel_binding=require sslmode=require",
        p.conninfo("127.0.0.1", "pgtc")
    ));
    assert_eq!(encrypted(&mut s), "t");
    for (user, why) in [
        ("pgtc_trust", "without channel binding"),
        ("pgtc_md5", "MD5"),
    ] {
        let e = open_err(&format!(
            "{} channel_binding=require",
            p.conninfo("127.0.0.1", user)
        ));
        assert_eq!(e.status, Status::AuthFailed, "{}", e);
        assert!(e.message.contains(why), "{}: {}", user, e);
        assert!(e.message.contains("channel_binding=require"), "{}", e);
    }
    let e = open_err(&format!(
        "{} channel_binding=require sslmode=disable",
        p.conninfo("127.0.0.1", "pgtc")
    ));
    assert!(e.message.contains("does not use TLS"), "{}", e);
    // disable still authenticates with SCRAM over TLS.
    let mut s = open(&format!(
        "{} channel_binding=disable",
        p.conninfo("127.0.0.1", "pgtc")
    ));
    assert_eq!(encrypted(&mut s), "t");
}

#[test]
fn direct_tls_against_a_server_before_17_fails_clearly() {
    let _t = serial();
    let p = TlsPair::get();
    let e = open_err(&format!(
        "{} sslmode=require sslnegotiation=direct connect_timeout=5",
        p.conninfo("127.0.0.1", "pgtc")
    ));
    assert_eq!(e.status, Status::ConnectFailed, "{}", e);
    assert!(e.message.contains("sslnegotiation=direct"), "{}", e);
}

#[test]
fn every_physical_connection_is_encrypted() {
    let _t = serial();
    let p = TlsPair::get();
    // A database no other test uses: this session's monitor is its own.
    let mut s = open(&format!(
        "{} sslmode=verify-full sslrootcert={} dbname=template1 PREFERRED_ACCESS=READ_MOSTLY",
        p.conninfo("localhost", "pgtc"),
        p.file("ca.crt"),
    ));
    exec(&mut s, "SELECT 1");
    for primary in [true, false] {
        let mut d = p.direct(primary);
        // The session's connection and the monitor's, on each server.
        let (n, all): (i64, bool) = wait_for(
            format_args!(
                "the session and the monitor on the {} server",
                if primary { "primary" } else { "standby" }
            ),
            CATCH_UP,
            || {
                let row = d
                    .query_one(
                        "SELECT count(*), coalesce(bool_and(s.ssl), false) \
                         FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) \
                         WHERE a.datname = 'template1' AND a.usename = 'pgtc'",
                        &[],
                    )
                    .unwrap();
                let (n, all): (i64, bool) = (row.get(0), row.get(1));
                if n >= 2 || !all && n > 0 {
                    Ok((n, all))
                } else {
                    Err(format!("{} connections", n))
                }
            },
        );
        assert!(all, "{} of the connections are not encrypted", n);
    }
    drop(s);
}
