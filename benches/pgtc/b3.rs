//! B3 consistency cost: a 90/10 read/write mix under a 5 ms apply delay:
//! the standby's share of reads, stale reads (must be 0), round trips per
//! write transaction.

use crate::*;

pub fn run(ctx: &Ctx) {
    let (conninfo, dir) = (ctx.conninfo.as_str(), ctx.dir.as_str());
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
