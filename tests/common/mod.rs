//! Test fixture: real primary + hot standby pairs from tools/pgtc-cluster,
//! one test at a time on them, and the helpers every integration test uses.
//!
//! Tests that use a pair run one at a time (see `Pair`); the others, and
//! the unit tests, run in parallel.
#![allow(dead_code)]

pub mod bounds;
pub mod cabi;
pub mod child;
pub mod cprog;
pub mod load;
mod wait;

pub use bounds::*;
// Each test binary uses a part of this module; not every one polls a route.
#[allow(unused_imports)]
pub use wait::{until_on, wait_for};

use once_cell::sync::Lazy;
use parking_lot::{Mutex, ReentrantMutex, ReentrantMutexGuard};
use pgtc::{ResultSet, Server, Session};
use std::borrow::Borrow;
use std::ops::Deref;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct Cluster {
    pub dir: PathBuf,
    pub conninfo: String,
    pub primary_port: u16,
    pub standby_port: u16,
    /// Every standby's port: `standby_port`, then standby2, standby3, …
    pub standby_ports: Vec<u16>,
}

fn tool() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/pgtc-cluster")
}

static LIVE: Lazy<Mutex<Vec<PathBuf>>> = Lazy::new(|| Mutex::new(Vec::new()));

extern "C" fn destroy_all() {
    for dir in LIVE.lock().drain(..) {
        let _ = Command::new(tool())
            .args(["destroy", "--dir"])
            .arg(&dir)
            .output();
    }
}

/// The turn to use a pair. pgtc balances reads on what every session of
/// the process has in flight, per server, and the fault tests bound how long
/// recovery takes: a test running beside another on the same pair would sway
/// its routing, and one creating or breaking a pair beside a timed test would
/// slow it. So a test holds the turn for as long as it uses any pair.
/// Reentrant: a test may hold the shared pair and a pair of its own.
static TURN: Lazy<ReentrantMutex<()>> = Lazy::new(|| ReentrantMutex::new(()));

/// A pair for the duration of one test: a `Cluster` (owned, or the shared
/// one) together with the turn, which it keeps until it is dropped at the
/// end of the test (also when the test fails). Use it as a `Cluster`.
pub struct Pair<C: Borrow<Cluster> = Cluster> {
    cluster: C,
    _turn: ReentrantMutexGuard<'static, ()>,
}

impl<C: Borrow<Cluster>> Deref for Pair<C> {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        self.cluster.borrow()
    }
}

fn turn() -> ReentrantMutexGuard<'static, ()> {
    TURN.lock()
}

/// The turn, for a test that uses no pair but must not run beside one that
/// starts servers (say, one that counts on a free port staying free).
pub fn serial() -> ReentrantMutexGuard<'static, ()> {
    turn()
}

impl Cluster {
    /// Creates a new pair with the given apply delay (ms), for this test alone.
    pub fn new(delay_ms: u32) -> Pair {
        let turn = turn();
        Pair {
            cluster: Cluster::create(delay_ms),
            _turn: turn,
        }
    }

    /// The pair without delay that the tests share when they do not disturb it.
    pub fn shared() -> Pair<&'static Cluster> {
        static SHARED: Lazy<Cluster> = Lazy::new(|| Cluster::create(0));
        let turn = turn();
        Pair {
            cluster: &SHARED,
            _turn: turn,
        }
    }

    /// Creates a primary with `standbys` standbys (nodes standby,
    /// standby2, …), for this test alone.
    pub fn with_standbys(standbys: u32, delay_ms: u32) -> Pair {
        let turn = turn();
        Pair {
            cluster: Cluster::create_n(standbys, delay_ms),
            _turn: turn,
        }
    }

    fn create(delay_ms: u32) -> Cluster {
        Cluster::create_n(1, delay_ms)
    }

    fn create_n(standbys: u32, delay_ms: u32) -> Cluster {
        static N: AtomicU32 = AtomicU32::new(0);
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| unsafe {
            libc::atexit(destroy_all);
        });
        let dir = PathBuf::from(format!(
            "/tmp/pgtc-t{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let out = Command::new(tool())
            .args(["create", "--dir"])
            .arg(&dir)
            .args(["--delay", &delay_ms.to_string()])
            .args(["--standbys", &standbys.to_string()])
            .output()
            .expect("running tools/pgtc-cluster");
        assert!(
            out.status.success(),
            "pgtc-cluster create failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        LIVE.lock().push(dir.clone());
        let conninfo = String::from_utf8(out.stdout).unwrap().trim().to_string();
        let env = std::fs::read_to_string(dir.join("cluster.env")).unwrap();
        let port = |k: &str| -> u16 {
            env.lines()
                .find_map(|l| l.strip_prefix(k))
                .map(|v| v.trim_matches(|c| c == '=' || c == '"' || c == '\''))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{} missing in cluster.env", k))
        };
        let standby_ports = std::iter::once(port("PGTC_STANDBY_PORT"))
            .chain((2..=standbys).map(|i| port(&format!("PGTC_STANDBY{}_PORT", i))))
            .collect();
        Cluster {
            primary_port: port("PGTC_PRIMARY_PORT"),
            standby_port: port("PGTC_STANDBY_PORT"),
            standby_ports,
            dir,
            conninfo,
        }
    }

    /// The node name the cluster tool gives the server on `port`.
    pub fn node_of(&self, port: u16) -> String {
        if port == self.primary_port {
            return "primary".into();
        }
        match self.standby_ports.iter().position(|&p| p == port) {
            Some(0) => "standby".into(),
            Some(i) => format!("standby{}", i + 1),
            None => panic!("no node on port {}", port),
        }
    }

    /// A direct connection to the server on `port` through the postgres crate.
    pub fn direct_port(&self, port: u16) -> postgres::Client {
        postgres::Client::connect(
            &format!(
                "host=127.0.0.1 port={} user=pgtc password=pgtc dbname=postgres",
                port
            ),
            postgres::NoTls,
        )
        .unwrap()
    }

    /// Client backends on the server on `port` whose application_name is
    /// `app`.
    pub fn backends(&self, port: u16, app: &str) -> i64 {
        self.direct_port(port)
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                &[&app],
            )
            .unwrap()
            .get(0)
    }

    pub fn ctl(&self, args: &[&str]) {
        let out = Command::new(tool())
            .arg(args[0])
            .arg("--dir")
            .arg(&self.dir)
            .args(&args[1..])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pgtc-cluster {:?} failed: {}",
            args,
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn open(&self, extra: &str) -> Session {
        Session::open(&format!("{} {}", self.conninfo, extra)).expect("open")
    }

    /// Conninfo for one node only.
    pub fn single(&self, primary: bool) -> String {
        let port = if primary {
            self.primary_port
        } else {
            self.standby_port
        };
        format!(
            "host=127.0.0.1 port={} user=pgtc password=pgtc dbname=postgres",
            port
        )
    }

    /// `SELECT count(*)` of `from` (a table and optional WHERE), read
    /// directly on the primary, bypassing pgtc.
    pub fn count_on_primary(&self, from: &str) -> i64 {
        self.direct(true)
            .query_one(&format!("SELECT count(*) FROM {}", from), &[])
            .unwrap()
            .get(0)
    }

    /// A direct connection to one node through the postgres crate.
    pub fn direct(&self, primary: bool) -> postgres::Client {
        postgres::Client::connect(&self.single(primary), postgres::NoTls).unwrap()
    }

    /// Waits until the standby has replayed everything the primary has
    /// written so far (for changes made without pgtc, which no LSN floor
    /// covers).
    pub fn wait_replayed(&self) {
        let lsn: String = self
            .direct(true)
            .query_one("SELECT pg_current_wal_lsn()::text", &[])
            .unwrap()
            .get(0);
        let mut d = self.direct(false);
        wait_for(
            format_args!("the standby to replay the primary's WAL up to {}", lsn),
            CATCH_UP,
            || {
                let row = d
                    .query_one(
                        "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn, \
                                pg_last_wal_replay_lsn()::text",
                        &[&lsn],
                    )
                    .unwrap();
                if row.get::<_, bool>(0) {
                    Ok(())
                } else {
                    Err(format!("replayed up to {}", row.get::<_, String>(1)))
                }
            },
        )
    }

    /// Waits until `sql` (a query returning one text value) gives `want` on
    /// one node, read directly.
    pub fn wait_direct(&self, primary: bool, sql: &str, want: &str) {
        let mut d = self.direct(primary);
        let node = if primary { "primary" } else { "standby" };
        wait_for(
            format_args!("`{}` to give {:?} on the {}", sql, want, node),
            CATCH_UP,
            || {
                let got: Option<String> = d.query_one(sql, &[]).unwrap().get(0);
                if got.as_deref() == Some(want) {
                    Ok(())
                } else {
                    Err(format!("{:?}", got))
                }
            },
        )
    }

    /// PostgreSQL's bin directory, as recorded by pgtc-cluster.
    pub fn bindir(&self) -> PathBuf {
        let env = std::fs::read_to_string(self.dir.join("cluster.env")).unwrap();
        env.lines()
            .find_map(|l| l.strip_prefix("PGTC_BINDIR="))
            .map(|v| PathBuf::from(v.trim_matches(|c| c == '"' || c == '\'')))
            .unwrap_or_default()
    }
}

pub fn exec(s: &mut Session, sql: &str) -> ResultSet {
    s.exec(sql, None)
        .unwrap_or_else(|e| panic!("{}: {}", sql, e))
}

pub fn server_of(s: &mut Session, sql: &str) -> Server {
    exec(s, sql).server.unwrap()
}

/// Every row of a result, as text (`None` for SQL NULL).
pub fn rows_of(r: &ResultSet) -> Vec<Vec<Option<String>>> {
    (0..r.rows())
        .map(|i| {
            (0..r.cols())
                .map(|j| r.value(i, j).map(str::to_string))
                .collect()
        })
        .collect()
}

/// A table name unique to this test.
pub fn table(name: &str) -> String {
    format!("t_{}_{}", name, std::process::id())
}
