//! B9 point reads: `SELECT v FROM kv WHERE id = $1` (1,000 rows, the id
//! random per statement) from 4 and 16 client threads, each with a
//! connection of its own: pgtc READ_MOSTLY (balanced, sessions kept on a
//! server while the loads are close), pgtc WRITE_MOSTLY (the primary),
//! pgtc READ_MOSTLY with PRIMARY_SHARE=0 (the standby), libpq straight to
//! the primary, and libpq through pgpool-II (when tools/bench started it).
//! pgtc runs the read through `exec` with a parameter (its statement cache
//! prepares it once per connection); libpq prepares it once per connection
//! (`PQprepare`, then `PQexecPrepared`), as a driver with a statement cache
//! does. Target: READ_MOSTLY at least 0.95× libpq direct.

use crate::b1::Libpq;
use crate::*;
use std::ffi::{c_void, CString};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

pub const POINT_READ: &str = "SELECT v FROM kv WHERE id = $1";
const ROWS: u64 = 1000;

/// A small per-thread generator for the ids (xorshift64*).
struct Ids(u64);

impl Ids {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % ROWS + 1
    }
}

fn seed() -> u64 {
    static N: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    N.fetch_add(0x9E37_79B9, Relaxed) | 1
}

/// Where pgtc's reads ran, summed over the sessions of one contender.
#[derive(Default)]
struct Tally {
    standby: AtomicU64,
    all: AtomicU64,
}

struct Pgtc {
    s: pgtc::Session,
    ids: Ids,
    tally: Arc<Tally>,
}

impl Reader for Pgtc {
    fn read(&mut self, sql: &str) {
        let id = self.ids.next().to_string();
        let r = self
            .s
            .exec(sql, Some(&[Some(&id)]))
            .expect("pgtc point read");
        assert_eq!(r.rows(), 1);
        std::hint::black_box(r);
    }
}

impl Drop for Pgtc {
    fn drop(&mut self) {
        let c = self.s.counters();
        self.tally.standby.fetch_add(c.standby, Relaxed);
        self.tally.all.fetch_add(c.standby + c.primary, Relaxed);
    }
}

/// A libpq connection with the point read prepared.
struct Pq {
    l: &'static Libpq,
    conn: *mut c_void,
    ids: Ids,
}
// SAFETY: a PGconn may be used from any thread, one thread at a time.
unsafe impl Send for Pq {}

impl Pq {
    fn open(l: &'static Libpq, conninfo: &str) -> Pq {
        let ci = CString::new(conninfo).unwrap();
        let sql = CString::new(POINT_READ).unwrap();
        // SAFETY: PQconnectdb with a NUL-terminated conninfo (CONNECTION_OK
        // is 0); PQprepare on that live connection (PGRES_COMMAND_OK is 1).
        unsafe {
            let conn = (l.connectdb)(ci.as_ptr());
            assert_eq!((l.status)(conn), 0, "libpq could not connect: {}", conninfo);
            let r = (l.prepare)(conn, c"b9".as_ptr(), sql.as_ptr(), 1, std::ptr::null());
            assert_eq!((l.result_status)(r), 1, "PQprepare failed");
            (l.clear)(r);
            Pq {
                l,
                conn,
                ids: Ids(seed()),
            }
        }
    }
}

impl Reader for Pq {
    fn read(&mut self, _sql: &str) {
        let id = CString::new(self.ids.next().to_string()).unwrap();
        let params = [id.as_ptr()];
        // SAFETY: a live PGconn with statement "b9" prepared; one text
        // parameter; PGRES_TUPLES_OK is 2.
        unsafe {
            let r = (self.l.exec_prepared)(
                self.conn,
                c"b9".as_ptr(),
                1,
                params.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                0,
            );
            assert_eq!((self.l.result_status)(r), 2, "point read through libpq");
            (self.l.clear)(std::hint::black_box(r));
        }
    }
}

impl Drop for Pq {
    fn drop(&mut self) {
        // SAFETY: a live PGconn, finished once.
        unsafe { (self.l.finish)(self.conn) }
    }
}

/// Makes one contender's reader for each client thread.
type MakeReader = Box<dyn Fn() -> Box<dyn Reader> + Sync>;

/// The table, created through pgtc, and replayed by the standby.
fn setup(ctx: &Ctx) {
    let mut s = pgtc::Session::open(&ctx.conninfo).expect("pgtc connect");
    s.exec(
        "DROP TABLE IF EXISTS kv; \
         CREATE TABLE kv (id int PRIMARY KEY, v text); \
         INSERT INTO kv SELECT g, md5(g::text) FROM generate_series(1, 1000) g; \
         ANALYZE kv",
        None,
    )
    .expect("creating kv");
    let mut d = postgres::Client::connect(&ctx.standby, postgres::NoTls).expect("standby");
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let n: Option<i64> = d
            .query_opt(
                "SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relname = 'kv' \
                 AND EXISTS (SELECT 1 FROM kv WHERE id = 1000)",
                &[],
            )
            .ok()
            .flatten()
            .map(|r| r.get(0));
        if n == Some(1) {
            break;
        }
        assert!(Instant::now() < end, "the standby did not replay kv");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn run(ctx: &Ctx) {
    const ROUNDS_B9: usize = 3;
    let secs = Duration::from_secs(2);
    setup(ctx);
    let libpq = Libpq::load();
    println!(
        "\n### B9 point reads: `{}` (1,000 rows, random id), one connection per thread ({} rounds × {} s, alternating, medians)\n",
        POINT_READ,
        ROUNDS_B9,
        secs.as_secs()
    );
    println!("| threads | contender | reads/s | p99 ms | / libpq direct | on a standby |");
    println!("|---:|---|---:|---:|---:|---:|");
    for threads in [4usize, 16] {
        let tallies: Vec<Arc<Tally>> = (0..3).map(|_| Arc::default()).collect();
        let pgtc_of = |extra: &'static str, t: Arc<Tally>| {
            let ci = format!("{} {}", ctx.conninfo, extra);
            move || {
                Box::new(Pgtc {
                    s: pgtc::Session::open(&ci).expect("pgtc connect"),
                    ids: Ids(seed()),
                    tally: t.clone(),
                }) as Box<dyn Reader>
            }
        };
        let mut contenders: Vec<(String, MakeReader)> = vec![
            (
                "pgtc READ_MOSTLY".into(),
                Box::new(pgtc_of("PREFERRED_ACCESS=READ_MOSTLY", tallies[0].clone())),
            ),
            (
                "pgtc WRITE_MOSTLY".into(),
                Box::new(pgtc_of("PREFERRED_ACCESS=WRITE_MOSTLY", tallies[1].clone())),
            ),
            (
                "pgtc READ_MOSTLY PRIMARY_SHARE=0".into(),
                Box::new(pgtc_of(
                    "PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0",
                    tallies[2].clone(),
                )),
            ),
        ];
        if let Some(l) = libpq {
            let primary = ctx.primary.clone();
            contenders.push((
                "libpq direct (primary)".into(),
                Box::new(move || Box::new(Pq::open(l, &primary)) as Box<dyn Reader>),
            ));
            if let Some(pool) = ctx.pgpool.clone() {
                contenders.push((
                    "libpq through pgpool-II".into(),
                    Box::new(move || Box::new(Pq::open(l, &pool)) as Box<dyn Reader>),
                ));
            }
        }
        let mut runs: Vec<Vec<Run>> = vec![Vec::new(); contenders.len()];
        for round in 0..ROUNDS_B9 {
            let n = contenders.len();
            for k in 0..n {
                let i = if round % 2 == 0 { k } else { n - 1 - k };
                runs[i].push(run_readers(threads, secs, POINT_READ, &*contenders[i].1));
            }
        }
        let med = |v: &[Run], f: fn(&Run) -> f64| median(v.iter().map(f).collect());
        let direct = contenders
            .iter()
            .position(|(n, _)| n.starts_with("libpq direct"))
            .map(|i| med(&runs[i], |r| r.per_second));
        for (i, (name, _)) in contenders.iter().enumerate() {
            let rate = med(&runs[i], |r| r.per_second);
            let vs = direct.map_or("n/a".to_string(), |d| format!("{:.2}×", rate / d));
            let share = tallies.get(i).map_or("".to_string(), |t| {
                let all = t.all.load(Relaxed).max(1);
                format!(
                    "{:.0} %",
                    100.0 * t.standby.load(Relaxed) as f64 / all as f64
                )
            });
            println!(
                "| {} | {} | {:.0} | {:.2} | {} | {} |",
                threads,
                name,
                rate,
                med(&runs[i], |r| r.p99_ms),
                vs,
                share
            );
        }
    }
    if libpq.is_none() {
        println!("\nlibpq.so.5 not found: the libpq rows are missing.");
    }
    if ctx.pgpool.is_none() {
        println!(
            "\npgpool-II is not running (tools/bench starts it for b4 and b9): its row is missing."
        );
    }
    println!("\nTarget: pgtc READ_MOSTLY ≥ 0.95× libpq direct at 4 and 16 threads.");
}
