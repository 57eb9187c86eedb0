#![allow(dead_code)]
//! A primary + hot standby pair running with TLS (`pgtc-cluster create
//! --tls`), created once per test binary and removed at exit; tests use it
//! one at a time through `super::serial`.

use once_cell::sync::Lazy;
use std::path::PathBuf;
use std::process::Command;

pub struct TlsPair {
    pub dir: PathBuf,
    pub primary_port: u16,
    pub standby_port: u16,
}

fn tool() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/pgtc-cluster")
}

static PAIR: Lazy<TlsPair> = Lazy::new(|| {
    let dir = PathBuf::from(format!("/tmp/pgtc-tls{}", std::process::id()));
    let out = Command::new(tool())
        .args(["create", "--tls", "--dir"])
        .arg(&dir)
        .output()
        .expect("running tools/pgtc-cluster");
    assert!(
        out.status.success(),
        "pgtc-cluster create --tls failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // SAFETY: registering a plain extern "C" function with no arguments.
    unsafe { libc::atexit(destroy) };
    let env = std::fs::read_to_string(dir.join("cluster.env")).unwrap();
    let port = |k: &str| -> u16 {
        env.lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.trim_start_matches('=').parse().ok())
            .unwrap_or_else(|| panic!("{} missing in cluster.env", k))
    };
    TlsPair {
        primary_port: port("PGTC_PRIMARY_PORT"),
        standby_port: port("PGTC_STANDBY_PORT"),
        dir,
    }
});

extern "C" fn destroy() {
    let _ = Command::new(tool())
        .args(["destroy", "--dir"])
        .arg(&PAIR.dir)
        .output();
}

impl TlsPair {
    pub fn get() -> &'static TlsPair {
        &PAIR
    }

    /// A file of the test CA's directory (ca.crt, other-ca.crt, client.crt, …).
    pub fn file(&self, name: &str) -> String {
        self.dir.join("tls").join(name).display().to_string()
    }

    /// Both servers under `host` (standby first), as `user` with password pgtc.
    pub fn conninfo(&self, host: &str, user: &str) -> String {
        format!(
            "host={h},{h} port={},{} user={} password=pgtc dbname=postgres",
            self.standby_port,
            self.primary_port,
            user,
            h = host
        )
    }

    /// A direct connection to one server (plain TCP, password).
    pub fn direct(&self, primary: bool) -> postgres::Client {
        let port = if primary {
            self.primary_port
        } else {
            self.standby_port
        };
        postgres::Client::connect(
            &format!(
                "host=127.0.0.1 port={} user=pgtc password=pgtc dbname=postgres",
                port
            ),
            postgres::NoTls,
        )
        .unwrap()
    }
}
