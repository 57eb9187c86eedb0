//! CONSISTENCY_SCOPE: under PROCESS (the default) a read on any session of
//! the process sees every write any session of the process made on the
//! cluster; under SESSION only the session's own. The LSN token still
//! carries causality to another process.

mod common;

use common::*;
use parking_lot::{Mutex, MutexGuard};
use pgtc::{Server, Session};
use std::ops::DerefMut;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0";
/// The standby's apply delay while a test shows a lagging standby: far
/// longer than a statement takes, so a read right after a write reaches
/// the standby before it replays the write.
const DELAY: Duration = Duration::from_millis(3000);

/// A pair of its own with a table `t(id int primary key, v int)` holding
/// (1, 0), which the standby has replayed; from then on the standby
/// applies WAL `DELAY` late. Set up without pgtc, so that no LSN floor
/// starts above zero.
fn lagging_pair(name: &str) -> (Pair, String) {
    let c = Cluster::new(0);
    let t = table(name);
    c.direct(true)
        .batch_execute(&format!(
            "CREATE TABLE {t}(id int PRIMARY KEY, v int); INSERT INTO {t} VALUES (1, 0)"
        ))
        .unwrap();
    c.wait_replayed();
    let ms = DELAY.as_millis().to_string();
    c.ctl(&["delay", &ms]);
    c.wait_direct(
        false,
        "SELECT setting FROM pg_settings WHERE name = 'recovery_min_apply_delay'",
        &ms,
    );
    (c, t)
}

fn read_sql(t: &str) -> String {
    format!("SELECT v FROM {t} WHERE id = 1")
}

/// The value of row 1 on the standby, read directly.
fn on_standby(c: &Cluster, t: &str) -> i32 {
    c.direct(false).query_one(&read_sql(t), &[]).unwrap().get(0)
}

#[test]
fn process_scope_a_write_on_one_session_is_read_at_once_on_another() {
    let (c, t) = lagging_pair("proc");
    let read = read_sql(&t);
    let mut a = c.open(RM);
    let mut b = c.open(RM);
    assert_eq!(b.get_attr("CONSISTENCY_SCOPE").unwrap(), "PROCESS");
    // No floor yet: B reads on the standby.
    until_on(&mut b, &read, Server::Secondary, CATCH_UP);
    exec(&mut a, &format!("UPDATE {t} SET v = 1 WHERE id = 1"));
    let r = exec(&mut b, &read);
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("1")),
        "B missed A's write"
    );
    assert_eq!(
        on_standby(&c, &t),
        0,
        "the standby was not behind; the test proves nothing"
    );
    // B routes by the process's floor, and says so.
    assert_eq!(b.lsn_floor(), a.lsn_floor());
    let why = b.explain(&read).reason;
    assert!(why.contains("rule 6"), "{}", why);
    // Once the standby has replayed A's write, B reads there again.
    let r = until_on(&mut b, &read, Server::Secondary, DELAY + CATCH_UP);
    assert_eq!(r.value(0, 0), Some("1"));
}

#[test]
fn process_scope_a_write_is_read_by_a_session_opened_after_every_other_closed() {
    let (c, t) = lagging_pair("proc_closed");
    let read = read_sql(&t);
    {
        let mut a = c.open(RM);
        exec(&mut a, &format!("UPDATE {t} SET v = 1 WHERE id = 1"));
    }
    // No session of the process is left: the floor must still be there
    // for the next one (a connection per request, a pool that shrank).
    let mut b = c.open(RM);
    let r = exec(&mut b, &read);
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("1")),
        "a fresh session missed a write made before it opened"
    );
    assert_eq!(
        on_standby(&c, &t),
        0,
        "the standby was not behind; the test proves nothing"
    );
}

#[test]
fn session_scope_keeps_the_weaker_per_connection_promise() {
    let (c, t) = lagging_pair("sess");
    let read = read_sql(&t);
    let scope = format!("{} CONSISTENCY_SCOPE=SESSION", RM);
    let mut a = c.open(&scope);
    let mut b = c.open(&scope);
    until_on(&mut b, &read, Server::Secondary, CATCH_UP);
    let before = Instant::now();
    exec(&mut a, &format!("UPDATE {t} SET v = 1 WHERE id = 1"));
    // A reads its own write.
    let r = exec(&mut a, &read);
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("1"))
    );
    // B has written nothing, so its floor is zero and the standby serves
    // it: the standby applies A's commit only DELAY after it, so B, reading
    // within that time, gets the old value. That is what SESSION promises:
    // a session's own writes, not the process's.
    let r = exec(&mut b, &read);
    let took = before.elapsed();
    assert!(
        took < DELAY,
        "the reads took {:?}, longer than the apply delay",
        took
    );
    assert_eq!(b.lsn_floor(), 0);
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Secondary), Some("0")),
        "under SESSION, B read A's write from a standby that had not replayed it"
    );
    // A SESSION session's writes still count for the process: switched to
    // PROCESS, B reads A's write from its next statement on.
    b.set_attr("consistency_scope", "process").unwrap();
    let r = exec(&mut b, &read);
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("1"))
    );
    assert!(before.elapsed() < DELAY, "the standby may have caught up");
    assert_eq!(on_standby(&c, &t), 0, "the standby was not behind");
}

#[test]
fn process_scope_a_commit_whose_lsn_was_lost_holds_every_session_and_is_settled() {
    let (c, t) = lagging_pair("lost");
    let read = read_sql(&t);
    let mut b = c.open(RM);
    until_on(&mut b, &read, Server::Secondary, CATCH_UP);
    {
        let mut a = c.open(RM);
        pgtc::session::test_hooks::lose_next_lsn_read();
        exec(&mut a, &format!("UPDATE {t} SET v = 1 WHERE id = 1"));
        // A is closed with its floor unknown.
    }
    let r = exec(&mut b, &read);
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("1")),
        "B read from the standby while a commit's LSN was unknown"
    );
    assert_eq!(on_standby(&c, &t), 0, "the standby was not behind");
    // B learnt the primary's position for the process: reads go back to
    // the standby once it has replayed it.
    assert!(b.lsn_floor() > 0);
    let r = until_on(&mut b, &read, Server::Secondary, DELAY + CATCH_UP);
    assert_eq!(r.value(0, 0), Some("1"));
}

/// `threads` threads, each writing its own row through whichever
/// connection `acquire` gives it and reading it back through whichever
/// comes next, `rounds` times, pausing `think` between rounds (as a client
/// between requests: it lets the standby replay a session's own writes,
/// so that only a floor wider than the session keeps its reads fresh);
/// returns (reads, stale reads, reads served by the standby). A stale read
/// returns an older value than the thread last wrote.
fn own_rows<G: DerefMut<Target = Session>>(
    t: &str,
    (threads, rounds, think): (usize, usize, Duration),
    acquire: &(dyn Fn() -> G + Sync),
) -> (u64, u64, u64) {
    let (reads, stale, standby) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    std::thread::scope(|s| {
        for id in 0..threads {
            let (reads, stale, standby) = (&reads, &stale, &standby);
            s.spawn(move || {
                let id = id.to_string();
                for _ in 0..rounds {
                    let written = {
                        let mut c = acquire();
                        let r = c
                            .exec(
                                &format!("UPDATE {t} SET v = v + 1 WHERE id = $1 RETURNING v"),
                                Some(&[Some(id.as_str())]),
                            )
                            .unwrap();
                        r.value(0, 0).unwrap().parse::<i64>().unwrap()
                    };
                    let mut c = acquire();
                    let r = c
                        .exec(
                            &format!("SELECT v FROM {t} WHERE id = $1"),
                            Some(&[Some(id.as_str())]),
                        )
                        .unwrap();
                    let read: i64 = r.value(0, 0).unwrap().parse().unwrap();
                    reads.fetch_add(1, Relaxed);
                    if read < written {
                        stale.fetch_add(1, Relaxed);
                    }
                    if r.server == Some(Server::Secondary) {
                        standby.fetch_add(1, Relaxed);
                    }
                    drop(c);
                    std::thread::sleep(think);
                }
            });
        }
    });
    (reads.into_inner(), stale.into_inner(), standby.into_inner())
}

/// Whichever of `sessions` is free next (the next in turn when all are
/// busy).
fn next_free<'a>(sessions: &'a [Mutex<Session>], turn: &AtomicUsize) -> MutexGuard<'a, Session> {
    let first = turn.fetch_add(1, Relaxed);
    (0..sessions.len())
        .find_map(|k| sessions[(first + k) % sessions.len()].try_lock())
        .unwrap_or_else(|| sessions[first % sessions.len()].lock())
}

/// A pair of its own (20 ms apply delay) with a table of 16 rows
/// (id 0–15, v 0), one per thread of `own_rows`, which the standby has
/// replayed.
fn rows_pair(name: &str) -> (Pair, String) {
    let c = Cluster::new(20);
    let t = table(name);
    c.direct(true)
        .batch_execute(&format!(
            "CREATE TABLE {t}(id int PRIMARY KEY, v bigint); \
             INSERT INTO {t} SELECT g, 0 FROM generate_series(0, 15) g"
        ))
        .unwrap();
    c.wait_replayed();
    (c, t)
}

#[test]
fn process_scope_16_threads_over_4_sessions_read_their_own_rows() {
    let (c, t) = rows_pair("own_rows");
    let sessions: Vec<Mutex<Session>> = (0..4).map(|_| Mutex::new(c.open(RM))).collect();
    let turn = AtomicUsize::new(0);
    let work = (16, 25, Duration::from_millis(100));
    let (reads, stale, standby) = own_rows(&t, work, &|| next_free(&sessions, &turn));
    println!(
        "PROCESS: {} reads, {} stale, {} on the standby",
        reads, stale, standby
    );
    assert_eq!(reads, 16 * 25);
    assert_eq!(stale, 0, "stale reads under CONSISTENCY_SCOPE=PROCESS");
    // The same under SESSION, for the record: a session's floor covers
    // only what was written through it.
    for s in &sessions {
        s.lock().set_attr("CONSISTENCY_SCOPE", "SESSION").unwrap();
    }
    let (_, stale, standby) = own_rows(&t, work, &|| next_free(&sessions, &turn));
    println!("SESSION: {} stale, {} on the standby", stale, standby);
    for s in &sessions {
        s.lock().set_attr("CONSISTENCY_SCOPE", "PROCESS").unwrap();
    }
    // Once the writes stop, reads reach the standby again, with every
    // thread's last value.
    let mut s = sessions[0].lock();
    let sum = format!("SELECT sum(v) FROM {t}");
    let r = until_on(&mut s, &sum, Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some((2 * 16 * 25).to_string().as_str()));
}

#[test]
fn the_lsn_token_carries_a_write_to_a_fresh_session_in_another_process() {
    let (c, t) = lagging_pair("token");
    let read = read_sql(&t);
    let mut a = c.open(RM);
    let started = child::wall_ms();
    exec(&mut a, &format!("UPDATE {t} SET v = 1 WHERE id = 1"));
    let token = a.lsn_floor_text();
    let conninfo = format!("{} {}", c.conninfo, RM);
    let out = child::run(
        "token_child",
        &[
            ("PGTC_T_CONNINFO", &conninfo),
            ("PGTC_T_SQL", &read),
            ("PGTC_T_TOKEN", &token),
        ],
    );
    // Another process shares no floor: without the token its fresh session
    // reads the standby, which applies the write only DELAY after it.
    let without_at: u128 = child::value(&out, "without_at").parse().unwrap();
    if without_at - started < DELAY.as_millis() {
        assert_eq!(child::value(&out, "without"), "Secondary 0", "{:?}", out);
    }
    // With it, the write is read.
    assert_eq!(child::value(&out, "floor"), token);
    let with = child::value(&out, "with");
    assert!(with == "Primary 1" || with == "Secondary 1", "{:?}", out);
}

/// The other process of the test above.
#[test]
#[ignore = "run by the_lsn_token_carries_a_write_to_a_fresh_session_in_another_process"]
fn token_child() {
    let Some(conninfo) = child::input("PGTC_T_CONNINFO") else {
        return;
    };
    let sql = child::input("PGTC_T_SQL").unwrap();
    let token = child::input("PGTC_T_TOKEN").unwrap();
    let mut s = Session::open(&conninfo).unwrap();
    let show = |r: &pgtc::ResultSet| format!("{:?} {}", r.server.unwrap(), r.value(0, 0).unwrap());
    let r = until_on(&mut s, &sql, Server::Secondary, CATCH_UP);
    child::report("without_at", child::wall_ms());
    child::report("without", show(&r));
    s.raise_lsn_floor(&token).unwrap();
    child::report("floor", s.lsn_floor_text());
    let r = exec(&mut s, &sql);
    child::report("with", show(&r));
}

#[test]
fn process_scope_16_threads_over_a_pool_of_4_read_their_own_rows() {
    let (c, t) = rows_pair("pool_rows");
    let pool = pgtc::Pool::open(&format!("{} {} POOL_MAX=4 POOL_MIN=0", c.conninfo, RM)).unwrap();
    let work = (16, 25, Duration::from_millis(100));
    // Each request takes whichever pooled connection comes next: the read
    // of a row rarely runs on the connection that wrote it.
    let (reads, stale, standby) = own_rows(&t, work, &|| pool.acquire().unwrap());
    println!(
        "pool, PROCESS: {} reads, {} stale, {} on the standby",
        reads, stale, standby
    );
    assert_eq!(reads, 16 * 25);
    assert_eq!(
        stale, 0,
        "stale reads through a pool under CONSISTENCY_SCOPE=PROCESS"
    );
    assert!(pool.stats().total <= 4, "{:?}", pool.stats());
    // Once the writes stop, pooled reads reach the standby again, with
    // every thread's last value.
    let mut s = pool.acquire().unwrap();
    let r = until_on(
        &mut s,
        &format!("SELECT sum(v) FROM {t}"),
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some((16 * 25).to_string().as_str()));
}
