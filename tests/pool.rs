//! `pgtc::Pool` against real primary + hot standby pairs: the bound and
//! its FIFO queue, reset on release (and what it costs), broken and old
//! connections, POOL_MIN, and many threads at once.

mod common;
use common::*;
use pgtc::{Pool, Pooled, Server, Session, Status};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A pool over the shared pair whose primary backends are told apart by
/// `application_name` (`app`).
fn pool(c: &Cluster, app: &str, extra: &str) -> Pool {
    Pool::open(&format!(
        "{} application_name={} {}",
        c.conninfo, app, extra
    ))
    .unwrap_or_else(|e| panic!("Pool::open: {}", e))
}

fn pid(s: &mut Session) -> String {
    exec(s, "SELECT pg_backend_pid()")
        .value(0, 0)
        .unwrap()
        .to_string()
}

/// Client backends on the primary with this application_name.
fn backends(c: &Cluster, app: &str) -> i64 {
    c.backends(c.primary_port, app)
}

fn wait_stats(p: &Pool, what: &str, ok: impl Fn(&pgtc::PoolStats) -> bool) {
    wait_for(what, CATCH_UP, || {
        let s = p.stats();
        if ok(&s) {
            Ok(())
        } else {
            Err(format!("{:?}", s))
        }
    })
}

#[test]
fn the_acquire_past_pool_max_waits_then_fails_with_a_clear_message() {
    let c = Cluster::shared();
    let p = pool(
        &c,
        "pool_exhaust",
        "POOL_MAX=2 POOL_MIN=0 POOL_ACQUIRE_TIMEOUT_MS=300",
    );
    let mut a = p.acquire().unwrap();
    let mut b = p.acquire().unwrap();
    assert_ne!(pid(&mut a), pid(&mut b));
    let e = match p.acquire() {
        Ok(_) => panic!("a third connection from a pool of 2"),
        Err(e) => e,
    };
    assert_eq!(e.status, Status::PoolTimeout, "{}", e);
    assert_eq!(e.sqlstate, "53300");
    for want in ["within 300 ms", "POOL_MAX=2", "2 in use", "waited"] {
        assert!(e.message.contains(want), "{:?} lacks {:?}", e.message, want);
    }
    let s = p.stats();
    assert_eq!(
        (s.max, s.total, s.in_use, s.timeouts),
        (2, 2, 2, 1),
        "{:?}",
        s
    );
    assert!(s.wait_ns >= 300_000_000, "{:?}", s);
    // A waiter gets the connection released while it waits.
    let a_pid = pid(&mut a);
    let p2 = p.clone();
    let waiter = std::thread::spawn(move || {
        let mut got = p2.acquire().expect("served by the release");
        pid(&mut got)
    });
    wait_stats(&p, "an acquirer waiting", |s| s.waiting == 1);
    drop(a);
    assert_eq!(waiter.join().unwrap(), a_pid);
    drop(b);
    assert_eq!(backends(&c, "pool_exhaust"), 2);
}

#[test]
fn a_released_connection_goes_to_the_oldest_waiter() {
    let c = Cluster::shared();
    let p = pool(
        &c,
        "pool_fifo",
        "POOL_MAX=1 POOL_MIN=0 POOL_ACQUIRE_TIMEOUT_MS=30000",
    );
    let held = p.acquire().unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut threads = Vec::new();
    for i in 0..5u64 {
        let (p2, order) = (p.clone(), order.clone());
        threads.push(std::thread::spawn(move || {
            let got = p2.acquire().expect("served in turn");
            order.lock().unwrap().push(i);
            drop(got);
        }));
        // Waiter i is queued before waiter i + 1 arrives.
        wait_stats(&p, &format!("waiter {} queued", i), |s| s.waiting == i + 1);
    }
    drop(held);
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4]);
    let s = p.stats();
    assert_eq!((s.total, s.created, s.acquired), (1, 1, 6), "{:?}", s);
}

#[test]
fn a_connection_released_mid_transaction_is_rolled_back_and_reset_on_both_servers() {
    let c = Cluster::shared();
    let t = table("pool_rb");
    let p = pool(
        &c,
        "pool_rb",
        "POOL_MAX=1 POOL_MIN=0 PREFERRED_ACCESS=READ_MOSTLY",
    );
    let (first, before) = {
        let mut s = p.acquire().unwrap();
        exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
        // Under READ_MOSTLY a SET runs on both servers.
        let r = exec(&mut s, "SET statement_timeout = '12345'");
        assert_eq!(r.server, Some(Server::Both));
        let on_standby = until_on(
            &mut s,
            "/* pgtc:standby */ SHOW statement_timeout",
            Server::Secondary,
            CATCH_UP,
        );
        assert_eq!(on_standby.value(0, 0), Some("12345ms"));
        exec(&mut s, "BEGIN");
        // The transaction touches both servers: a read on the standby,
        // then a write on the primary.
        let r = exec(&mut s, "/* pgtc:standby */ SELECT 1");
        assert_eq!(r.server, Some(Server::Secondary));
        exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
        assert!(s.in_transaction());
        (pid(&mut s), p.stats().resets)
    };
    let mut s = p.acquire().unwrap();
    assert_eq!(pid(&mut s), first, "the same connection, reset");
    assert!(!s.in_transaction());
    assert_eq!(p.stats().resets, before + 1);
    assert_eq!(c.count_on_primary(&t), 0, "the insert was rolled back");
    for primary in [true, false] {
        let states: Vec<String> = c
            .direct(primary)
            .query(
                "SELECT state FROM pg_stat_activity WHERE application_name = 'pool_rb'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(
            states.iter().all(|st| !st.contains("transaction")),
            "primary {}: {:?}",
            primary,
            states
        );
    }
    let r = exec(&mut s, "SHOW statement_timeout");
    assert_eq!(r.value(0, 0), Some("0"), "reset on the primary");
    let r = until_on(
        &mut s,
        "/* pgtc:standby */ SHOW statement_timeout",
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some("0"), "reset on the standby");
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn reset_forgets_prepared_statements_temp_tables_listen_locks_cursors_and_attributes() {
    let c = Cluster::shared();
    let p = pool(&c, "pool_state", "POOL_MAX=1 POOL_MIN=0");
    let (first, stmt) = {
        let mut s = p.acquire().unwrap();
        for sql in [
            "PREPARE pool_p AS SELECT 1",
            "CREATE TEMP TABLE pool_tmp(x int)",
            "LISTEN pool_ch",
            "SELECT pg_advisory_lock(4242)",
            "DECLARE pool_cur CURSOR WITH HOLD FOR SELECT 1",
        ] {
            exec(&mut s, sql);
        }
        assert!(s.pinned());
        s.exec("SELECT $1::int", Some(&[Some("7")])).unwrap();
        assert_eq!(s.stmt_cache_len(Server::Primary), 1);
        let stmt = s.prepare("SELECT $1::int + 1", &[]).unwrap();
        s.set_attr("PREFERRED_ACCESS", "READ_MOSTLY").unwrap();
        s.set_attr("STATEMENT_CACHE", "5").unwrap();
        (pid(&mut s), stmt)
    };
    let mut s = p.acquire().unwrap();
    assert_eq!(pid(&mut s), first, "the same connection, reset");
    let e = s.exec("EXECUTE pool_p", None).unwrap_err();
    assert_eq!(e.sqlstate, "26000", "{}", e);
    let e = s.exec("SELECT * FROM pool_tmp", None).unwrap_err();
    assert_eq!(e.sqlstate, "42P01", "{}", e);
    let r = exec(&mut s, "SELECT count(*) FROM pg_listening_channels()");
    assert_eq!(r.value(0, 0), Some("0"));
    let r = exec(&mut s, "SELECT count(*) FROM pg_cursors");
    assert_eq!(r.value(0, 0), Some("0"));
    let locks: i64 = c
        .direct(true)
        .query_one(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $1::text::int",
            &[&first],
        )
        .unwrap()
        .get(0);
    assert_eq!(locks, 0, "the advisory lock was released");
    assert!(!s.pinned());
    assert_eq!(s.get_attr("PREFERRED_ACCESS").unwrap(), "WRITE_MOSTLY");
    assert_eq!(s.get_attr("STATEMENT_CACHE").unwrap(), "100");
    // pgtc's own prepared statements were forgotten with the server's.
    assert_eq!(s.stmt_cache_len(Server::Primary), 0);
    let r = s.exec("SELECT $1::int", Some(&[Some("8")])).unwrap();
    assert_eq!(r.value(0, 0), Some("8"));
    assert!(
        !stmt.session_alive(),
        "a statement of the last user is gone"
    );
    let e = s
        .exec_prepared(&stmt, pgtc::session::Values::Text(&[Some("1")]), &[])
        .unwrap_err();
    assert_eq!(e.status, Status::InvalidArgument, "{}", e);
}

#[test]
fn releasing_a_clean_session_costs_no_round_trip() {
    let c = Cluster::shared();
    let p = pool(
        &c,
        "pool_clean",
        "POOL_MAX=1 POOL_MIN=0 PREFERRED_ACCESS=READ_MOSTLY",
    );
    let rt = {
        let mut s = p.acquire().unwrap();
        exec(&mut s, "SELECT 1");
        exec(&mut s, "BEGIN");
        exec(&mut s, "SELECT 2");
        exec(&mut s, "COMMIT");
        s.exec("SELECT $1::int", Some(&[Some("1")])).unwrap();
        s.round_trips()
    };
    let resets = p.stats().resets;
    let s = p.acquire().unwrap();
    assert_eq!(s.round_trips(), rt, "release and acquire sent nothing");
    assert_eq!(p.stats().resets, resets);
    drop(s);
    // A dirty one costs one round trip on the primary, and one on the
    // standby only when the session used it since the last reset.
    let rt = {
        let mut s = p.acquire().unwrap();
        s.set_attr("PREFERRED_ACCESS", "WRITE_MOSTLY").unwrap();
        exec(&mut s, "SELECT set_config('application_name', 'x', false)");
        s.round_trips()
    };
    let s = p.acquire().unwrap();
    assert_eq!(s.round_trips(), rt + 1, "DISCARD ALL, pipelined");
    assert_eq!(p.stats().resets, resets + 1);
}

#[test]
fn a_backend_terminated_while_idle_in_the_pool_is_not_handed_out() {
    let c = Cluster::shared();
    let p = pool(&c, "pool_killed", "POOL_MAX=2 POOL_MIN=0");
    let victim = {
        let mut s = p.acquire().unwrap();
        pid(&mut s)
    };
    let mut d = c.direct(true);
    d.execute("SELECT pg_terminate_backend($1::text::int)", &[&victim])
        .unwrap();
    wait_for("the terminated backend to exit", CATCH_UP, || {
        let n: i64 = d
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::text::int",
                &[&victim],
            )
            .unwrap()
            .get(0);
        if n == 0 {
            Ok(())
        } else {
            Err(format!("{} backends", n))
        }
    });
    let mut s = p.acquire().unwrap();
    let before = s.counters();
    let now = pid(&mut s);
    assert_ne!(now, victim);
    assert_eq!(
        s.counters().get(pgtc::Counter::Misroutes),
        before.get(pgtc::Counter::Misroutes)
    );
    assert!(p.stats().closed >= 1, "{:?}", p.stats());
}

#[test]
fn pool_min_is_kept_warm_and_lost_connections_are_replaced() {
    let c = Cluster::shared();
    let p = pool(&c, "pool_warm", "POOL_MAX=5 POOL_MIN=3");
    wait_stats(&p, "3 warm connections", |s| s.total == 3 && s.idle == 3);
    wait_for("3 backends on the primary", CATCH_UP, || {
        match backends(&c, "pool_warm") {
            3 => Ok(()),
            n => Err(n.to_string()),
        }
    });
    // Terminate every one of them: the pool replaces them in the background.
    c.direct(true)
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pool_warm'",
            &[],
        )
        .unwrap();
    wait_stats(&p, "the lost connections replaced", |s| {
        s.closed >= 3 && s.created >= 6 && s.total == 3 && s.idle == 3
    });
    let mut s = p.acquire().unwrap();
    exec(&mut s, "SELECT 1");
}

#[test]
fn idle_connections_above_pool_min_time_out() {
    let c = Cluster::shared();
    let p = pool(
        &c,
        "pool_idle",
        "POOL_MAX=4 POOL_MIN=1 POOL_IDLE_TIMEOUT_MS=200",
    );
    let held: Vec<Pooled> = (0..3).map(|_| p.acquire().unwrap()).collect();
    assert_eq!(p.stats().total, 3);
    drop(held);
    wait_stats(&p, "idle connections above POOL_MIN closed", |s| {
        s.total == 1 && s.idle == 1 && s.closed >= 2
    });
    wait_for("1 backend on the primary", CATCH_UP, || {
        match backends(&c, "pool_idle") {
            1 => Ok(()),
            n => Err(n.to_string()),
        }
    });
}

#[test]
fn connections_past_max_lifetime_are_retired_but_never_while_in_use() {
    let c = Cluster::shared();
    let p = pool(
        &c,
        "pool_life",
        "POOL_MAX=3 POOL_MIN=2 POOL_MAX_LIFETIME_MS=300",
    );
    let mut held = p.acquire().unwrap();
    let held_pid = pid(&mut held);
    // Two generations of idle connections retired and replaced: longer
    // than the held one's lifetime has passed.
    wait_stats(&p, "idle connections retired twice", |s| s.closed >= 2);
    assert_eq!(pid(&mut held), held_pid, "still the same connection");
    exec(&mut held, "SELECT 1");
    let closed = p.stats().closed;
    drop(held);
    assert!(p.stats().closed > closed, "retired on release");
    for _ in 0..3 {
        let mut s = p.acquire().unwrap();
        assert_ne!(pid(&mut s), held_pid);
    }
}

#[test]
fn many_threads_never_exceed_pool_max() {
    let c = Cluster::shared();
    let p = pool(
        &c,
        "pool_hammer",
        "POOL_MAX=3 POOL_MIN=0 POOL_ACQUIRE_TIMEOUT_MS=30000 PREFERRED_ACCESS=READ_MOSTLY",
    );
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let watcher = {
        let (stop, peak) = (stop.clone(), peak.clone());
        let mut d = c.direct(true);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let n: i64 = d
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool_hammer'",
                        &[],
                    )
                    .unwrap()
                    .get(0);
                peak.fetch_max(n as u64, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let workers: Vec<_> = (0..8)
        .map(|i| {
            let p = p.clone();
            std::thread::spawn(move || {
                for j in 0..40 {
                    let mut s = p.acquire().expect("acquire");
                    let st = p.stats();
                    assert!(st.in_use <= 3 && st.total <= 3, "{:?}", st);
                    let sql = if j % 5 == 0 {
                        format!("SET application_name = 'pool_hammer'; SELECT {}", i)
                    } else {
                        format!("SELECT {}", i)
                    };
                    s.exec(&sql, None).expect("statement");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    let s = p.stats();
    assert_eq!(s.acquired, 320, "{:?}", s);
    assert!(s.total <= 3 && s.in_use == 0, "{:?}", s);
    let peak = peak.load(Ordering::Relaxed);
    assert!((1..=3).contains(&peak), "peak {} backends", peak);
}

#[test]
fn bad_pool_attributes_are_refused_naming_the_key() {
    let c = Cluster::shared();
    for (extra, key) in [
        ("POOL_MAX=0", "POOL_MAX"),
        ("POOL_MAX=10001", "POOL_MAX"),
        ("POOL_MIN=-1", "POOL_MIN"),
        ("POOL_MAX=2 POOL_MIN=3", "POOL_MIN"),
        ("POOL_ACQUIRE_TIMEOUT_MS=soon", "POOL_ACQUIRE_TIMEOUT_MS"),
        ("POOL_IDLE_TIMEOUT_MS=604800001", "POOL_IDLE_TIMEOUT_MS"),
        ("POOL_MAX_LIFETIME_MS=-5", "POOL_MAX_LIFETIME_MS"),
    ] {
        let e = match Pool::open(&format!("{} {}", c.conninfo, extra)) {
            Ok(_) => panic!("{} accepted", extra),
            Err(e) => e,
        };
        assert_eq!(e.status, Status::InvalidAttributeValue, "{}: {}", extra, e);
        assert!(e.message.contains(key), "{}: {}", extra, e);
    }
    // In a plain connection they are accepted and do nothing.
    let mut s = c.open("POOL_MAX=2 POOL_MIN=1");
    assert_eq!(s.get_attr("POOL_MAX").unwrap(), "2");
    s.set_attr("POOL_MIN", "0").unwrap();
    exec(&mut s, "SELECT 1");
}

/// A standby backend that goes away while its session idles in the pool:
/// the session stays usable (its primary is fine) and the pool's thread
/// reaches the standby again, so the next user has both servers at once.
#[test]
fn an_idle_session_that_lost_its_standby_reconnects_in_the_background() {
    let c = Cluster::shared();
    let app = "pool_standby_lost";
    let p = pool(
        &c,
        app,
        "POOL_MAX=1 POOL_MIN=1 PREFERRED_ACCESS=READ_MOSTLY",
    );
    let on_standby = |d: &mut postgres::Client| -> Vec<i32> {
        d.query(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
            &[&app],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    {
        let s = p.acquire().unwrap();
        assert_eq!(s.connected(), Server::Both);
    }
    let mut d = c.direct(false);
    let old = on_standby(&mut d);
    assert_eq!(old.len(), 1, "{:?}", old);
    d.execute("SELECT pg_terminate_backend($1)", &[&old[0]])
        .unwrap();
    wait_for("the standby connection made again", CATCH_UP, || {
        let now = on_standby(&mut d);
        if now.len() == 1 && now != old {
            Ok(())
        } else {
            Err(format!("{:?}", now))
        }
    });
    let mut s = p.acquire().unwrap();
    assert_eq!(s.connected(), Server::Both);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    assert_eq!(p.stats().created, 1, "the same session, not a new one");
}
