//! Soak test: THREADS threads, each with its own READ_MOSTLY session, run a
//! 90 % read / 10 % write mix (every write followed by a read-back check)
//! for SECONDS while faults are injected with tools/pgtc-cluster, then print
//! a summary. Usually run through `tools/soak`, which makes the pair.
//!
//! cargo run --release --example soak -- --conninfo CONNINFO --tool tools/pgtc-cluster
//!     --dir DIR [--threads 8] [--seconds 60] [--fault SECONDS:KIND]...
//! KIND: standby-bounce (kill + start the standby), restart-primary,
//! rebuild (the standby, from a fresh base backup), failover (kill the
//! primary + promote the standby). Exits 1 on a stale read or a failure that
//! is not a documented outcome of the fault it happened in.

use pgtc::{ResultSet, Server, Session, Status};
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const KINDS: [&str; 4] = ["standby-bounce", "restart-primary", "rebuild", "failover"];
/// Failures of these kinds are documented during a primary fault and for
/// GRACE_MS after it ends.
const DOCUMENTED: [Status; 3] = [
    Status::ConnectionLost,
    Status::ConnectionSwitched,
    Status::NoPrimary,
];
const GRACE_MS: u64 = 5000;
/// An acknowledged commit this close (ms) before a primary crash may be lost by
/// asynchronous replication: missing after a failover, it is not a stale read.
const ASYNC_MARGIN_MS: u64 = 200;
const UNSET: u64 = u64::MAX;
const INSERT: &str = "INSERT INTO soak_rows VALUES ($1, $2)";
const READ: &str = "SELECT max(n) FROM soak_rows WHERE thread = $1";

static T0: OnceLock<Instant> = OnceLock::new();
/// The primary crash of a failover: from the kill's start to its end (ms).
static CRASH_FROM: AtomicU64 = AtomicU64::new(UNSET);
static CRASH_TO: AtomicU64 = AtomicU64::new(UNSET);

/// Milliseconds since the start.
fn ms() -> u64 {
    T0.get().expect("set in main").elapsed().as_millis() as u64
}

/// Indices into `Tally::n`. Writes never run on the standby: all it ran were reads.
const STATEMENTS: usize = 0;
const WRITES: usize = 1;
const CYCLES: usize = 2;
const READS: usize = 3;
const READS_STANDBY: usize = 4;
const PLAIN: usize = 5;
const PLAIN_STANDBY: usize = 6;
/// Threads that never wrote again after the last fault on the primary.
const STUCK: usize = 7;

#[derive(Default)]
struct Tally {
    n: [u64; 8],
    stale: Vec<String>,
    async_lost: u64,
    /// When a write last succeeded (ms since start).
    last_write: u64,
    /// (ms since start, status, SQLSTATE, statement kind, message)
    failures: Vec<(u64, Status, String, &'static str, String)>,
}

fn main() {
    let (mut conninfo, mut tool, mut dir) = (String::new(), String::new(), String::new());
    let (mut threads, mut seconds, mut faults) = (8usize, 60u64, Vec::<(f64, String)>::new());
    let mut args = std::env::args().skip(1);
    while let Some(k) = args.next() {
        let v = args.next().unwrap_or_default();
        let bad = || -> ! { die(&format!("bad value for {}: {:?}", k, v)) };
        match k.as_str() {
            "--conninfo" => conninfo = v,
            "--tool" => tool = v,
            "--dir" => dir = v,
            "--threads" => threads = v.parse().unwrap_or_else(|_| bad()),
            "--seconds" => seconds = v.parse().unwrap_or_else(|_| bad()),
            "--fault" => match v.split_once(':') {
                Some((at, kind)) if KINDS.contains(&kind) => {
                    faults.push((at.parse().unwrap_or_else(|_| bad()), kind.to_string()))
                }
                _ => die(&format!("--fault SECONDS:KIND, KIND one of {:?}", KINDS)),
            },
            _ => die(&format!("unknown option {}", k)),
        }
    }
    if conninfo.is_empty() || (!faults.is_empty() && (tool.is_empty() || dir.is_empty())) {
        die("--conninfo is required, and --tool and --dir with --fault");
    }
    let conninfo = format!("{conninfo} PREFERRED_ACCESS=READ_MOSTLY connect_timeout=2");
    let mut setup = Session::open(&conninfo).unwrap_or_else(|e| die(&e.to_string()));
    let ddl =
        "CREATE TABLE IF NOT EXISTS soak_rows (thread int, n bigint, PRIMARY KEY (thread, n))";
    if let Err(e) = setup.exec(ddl, None) {
        die(&e.to_string());
    }
    // The workers' sessions read the table only once the standby has it.
    let token = setup.lsn_floor_text();
    let t0 = *T0.get_or_init(Instant::now);
    let end = t0 + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..threads)
        .map(|id| {
            let (c, token) = (conninfo.clone(), token.clone());
            std::thread::spawn(move || worker(id, &c, &token, end))
        })
        .collect();
    // The faults, on schedule: (kind, start ms, end ms).
    let mut windows: Vec<(String, u64, u64)> = Vec::new();
    faults.sort_by(|x, y| x.0.total_cmp(&y.0));
    for (at, kind) in &faults {
        let when = t0 + Duration::from_secs_f64(*at);
        std::thread::sleep(when.saturating_duration_since(Instant::now()));
        let from = ms();
        match kind.as_str() {
            "standby-bounce" => {
                ctl(&tool, &dir, &["kill", "standby"]);
                std::thread::sleep(Duration::from_secs(1));
                ctl(&tool, &dir, &["start", "standby"]);
            }
            "restart-primary" => ctl(&tool, &dir, &["restart", "primary"]),
            "rebuild" => ctl(&tool, &dir, &["rebuild"]),
            _ => {
                CRASH_FROM.store(from, Ordering::SeqCst);
                ctl(&tool, &dir, &["kill", "primary"]);
                CRASH_TO.store(ms(), Ordering::SeqCst);
                ctl(&tool, &dir, &["promote"]);
            }
        }
        windows.push((kind.clone(), from, ms()));
    }
    let (mut t, mut last_writes) = (Tally::default(), Vec::new());
    for w in workers {
        let x = w.join().unwrap_or_else(|_| die("a worker panicked"));
        (0..t.n.len()).for_each(|i| t.n[i] += x.n[i]);
        t.stale.extend(x.stale);
        t.async_lost += x.async_lost;
        t.failures.extend(x.failures);
        last_writes.push(x.last_write);
    }
    // After a fault on the primary, every thread must have written again.
    let on_primary = windows.iter().filter(|w| on_primary(&w.0));
    let resumed_after = on_primary.map(|w| w.2).max().unwrap_or(0);
    t.n[STUCK] = last_writes.iter().filter(|&&at| at < resumed_after).count() as u64;
    std::process::exit(report(&t, &windows, threads, seconds));
}

fn on_primary(fault: &str) -> bool {
    fault == "restart-primary" || fault == "failover"
}

fn die(msg: &str) -> ! {
    eprintln!("soak: {}", msg);
    std::process::exit(2)
}

fn ctl(tool: &str, dir: &str, args: &[&str]) {
    let mut cmd = Command::new(tool);
    cmd.arg(args[0]).args(["--dir", dir]).args(&args[1..]);
    match cmd.output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => die(&String::from_utf8_lossy(&o.stderr)),
        Err(e) => die(&format!("running {}: {}", tool, e)),
    }
}

fn worker(id: usize, conninfo: &str, token: &str, end: Instant) -> Tally {
    let mut w = Worker {
        s: match Session::open(conninfo) {
            Ok(s) => s,
            Err(e) => die(&format!("thread {}: {}", id, e)),
        },
        t: Tally::default(),
    };
    w.s.raise_lsn_floor(token)
        .expect("a token from lsn_floor_text");
    let tid = id.to_string();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (id as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    // n: this thread's last insert; acked: inserts acknowledged since the last read.
    let (mut n, mut acked) = (0u64, Vec::<(u64, u64)>::new());
    while Instant::now() < end {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let write = rng % 10 == 0;
        if write {
            n += 1;
            let ns = n.to_string();
            if w.run("write", INSERT, &[Some(&tid), Some(&ns)]).is_some() {
                w.t.n[WRITES] += 1;
                w.t.last_write = ms();
                acked.push((n, w.t.last_write));
            }
        }
        let kind = if write { "read-back" } else { "read" };
        let Some(r) = w.run(kind, READ, &[Some(&tid)]) else {
            continue;
        };
        let t = &mut w.t;
        let on_standby = u64::from(r.server == Some(Server::Secondary));
        t.n[READS] += 1;
        t.n[READS_STANDBY] += on_standby;
        if write {
            t.n[CYCLES] += u64::from(acked.last().is_some_and(|&(m, _)| m == n));
        } else {
            t.n[PLAIN] += 1;
            t.n[PLAIN_STANDBY] += on_standby;
        }
        // The read must see every write of this session that was acknowledged.
        let seen: u64 = r.value(0, 0).and_then(|v| v.parse().ok()).unwrap_or(0);
        let missed: Vec<_> = acked.iter().filter(|&&(m, _)| m > seen).collect();
        if let Some(&&(m, at)) = missed.last() {
            let from = CRASH_FROM.load(Ordering::SeqCst);
            let to = CRASH_TO.load(Ordering::SeqCst);
            let uncertain = |at: u64| from != UNSET && at + ASYNC_MARGIN_MS >= from && at <= to;
            if missed.iter().all(|&&(_, at)| uncertain(at)) {
                t.async_lost += missed.len() as u64;
            } else {
                t.stale.push(format!(
                    "thread {} {} at {} ms on {:?}: saw n = {}, but n = {} was acknowledged at {} ms",
                    id, kind, ms(), r.server, seen, m, at
                ));
            }
        }
        acked.clear();
    }
    w.t
}

struct Worker {
    s: Session,
    t: Tally,
}

impl Worker {
    /// Run one statement and count it; after a failure leave no transaction open.
    fn run(&mut self, kind: &'static str, sql: &str, params: &[Option<&str>]) -> Option<ResultSet> {
        self.t.n[STATEMENTS] += 1;
        let e = match self.s.exec(sql, Some(params)) {
            Ok(r) => return Some(r),
            Err(e) => e,
        };
        let f = (ms(), e.status, e.sqlstate, kind, e.message);
        self.t.failures.push(f);
        if self.s.in_transaction() {
            let _ = self.s.exec("ROLLBACK", None);
        }
        std::thread::sleep(Duration::from_millis(10));
        None
    }
}

fn pct(part: u64, all: u64) -> String {
    let p = 100.0 * part as f64 / all.max(1) as f64;
    format!("{:.1}% ({} of {})", p, part, all)
}

/// Print the summary; the exit status (0: no stale read, no unexpected failure).
fn report(t: &Tally, windows: &[(String, u64, u64)], threads: usize, seconds: u64) -> i32 {
    let in_primary_fault = |at: u64| {
        let mut w = windows.iter();
        w.any(|(k, from, to)| on_primary(k) && at >= *from && at <= to + GRACE_MS)
    };
    let mut by: BTreeMap<(String, &str, bool), u64> = BTreeMap::new();
    let mut first_unexpected = None;
    for (at, st, state, kind, msg) in &t.failures {
        let ok = DOCUMENTED.contains(st) && in_primary_fault(*at);
        *by.entry((format!("{:?} {}", st, state), kind, ok))
            .or_default() += 1;
        if !ok && first_unexpected.is_none() {
            first_unexpected = Some(format!("at {} ms, {}: {:?} {}", at, kind, st, msg));
        }
    }
    let unexpected: u64 = by.iter().filter(|(k, _)| !k.2).map(|(_, n)| n).sum();
    let n = &t.n;
    println!("soak summary: {threads} threads, {seconds} s, 90% reads / 10% writes, each write read back");
    for (k, from, to) in windows {
        println!("  fault {:<16} at {:>6} ms, took {} ms", k, from, to - from);
    }
    println!("  {:<26} {}", "statements run:", n[STATEMENTS]);
    println!("  {:<26} {}", "writes acknowledged:", n[WRITES]);
    println!("  {:<26} {}", "write→read cycles:", n[CYCLES]);
    let (all, documented) = (t.failures.len(), t.failures.len() as u64 - unexpected);
    let line = format!("{all} ({documented} documented fault outcomes, {unexpected} unexpected)");
    println!("  {:<26} {}", "failures:", line);
    for ((what, kind, ok), count) in &by {
        let class = if *ok { "documented" } else { "UNEXPECTED" };
        println!("    {:<28} {:<10} {:>6}  {}", what, kind, count, class);
    }
    if let Some(f) = &first_unexpected {
        println!("    first unexpected: {}", f);
    }
    println!("  {:<26} {}", "stale reads:", t.stale.len());
    for s in t.stale.iter().take(5) {
        println!("    {}", s);
    }
    if t.async_lost > 0 {
        let what = "acknowledged writes lost by asynchronous replication at the failover";
        println!("  {}: {}", what, t.async_lost);
    }
    for (what, part, of) in [
        ("standby share of reads:", n[READS_STANDBY], n[READS]),
        ("90/10 mix, standby share:", n[READS_STANDBY], n[STATEMENTS]),
        ("  of its plain reads:", n[PLAIN_STANDBY], n[PLAIN]),
    ] {
        println!("  {:<26} {}", what, pct(part, of));
    }
    if n[STUCK] > 0 {
        println!(
            "  threads whose writes never resumed after the last primary fault: {}",
            n[STUCK]
        );
    }
    let pass = t.stale.is_empty() && unexpected == 0 && n[CYCLES] > 0 && n[STUCK] == 0;
    let result = if pass { "PASS" } else { "FAIL" };
    println!("  {:<26} {}", "result:", result);
    i32::from(!pass)
}
