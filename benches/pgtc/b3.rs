//! B3 consistency cost: a 90/10 read/write mix under a 5 ms apply delay,
//! under both CONSISTENCY_SCOPEs, in two patterns: each client on one
//! connection, and each client taking its two connections in turn (a write
//! on one, the next read on the other, as with a pool). Reported: the
//! standby's share of reads, stale reads (a read older than the client's
//! own last write: 0 under PROCESS in both patterns, and under SESSION on
//! one connection), reads the floor kept on the primary, and round trips
//! per write.

use crate::*;

const THREADS: u64 = 4;
const SECS: u64 = 6;

/// One client's (or all clients') counts.
#[derive(Default, Clone, Copy)]
struct Totals {
    reads: u64,
    stale: u64,
    writes: u64,
    txns: u64,
    rt_auto: u64,
    rt_txn: u64,
    on_standby: u64,
    kept: u64,
}

impl Totals {
    fn add(&mut self, o: Totals) {
        self.reads += o.reads;
        self.stale += o.stale;
        self.writes += o.writes;
        self.txns += o.txns;
        self.rt_auto += o.rt_auto;
        self.rt_txn += o.rt_txn;
        self.on_standby += o.on_standby;
        self.kept += o.kept;
    }
}

/// One client: `conns` connections taken in turn, one per statement (or
/// per write transaction), for SECS seconds.
fn client(conninfo: &str, me: u64, conns: usize) -> Totals {
    let mut sessions: Vec<pgtc::Session> = (0..conns)
        .map(|_| pgtc::Session::open(conninfo).unwrap())
        .collect();
    let mut t = Totals::default();
    let mut written = 0u64;
    let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ me;
    let end = Instant::now() + Duration::from_secs(SECS);
    let id = me.to_string();
    let mut turn = 0usize;
    while Instant::now() < end {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let s = &mut sessions[turn % conns];
        turn += 1;
        if rng % 10 == 0 {
            written += 1;
            let v = written.to_string();
            let before = s.round_trips();
            let update = "UPDATE b3 SET v = $1 WHERE id = $2";
            if rng % 20 == 0 {
                s.exec("BEGIN", None).unwrap();
                s.exec(update, Some(&[Some(&v), Some(&id)])).unwrap();
                s.exec("COMMIT", None).unwrap();
                t.rt_txn += s.round_trips() - before;
                t.txns += 1;
            } else {
                s.exec(update, Some(&[Some(&v), Some(&id)])).unwrap();
                t.rt_auto += s.round_trips() - before;
                t.writes += 1;
            }
        } else {
            let r = s
                .exec("SELECT v FROM b3 WHERE id = $1", Some(&[Some(&id)]))
                .unwrap();
            t.reads += 1;
            let seen: u64 = r.value(0, 0).unwrap().parse().unwrap();
            if seen < written {
                t.stale += 1;
            }
        }
    }
    for s in &sessions {
        let c = s.counters();
        t.on_standby += c.standby;
        t.kept += c.floor_kept;
    }
    t
}

/// THREADS clients at once, each with `conns` connections.
fn mix(conninfo: &str, conns: usize) -> Totals {
    let handles: Vec<_> = (0..THREADS)
        .map(|me| {
            let conninfo = conninfo.to_string();
            std::thread::spawn(move || client(&conninfo, me, conns))
        })
        .collect();
    let mut t = Totals::default();
    for h in handles {
        t.add(h.join().unwrap());
    }
    t
}

pub fn run(ctx: &Ctx) {
    let (conninfo, dir) = (ctx.conninfo.as_str(), ctx.dir.as_str());
    cluster(dir, &["delay", "5"]);
    let mut setup = pgtc::Session::open(conninfo).unwrap();
    setup
        .exec(
            "CREATE TABLE IF NOT EXISTS b3(id int PRIMARY KEY, v bigint)",
            None,
        )
        .unwrap();
    println!(
        "\n### B3 consistency cost: 90/10 read/write mix, 5 ms apply delay, {} clients × {} s per row, no think time\n",
        THREADS, SECS
    );
    println!("A stale read returns an older value than the client's own last write.\n");
    println!("| scope | connections per client | reads | stale reads | standby share of reads | reads kept on the primary by the floor | round trips per autocommit write | round trips per BEGIN/UPDATE/COMMIT |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (conns, pattern) in [(1, "1"), (2, "2, in turn")] {
        for scope in ["PROCESS", "SESSION"] {
            setup
                .exec("INSERT INTO b3 SELECT g, 0 FROM generate_series(0, 63) g ON CONFLICT (id) DO UPDATE SET v = 0", None)
                .unwrap();
            let ci = format!(
                "{} PREFERRED_ACCESS=READ_MOSTLY CONSISTENCY_SCOPE={}",
                conninfo, scope
            );
            let t = mix(&ci, conns);
            println!(
                "| {} | {} | {} | {} | {:.1} % | {} | {:.2} | {:.2} |",
                scope,
                pattern,
                t.reads,
                t.stale,
                100.0 * t.on_standby as f64 / t.reads.max(1) as f64,
                t.kept,
                t.rt_auto as f64 / t.writes.max(1) as f64,
                t.rt_txn as f64 / t.txns.max(1) as f64
            );
        }
    }
    cluster(dir, &["delay", "0"]);
}
