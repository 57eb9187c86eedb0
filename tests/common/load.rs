//! Concurrent load on a pair, for tests that check what the contract allows
//! while something happens to it (a fault, replication lag).
//!
//! `THREADS` workers, each with its own READ_MOSTLY session, loop over
//! (insert a row with an increasing number into the worker's own rows, read
//! the highest number back and check it is at least the last one whose
//! insert succeeded) plus plain reads after a short pause. Every statement
//! is recorded with its time and outcome; the test then checks the outcomes
//! around its event. While the load runs, `Load::wait_each` waits for every
//! worker to reach a point (a write on the new primary, a read on the
//! standby), so a test waits for what it needs instead of a fixed time.
//!
//! `Busy` is load from another process: `psql` sessions keeping one node
//! busy.

use super::bounds::*;
use super::{table, wait_for, Cluster};
use pgtc::session::Counters;
use pgtc::{ResultSet, Server, Session, Status};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The workers' connection attributes.
pub const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY connect_timeout=2";
pub const THREADS: usize = 4;
/// No fault window set.
const UNSET: u64 = u64::MAX;
/// An acknowledged commit this close (ms) before a primary crash may not
/// have reached the standby (asynchronous replication): if the promoted
/// standby lacks it, that is replication losing it, not a stale read.
const ASYNC_MARGIN_MS: u64 = 200;
/// How long a worker pauses after a failed statement, so that it does not
/// spin while a server is down (part of the workload, not a wait).
const FAILURE_PAUSE: Duration = Duration::from_millis(10);

/// Shared between the main thread and the workers. Times are ms since `t0`.
pub struct Shared {
    pub t0: Instant,
    stop: AtomicBool,
    /// Written into every inserted row (lets a test find where rows landed).
    pub phase: AtomicI32,
    /// The primary crash window: from the kill's start to its end.
    pub crash_from: AtomicU64,
    pub crash_to: AtomicU64,
    /// What each worker has done so far, for `Load::wait_each`.
    progress: Vec<Progress>,
}

/// How far one worker has come, while it runs.
#[derive(Default)]
pub struct Progress {
    cycles: AtomicU64,
    /// Per `Op`: the start (ms) + 1 of its last successful statement; 0 = none.
    last_ok: [AtomicU64; 3],
    /// The start (ms) + 1 of its last statement served by the standby; 0 = none.
    last_on_standby: AtomicU64,
}

impl Progress {
    /// Write→read-back cycles where both succeeded.
    pub fn cycles(&self) -> u64 {
        self.cycles.load(Ordering::SeqCst)
    }

    /// Whether a statement of kind `op` that started at or after `ms` succeeded.
    pub fn ok_since(&self, op: Op, ms: u64) -> bool {
        self.last_ok[op as usize].load(Ordering::SeqCst) > ms
    }

    /// Whether a statement that started at or after `ms` was served by the standby.
    pub fn on_standby_since(&self, ms: u64) -> bool {
        self.last_on_standby.load(Ordering::SeqCst) > ms
    }
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared {
            t0: Instant::now(),
            stop: AtomicBool::new(false),
            phase: AtomicI32::new(0),
            crash_from: AtomicU64::new(UNSET),
            crash_to: AtomicU64::new(UNSET),
            progress: (0..THREADS).map(|_| Progress::default()).collect(),
        })
    }

    pub fn ms(&self) -> u64 {
        self.t0.elapsed().as_millis() as u64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Write = 0,
    ReadBack = 1,
    Read = 2,
}

pub type Outcome = std::result::Result<Server, (Status, String, String)>;

/// One statement of a worker.
pub struct Rec {
    pub op: Op,
    pub start: u64,
    pub end: u64,
    pub outcome: Outcome,
}

/// What a worker did.
pub struct Worker {
    pub id: usize,
    pub recs: Vec<Rec>,
    pub stale: Vec<String>,
    /// Acknowledged commits the promoted standby never had (see ASYNC_MARGIN_MS).
    pub async_lost: u64,
    /// Write→read-back cycles where both succeeded.
    pub cycles: u64,
    /// Successful inserts per phase.
    pub acked: BTreeMap<i32, u64>,
    pub counters: Counters,
}

#[derive(Clone)]
pub struct Plan {
    pub table: String,
    /// The workers stop by themselves after this, or after `max_cycles`.
    pub run: Duration,
    pub max_cycles: u64,
    /// Every `pause_every` cycles: sleep `pause` (think time), then a plain read.
    pub pause_every: u64,
    pub pause: Duration,
}

impl Plan {
    /// Runs until stopped (at most `LOAD_RUN`).
    pub fn new(table: &str) -> Plan {
        Plan {
            table: table.to_string(),
            run: LOAD_RUN,
            max_cycles: 1_000_000,
            pause_every: 3,
            pause: Duration::from_millis(15),
        }
    }
}

fn outcome(r: &pgtc::Result<ResultSet>) -> Outcome {
    match r {
        Ok(r) => Ok(r.server.unwrap_or(Server::None)),
        Err(e) => Err((e.status, e.sqlstate.clone(), e.message.clone())),
    }
}

fn run_worker(id: usize, mut s: Session, plan: Plan, sh: Arc<Shared>) -> Worker {
    let ins = format!(
        "INSERT INTO {} (thread, n, phase) VALUES ($1, $2, $3)",
        plan.table
    );
    let sel = format!("SELECT max(n) FROM {} WHERE thread = $1", plan.table);
    let tid = id.to_string();
    let end = Instant::now() + plan.run;
    let mut w = Worker {
        id,
        recs: Vec::new(),
        stale: Vec::new(),
        async_lost: 0,
        cycles: 0,
        acked: BTreeMap::new(),
        counters: Counters::default(),
    };
    // (n, ms) of every acknowledged insert not yet seen by a read.
    let mut acked: Vec<(u64, u64)> = Vec::new();
    let mut n = 0u64;
    while !sh.stop.load(Ordering::Relaxed) && Instant::now() < end && w.cycles < plan.max_cycles {
        n += 1;
        let phase = sh.phase.load(Ordering::SeqCst);
        let (ns, ps) = (n.to_string(), phase.to_string());
        let wrote = step(
            &mut s,
            &sh,
            &mut w,
            Op::Write,
            &ins,
            &[Some(&tid), Some(&ns), Some(&ps)],
        )
        .is_some();
        if wrote {
            acked.push((n, sh.ms()));
            *w.acked.entry(phase).or_default() += 1;
        }
        if let Some(r) = step(&mut s, &sh, &mut w, Op::ReadBack, &sel, &[Some(&tid)]) {
            check_read(&mut w, &mut acked, &r, &sh, "read-back");
            if wrote {
                w.cycles += 1;
                sh.progress[id].cycles.store(w.cycles, Ordering::SeqCst);
            }
        }
        if plan.pause_every > 0 && n % plan.pause_every == 0 {
            std::thread::sleep(plan.pause);
            if let Some(r) = step(&mut s, &sh, &mut w, Op::Read, &sel, &[Some(&tid)]) {
                check_read(&mut w, &mut acked, &r, &sh, "plain read");
            }
        }
    }
    w.counters = s.counters();
    w
}

/// Run one statement, record it; on failure leave no transaction open and
/// pause briefly so a worker does not spin while a server is down.
fn step(
    s: &mut Session,
    sh: &Shared,
    w: &mut Worker,
    op: Op,
    sql: &str,
    params: &[Option<&str>],
) -> Option<ResultSet> {
    let start = sh.ms();
    let r = s.exec(sql, Some(params));
    w.recs.push(Rec {
        op,
        start,
        end: sh.ms(),
        outcome: outcome(&r),
    });
    match r {
        Ok(r) => {
            let p = &sh.progress[w.id];
            p.last_ok[op as usize].fetch_max(start + 1, Ordering::SeqCst);
            if r.server == Some(Server::Secondary) {
                p.last_on_standby.fetch_max(start + 1, Ordering::SeqCst);
            }
            Some(r)
        }
        Err(_) => {
            if s.in_transaction() {
                let _ = s.exec("ROLLBACK", None);
            }
            std::thread::sleep(FAILURE_PAUSE);
            None
        }
    }
}

/// A read must see every insert of this worker that was acknowledged
/// (except, across a primary crash, ones replication may have lost).
fn check_read(w: &mut Worker, acked: &mut Vec<(u64, u64)>, r: &ResultSet, sh: &Shared, what: &str) {
    let seen: u64 = r.value(0, 0).and_then(|v| v.parse().ok()).unwrap_or(0);
    let (from, to) = (
        sh.crash_from.load(Ordering::SeqCst),
        sh.crash_to.load(Ordering::SeqCst),
    );
    let uncertain =
        |at: u64| from != UNSET && at + ASYNC_MARGIN_MS >= from && (to == UNSET || at <= to);
    let missed: Vec<(u64, u64)> = acked.iter().copied().filter(|&(n, _)| n > seen).collect();
    if !missed.is_empty() {
        if missed.iter().all(|&(_, at)| uncertain(at)) {
            w.async_lost += missed.len() as u64;
        } else {
            w.stale.push(format!(
                "worker {}: {} at {} ms on {:?} saw max(n) = {} but insert n = {} was acknowledged at {} ms",
                w.id,
                what,
                sh.ms(),
                r.server,
                seen,
                missed.last().unwrap().0,
                missed.last().unwrap().1
            ));
        }
    }
    // Reported or confirmed: either way the next read is checked afresh.
    acked.clear();
}

/// Running workers. Dropping it (a test that failed) stops them.
pub struct Load {
    rx: mpsc::Receiver<Worker>,
    sh: Arc<Shared>,
    n: usize,
}

/// Open `THREADS` READ_MOSTLY sessions and start the workers.
pub fn start_load(c: &Cluster, plan: &Plan, sh: &Arc<Shared>) -> Load {
    let n = THREADS;
    let (tx, rx) = mpsc::channel();
    for id in 0..n {
        let s = c.open(RM);
        let (tx, plan, sh) = (tx.clone(), plan.clone(), Arc::clone(sh));
        std::thread::Builder::new()
            .name(format!("load-{}", id))
            .spawn(move || {
                let _ = tx.send(run_worker(id, s, plan, sh));
            })
            .unwrap();
    }
    Load {
        rx,
        sh: Arc::clone(sh),
        n,
    }
}

impl Load {
    /// Waits until every worker satisfies `done` (given its progress);
    /// panics naming `what` and the workers still short of it after `within`.
    #[track_caller]
    pub fn wait_each(&self, what: &str, within: Duration, done: impl Fn(&Progress) -> bool) {
        wait_for(
            format_args!("every load worker to have {}", what),
            within,
            || {
                let short: Vec<String> = self
                    .sh
                    .progress
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !done(p))
                    .map(|(id, p)| format!("worker {} ({} cycles)", id, p.cycles()))
                    .collect();
                if short.is_empty() {
                    Ok(())
                } else {
                    Err(format!("not yet: {}", short.join(", ")))
                }
            },
        )
    }

    /// Waits until the load is under way: every worker has completed
    /// `LOAD_WARM_CYCLES` cycles and had a read served by the standby.
    #[track_caller]
    pub fn wait_warm(&self) {
        self.wait_each(
            &format!(
                "completed {} write→read cycles and read on the standby",
                LOAD_WARM_CYCLES
            ),
            CATCH_UP,
            |p| p.cycles() >= LOAD_WARM_CYCLES && p.on_standby_since(0),
        )
    }

    /// Waits until every worker has completed `n` more write→read cycles
    /// than it had when called: the load goes on after an event.
    #[track_caller]
    pub fn wait_more_cycles(&self, n: u64) {
        let base: Vec<u64> = self.sh.progress.iter().map(Progress::cycles).collect();
        let ps = &self.sh.progress;
        wait_for(
            format_args!("every load worker to complete {} more cycles", n),
            CATCH_UP,
            || {
                let short: Vec<String> = (0..ps.len())
                    .filter(|&id| ps[id].cycles() < base[id] + n)
                    .map(|id| format!("worker {} ({} of {})", id, ps[id].cycles() - base[id], n))
                    .collect();
                if short.is_empty() {
                    Ok(())
                } else {
                    Err(format!("not yet: {}", short.join(", ")))
                }
            },
        )
    }

    /// Stop the workers and collect what they did; a worker whose statement
    /// does not return within `LOAD_STOP` is a hang.
    pub fn finish(self) -> Vec<Worker> {
        self.sh.stop.store(true, Ordering::SeqCst);
        self.join(LOAD_STOP)
    }

    /// Let the workers run their plan to the end; collect what they did.
    pub fn join(self, limit: Duration) -> Vec<Worker> {
        let end = Instant::now() + limit;
        let mut all = Vec::new();
        for _ in 0..self.n {
            let left = end.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(w) => all.push(w),
                Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                    "a load worker hung: a statement did not return within {:?} of the stop",
                    limit
                ),
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!("a load worker panicked"),
            }
        }
        all.sort_by_key(|w| w.id);
        all
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.sh.stop.store(true, Ordering::SeqCst);
    }
}

/// One line per kind of outcome, the cycles, stale reads and standby share.
pub fn summary(name: &str, ws: &[Worker]) -> String {
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    let (mut ok, mut reads, mut on_standby) = (0u64, 0u64, 0u64);
    for r in ws.iter().flat_map(|w| &w.recs) {
        match &r.outcome {
            Ok(server) => {
                ok += 1;
                if r.op != Op::Write {
                    reads += 1;
                    if *server == Server::Secondary {
                        on_standby += 1;
                    }
                }
            }
            Err((st, state, _)) => {
                *by.entry(format!("{:?}/{:?} {}", r.op, st, state))
                    .or_default() += 1
            }
        }
    }
    let cycles: u64 = ws.iter().map(|w| w.cycles).sum();
    let stale: usize = ws.iter().map(|w| w.stale.len()).sum();
    let lost: u64 = ws.iter().map(|w| w.async_lost).sum();
    format!(
        "[{}] {} statements ok, failures {:?}, {} write→read cycles, {} stale reads, {} acknowledged inserts lost by asynchronous replication, standby served {} of {} reads ({:.1}%)",
        name,
        ok,
        by,
        cycles,
        stale,
        lost,
        on_standby,
        reads,
        100.0 * on_standby as f64 / reads.max(1) as f64
    )
}

pub fn failures(ws: &[Worker]) -> Vec<(usize, &Rec)> {
    ws.iter()
        .flat_map(|w| w.recs.iter().map(move |r| (w.id, r)))
        .filter(|(_, r)| r.outcome.is_err())
        .collect()
}

pub fn show(id: usize, r: &Rec) -> String {
    match &r.outcome {
        Ok(s) => format!(
            "worker {} {:?} {}–{} ms ok on {:?}",
            id, r.op, r.start, r.end, s
        ),
        Err((st, state, msg)) => format!(
            "worker {} {:?} {}–{} ms: {:?} {} {}",
            id, r.op, r.start, r.end, st, state, msg
        ),
    }
}

pub fn assert_no_stale(ws: &[Worker]) {
    let stale: Vec<&String> = ws.iter().flat_map(|w| &w.stale).collect();
    assert!(
        stale.is_empty(),
        "{} stale reads, first: {:?}",
        stale.len(),
        &stale[..stale.len().min(5)]
    );
}

pub fn assert_no_failures(ws: &[Worker]) {
    let f = failures(ws);
    assert!(
        f.is_empty(),
        "{} statements failed, first: {:#?}",
        f.len(),
        f.iter()
            .take(5)
            .map(|(i, r)| show(*i, r))
            .collect::<Vec<_>>()
    );
}

/// Each worker's first statement served by `want` that started at or after `after`.
pub fn first_on(w: &Worker, want: Server, after: u64) -> Option<u64> {
    w.recs
        .iter()
        .find(|r| r.start >= after && r.outcome == Ok(want))
        .map(|r| r.start)
}

pub fn assert_each_reached(ws: &[Worker], want: Server, after: u64, within: Duration) {
    let within = within.as_millis() as u64;
    for w in ws {
        let at = first_on(w, want, after);
        assert!(
            at.is_some_and(|t| t <= after + within),
            "worker {}: no statement reached the {:?} within {} ms of {} ms (first at {:?})",
            w.id,
            want,
            within,
            after,
            at
        );
    }
}

/// Create the workers' table directly on the primary and wait until the
/// standby has replayed it.
pub fn rows_table(c: &Cluster, name: &str) -> String {
    let t = table(name);
    c.direct(true)
        .batch_execute(&format!(
            "CREATE TABLE {t} (thread int, n bigint, phase int, PRIMARY KEY (thread, n))"
        ))
        .unwrap();
    c.wait_replayed();
    t
}

/// Processes of `psql` keeping one node busy (killed, and their backends
/// terminated, when dropped).
pub struct Busy(Vec<Child>, String);

impl Busy {
    /// Starts `n` of them, each running `pg_sleep(secs)`, and waits until
    /// every one runs its statement.
    pub fn start(c: &Cluster, primary: bool, n: usize, secs: f64) -> Busy {
        let psql = c.bindir().join("psql");
        let conninfo = format!("{} application_name=pgtc_busy", c.single(primary));
        let kids = (0..n)
            .map(|_| {
                Command::new(&psql)
                    .args(["-X", "-q", "-d", &conninfo, "-c"])
                    .arg(format!("SELECT pg_sleep({})", secs))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("starting psql")
            })
            .collect();
        let busy = Busy(kids, c.single(primary));
        let mut d = c.direct(primary);
        wait_for(
            format_args!("{} psql processes to run pg_sleep", n),
            HANG,
            || {
                let active: i64 = d
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity \
                         WHERE application_name = 'pgtc_busy' AND state = 'active'",
                        &[],
                    )
                    .unwrap()
                    .get(0);
                if active as usize >= n {
                    Ok(())
                } else {
                    Err(format!("{} active", active))
                }
            },
        );
        busy
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        for k in &mut self.0 {
            let _ = k.kill();
            let _ = k.wait();
        }
        // A backend in pg_sleep does not notice its client is gone.
        if let Ok(mut d) = postgres::Client::connect(&self.1, postgres::NoTls) {
            let _ = d.batch_execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = 'pgtc_busy'",
            );
        }
    }
}
