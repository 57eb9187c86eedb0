//! B8 pools: point reads by primary key (`SELECT v FROM kv WHERE id = $1`,
//! a random id of a 1,000-row table per request) from 8 and 32 client
//! threads, each request as a web request makes it: take a connection, one
//! read, give it back. Contenders:
//!
//! - pgtc's pool (`pgtc::Pool`, `POOL_MAX=8`, `READ_MOSTLY` over the pair):
//!   every request is `acquire()`, one read, drop;
//! - PgBouncer (`tools/pgbouncer-primary`: transaction pooling, 8 server
//!   connections, in front of the primary): each client holds its PgBouncer
//!   connection, and PgBouncer lends it a server connection per statement;
//! - pgpool-II in front of the pair (`tools/pgpool-pair`, as B4): pgpool-II
//!   has no transaction pooling (a child process serves one client for the
//!   whole client connection, with its own backend connections), so each
//!   client holds its pgpool-II connection.
//!
//! The proxies' clients are libpq (`PQexecParams`, one round trip with the
//! unnamed statement, which transaction pooling allows), or the `postgres`
//! crate's `query_typed` when libpq.so.5 is missing; pgtc sends the same
//! statement with a text parameter. Contenders alternate round by round;
//! the tables show medians over rounds and ratios. Last, the pool's own
//! cost: an acquire + release of an idle, clean connection, from 1 thread
//! and from 8 threads on the pool of 8.

use crate::b1::Libpq;
use crate::*;
use std::ffi::{c_void, CStr, CString};
use std::hint::black_box;
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Rows of table kv (ids 1 ..= ROWS).
const ROWS: u64 = 1000;
/// Rounds (each runs every contender once) and seconds per run.
const B8_ROUNDS: usize = 5;
const SECS: u64 = 3;
/// The pool size of every contender: pgtc's POOL_MAX and PgBouncer's
/// default_pool_size.
const POOL_SIZE: usize = 8;
const POINT_READ: &str = "SELECT v FROM kv WHERE id = $1";

pub fn run(ctx: &Ctx) {
    let t0 = Instant::now();
    make_table(ctx);
    let pgbouncer = std::env::var("PGTC_BENCH_PGBOUNCER").ok();
    let libpq = Libpq::load();
    let client = if libpq.is_some() {
        "libpq"
    } else {
        "postgres crate"
    };
    let pool_ci = format!(
        "{} PREFERRED_ACCESS=READ_MOSTLY POOL_MAX={POOL_SIZE}",
        ctx.conninfo
    );
    let pool = pgtc::Pool::open(&pool_ci).expect("open the pgtc pool");
    warm(&pool);
    let mut contenders = vec![Contender::pgtc(&pool)];
    let mut skipped = Vec::new();
    match &pgbouncer {
        Some(ci) => contenders.push(Contender::proxy(
            format!("PgBouncer (transaction pooling, pool of {POOL_SIZE}), {client}"),
            ci,
            libpq,
        )),
        None => skipped.push(
            "PgBouncer: PGTC_BENCH_PGBOUNCER is not set (tools/bench sets it when \
             `tools/pgbouncer-primary start` succeeds)",
        ),
    }
    match &ctx.pgpool {
        Some(ci) => contenders.push(Contender::proxy(
            format!("pgpool-II (load balancing over the pair), {client}"),
            ci,
            libpq,
        )),
        None => skipped.push(
            "pgpool-II: PGTC_BENCH_PGPOOL is not set (tools/bench sets it when \
             `tools/pgpool-pair start` succeeds)",
        ),
    }

    println!(
        "\n### B8 pools: point reads by primary key, one connection taken and given back per \
         request, {} s per run, {} rounds (medians)\n",
        SECS, B8_ROUNDS
    );
    println!(
        "| threads | contender | reads/s | p50 ms | p99 ms | {0} / this (reads/s) | this / {0} (p99) |",
        contenders[0].short
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for threads in [8usize, 32] {
        let mut runs = vec![Vec::new(); contenders.len()];
        for round in 0..B8_ROUNDS {
            let n = contenders.len();
            for k in 0..n {
                let c = if round % 2 == 0 { k } else { n - 1 - k };
                let make = || (contenders[c].make)();
                runs[c].push(run_readers(
                    threads,
                    Duration::from_secs(SECS),
                    POINT_READ,
                    &make,
                ));
            }
        }
        let sums: Vec<Run> = runs.iter().map(|r| summary(r)).collect();
        for (c, s) in contenders.iter().zip(&sums) {
            println!(
                "| {} | {} | {:.0} | {:.3} | {:.3} | {:.2} | {:.2} |",
                threads,
                c.name,
                s.per_second,
                s.p50_ms,
                s.p99_ms,
                sums[0].per_second / s.per_second,
                s.p99_ms / sums[0].p99_ms
            );
        }
    }
    for s in &skipped {
        println!("\nNot run: {s}.");
    }
    let st = pool.stats();
    println!(
        "\nA ratio above 1 is {} ahead, in either column. The pgtc pool over all runs: {} \
         acquires, {} connections opened, {:.1} µs waited per acquire on average, {} resets \
         that cost a round trip.",
        contenders[0].short,
        st.acquired,
        st.created,
        st.wait_ns as f64 / 1e3 / st.acquired.max(1) as f64,
        st.resets
    );
    overhead(&pool);
    println!("\nB8 took {:.0} s.", t0.elapsed().as_secs_f64());
}

/// Open all of the pool's connections (and run a read on each) before
/// anything is measured.
fn warm(pool: &pgtc::Pool) {
    let mut ids = Ids::new();
    let lent: Vec<pgtc::Pooled> = (0..POOL_SIZE)
        .map(|_| {
            let mut c = pool.acquire().expect("acquire from the pgtc pool");
            point_read(&mut c, POINT_READ, &mut ids);
            c
        })
        .collect();
    drop(lent);
}

fn point_read(s: &mut pgtc::Session, sql: &str, ids: &mut Ids) {
    let id = ids.next().to_string();
    let r = s
        .exec(sql, Some(&[Some(id.as_str())]))
        .expect("point read through pgtc");
    assert_eq!(r.rows(), 1, "point read found no row");
    black_box(r);
}

/// Acquire + release of an idle, clean connection: nanoseconds per pair
/// (as one thread sees it), from 1 thread and from POOL_SIZE threads at
/// once on the pool of POOL_SIZE; medians over rounds.
fn overhead(pool: &pgtc::Pool) {
    const PAIRS: usize = 20_000;
    println!(
        "\n### B8 acquire + release of an idle, clean connection (pool of {}, {} rounds × {} pairs \
         per thread, medians)\n",
        POOL_SIZE, ROUNDS, PAIRS
    );
    println!("| threads | ns per acquire + release | pairs/s, all threads | resets that cost a round trip |");
    println!("|---:|---:|---:|---:|");
    for threads in [1usize, POOL_SIZE] {
        let resets = pool.stats().resets;
        let mut ns = Vec::new();
        let mut rates = Vec::new();
        for _ in 0..ROUNDS {
            let start = std::sync::Barrier::new(threads);
            let t = Instant::now();
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {
                        start.wait();
                        for _ in 0..PAIRS {
                            black_box(pool.acquire().expect("acquire from the pgtc pool"));
                        }
                    });
                }
            });
            let d = t.elapsed().as_secs_f64();
            ns.push(d * 1e9 / PAIRS as f64);
            rates.push((threads * PAIRS) as f64 / d);
        }
        println!(
            "| {} | {:.0} | {:.0} | {} |",
            threads,
            median(ns),
            median(rates),
            pool.stats().resets - resets
        );
    }
}

/// One contender: a name, and a maker of its clients (called once per
/// client thread and run; what it returns holds whatever the client keeps
/// between requests).
struct Contender {
    name: String,
    short: String,
    make: Box<dyn Fn() -> Box<dyn Reader> + Sync>,
}

impl Contender {
    /// Clients that take a connection from the pgtc pool for every request.
    fn pgtc(pool: &pgtc::Pool) -> Contender {
        let pool = pool.clone();
        Contender {
            name: format!("pgtc pool of {POOL_SIZE} (READ_MOSTLY, over the pair)"),
            short: "pgtc".into(),
            make: Box::new(move || -> Box<dyn Reader> {
                Box::new(PoolReader {
                    pool: pool.clone(),
                    ids: Ids::new(),
                })
            }),
        }
    }

    /// Clients that each hold one connection to a proxy.
    fn proxy(name: String, conninfo: &str, libpq: Option<&'static Libpq>) -> Contender {
        let short = name.split(' ').next().unwrap_or("").to_string();
        let ci = conninfo.to_string();
        Contender {
            name,
            short,
            make: Box::new(move || -> Box<dyn Reader> {
                match libpq {
                    Some(pq) => Box::new(PqReader::connect(pq, &ci)),
                    None => Box::new(PgReader::connect(&ci)),
                }
            }),
        }
    }
}

/// Median throughput and latencies over rounds.
fn summary(runs: &[Run]) -> Run {
    Run {
        per_second: median(runs.iter().map(|r| r.per_second).collect()),
        p50_ms: median(runs.iter().map(|r| r.p50_ms).collect()),
        p99_ms: median(runs.iter().map(|r| r.p99_ms).collect()),
    }
}

/// Random ids 1 ..= ROWS (xorshift64*), a different sequence per client.
struct Ids(u64);

impl Ids {
    fn new() -> Ids {
        static SEED: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
        Ids(SEED.fetch_add(0x6a09_e667_f3bc_c909, Relaxed) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % ROWS + 1
    }
}

/// Table kv with ids 1 ..= ROWS on the primary, replayed by the standby.
fn make_table(ctx: &Ctx) {
    let mut p =
        postgres::Client::connect(&ctx.primary, postgres::NoTls).expect("connect to the primary");
    p.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS kv(id int PRIMARY KEY, v bigint); \
         INSERT INTO kv SELECT g, g FROM generate_series(1, {ROWS}) g ON CONFLICT (id) DO NOTHING"
    ))
    .expect("create table kv");
    let mut s =
        postgres::Client::connect(&ctx.standby, postgres::NoTls).expect("connect to the standby");
    let q = format!("SELECT count(*) FROM kv WHERE id BETWEEN 1 AND {ROWS}");
    let end = Instant::now() + Duration::from_secs(10);
    while Instant::now() < end {
        if let Ok(row) = s.query_one(q.as_str(), &[]) {
            if row.get::<_, i64>(0) == ROWS as i64 {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the standby did not replay table kv within 10 s");
}

/// A pgtc pool client: a connection per request.
struct PoolReader {
    pool: pgtc::Pool,
    ids: Ids,
}

impl Reader for PoolReader {
    fn read(&mut self, sql: &str) {
        let mut c = self.pool.acquire().expect("acquire from the pgtc pool");
        point_read(&mut c, sql, &mut self.ids);
    }
}

/// A libpq connection (to a proxy) that keeps it between requests.
struct PqReader {
    pq: &'static Libpq,
    conn: *mut c_void,
    ids: Ids,
}
// SAFETY: a PGconn may be used from any thread, one thread at a time.
unsafe impl Send for PqReader {}

impl PqReader {
    fn connect(pq: &'static Libpq, conninfo: &str) -> PqReader {
        let ci = CString::new(conninfo).unwrap();
        // SAFETY: PQconnectdb with a NUL-terminated conninfo; CONNECTION_OK
        // is 0; the error message lives as long as the PGconn.
        unsafe {
            let conn = (pq.connectdb)(ci.as_ptr());
            if (pq.status)(conn) != 0 {
                let e = CStr::from_ptr((pq.error_message)(conn))
                    .to_string_lossy()
                    .into_owned();
                (pq.finish)(conn);
                panic!("libpq could not connect to {conninfo}: {e}");
            }
            PqReader {
                pq,
                conn,
                ids: Ids::new(),
            }
        }
    }
}

impl Reader for PqReader {
    fn read(&mut self, sql: &str) {
        let sql = CString::new(sql).unwrap();
        let id = CString::new(self.ids.next().to_string()).unwrap();
        let values = [id.as_ptr()];
        // SAFETY: a live PGconn, NUL-terminated text and one text parameter
        // (types, lengths and formats NULL: text); PGRES_TUPLES_OK is 2.
        unsafe {
            let r = (self.pq.exec_params)(
                self.conn,
                sql.as_ptr(),
                1,
                null(),
                values.as_ptr(),
                null(),
                null(),
                0,
            );
            if (self.pq.result_status)(r) != 2 {
                let e = CStr::from_ptr((self.pq.error_message)(self.conn))
                    .to_string_lossy()
                    .into_owned();
                panic!("point read through libpq failed: {e}");
            }
            assert_eq!((self.pq.ntuples)(r), 1, "point read found no row");
            (self.pq.clear)(black_box(r));
        }
    }
}

impl Drop for PqReader {
    fn drop(&mut self) {
        // SAFETY: a live PGconn, finished once.
        unsafe { (self.pq.finish)(self.conn) }
        self.conn = null_mut();
    }
}

/// A `postgres` crate connection (to a proxy) that keeps it between
/// requests; `query_typed` uses the unnamed statement in one round trip.
struct PgReader {
    client: postgres::Client,
    ids: Ids,
}

impl PgReader {
    fn connect(conninfo: &str) -> PgReader {
        PgReader {
            client: postgres::Client::connect(conninfo, postgres::NoTls)
                .unwrap_or_else(|e| panic!("cannot connect to {conninfo}: {e}")),
            ids: Ids::new(),
        }
    }
}

impl Reader for PgReader {
    fn read(&mut self, sql: &str) {
        let id = self.ids.next() as i32;
        let rows = self
            .client
            .query_typed(sql, &[(&id, postgres::types::Type::INT4)])
            .expect("point read through the postgres crate");
        assert_eq!(rows.len(), 1, "point read found no row");
        black_box(rows);
    }
}
