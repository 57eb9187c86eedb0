//! pgtc's benchmarks, reported as ratios measured in one run (contenders run
//! alternately, medians over rounds), never as absolute targets: the
//! machines are shared and noisy. Run through `tools/bench`, which starts a
//! local primary + standby and sets PGTC_BENCH_CONNINFO.
//!
//! B1 overhead: `SELECT 1`-class statements through pgtc (WRITE_MOSTLY,
//! through the C ABI) vs the `postgres` crate directly on one connection.
//! B3 consistency cost: a 90/10 read/write mix under a 5 ms apply delay:
//! the standby's share of reads, stale reads (must be 0), round trips per
//! write transaction.
//! B5 classifier: nanoseconds per statement on a realistic mix.
//! B7 failover: time until reads use a returned standby again, and until
//! writes work after the standby was promoted (on pairs of its own).

use pgtc::ffi::conn::*;
use pgtc::ffi::result::pgtc_result_free;
use std::ffi::CString;
use std::hint::black_box;
use std::ptr::{null, null_mut};
use std::time::{Duration, Instant};

const ROUNDS: usize = 9;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Run each contender once per round, in alternating order; the median
/// statements per second of each.
fn alternate(contenders: &mut [(&str, &mut dyn FnMut() -> Duration, usize)]) -> Vec<f64> {
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

fn b1(conninfo: &str, primary_only: &str) {
    const N: usize = 3000;
    let mut pg =
        postgres::Client::connect(primary_only, postgres::NoTls).expect("postgres crate connect");
    let stmt = pg.prepare("SELECT $1::int").unwrap();
    let ci = CString::new(format!("{} PREFERRED_ACCESS=WRITE_MOSTLY", conninfo)).unwrap();
    let mut conn = null_mut();
    assert_eq!(
        pgtc_conn_open(ci.as_ptr(), &mut conn, null_mut()),
        pgtc::Status::Ok
    );
    let one = CString::new("1").unwrap();
    let params = [one.as_ptr()];

    let mut pg_simple = || {
        let t = Instant::now();
        for _ in 0..N {
            black_box(pg.simple_query("SELECT 1").unwrap());
        }
        t.elapsed()
    };
    let mut pgtc_simple = || {
        let t = Instant::now();
        for _ in 0..N {
            let mut r = null_mut();
            let st = pgtc_conn_exec(conn, c"SELECT 1".as_ptr(), &mut r, null_mut());
            assert_eq!(st, pgtc::Status::Ok);
            pgtc_result_free(black_box(r));
        }
        t.elapsed()
    };
    let rates = alternate(&mut [
        ("postgres simple_query", &mut pg_simple, N),
        ("pgtc_conn_exec", &mut pgtc_simple, N),
    ]);
    let mut pg2 = postgres::Client::connect(primary_only, postgres::NoTls).unwrap();
    let stmt2 = pg2.prepare("SELECT $1::int").unwrap();
    let _ = stmt;
    let mut pg_params = || {
        let t = Instant::now();
        for _ in 0..N {
            black_box(pg2.query(&stmt2, &[&1i32]).unwrap());
        }
        t.elapsed()
    };
    let mut pgtc_params = || {
        let t = Instant::now();
        for _ in 0..N {
            let mut r = null_mut();
            let st = pgtc_conn_exec_params(
                conn,
                c"SELECT $1::int".as_ptr(),
                1,
                params.as_ptr(),
                &mut r,
                null_mut(),
            );
            assert_eq!(st, pgtc::Status::Ok);
            pgtc_result_free(black_box(r));
        }
        t.elapsed()
    };
    let rates2 = alternate(&mut [
        ("postgres query (prepared)", &mut pg_params, N),
        ("pgtc_conn_exec_params", &mut pgtc_params, N),
    ]);
    pgtc_conn_free(conn);
    println!(
        "\n### B1 overhead, 1 client thread, primary only ({} rounds × {} statements, medians)\n",
        ROUNDS, N
    );
    println!("| workload | postgres crate (stmt/s) | pgtc (stmt/s) | pgtc / postgres |");
    println!("|---|---:|---:|---:|");
    println!(
        "| `SELECT 1` (simple protocol): simple_query vs pgtc_conn_exec | {:.0} | {:.0} | {:.3} |",
        rates[0],
        rates[1],
        rates[1] / rates[0]
    );
    println!(
        "| `SELECT $1::int` (extended): query(prepared) vs pgtc_conn_exec_params | {:.0} | {:.0} | {:.3} |",
        rates2[0], rates2[1], rates2[1] / rates2[0]
    );
    let _ = null::<u8>();
}

/// A realistic statement mix for the classifier.
const MIX: &[&str] = &[
    "SELECT id, name, email FROM users WHERE id = $1",
    "SELECT * FROM orders WHERE customer_id = $1 AND status = 'open' ORDER BY created_at DESC LIMIT 20",
    "INSERT INTO events (kind, payload) VALUES ($1, $2)",
    "UPDATE accounts SET balance = balance - $1 WHERE id = $2",
    "BEGIN",
    "COMMIT",
    "/* app:checkout */ SELECT p.id, p.price FROM products p JOIN stock s ON s.product_id = p.id WHERE p.id = ANY($1)",
    "SELECT c.region, date_trunc('month', o.created_at) AS month, count(*) AS orders, sum(o.total) AS revenue, \
     avg(o.total) FILTER (WHERE o.total > 0) AS avg_positive FROM orders o JOIN customers c ON c.id = o.customer_id \
     WHERE o.created_at >= now() - interval '1 year' AND o.status IN ('paid', 'shipped', 'delivered') \
     GROUP BY 1, 2 HAVING count(*) > 10 ORDER BY 1, 2 -- monthly report",
    "SELECT * FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
    "WITH moved AS (DELETE FROM inbox WHERE id = $1 RETURNING *) INSERT INTO archive SELECT * FROM moved",
    "SET search_path = app, public",
    "SELECT 1; SELECT 2",
    "DELETE FROM sessions WHERE expires_at < now()",
    "SELECT $$it's a 'quoted' string with DELETE inside$$, E'\\'escaped\\''",
];

fn b5() {
    let per_round = 20_000usize;
    let mut ns = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for i in 0..per_round {
            black_box(pgtc::classify::classify(black_box(MIX[i % MIX.len()])));
        }
        ns.push(t.elapsed().as_nanos() as f64 / per_round as f64);
    }
    let avg_len = MIX.iter().map(|s| s.len()).sum::<usize>() / MIX.len();
    println!(
        "\n### B5 classifier ({} statements, mean length {} bytes)\n",
        MIX.len(),
        avg_len
    );
    println!("| median ns per statement | target |");
    println!("|---:|---:|");
    println!("| {:.0} | ≤ 500 |", median(ns));
}

/// Run the cluster tool on the pair in `dir`.
fn cluster(dir: &str, args: &[&str]) {
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
fn new_pair(dir: &str) -> String {
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

fn b3(conninfo: &str, dir: &str) {
    const THREADS: u64 = 4;
    let secs = Duration::from_secs(10);
    cluster(dir, &["delay", "5"]);
    let mut setup = pgtc::Session::open(conninfo).unwrap();
    setup
        .exec(
            "CREATE TABLE IF NOT EXISTS b3(id int PRIMARY KEY, v bigint)",
            None,
        )
        .unwrap();
    setup
        .exec("INSERT INTO b3 SELECT g, 0 FROM generate_series(0, 63) g ON CONFLICT (id) DO UPDATE SET v = 0", None)
        .unwrap();
    let rm = format!("{} PREFERRED_ACCESS=READ_MOSTLY", conninfo);
    let handles: Vec<_> = (0..THREADS)
        .map(|me| {
            let rm = rm.clone();
            std::thread::spawn(move || {
                let mut s = pgtc::Session::open(&rm).unwrap();
                let (mut reads, mut stale, mut writes, mut txns) = (0u64, 0u64, 0u64, 0u64);
                let (mut rt_auto, mut rt_txn) = (0u64, 0u64);
                let mut written = 0u64;
                let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ me;
                let end = Instant::now() + secs;
                let id = me.to_string();
                while Instant::now() < end {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    if rng % 10 == 0 {
                        written += 1;
                        let v = written.to_string();
                        let before = s.round_trips();
                        if rng % 20 == 0 {
                            s.exec("BEGIN", None).unwrap();
                            s.exec(
                                "UPDATE b3 SET v = $1 WHERE id = $2",
                                Some(&[Some(&v), Some(&id)]),
                            )
                            .unwrap();
                            s.exec("COMMIT", None).unwrap();
                            rt_txn += s.round_trips() - before;
                            txns += 1;
                        } else {
                            s.exec(
                                "UPDATE b3 SET v = $1 WHERE id = $2",
                                Some(&[Some(&v), Some(&id)]),
                            )
                            .unwrap();
                            rt_auto += s.round_trips() - before;
                            writes += 1;
                        }
                    } else {
                        let r = s
                            .exec("SELECT v FROM b3 WHERE id = $1", Some(&[Some(&id)]))
                            .unwrap();
                        reads += 1;
                        let seen: u64 = r.value(0, 0).unwrap().parse().unwrap();
                        if seen < written {
                            stale += 1;
                        }
                    }
                }
                let c = s.counters();
                (
                    reads,
                    stale,
                    writes,
                    txns,
                    rt_auto,
                    rt_txn,
                    c.standby,
                    c.floor_kept,
                )
            })
        })
        .collect();
    let mut t = [0u64; 8];
    for h in handles {
        let r = h.join().unwrap();
        for (a, b) in t.iter_mut().zip([r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7]) {
            *a += b;
        }
    }
    cluster(dir, &["delay", "0"]);
    let [reads, stale, writes, txns, rt_auto, rt_txn, on_standby, kept] = t;
    println!(
        "\n### B3 consistency cost: 90/10 read/write mix, 5 ms apply delay, {} threads × {} s, no think time\n",
        THREADS,
        secs.as_secs()
    );
    println!("| reads | stale reads | standby share of reads | reads kept on the primary by the floor | round trips per autocommit write | round trips per BEGIN/UPDATE/COMMIT |");
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {:.1} % | {} | {:.2} | {:.2} |",
        reads,
        stale,
        100.0 * on_standby as f64 / reads.max(1) as f64,
        kept,
        rt_auto as f64 / writes.max(1) as f64,
        rt_txn as f64 / txns.max(1) as f64
    );
}

fn b7() {
    const ROUNDS: usize = 3;
    let (mut standby_ms, mut promote_ms) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let dir = format!("/tmp/pgtc-b7-{}-{}", std::process::id(), round);
        let conninfo = new_pair(&dir);
        let rm = format!("{} PREFERRED_ACCESS=READ_MOSTLY", conninfo);
        let mut s = pgtc::Session::open(&rm).unwrap();
        s.exec("CREATE TABLE b7(x int)", None).unwrap();
        let on_standby = |s: &mut pgtc::Session| {
            s.exec("SELECT 1", None)
                .map(|r| r.server == Some(pgtc::Server::Secondary))
                .unwrap_or(false)
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !on_standby(&mut s) && Instant::now() < deadline {}
        // The standby goes away and comes back.
        cluster(&dir, &["kill", "standby"]);
        for _ in 0..20 {
            s.exec("SELECT 1", None).unwrap();
        }
        cluster(&dir, &["start", "standby"]);
        let t = Instant::now();
        while !on_standby(&mut s) && t.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(1));
        }
        standby_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        // The primary dies; the standby is promoted.
        cluster(&dir, &["kill", "primary"]);
        cluster(&dir, &["promote"]);
        let t = Instant::now();
        while s.exec("INSERT INTO b7 VALUES (1)", None).is_err()
            && t.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        promote_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(s);
        cluster(&dir, &["destroy"]);
    }
    println!(
        "\n### B7 failover ({} rounds, medians; timed from the cluster tool's command returning)\n",
        ROUNDS
    );
    println!("| reads use a returned standby again after | writes work after promotion after |");
    println!("|---:|---:|");
    println!(
        "| {:.0} ms | {:.0} ms |",
        median(standby_ms),
        median(promote_ms)
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let want = |b: &str| args.is_empty() || args.iter().any(|a| a == b);
    if want("b5") {
        b5();
    }
    if want("b1") {
        let conninfo =
            std::env::var("PGTC_BENCH_CONNINFO").expect("PGTC_BENCH_CONNINFO (run tools/bench)");
        let primary =
            std::env::var("PGTC_BENCH_PRIMARY").expect("PGTC_BENCH_PRIMARY (run tools/bench)");
        b1(&conninfo, &primary);
    }
    if want("b3") {
        let conninfo =
            std::env::var("PGTC_BENCH_CONNINFO").expect("PGTC_BENCH_CONNINFO (run tools/bench)");
        let dir = std::env::var("PGTC_BENCH_DIR").expect("PGTC_BENCH_DIR (run tools/bench)");
        b3(&conninfo, &dir);
    }
    if want("b7") {
        b7();
    }
}
