//! pgtc's benchmarks, reported as ratios measured in one run (contenders run
//! alternately, medians over rounds), never as absolute targets: the
//! machines are shared and noisy. Run through `tools/bench`, which starts a
//! local primary + standby and sets PGTC_BENCH_CONNINFO.
//!
//! B1 overhead: `SELECT 1`-class statements through pgtc (WRITE_MOSTLY,
//! through the C ABI) vs the `postgres` crate directly on one connection.
//! B5 classifier: nanoseconds per statement on a realistic mix.

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
}
