//! B4 vs pgpool-II: B2's and B3's workloads through pgtc (READ_MOSTLY,
//! routing in-process) and through pgpool-II (a proxy in streaming-replication
//! mode with load balancing on; `tools/pgpool-pair` runs and configures it).
//!
//! Both contenders send the same statements with the simple query protocol
//! (text SQL, one round trip each), from the same number of client threads,
//! to the same pair; they run alternately, a few rounds each, and the table
//! shows medians over rounds. Which server served the reads: pgtc's
//! `Session::counters()`, pgpool-II's `SHOW pool_nodes` select_cnt deltas.
//! A last table splits the CPU time each contender used per statement
//! between this process, pgpool-II and the two servers (from /proc).

use crate::*;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// Rounds per workload (each runs both contenders once).
const B4_ROUNDS: usize = 5;
/// B2's workload: client threads and seconds per contender per round.
const READ_THREADS: usize = 8;
const READ_SECS: u64 = 4;
/// B3's workload.
const MIX_THREADS: usize = 4;
const MIX_SECS: u64 = 5;
/// Rows of table b4, one per mix client ever opened (rounds × 2 × threads).
const ROWS: u64 = 256;

pub fn run(ctx: &Ctx) {
    let Some(pool) = ctx.pgpool.as_deref() else {
        println!(
            "\n### B4 vs pgpool-II: skipped: PGTC_BENCH_PGPOOL is not set (tools/bench sets it when \
             `tools/pgpool-pair start` succeeds; pgpool-II comes from Debian's pgpool2 package)"
        );
        return;
    };
    let t0 = Instant::now();
    let mut admin = match postgres::Client::connect(pool, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => {
            println!(
                "\n### B4 vs pgpool-II: skipped: cannot connect through pgpool-II ({pool}): {e}"
            );
            return;
        }
    };
    let version = first_value(&mut admin, "SHOW pool_version").unwrap_or_else(|| "?".into());
    let setting = |admin: &mut postgres::Client, name: &str| {
        first_value(admin, &format!("PGPOOL SHOW {name}")).unwrap_or_else(|| "?".into())
    };
    let on_write = setting(&mut admin, "disable_load_balance_on_write");
    let per_statement = setting(&mut admin, "statement_level_load_balance");
    let delay_threshold = setting(&mut admin, "delay_threshold");
    let read_mostly = format!("{} PREFERRED_ACCESS=READ_MOSTLY", ctx.conninfo);

    // B2's workload: the CPU-bound read from 8 clients.
    let cpu = CpuMeter::new(&ctx.dir);
    let mut runs = [Vec::new(), Vec::new()];
    let tallies = [Arc::new(Tally::default()), Arc::new(Tally::default())];
    let mut pool_sel = [0u64; 2];
    let mut read_cpu = [CpuUse::default(), CpuUse::default()];
    for round in 0..B4_ROUNDS {
        for k in 0..2 {
            let c = if round % 2 == 0 { k } else { 1 - k };
            let tally = tallies[c].clone();
            let secs = Duration::from_secs(READ_SECS);
            if c == 0 {
                let make =
                    || -> Box<dyn Reader> { Box::new(Client::pgtc(&read_mostly, tally.clone())) };
                let cpu0 = cpu.sample();
                runs[c].push(run_readers(READ_THREADS, secs, CPU_READ, &make));
                read_cpu[c].add(&cpu0, &cpu.sample(), runs[c].last().unwrap(), secs);
            } else {
                let make = || -> Box<dyn Reader> { Box::new(Client::pool(pool, tally.clone())) };
                let before = select_counts(&mut admin);
                let cpu0 = cpu.sample();
                runs[c].push(run_readers(READ_THREADS, secs, CPU_READ, &make));
                read_cpu[c].add(&cpu0, &cpu.sample(), runs[c].last().unwrap(), secs);
                let after = select_counts(&mut admin);
                pool_sel[0] += after[0].saturating_sub(before[0]);
                pool_sel[1] += after[1].saturating_sub(before[1]);
            }
        }
    }
    let read = [summary(&runs[0]), summary(&runs[1])];
    let read_share = [
        tallies[0].standby_share(),
        share(pool_sel[1], pool_sel[0] + pool_sel[1]),
    ];

    // B3's workload: the 90/10 mix under a 5 ms apply delay.
    let mut setup = pgtc::Session::open(&ctx.conninfo).expect("pgtc connect");
    setup
        .exec(
            "CREATE TABLE IF NOT EXISTS b4(id int PRIMARY KEY, v bigint)",
            None,
        )
        .unwrap();
    setup
        .exec(
            &format!(
                "INSERT INTO b4 SELECT g, 0 FROM generate_series(0, {}) g \
                 ON CONFLICT (id) DO UPDATE SET v = 0",
                ROWS - 1
            ),
            None,
        )
        .unwrap();
    wait_for_rows(&ctx.standby);
    cluster(&ctx.dir, &["delay", "5"]);
    // Let the standby's startup process take the reloaded setting.
    std::thread::sleep(Duration::from_millis(300));
    let next_row = Arc::new(AtomicU64::new(0));
    let mut runs = [Vec::new(), Vec::new()];
    let tallies = [Arc::new(Tally::default()), Arc::new(Tally::default())];
    let mut pool_sel = [0u64; 2];
    let mut mix_cpu = [CpuUse::default(), CpuUse::default()];
    for round in 0..B4_ROUNDS {
        for k in 0..2 {
            let c = if round % 2 == 0 { k } else { 1 - k };
            let (tally, next_row) = (tallies[c].clone(), next_row.clone());
            let secs = Duration::from_secs(MIX_SECS);
            let mix = |client: Client| -> Box<dyn Reader> {
                let id = next_row.fetch_add(1, Relaxed);
                assert!(id < ROWS, "B4 needs more rows in table b4");
                Box::new(Mix::new(client, id))
            };
            if c == 0 {
                let make = || mix(Client::pgtc(&read_mostly, tally.clone()));
                let cpu0 = cpu.sample();
                runs[c].push(run_readers(MIX_THREADS, secs, "", &make));
                mix_cpu[c].add(&cpu0, &cpu.sample(), runs[c].last().unwrap(), secs);
            } else {
                let make = || mix(Client::pool(pool, tally.clone()));
                let before = select_counts(&mut admin);
                let cpu0 = cpu.sample();
                runs[c].push(run_readers(MIX_THREADS, secs, "", &make));
                mix_cpu[c].add(&cpu0, &cpu.sample(), runs[c].last().unwrap(), secs);
                let after = select_counts(&mut admin);
                pool_sel[0] += after[0].saturating_sub(before[0]);
                pool_sel[1] += after[1].saturating_sub(before[1]);
            }
        }
    }
    cluster(&ctx.dir, &["delay", "0"]);
    let mix = [summary(&runs[0]), summary(&runs[1])];
    let reads = [
        tallies[0].reads.load(Relaxed),
        tallies[1].reads.load(Relaxed),
    ];
    let stale = [
        tallies[0].stale.load(Relaxed),
        tallies[1].stale.load(Relaxed),
    ];
    let writes = [
        tallies[0].writes.load(Relaxed),
        tallies[1].writes.load(Relaxed),
    ];
    // pgtc: statements on the standby (all reads) over reads; pgpool-II:
    // SELECTs it sent to node 1 over all it sent (select_cnt counts SELECTs
    // only).
    let mix_share = [
        share(tallies[0].standby.load(Relaxed), reads[0]),
        share(pool_sel[1], pool_sel[0] + pool_sel[1]),
    ];

    let pool_name = format!(
        "pgpool-II {}",
        version.split_whitespace().next().unwrap_or("?")
    );
    println!(
        "\n### B4 vs {}: B2's CPU-bound read, {} client threads × {} s, {} rounds (medians)\n",
        pool_name, READ_THREADS, READ_SECS, B4_ROUNDS
    );
    println!("| contender | reads/s | p50 ms | p99 ms | reads on the standby |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| pgtc READ_MOSTLY | {:.0} | {:.2} | {:.2} | {} |",
        read[0].per_second,
        read[0].p50_ms,
        read[0].p99_ms,
        pct(read_share[0])
    );
    println!(
        "| {} (load_balance_mode = on, equal weights) | {:.0} | {:.2} | {:.2} | {} |",
        pool_name,
        read[1].per_second,
        read[1].p50_ms,
        read[1].p99_ms,
        pct(read_share[1])
    );
    println!(
        "| pgtc / pgpool-II (throughput: higher is better; latency: lower is better) | {:.2} | {:.2} | {:.2} | |",
        read[0].per_second / read[1].per_second,
        read[0].p50_ms / read[1].p50_ms,
        read[0].p99_ms / read[1].p99_ms
    );
    println!(
        "\n### B4 vs {}: B3's 90/10 mix (autocommit UPDATE of the client's own row, reads of it), \
         5 ms apply delay, {} client threads × {} s, {} rounds (medians; counts summed)\n",
        pool_name, MIX_THREADS, MIX_SECS, B4_ROUNDS
    );
    println!("| contender | statements/s | p50 ms | p99 ms | writes | reads | stale reads | reads on the standby |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (c, name) in ["pgtc READ_MOSTLY", pool_name.as_str()].iter().enumerate() {
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {} | {} | {} ({:.1} %) | {} |",
            name,
            mix[c].per_second,
            mix[c].p50_ms,
            mix[c].p99_ms,
            writes[c],
            reads[c],
            stale[c],
            100.0 * stale[c] as f64 / reads[c].max(1) as f64,
            pct(mix_share[c])
        );
    }
    println!(
        "| pgtc / pgpool-II (throughput: higher is better; latency: lower is better) | {:.2} | {:.2} | {:.2} | | | | |",
        mix[0].per_second / mix[1].per_second,
        mix[0].p50_ms / mix[1].p50_ms,
        mix[0].p99_ms / mix[1].p99_ms
    );
    println!(
        "\npgpool-II as configured by tools/pgpool-pair, read-your-writes settings at its defaults: \
         disable_load_balance_on_write = {on_write} (only reads inside an explicit transaction that \
         wrote stay on the primary; an autocommit read right after the session's own write is \
         load-balanced), statement_level_load_balance = {per_statement} (each client session gets \
         one load-balance node when it connects), delay_threshold = {delay_threshold} (replication \
         delay never steers reads). Stale read: a read that returned an older value than the \
         client's own last committed write. pgpool-II's standby share is from SHOW pool_nodes \
         select_cnt."
    );
    println!(
        "\n### B4 where the CPU goes: µs of CPU per statement, by process (all rounds; \
         includes opening and closing the clients' connections)\n"
    );
    println!("| workload | contender | client process | pgpool-II | primary | standby | total |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (w, cpus) in [("B2 read", &read_cpu), ("B3 mix", &mix_cpu)] {
        for (c, name) in ["pgtc READ_MOSTLY", pool_name.as_str()].iter().enumerate() {
            let u = &cpus[c];
            let per = |us: Option<f64>| {
                us.map_or_else(
                    || "?".into(),
                    |us| format!("{:.0}", us / u.statements.max(1.0)),
                )
            };
            let total = u.us.iter().copied().sum::<Option<f64>>();
            println!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                w,
                name,
                per(u.us[0]),
                per(u.us[1]),
                per(u.us[2]),
                per(u.us[3]),
                per(total)
            );
        }
    }
    let verdict = |r: &[Run; 2]| {
        let x = r[0].per_second / r[1].per_second;
        if x >= 2.0 && r[0].p99_ms < r[1].p99_ms {
            format!("met ({x:.2}×, lower p99)")
        } else {
            format!(
                "NOT met ({:.2}× throughput, p99 {:.2} vs {:.2} ms)",
                x, r[0].p99_ms, r[1].p99_ms
            )
        }
    };
    println!(
        "\nTarget (pgtc ≥ 2× pgpool-II's throughput with a lower p99): B2 workload {}; B3 workload {}. \
         B4 took {:.0} s.",
        verdict(&read),
        verdict(&mix),
        t0.elapsed().as_secs_f64()
    );
}

/// What the clients of one contender did, summed over rounds.
#[derive(Default)]
struct Tally {
    reads: AtomicU64,
    stale: AtomicU64,
    writes: AtomicU64,
    /// pgtc only: statements that ran on the standby / the primary.
    standby: AtomicU64,
    primary: AtomicU64,
}

impl Tally {
    fn standby_share(&self) -> Option<f64> {
        let s = self.standby.load(Relaxed);
        share(s, s + self.primary.load(Relaxed))
    }
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "?".into(), |v| format!("{:.1} %", 100.0 * v))
}

/// Median throughput and latencies over rounds.
fn summary(runs: &[Run]) -> Run {
    Run {
        per_second: median(runs.iter().map(|r| r.per_second).collect()),
        p50_ms: median(runs.iter().map(|r| r.p50_ms).collect()),
        p99_ms: median(runs.iter().map(|r| r.p99_ms).collect()),
    }
}

/// One client of either contender.
enum Conn {
    Pgtc(Box<pgtc::Session>),
    Pool(Box<postgres::Client>),
}

struct Client {
    conn: Conn,
    tally: Arc<Tally>,
}

impl Client {
    fn pgtc(conninfo: &str, tally: Arc<Tally>) -> Client {
        let s = pgtc::Session::open(conninfo).expect("pgtc connect");
        Client {
            conn: Conn::Pgtc(Box::new(s)),
            tally,
        }
    }

    fn pool(conninfo: &str, tally: Arc<Tally>) -> Client {
        let c = postgres::Client::connect(conninfo, postgres::NoTls)
            .expect("connect through pgpool-II");
        Client {
            conn: Conn::Pool(Box::new(c)),
            tally,
        }
    }

    /// Run `sql` (simple protocol); the first value of the first row.
    fn query(&mut self, sql: &str) -> Option<u64> {
        match &mut self.conn {
            Conn::Pgtc(s) => {
                let r = s.exec(sql, None).expect("pgtc exec");
                r.value(0, 0).and_then(|v| v.parse().ok())
            }
            Conn::Pool(c) => {
                let msgs = c.simple_query(sql).expect("query through pgpool-II");
                msgs.iter().find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => r.get(0).and_then(|v| v.parse().ok()),
                    _ => None,
                })
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Conn::Pgtc(s) = &self.conn {
            let c = s.counters();
            self.tally.standby.fetch_add(c.standby, Relaxed);
            self.tally.primary.fetch_add(c.primary, Relaxed);
        }
    }
}

/// B2's client: runs the statement it is given.
impl Reader for Client {
    fn read(&mut self, sql: &str) {
        std::hint::black_box(self.query(sql));
    }
}

/// B3's client: each call is one statement of a 90/10 mix on its own row:
/// an autocommit UPDATE setting the next value, or a read checked against
/// the last value written.
struct Mix {
    client: Client,
    update: String,
    select: String,
    id: u64,
    written: u64,
    rng: u64,
    reads: u64,
    stale: u64,
    writes: u64,
}

impl Mix {
    fn new(client: Client, id: u64) -> Mix {
        Mix {
            client,
            update: String::new(),
            select: format!("SELECT v FROM b4 WHERE id = {id}"),
            id,
            written: 0,
            rng: 0x9E37_79B9_7F4A_7C15 ^ id,
            reads: 0,
            stale: 0,
            writes: 0,
        }
    }
}

impl Reader for Mix {
    fn read(&mut self, _: &str) {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        if self.rng % 10 == 0 {
            self.written += 1;
            self.update.clear();
            use std::fmt::Write;
            write!(
                self.update,
                "UPDATE b4 SET v = {} WHERE id = {}",
                self.written, self.id
            )
            .unwrap();
            self.client.query(&self.update);
            self.writes += 1;
        } else {
            let seen = self.client.query(&self.select).expect("row of b4");
            self.reads += 1;
            if seen < self.written {
                self.stale += 1;
            }
        }
    }
}

impl Drop for Mix {
    fn drop(&mut self) {
        let t = &self.client.tally;
        t.reads.fetch_add(self.reads, Relaxed);
        t.stale.fetch_add(self.stale, Relaxed);
        t.writes.fetch_add(self.writes, Relaxed);
    }
}

/// CPU time used by this process, by pgpool-II and by each server, each
/// with its (live and reaped) child processes, from /proc.
struct CpuMeter {
    /// pgpool-II's main process, the primary's and the standby's postmaster.
    roots: [Option<u32>; 3],
    us_per_tick: f64,
}

impl CpuMeter {
    fn new(dir: &str) -> CpuMeter {
        let pid = |f: &str| {
            let text = std::fs::read(format!("{dir}/{f}")).ok()?;
            let text = String::from_utf8_lossy(&text);
            text.lines()
                .next()?
                .trim_matches(char::from(0))
                .trim()
                .parse()
                .ok()
        };
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        CpuMeter {
            roots: [
                pid("pgpool/pgpool.pid"),
                pid("primary/postmaster.pid"),
                pid("standby/postmaster.pid"),
            ],
            us_per_tick: 1e6 / if hz > 0 { hz as f64 } else { 100.0 },
        }
    }

    /// µs of CPU so far: [this process, pgpool-II, primary, standby].
    fn sample(&self) -> [Option<f64>; 4] {
        // pid → (parent, own + reaped children's ticks)
        let mut procs = std::collections::HashMap::new();
        for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // Fields after "(comm)": state ppid … utime(14) stime cutime cstime.
            let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
                continue;
            };
            let f: Vec<&str> = rest.split_whitespace().collect();
            let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            procs.insert(pid, (num(1) as u32, num(11) + num(12) + num(13) + num(14)));
        }
        let tree = |root: u32| -> Option<f64> {
            procs.get(&root)?;
            let mut ticks = 0;
            for (&pid, &(_, t)) in &procs {
                let mut p = pid;
                for _ in 0..8 {
                    if p == root {
                        ticks += t;
                        break;
                    }
                    match procs.get(&p) {
                        Some(&(parent, _)) if parent != 0 => p = parent,
                        _ => break,
                    }
                }
            }
            Some(ticks as f64 * self.us_per_tick)
        };
        let me = procs
            .get(&std::process::id())
            .map(|&(_, t)| t as f64 * self.us_per_tick);
        [
            me,
            self.roots[0].and_then(tree),
            self.roots[1].and_then(tree),
            self.roots[2].and_then(tree),
        ]
    }
}

/// CPU µs by process and statements run, summed over rounds.
#[derive(Default)]
struct CpuUse {
    us: [Option<f64>; 4],
    statements: f64,
}

impl CpuUse {
    fn add(
        &mut self,
        before: &[Option<f64>; 4],
        after: &[Option<f64>; 4],
        run: &Run,
        secs: Duration,
    ) {
        for i in 0..4 {
            let d = after[i].zip(before[i]).map(|(a, b)| (a - b).max(0.0));
            self.us[i] = if self.statements == 0.0 {
                d
            } else {
                self.us[i].zip(d).map(|(a, b)| a + b)
            };
        }
        self.statements += run.per_second * secs.as_secs_f64();
    }
}

/// The first value of the first row a simple query returned.
fn first_value(c: &mut postgres::Client, sql: &str) -> Option<String> {
    let msgs = c.simple_query(sql).ok()?;
    msgs.iter().find_map(|m| match m {
        postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
        _ => None,
    })
}

/// SELECTs pgpool-II sent to node 0 (the primary) and node 1 (the standby)
/// since it started.
fn select_counts(admin: &mut postgres::Client) -> [u64; 2] {
    let mut n = [0u64; 2];
    for m in admin
        .simple_query("SHOW pool_nodes")
        .expect("SHOW pool_nodes")
    {
        if let postgres::SimpleQueryMessage::Row(r) = m {
            let node: usize = r.get("node_id").and_then(|v| v.parse().ok()).unwrap_or(9);
            let cnt: u64 = r
                .get("select_cnt")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if node < 2 {
                n[node] = cnt;
            }
        }
    }
    n
}

/// Wait (up to 10 s) until the standby has replayed table b4's reset rows.
fn wait_for_rows(standby: &str) {
    let mut c =
        postgres::Client::connect(standby, postgres::NoTls).expect("connect to the standby");
    let q = format!("SELECT count(*) FROM b4 WHERE v = 0 AND id < {ROWS}");
    let end = Instant::now() + Duration::from_secs(10);
    while Instant::now() < end {
        if first_value(&mut c, &q).as_deref() == Some(ROWS.to_string().as_str()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the standby did not replay table b4's rows within 10 s");
}
