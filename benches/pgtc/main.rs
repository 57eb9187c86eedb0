//! pgtc's benchmarks, reported as ratios measured in one run (contenders run
//! alternately, medians over rounds), never as absolute targets: the
//! machines are shared and noisy. Run through `tools/bench`, which starts a
//! local primary + standby (pgpool-II for B4 and B8, PgBouncer for B8) and
//! sets the environment this program reads. Arguments select benchmarks
//! (b1 … b8); none runs all.
//!
//! - B1 overhead: `SELECT 1`-class statements through pgtc (WRITE_MOSTLY,
//!   through the C ABI) vs the `postgres` crate vs libpq, 1 and 8 threads.
//! - B1-extended: `SELECT $1::int` through exec_params' statement cache
//!   and a prepared statement vs the `postgres` crate's prepared statement
//!   (argument `b1x`).
//! - B2 read scaling: a CPU-bound read, primary and standby pinned to one
//!   core each: pgtc READ_MOSTLY vs WRITE_MOSTLY. `b2s`: the same over a
//!   primary and two standbys of its own.
//! - B3 consistency cost: a 90/10 read/write mix under a 5 ms apply delay.
//! - B4 vs pgpool-II: the B2 and B3 workloads through pgpool-II vs pgtc.
//! - B5 classifier: nanoseconds per statement on a realistic mix.
//! - B6 connect: opening a logical connection vs one plain connection.
//! - B7 failover: reads use a returned standby; writes after promotion.
//! - B8 pools: point reads, a connection taken per request: pgtc's pool vs
//!   PgBouncer vs pgpool-II, 8 and 32 threads; acquire/release overhead.
//! - B9 point reads by primary key from 4 and 16 threads: pgtc READ_MOSTLY,
//!   WRITE_MOSTLY and PRIMARY_SHARE=0 vs libpq direct and through pgpool-II.
//! - B1-TLS, B6-TLS (`tls`): B1 and B6 with sslmode=require against libpq
//!   with sslmode=require, on a pair of their own running with TLS.

use std::time::{Duration, Instant};

mod b1;
mod b1x;
mod b2;
mod b3;
mod b4;
mod b5;
mod b6;
mod b7;
mod b8;
mod b9;
mod tls;

/// What `tools/bench` set up.
pub struct Ctx {
    /// Both servers, standby first (pgtc's conninfo).
    pub conninfo: String,
    /// The primary alone.
    pub primary: String,
    /// The standby alone.
    pub standby: String,
    /// The pair's directory (for tools/pgtc-cluster).
    pub dir: String,
    /// pgpool-II in front of the pair, when it runs.
    pub pgpool: Option<String>,
}

pub const ROUNDS: usize = 9;

/// B2's CPU-bound read: about 1 ms of server CPU on these machines, no I/O.
pub const CPU_READ: &str = "SELECT sum(i * i) FROM generate_series(1, 10000) AS g(i)";

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// The `p`-th percentile (0–100) of `v`.
pub fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[i.min(v.len() - 1)]
}

/// Run each contender once per round, in alternating order; the median
/// operations per second of each.
pub fn alternate(contenders: &mut [(&str, &mut dyn FnMut() -> Duration, usize)]) -> Vec<f64> {
    let mut rates = vec![Vec::new(); contenders.len()];
    for round in 0..ROUNDS {
        let n = contenders.len();
        for k in 0..n {
            let i = if round % 2 == 0 { k } else { n - 1 - k };
            let (_, f, ops) = &mut contenders[i];
            let d = f();
            rates[i].push(*ops as f64 / d.as_secs_f64());
        }
    }
    rates.into_iter().map(median).collect()
}

/// A client that can run one read-only statement (a pgtc session, a plain
/// driver connection, one through pgpool-II).
pub trait Reader: Send {
    fn read(&mut self, sql: &str);
}

/// Throughput and latency of `threads` readers running `sql` for `secs`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Run `sql` from `threads` readers made by `make` for `secs`, all
/// starting together; throughput and per-statement latency.
pub fn run_readers(
    threads: usize,
    secs: Duration,
    sql: &str,
    make: &(dyn Fn() -> Box<dyn Reader> + Sync),
) -> Run {
    let mut readers: Vec<Box<dyn Reader>> = (0..threads).map(|_| make()).collect();
    let start = std::sync::Barrier::new(threads);
    let results: Vec<(u64, Vec<f64>)> = std::thread::scope(|s| {
        let hs: Vec<_> = readers
            .iter_mut()
            .map(|r| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    let end = Instant::now() + secs;
                    let mut lat = Vec::new();
                    while Instant::now() < end {
                        let t = Instant::now();
                        r.read(sql);
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    (lat.len() as u64, lat)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let n: u64 = results.iter().map(|r| r.0).sum();
    let lat: Vec<f64> = results.into_iter().flat_map(|r| r.1).collect();
    Run {
        per_second: n as f64 / secs.as_secs_f64(),
        p50_ms: percentile(lat.clone(), 50.0),
        p99_ms: percentile(lat, 99.0),
    }
}

/// Run the cluster tool on the pair in `dir`.
pub fn cluster(dir: &str, args: &[&str]) {
    let tool = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/pgtc-cluster");
    let out = std::process::Command::new(tool)
        .arg(args[0])
        .args(["--dir", dir])
        .args(&args[1..])
        .output()
        .expect("running tools/pgtc-cluster");
    assert!(
        out.status.success(),
        "pgtc-cluster {:?}: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Create a pair in a fresh directory; its conninfo.
pub fn new_pair(dir: &str) -> String {
    let tool = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/pgtc-cluster");
    let out = std::process::Command::new(tool)
        .args(["create", "--dir", dir])
        .output()
        .expect("running tools/pgtc-cluster");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let want = |b: &str| args.is_empty() || args.iter().any(|a| a == b);
    let env =
        |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{} is not set (run tools/bench)", k));
    let needs_pair = ["b1", "b1x", "b2", "b3", "b4", "b6", "b8", "b9"]
        .iter()
        .any(|b| want(b));
    let ctx = needs_pair.then(|| Ctx {
        conninfo: env("PGTC_BENCH_CONNINFO"),
        primary: env("PGTC_BENCH_PRIMARY"),
        standby: env("PGTC_BENCH_STANDBY"),
        dir: env("PGTC_BENCH_DIR"),
        pgpool: std::env::var("PGTC_BENCH_PGPOOL").ok(),
    });
    if want("b5") {
        b5::run();
    }
    if let Some(ctx) = &ctx {
        if want("b1") {
            b1::run(ctx);
        }
        if want("b1x") {
            b1x::run(ctx);
        }
        if want("b6") {
            b6::run(ctx);
        }
        if want("b2") {
            b2::run(ctx);
        }
        if want("b3") {
            b3::run(ctx);
        }
        if want("b4") {
            b4::run(ctx);
        }
        if want("b8") {
            b8::run(ctx);
        }
        if want("b9") {
            b9::run(ctx);
        }
    }
    if want("b2s") {
        b2::run_standbys();
    }
    if want("b7") {
        b7::run();
    }
    if want("tls") {
        tls::run();
    }
}
