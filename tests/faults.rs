//! Behaviour under faults, against real primary + standby pairs that each
//! test breaks (so every test makes its own with `Cluster::new`).
//!
//! The fault tests run concurrent load (tests/common/load.rs) while the main
//! thread injects the fault with tools/pgtc-cluster, then check the outcomes
//! the contract allows around the fault. Run with `--nocapture` to see a
//! summary per test.

mod common;
use common::load::*;
use common::*;
use pgtc::{ResultSet, Server, Session, Status};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

// ------------------------------------------------------------- helpers ---

/// Run `f` on another thread; a call that does not return within `limit` is a hang.
fn timed<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{} did not return within {:?} (hang)", what, limit)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{} panicked", what),
    }
}

/// `exec` with a time limit; the session goes in and comes back.
fn exec_timed(s: Session, sql: &str, limit: Duration) -> (Session, pgtc::Result<ResultSet>) {
    let text = sql.to_string();
    timed(&format!("exec({})", sql), limit, move || {
        let mut s = s;
        let r = s.exec(&text, None);
        (s, r)
    })
}

fn err_of(r: pgtc::Result<ResultSet>, what: &str) -> pgtc::Error {
    match r {
        Ok(r) => panic!(
            "{} succeeded (on {:?}) but should have failed",
            what, r.server
        ),
        Err(e) => e,
    }
}

/// Retry a write until it succeeds; every failure must be one of `allowed`,
/// and it must succeed by `deadline`.
/// Returns the session, the result of the write and when it succeeded.
#[track_caller]
fn write_until_ok(
    s: Session,
    sql: &str,
    deadline: Instant,
    allowed: &[Status],
) -> (Session, ResultSet, Instant) {
    let mut slot = Some(s);
    let (r, at) = wait_for(
        format_args!("`{}` to succeed", sql),
        deadline.saturating_duration_since(Instant::now()),
        || {
            let (mut s, r) = exec_timed(slot.take().unwrap(), sql, HANG);
            let r = match r {
                Ok(r) => Ok((r, Instant::now())),
                Err(e) => {
                    assert!(
                        allowed.contains(&e.status),
                        "{}: unexpected failure {:?}: {}",
                        sql,
                        e.status,
                        e
                    );
                    if s.in_transaction() {
                        let _ = s.exec("ROLLBACK", None);
                    }
                    Err(format!("still failing: {}", e))
                }
            };
            slot = Some(s);
            r
        },
    );
    (slot.unwrap(), r, at)
}

/// A session's port as `sql` returns it (e.g. `SELECT inet_server_port()`).
fn port_of(s: &mut Session, sql: &str) -> u16 {
    exec(s, sql).value(0, 0).unwrap().parse().unwrap()
}

fn rm_extra(extra: &str) -> String {
    format!("{} {}", RM, extra)
}

const CONN_FAILURES: &[Status] = &[
    Status::ConnectionLost,
    Status::ConnectionSwitched,
    Status::NoPrimary,
];

// --------------------------------------------------------------- tests ---

/// (a) The standby is killed and started again under load: reads keep
/// working on the primary while it is down, and when it is back the session
/// reconnects, re-applies its settings and reads reach the standby again.
#[test]
fn a_killed_standby_costs_no_statement_and_comes_back_within_2s() {
    let c = Cluster::new(0);
    let t = rows_table(&c, "fa");
    let sh = Shared::new();
    let mut s = c.open(RM);
    exec(&mut s, "SET application_name = 'pgtc_faults_a'");
    exec(&mut s, "SET work_mem = '7MB'");
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let load = start_load(&c, &Plan::new(&t), &sh);
    load.wait_warm();

    c.ctl(&["kill", "standby"]);
    // Reads keep working (the read that finds the standby gone is re-run on
    // the primary) while the standby is down, for long enough that a
    // reconnect backoff would have grown past STANDBY_BACK.
    let down = Instant::now();
    while down.elapsed() < STANDBY_OUTAGE {
        let r = s.exec("SELECT pg_is_in_recovery()", None);
        let r = r.unwrap_or_else(|e| panic!("a read failed while the standby was down: {}", e));
        assert_eq!(
            (r.server, r.value(0, 0)),
            (Some(Server::Primary), Some("f"))
        );
        std::thread::sleep(OUTAGE_READ_PACE);
    }
    assert_eq!(s.connected(), Server::Primary);
    c.ctl(&["start", "standby"]);
    let back = sh.ms();
    let started = Instant::now();
    // (`pg_is_in_recovery()` is the primary's to answer: a plain read.)
    let r = until_on(&mut s, "SELECT 1", Server::Secondary, STANDBY_BACK);
    let took = started.elapsed();
    assert_eq!(
        r.server,
        Some(Server::Secondary),
        "reads did not reach the standby within 2 s of it accepting connections"
    );
    eprintln!("reads reached the restarted standby after {:?}", took);
    // The settings made before the kill are in force on the new connection.
    let r = until_on(
        &mut s,
        "SHOW application_name",
        Server::Secondary,
        STANDBY_BACK,
    );
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Secondary), Some("pgtc_faults_a"))
    );
    let r = until_on(&mut s, "SHOW work_mem", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some("7MB"));
    load.wait_each(
        "read on the restarted standby",
        STANDBY_BACK + CATCH_UP,
        |p| p.on_standby_since(back),
    );
    load.wait_more_cycles(LOAD_WARM_CYCLES);
    let ws = load.finish();
    eprintln!("{}", summary("a: kill + start standby", &ws));
    assert_no_failures(&ws);
    assert_no_stale(&ws);
    assert_each_reached(&ws, Server::Secondary, back, STANDBY_BACK);
}

/// (b) The primary is killed and the standby promoted, with sessions inside
/// transactions that wrote, one of them with its COMMIT in flight.
#[test]
fn b_failover_fails_open_transactions_with_connection_switched_then_writes_resume() {
    let c = Cluster::new(0);
    let t = rows_table(&c, "fb");
    let txt = table("fb_txn");
    c.direct(true)
        .batch_execute(&format!(
            "CREATE TABLE {txt} (id int, note text);
             CREATE FUNCTION {txt}_slow() RETURNS trigger LANGUAGE plpgsql
               AS $$ BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$;
             CREATE TABLE {txt}_slow (id int);
             CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON {txt}_slow
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {txt}_slow();"
        ))
        .unwrap();
    c.wait_replayed();
    let sh = Shared::new();

    // T1 and T3: inside transactions that wrote, idle when the primary dies.
    let mut t1 = c.open(RM);
    exec(&mut t1, "BEGIN");
    exec(&mut t1, &format!("INSERT INTO {txt} VALUES (1, 't1')"));
    let mut t3 = c.open(RM);
    exec(&mut t3, "BEGIN");
    exec(&mut t3, &format!("INSERT INTO {txt} VALUES (3, 't3')"));
    // T2: its COMMIT runs a deferred trigger that sleeps: in flight at the crash.
    let mut t2 = c.open(RM);
    exec(&mut t2, "BEGIN");
    exec(&mut t2, &format!("INSERT INTO {txt}_slow VALUES (2)"));
    let load = start_load(&c, &Plan::new(&t), &sh);
    load.wait_warm();
    let (tx2, rx2) = mpsc::channel();
    std::thread::spawn(move || {
        let r = t2.exec("COMMIT", None);
        let _ = tx2.send((t2, r));
    });
    c.wait_direct(
        true,
        "SELECT count(*)::text FROM pg_stat_activity \
         WHERE query = 'COMMIT' AND wait_event = 'PgSleep'",
        "1",
    );

    sh.crash_from.store(sh.ms(), Ordering::SeqCst);
    c.ctl(&["kill", "primary"]);
    sh.crash_to.store(sh.ms(), Ordering::SeqCst);
    // T3's next statement comes, and returns, while there is no primary at all.
    let t3_next = {
        let sql = format!("INSERT INTO {txt} VALUES (33, 't3')");
        std::thread::spawn(move || {
            let r = t3.exec(&sql, None);
            (t3, r)
        })
    };
    wait_for("T3's statement during the outage to return", HANG, || {
        if t3_next.is_finished() {
            Ok(())
        } else {
            Err("still running".into())
        }
    });
    c.ctl(&["promote"]);
    let promoted = Instant::now();
    let promoted_ms = sh.ms();
    let deadline = promoted + FAILOVER_WRITES;

    // T2: the COMMIT in flight: outcome unknown, 08007.
    let (t2, r) = rx2
        .recv_timeout(HANG)
        .expect("the COMMIT in flight at the crash never returned (hang)");
    let e = err_of(r, "COMMIT in flight at the crash");
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::ConnectionSwitched, "08007"),
        "COMMIT in flight: {}",
        e
    );
    // T1: the next statement after the switch fails with 08006 (or, if the
    // statement itself was accepted, the COMMIT does).
    let (t1b, r) = exec_timed(t1, &format!("INSERT INTO {txt} VALUES (11, 't1')"), HANG);
    t1 = t1b;
    let e = match r {
        Err(e) => e,
        Ok(_) => {
            let (t1b, r) = exec_timed(t1, "COMMIT", HANG);
            t1 = t1b;
            err_of(r, "COMMIT of a transaction whose primary died")
        }
    };
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::ConnectionSwitched, "08006"),
        "T1: {}",
        e
    );
    let (t3, r) = {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(t3_next.join());
        });
        rx.recv_timeout(HANG)
            .expect("T3's statement during the outage never returned (hang)")
            .expect("T3's thread panicked")
    };
    let e = err_of(r, "T3's statement in a transaction whose primary died");
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::ConnectionSwitched, "08006"),
        "T3: {}",
        e
    );

    // After ROLLBACK the same sessions write again, on the new primary,
    // within 5 s of the promotion.
    for (name, s) in [("T1", t1), ("T2", t2), ("T3", t3)] {
        let (s, r) = exec_timed(s, "ROLLBACK", HANG);
        r.unwrap_or_else(|e| panic!("{}: ROLLBACK after the switch failed: {}", name, e));
        assert!(!s.in_transaction(), "{} still in a transaction", name);
        let (mut s, r, at) = write_until_ok(
            s,
            &format!("INSERT INTO {txt} VALUES (100, '{name}') RETURNING inet_server_port()"),
            deadline,
            CONN_FAILURES,
        );
        assert!(
            at <= deadline,
            "{}: writes resumed {:?} after the promotion",
            name,
            at - promoted
        );
        assert_eq!(
            r.value(0, 0),
            Some(c.standby_port.to_string().as_str()),
            "{}: the write did not reach the promoted server",
            name
        );
        assert!(
            matches!(s.connected(), Server::Primary | Server::Both),
            "{}: connected() = {:?} after the switch",
            name,
            s.connected()
        );
        let r = exec(
            &mut s,
            &format!("SELECT count(*) FROM {txt} WHERE id = 100 AND note = '{name}'"),
        );
        assert_eq!(
            r.value(0, 0),
            Some("1"),
            "{}: the read missed its write",
            name
        );
    }

    // The load runs past the window in which failures are allowed.
    let window_end = promoted_ms + FAILOVER_WRITES.as_millis() as u64;
    load.wait_each(
        "written and read back after the failover window",
        FAILOVER_WRITES + CATCH_UP,
        |p| p.ok_since(Op::Write, window_end) && p.ok_since(Op::ReadBack, window_end),
    );
    let ws = load.finish();
    eprintln!("{}", summary("b: kill primary + promote", &ws));
    assert_no_stale(&ws);
    // Failures only around the crash, only of the documented kinds.
    let from = sh.crash_from.load(Ordering::SeqCst);
    for (id, r) in failures(&ws) {
        let (st, _, _) = r.outcome.as_ref().unwrap_err();
        assert!(
            CONN_FAILURES.contains(st) && r.end >= from && r.start <= window_end,
            "unexpected failure: {}",
            show(id, r)
        );
    }
    // Every worker wrote on the new primary, and read again, after the switch.
    for w in &ws {
        for op in [Op::Write, Op::ReadBack] {
            assert!(
                w.recs
                    .iter()
                    .any(|r| r.op == op && r.start > promoted_ms && r.outcome.is_ok()),
                "worker {}: no successful {:?} after the promotion",
                w.id,
                op
            );
        }
    }
}

/// (c) Split brain: after a failover the old primary comes back as a second
/// primary on the old timeline; no write may land on it.
#[test]
fn c_split_brain_writes_go_to_the_promoted_server_only() {
    let c = Cluster::new(0);
    let t = rows_table(&c, "fc");
    let markers = table("fc_markers");
    c.direct(true)
        .batch_execute(&format!("CREATE TABLE {markers} (id int, who text)"))
        .unwrap();
    c.wait_replayed();
    let sh = Shared::new();
    let mut old = c.open(RM);
    exec(
        &mut old,
        &format!("INSERT INTO {markers} VALUES (0, 'before')"),
    );
    let load = start_load(&c, &Plan::new(&t), &sh);
    load.wait_warm();

    sh.crash_from.store(sh.ms(), Ordering::SeqCst);
    c.ctl(&["kill", "primary"]);
    sh.crash_to.store(sh.ms(), Ordering::SeqCst);
    c.ctl(&["promote"]);
    let deadline = Instant::now() + FAILOVER_WRITES;
    let (old2, _, _) = write_until_ok(
        old,
        &format!("INSERT INTO {markers} VALUES (1, 'old session, after promote')"),
        deadline,
        CONN_FAILURES,
    );
    old = old2;

    // The old primary comes back, un-demoted, on the older timeline.
    sh.phase.store(1, Ordering::SeqCst);
    c.ctl(&["start", "primary"]);
    sh.phase.store(2, Ordering::SeqCst);
    let back = sh.ms();
    let flipped = format!(
        "host=127.0.0.1,127.0.0.1 port={},{} user=pgtc password=pgtc dbname=postgres {}",
        c.primary_port, c.standby_port, RM
    );
    let end = Instant::now() + SPLIT_BRAIN;
    let (mut marker_ok, mut i) = (0u32, 0u32);
    while Instant::now() < end {
        i += 1;
        // A session opened now, with the hosts in either order, picks the
        // server on the newer timeline as its primary.
        let conninfo = if i % 2 == 0 {
            format!("{} {}", c.conninfo, RM)
        } else {
            flipped.clone()
        };
        let mut fresh = timed("Session::open during split brain", HANG, move || {
            Session::open(&conninfo)
        })
        .unwrap_or_else(|e| panic!("Session::open with two primaries failed: {}", e));
        assert_eq!(
            port_of(&mut fresh, "/* pgtc:primary */ SELECT inet_server_port()"),
            c.standby_port,
            "a new session chose the old primary"
        );
        for (who, s) in [("fresh", &mut fresh), ("old", &mut old)] {
            let sql =
                format!("INSERT INTO {markers} VALUES ({i}, '{who}') RETURNING inet_server_port()");
            let r = s.exec(&sql, None).unwrap_or_else(|e| {
                panic!("{} session: write during split brain failed: {}", who, e)
            });
            assert_eq!(
                r.value(0, 0).unwrap(),
                c.standby_port.to_string(),
                "{} session wrote on the old primary",
                who
            );
            marker_ok += 1;
        }
        std::thread::sleep(SPLIT_BRAIN_PACE);
    }
    let ws = load.finish();
    eprintln!("{}", summary("c: split brain", &ws));

    // Directly on each server: nothing written after the failover reached the old primary.
    let on =
        |primary: bool, sql: &str| -> i64 { c.direct(primary).query_one(sql, &[]).unwrap().get(0) };
    let count_markers = format!("SELECT count(*) FROM {markers} WHERE id > 0");
    let count_rows = format!("SELECT count(*) FROM {t} WHERE phase >= 1");
    assert_eq!(
        on(true, &count_markers),
        0,
        "marker rows landed on the old primary"
    );
    assert_eq!(
        on(true, &count_rows),
        0,
        "load rows landed on the old primary"
    );
    // The markers written through pgtc, plus the old session's first one after the switch.
    assert!(on(false, &count_markers) > i64::from(marker_ok));
    let acked: u64 = ws
        .iter()
        .map(|w| w.acked.get(&2).copied().unwrap_or(0))
        .sum();
    assert!(acked > 0, "no load write succeeded during the split brain");
    assert!(on(false, &count_rows) >= acked as i64);
    assert_no_stale(&ws);
    // The old sessions keep working once the old primary is back.
    let late: Vec<String> = failures(&ws)
        .into_iter()
        .filter(|(_, r)| r.start >= back)
        .map(|(id, r)| show(id, r))
        .collect();
    assert!(
        late.is_empty(),
        "failures during the split brain: {:#?}",
        &late[..late.len().min(5)]
    );
}

/// (d) The standby is replaced by a fresh base backup while the app runs.
#[test]
fn d_rebuilt_standby_is_used_again_within_5s() {
    let c = Cluster::new(0);
    let t = rows_table(&c, "fd");
    let sh = Shared::new();
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let load = start_load(&c, &Plan::new(&t), &sh);
    load.wait_warm();
    let before = sh.ms();
    c.ctl(&["rebuild"]);
    let back = sh.ms();
    let started = Instant::now();
    eprintln!("rebuild took {} ms", back - before);
    let r = until_on(&mut s, "SELECT 1", Server::Secondary, REBUILT_STANDBY_BACK);
    assert_eq!(
        r.server,
        Some(Server::Secondary),
        "reads did not reach the rebuilt standby within 5 s"
    );
    eprintln!(
        "reads reached the rebuilt standby after {:?}",
        started.elapsed()
    );
    load.wait_each(
        "read on the rebuilt standby",
        REBUILT_STANDBY_BACK + CATCH_UP,
        |p| p.on_standby_since(back),
    );
    load.wait_more_cycles(LOAD_WARM_CYCLES);
    let ws = load.finish();
    eprintln!("{}", summary("d: rebuild standby", &ws));
    assert_no_failures(&ws);
    assert_no_stale(&ws);
    assert_each_reached(&ws, Server::Secondary, back, REBUILT_STANDBY_BACK);
}

/// (e) Connecting to nothing is a clear error.
#[test]
fn e_connecting_to_a_port_nobody_listens_on_is_connect_failed_08001() {
    // No server may start (and take the freed port) during the test.
    let _turn = serial();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let started = Instant::now();
    let e = match Session::open(&format!(
        "host=127.0.0.1 port={} user=pgtc password=pgtc dbname=postgres connect_timeout=2 {}",
        port, RM
    )) {
        Err(e) => e,
        Ok(_) => panic!("opened a session to a port nobody listens on"),
    };
    assert!(started.elapsed() < REFUSED_WITHIN);
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::ConnectFailed, "08001"),
        "{}",
        e
    );
    assert!(
        e.message.contains(&format!("127.0.0.1:{}", port)),
        "{}",
        e.message
    );
}

/// (e) A statement timeout is an SQL error; a restarted primary costs an
/// idle session at most one statement, and nothing hangs.
#[test]
fn e_timeouts_and_a_restarted_primary_give_clear_errors() {
    let c = Cluster::new(0);
    let t = rows_table(&c, "fe");
    let mut s = c.open(RM);
    exec(&mut s, "SET statement_timeout = 200");
    let started = Instant::now();
    let e = err_of(
        s.exec("SELECT pg_sleep(2)", None),
        "pg_sleep(2) with a 200 ms timeout",
    );
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::Sql, "57014"),
        "{}",
        e
    );
    assert!(started.elapsed() < STATEMENT_TIMEOUT_WITHIN);
    assert!(!s.in_transaction());
    assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
    exec(&mut s, "RESET statement_timeout");
    exec(&mut s, &format!("INSERT INTO {t} VALUES (99, 1, 0)"));

    // The primary restarts under load while `s` is idle.
    let sh = Shared::new();
    let load = start_load(&c, &Plan::new(&t), &sh);
    load.wait_warm();
    let from = sh.ms();
    c.ctl(&["restart", "primary"]);
    let back = sh.ms();
    let sql = format!("INSERT INTO {t} VALUES (99, 2, 0)");
    let (s, r) = exec_timed(s, &sql, HANG);
    // A retry with another key: the first attempt may have committed.
    let sql = format!("INSERT INTO {t} VALUES (99, 3, 0)");
    let first_ok = r.is_ok();
    let (mut s, r) = match r {
        Ok(r) => (s, Ok(r)),
        Err(e) => {
            assert_eq!(
                (e.status, e.sqlstate.as_str()),
                (Status::ConnectionLost, "08006"),
                "first statement after the restart: {}",
                e
            );
            exec_timed(s, &sql, HANG)
        }
    };
    let r = r.unwrap_or_else(|e| panic!("second statement after the restart failed: {}", e));
    assert_eq!(r.server, Some(Server::Primary));
    let want = if first_ok { "2" } else { "3" };
    let r = exec(&mut s, &format!("SELECT max(n) FROM {t} WHERE thread = 99"));
    assert_eq!(r.value(0, 0), Some(want), "the read missed the write");
    // The load runs past the window in which failures are allowed.
    let window_end = back + RESTART_FAILURES.as_millis() as u64;
    load.wait_each(
        "written after the restart's failure window",
        RESTART_FAILURES + CATCH_UP,
        |p| p.ok_since(Op::Write, window_end),
    );
    let ws = load.finish();
    eprintln!("{}", summary("e: restart primary", &ws));
    assert_no_stale(&ws);
    for (id, r) in failures(&ws) {
        let (st, _, _) = r.outcome.as_ref().unwrap_err();
        assert!(
            matches!(st, Status::ConnectionLost | Status::NoPrimary)
                && r.end >= from
                && r.start <= window_end,
            "unexpected failure: {}",
            show(id, r)
        );
    }
    for w in &ws {
        assert!(
            w.recs
                .iter()
                .any(|r| r.op == Op::Write && r.start > back && r.outcome.is_ok()),
            "worker {} never wrote again after the restart",
            w.id
        );
    }
}

/// (f) Read-your-writes under replication lag, over many cycles.
fn many_cycles(delay_ms: u32, name: &str) -> Vec<Worker> {
    let c = Cluster::new(delay_ms);
    let t = rows_table(&c, name);
    let sh = Shared::new();
    let plan = Plan {
        max_cycles: 2600,
        pause_every: 25,
        pause: Duration::from_millis(20),
        run: CYCLES_RUN,
        ..Plan::new(&t)
    };
    let started = Instant::now();
    let ws = start_load(&c, &plan, &sh).join(CYCLES_JOIN);
    eprintln!(
        "{} in {:?}",
        summary(&format!("f: apply delay {} ms", delay_ms), &ws),
        started.elapsed()
    );
    let standby: u64 = ws.iter().map(|w| w.counters.standby).sum();
    let primary: u64 = ws.iter().map(|w| w.counters.primary).sum();
    eprintln!(
        "counters: primary {}, standby {} ({:.1}% on the standby), floor kept {}",
        primary,
        standby,
        100.0 * standby as f64 / (primary + standby).max(1) as f64,
        ws.iter().map(|w| w.counters.floor_kept).sum::<u64>()
    );
    assert_no_failures(&ws);
    assert_no_stale(&ws);
    let cycles: u64 = ws.iter().map(|w| w.cycles).sum();
    assert!(cycles >= 10_000, "only {} write→read cycles", cycles);
    ws
}

#[test]
fn f_read_your_writes_over_10000_cycles_with_5ms_lag() {
    let ws = many_cycles(5, "ff5");
    let standby: u64 = ws.iter().map(|w| w.counters.standby).sum();
    assert!(standby > 0, "the standby served no read at all");
}

#[test]
fn f_read_your_writes_over_10000_cycles_with_200ms_lag() {
    many_cycles(200, "ff200");
}

/// (g) A floor handed from one session to another.
#[test]
fn g_a_floor_token_carries_causality_to_another_session() {
    let c = Cluster::new(300);
    let t = rows_table(&c, "fg");
    let mut a = c.open(RM);
    let mut d = c.direct(false);
    for i in 1..=5 {
        let mut b = c.open(RM);
        until_on(&mut b, "SELECT 1", Server::Secondary, CATCH_UP);
        exec(&mut a, &format!("INSERT INTO {t} VALUES (7, {i}, 0)"));
        let token = a.lsn_floor_text();
        assert!(a.lsn_floor() > 0);
        // The standby really is behind: without the token, a read there misses it.
        let there: i64 = d
            .query_one(
                &format!("SELECT count(*) FROM {t} WHERE thread = 7 AND n = {i}"),
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(
            there, 0,
            "the standby was not behind; the test proves nothing"
        );
        b.raise_lsn_floor(&token).unwrap();
        assert_eq!(b.lsn_floor_text(), token);
        let r = exec(
            &mut b,
            &format!("SELECT count(*) FROM {t} WHERE thread = 7 AND n = {i}"),
        );
        assert_eq!(
            r.value(0, 0),
            Some("1"),
            "B missed A's write (served by {:?})",
            r.server
        );
        if r.server == Some(Server::Secondary) {
            let replayed: bool = d
                .query_one(
                    &format!("SELECT pg_last_wal_replay_lsn() >= '{}'", token),
                    &[],
                )
                .unwrap()
                .get(0);
            assert!(replayed);
        }
    }
    // Bad tokens are refused and never lower the floor.
    let mut b = c.open(RM);
    b.raise_lsn_floor(&a.lsn_floor_text()).unwrap();
    let floor = b.lsn_floor();
    for bad in ["garbage", "", "0/", "/1", "12345", "0/XYZ", "1/100000000"] {
        let e = b.raise_lsn_floor(bad).unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument, "{:?}", bad);
        assert_eq!(b.lsn_floor(), floor);
    }
    b.raise_lsn_floor("0/1").unwrap();
    assert_eq!(b.lsn_floor(), floor, "raise_lsn_floor lowered the floor");
}

/// (h) CONSISTENCY=WAIT: wait for the standby to replay, up to a limit.
#[test]
fn h_consistency_wait_waits_for_replay_or_falls_back_to_the_primary() {
    let c = Cluster::new(200);
    let t = rows_table(&c, "fh");
    let mut s = c.open(&rm_extra("CONSISTENCY=WAIT CONSISTENCY_WAIT_MS=2000"));
    for i in 1..=3 {
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        exec(&mut s, &format!("INSERT INTO {t} VALUES (1, {i}, 0)"));
        let started = Instant::now();
        let r = exec(
            &mut s,
            &format!("SELECT count(*) FROM {t} WHERE thread = 1 AND n = {i}"),
        );
        let took = started.elapsed();
        assert_eq!(
            (r.server, r.value(0, 0)),
            (Some(Server::Secondary), Some("1")),
            "with CONSISTENCY=WAIT the read should wait for the standby (took {:?})",
            took
        );
        assert!(
            took >= WAITED_AT_LEAST,
            "served after {:?}: did it wait?",
            took
        );
    }
    c.ctl(&["delay", "500"]);
    c.wait_direct(false, "SHOW recovery_min_apply_delay", "500ms");
    s.set_attr("CONSISTENCY_WAIT_MS", "50").unwrap();
    for i in 11..=13 {
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        exec(&mut s, &format!("INSERT INTO {t} VALUES (1, {i}, 0)"));
        let started = Instant::now();
        let r = exec(
            &mut s,
            &format!("SELECT count(*) FROM {t} WHERE thread = 1 AND n = {i}"),
        );
        let took = started.elapsed();
        assert_eq!(
            (r.server, r.value(0, 0)),
            (Some(Server::Primary), Some("1")),
            "after a 50 ms wait the read should fall back to the primary"
        );
        assert!(
            took >= FALLBACK_AFTER.0 && took < FALLBACK_AFTER.1,
            "fell back after {:?}",
            took
        );
    }
}

/// (i) Balancing sees load from other processes; PRIMARY_SHARE=0 keeps
/// balanced reads off the primary.
#[test]
fn i_balanced_reads_avoid_a_server_kept_busy_by_another_process() {
    // No load from this process here: pgtc balances on this process's
    // statements in flight too, and the test is about other processes.
    let c = Cluster::new(0);
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let mostly = |s: &mut Session, want: Server, what: &str| {
        let started = Instant::now();
        let r = until_on(s, "SELECT 1", want, BALANCE_MOVE);
        assert_eq!(
            r.server,
            Some(want),
            "{}: balanced reads did not move within 1 s",
            what
        );
        eprintln!("{}: moved after {:?}", what, started.elapsed());
        let hits = (0..20)
            .filter(|_| {
                std::thread::sleep(SAMPLE_PACE);
                server_of(s, "SELECT 1") == want
            })
            .count();
        assert!(
            hits >= 16,
            "{}: only {} of 20 reads on the {:?}",
            what,
            hits,
            want
        );
    };
    {
        let busy = Busy::start(&c, false, 4, 4.0);
        let mut fresh = c.open(RM);
        mostly(&mut fresh, Server::Primary, "standby busy");
        drop(busy);
    }
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    {
        let busy = Busy::start(&c, true, 4, 4.0);
        let mut fresh = c.open(RM);
        mostly(&mut fresh, Server::Secondary, "primary busy");
        drop(busy);
    }
    {
        let mut fresh = c.open(&rm_extra("PRIMARY_SHARE=0"));
        until_on(&mut fresh, "SELECT 1", Server::Secondary, CATCH_UP);
        let _busy = Busy::start(&c, false, 4, 3.0);
        let end = Instant::now() + PRIMARY_SHARE_WATCH;
        while Instant::now() < end {
            assert_eq!(
                server_of(&mut fresh, "SELECT 1"),
                Server::Secondary,
                "with PRIMARY_SHARE=0 a balanced read went to the primary"
            );
            std::thread::sleep(SAMPLE_PACE);
        }
    }
}
