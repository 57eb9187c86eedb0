//! A primary with two standbys: reads spread over both, standby
//! connections opened on first use, a standby killed under load, a
//! promotion with two standbys, and HOST_WEIGHTS.

mod common;

use common::*;
use pgtc::{Server, Session, Status};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a session may take to find a promoted standby, or a re-pointed
/// one to be used again (it restarts and catches up).
const SWITCH: Duration = Duration::from_secs(20);

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

/// The port of the standby a session is connected to (None: none).
fn standby_port(s: &Session) -> Option<u16> {
    s.standby_addr()
        .and_then(|a| a.rsplit(':').next().and_then(|p| p.parse().ok()))
}

/// Opens a READ_MOSTLY session named `app` and waits until a read is
/// served by one of its standbys.
fn reader(c: &Cluster, app: &str, extra: &str) -> Session {
    let mut s = c.open(&format!("{} application_name={} {}", RM, app, extra));
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    s
}

/// Waits until the servers on `ports` hold `want` backends named `app`
/// between them (closed connections leave pg_stat_activity shortly after).
fn wait_backends(c: &Cluster, ports: &[u16], app: &str, want: i64) {
    wait_for(
        format_args!("{} backends named {} on ports {:?}", want, app, ports),
        CATCH_UP,
        || {
            let n: i64 = ports.iter().map(|&p| c.backends(p, app)).sum();
            if n == want {
                Ok(())
            } else {
                Err(format!("{}", n))
            }
        },
    )
}

#[test]
fn reads_spread_over_both_standbys() {
    let c = Cluster::with_standbys(2, 0);
    let (a, b) = (c.standby_ports[0], c.standby_ports[1]);
    // Sessions choose the standby where fewest sessions are homed.
    let mut sessions: Vec<Session> = (0..4).map(|_| reader(&c, "spread", "")).collect();
    let ports: Vec<Option<u16>> = sessions.iter().map(standby_port).collect();
    let on = |p| ports.iter().filter(|&&x| x == Some(p)).count();
    assert_eq!(
        (on(a), on(b)),
        (2, 2),
        "standbys of the sessions: {:?}",
        ports
    );
    // Each standby has the backends of the sessions homed there.
    assert_eq!((c.backends(a, "spread"), c.backends(b, "spread")), (2, 2));
    // Reads from several threads run on both standbys.
    let before = |p| xacts(c.direct_port(p));
    let (xa, xb) = (before(a), before(b));
    let secondary = Arc::new(AtomicU64::new(0));
    std::thread::scope(|sc| {
        for s in sessions.iter_mut() {
            let secondary = secondary.clone();
            sc.spawn(move || {
                for _ in 0..50 {
                    if exec(s, "SELECT 1").server == Some(Server::Secondary) {
                        secondary.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    assert!(secondary.load(Ordering::Relaxed) > 0);
    let (da, db) = (before(a) - xa, before(b) - xb);
    assert!(
        da >= 1 && db >= 1,
        "transactions on the standbys: {} and {}",
        da,
        db
    );
    // Under CPU-bound reads from 8 sessions, a server with more of them
    // running draws sessions away: the primary serves some too.
    let mut more: Vec<Session> = (0..4).map(|_| reader(&c, "spread", "")).collect();
    let on_primary = AtomicU64::new(0);
    std::thread::scope(|sc| {
        for s in sessions.iter_mut().chain(more.iter_mut()) {
            let on_primary = &on_primary;
            sc.spawn(move || {
                for _ in 0..40 {
                    let r = exec(s, "SELECT sum(i * i) FROM generate_series(1, 20000) g(i)");
                    if r.server == Some(Server::Primary) {
                        on_primary.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    assert!(
        on_primary.load(Ordering::Relaxed) > 0,
        "no read on the primary"
    );
}

/// Transactions committed in database postgres on a server, as its
/// statistics show them (a fresh snapshot).
fn xacts(mut d: postgres::Client) -> i64 {
    d.query_one(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'",
        &[],
    )
    .unwrap()
    .get(0)
}

#[test]
fn standby_connections_are_opened_on_first_use() {
    let c = Cluster::with_standbys(2, 0);
    let standbys = c.standby_ports.clone();
    // The first session asks every server and keeps one standby.
    let mut first = c.open(&format!("{} application_name=lazy0", RM));
    wait_backends(&c, &standbys, "lazy0", 1);
    until_on(&mut first, "SELECT 1", Server::Secondary, CATCH_UP);
    // Once the process knows the roles, a session opens the primary alone.
    let mut w = wait_for("a session that opens the primary alone", CATCH_UP, || {
        let s = c.open("application_name=lazyw");
        let on_standbys: i64 = standbys.iter().map(|&p| c.backends(p, "lazyw")).sum();
        if on_standbys == 0 {
            Ok(s)
        } else {
            Err(format!("{} standby backends", on_standbys))
        }
    });
    // WRITE_MOSTLY never opens one.
    for _ in 0..20 {
        assert_eq!(server_of(&mut w, "SELECT 1"), Server::Primary);
    }
    exec(&mut w, "SET application_name = 'lazyw'");
    assert_eq!(c.backends(c.primary_port, "lazyw"), 1);
    wait_backends(&c, &standbys, "lazyw", 0);
    // A fresh READ_MOSTLY session: the primary only, until a read (or a
    // setting, which both servers get) goes to a standby; then one
    // standby, which has the session's settings.
    let mut r = c.open(&format!("{} application_name=lazyr", RM));
    // It could use a standby: one is opened when a read goes there.
    assert_eq!(r.connected(), Server::Both);
    exec(&mut r, "CREATE TABLE lazy_r (id int)");
    assert_eq!(
        server_of(&mut r, "SELECT count(*) FROM lazy_r"),
        Server::Primary
    );
    wait_backends(&c, &standbys, "lazyr", 0);
    let shown = until_on(&mut r, "SHOW search_path", Server::Secondary, CATCH_UP);
    assert_eq!(shown.value(0, 0), Some("\"$user\", public"));
    wait_backends(&c, &standbys, "lazyr", 1);
    assert_eq!(c.backends(c.primary_port, "lazyr"), 1);
    let mut q = c.open(&format!("{} application_name=lazyq", RM));
    wait_backends(&c, &standbys, "lazyq", 0);
    assert_eq!(
        server_of(&mut q, "SET search_path = lazy_schema, public"),
        Server::Both
    );
    wait_backends(&c, &standbys, "lazyq", 1);
    let shown = until_on(&mut q, "SHOW search_path", Server::Secondary, CATCH_UP);
    assert_eq!(shown.value(0, 0), Some("lazy_schema, public"));
    // A standby opened later gets the settings made before.
    let mut u = c.open(&format!("{} application_name=lazyu", RM));
    exec(&mut u, "BEGIN");
    exec(&mut u, "SET search_path = later_schema, public");
    exec(&mut u, "COMMIT");
    wait_backends(&c, &standbys, "lazyu", 0);
    let shown = until_on(&mut u, "SHOW search_path", Server::Secondary, CATCH_UP);
    assert_eq!(shown.value(0, 0), Some("later_schema, public"));
    // A transaction that set state both its parts need opens no standby
    // connection: it reads on the primary, and its SET LOCAL stays local.
    let mut t = c.open(&format!("{} application_name=lazyt", RM));
    // (A write first: the transaction's floor is then a position the
    // standbys replay, not one just past the header of a fresh WAL page.)
    exec(&mut t, "CREATE TABLE lazy_t (id int)");
    exec(&mut t, "BEGIN");
    exec(&mut t, "SET LOCAL search_path = only_here");
    exec(&mut t, "SAVEPOINT a");
    assert_eq!(server_of(&mut t, "SELECT 1"), Server::Primary);
    exec(&mut t, "COMMIT");
    wait_backends(&c, &standbys, "lazyt", 0);
    let shown = until_on(&mut t, "SHOW search_path", Server::Secondary, CATCH_UP);
    assert_eq!(shown.value(0, 0), Some("\"$user\", public"));
    // Without a primary, a WRITE_MOSTLY session's reads open a standby.
    c.ctl(&["kill", "primary"]);
    until_on(&mut w, "SELECT 1", Server::Secondary, SWITCH);
}

#[test]
fn a_standby_killed_under_load_fails_no_statement() {
    let c = Cluster::with_standbys(2, 0);
    let mut setup = c.open("");
    exec(
        &mut setup,
        "CREATE TABLE kv_kill (id int PRIMARY KEY, v text); \
         INSERT INTO kv_kill SELECT g, 'v' || g FROM generate_series(1, 100) g",
    );
    c.wait_replayed();
    let stop = AtomicBool::new(false);
    let done = AtomicU64::new(0);
    let failed = AtomicU64::new(0);
    let first_error = parking_lot::Mutex::new(None::<String>);
    let on_standby = AtomicU64::new(0);
    let mut sessions: Vec<Session> = (0..4).map(|_| reader(&c, "killed", "")).collect();
    let (a, b) = (c.standby_ports[0], c.standby_ports[1]);
    // The sessions use both standbys.
    let used: Vec<Option<u16>> = sessions.iter().map(standby_port).collect();
    assert!(
        used.contains(&Some(a)) && used.contains(&Some(b)),
        "{:?}",
        used
    );
    std::thread::scope(|sc| {
        for (i, s) in sessions.iter_mut().enumerate() {
            let (stop, done, failed, first_error, on_standby) =
                (&stop, &done, &failed, &first_error, &on_standby);
            sc.spawn(move || {
                let mut id = i as u64;
                while !stop.load(Ordering::Relaxed) {
                    id = (id * 31 + 7) % 100 + 1;
                    let key = id.to_string();
                    match s.exec("SELECT v FROM kv_kill WHERE id = $1", Some(&[Some(&key)])) {
                        Ok(r) => {
                            assert_eq!(r.value(0, 0), Some(format!("v{}", id).as_str()));
                            if r.server == Some(Server::Secondary) {
                                on_standby.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        Err(e) => {
                            failed.fetch_add(1, Ordering::Relaxed);
                            first_error.lock().get_or_insert(e.to_string());
                        }
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        let wait_done = |n: u64| {
            let start = done.load(Ordering::Relaxed);
            wait_for(format_args!("{} more statements", n), CATCH_UP, || {
                let d = done.load(Ordering::Relaxed) - start;
                if d >= n {
                    Ok(())
                } else {
                    Err(format!("{} done", d))
                }
            })
        };
        wait_done(200);
        c.ctl(&["kill", "standby2"]);
        wait_done(400);
        // Reads still go to the standby that is left.
        let before = on_standby.load(Ordering::Relaxed);
        wait_done(200);
        stop.store(true, Ordering::Relaxed);
        assert!(
            on_standby.load(Ordering::Relaxed) > before,
            "no read on the remaining standby after the kill"
        );
    });
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "statements failed; the first: {:?}",
        first_error.lock()
    );
    for s in &sessions {
        assert_ne!(standby_port(s), Some(b));
    }
}

/// Runs `sql` until it succeeds (the session may need a few statements to
/// find the new primary), and returns the result.
fn until_ok(s: &mut Session, sql: &str) -> pgtc::ResultSet {
    wait_for(format_args!("`{}` to succeed", sql), SWITCH, || {
        s.exec(sql, None).map_err(|e| e.to_string())
    })
}

#[test]
fn a_promotion_with_two_standbys() {
    let c = Cluster::with_standbys(2, 0);
    let (a, b) = (c.standby_ports[0], c.standby_ports[1]);
    let t = table("promo2");
    let mut setup = c.open("");
    exec(&mut setup, &format!("CREATE TABLE {} (id int)", t));
    drop(setup);
    // One session reads on each standby.
    let mut on_a = reader(&c, "promo", "");
    let mut on_b = reader(&c, "promo", "");
    assert_eq!(
        (standby_port(&on_a), standby_port(&on_b)),
        (Some(a), Some(b))
    );
    c.wait_replayed();
    // A clean switch-over: the primary stops (both standbys receive all of
    // its WAL), standby A is promoted.
    c.ctl(&["stop", "primary"]);
    c.ctl(&["promote", "standby"]);
    // Both sessions write to A: the one connected to it, and the one that
    // had no connection to it.
    for (i, s) in [&mut on_a, &mut on_b].into_iter().enumerate() {
        until_ok(s, &format!("INSERT INTO {} VALUES (1)", t));
        // Read your writes: on the new primary, the standby being behind.
        let r = exec(s, &format!("SELECT count(*) FROM {}", t));
        assert_eq!(r.value(0, 0), Some((i + 1).to_string().as_str()));
        assert_eq!(r.server, Some(Server::Primary));
    }
    assert_eq!(
        c.direct_port(a)
            .query_one(&format!("SELECT count(*) FROM {}", t), &[])
            .unwrap()
            .get::<_, i64>(0),
        2
    );
    // B follows the old timeline: no read goes there.
    for s in [&mut on_a, &mut on_b] {
        for _ in 0..20 {
            assert_eq!(server_of(s, "SELECT 1"), Server::Primary);
        }
        assert_eq!(standby_port(s), None);
    }
    wait_backends(&c, &[b], "promo", 0);
    // Re-pointed at A, B follows the new timeline and serves reads again,
    // and has the rows written on A.
    c.ctl(&["repoint", "standby2"]);
    for s in [&mut on_a, &mut on_b] {
        let r = until_on(
            s,
            &format!("SELECT count(*) FROM {}", t),
            Server::Secondary,
            SWITCH,
        );
        assert_eq!(r.value(0, 0), Some("2"));
        assert_eq!(standby_port(s), Some(b));
    }
}

#[test]
fn host_weights_share_sessions_among_standbys() {
    let c = Cluster::with_standbys(2, 0);
    let (a, b) = (c.standby_ports[0], c.standby_ports[1]);
    // The host list is standby, standby2, primary.
    let e = match Session::open(&format!("{} HOST_WEIGHTS=1,2", c.conninfo)) {
        Err(e) => e,
        Ok(_) => panic!("two weights for three hosts accepted"),
    };
    assert_eq!(e.status, Status::InvalidAttributeValue);
    assert!(e.message.contains("2 weights for 3 hosts"), "{}", e);
    // Weight 0: no session reads there.
    let zero: Vec<Session> = (0..3)
        .map(|_| reader(&c, "w0", "HOST_WEIGHTS=1,0,1"))
        .collect();
    for s in &zero {
        assert_eq!(standby_port(s), Some(a));
    }
    assert_eq!(c.backends(b, "w0"), 0);
    drop(zero);
    wait_backends(&c, &[a], "w0", 0);
    // Weight 3 against 1: three sessions for one.
    let three: Vec<Session> = (0..4)
        .map(|_| reader(&c, "w3", "HOST_WEIGHTS=1,3,1"))
        .collect();
    let on_b = three.iter().filter(|s| standby_port(s) == Some(b)).count();
    assert_eq!(
        on_b,
        3,
        "{:?}",
        three.iter().map(standby_port).collect::<Vec<_>>()
    );
}

#[test]
fn a_standby_beyond_max_standby_lag_ms_gives_way_to_one_within_it() {
    let c = Cluster::with_standbys(2, 0);
    let (a, b) = (c.standby_ports[0], c.standby_ports[1]);
    let t = table("lag_two");
    c.direct(true)
        .batch_execute(&format!(
            "CREATE TABLE {t}(id int PRIMARY KEY, v bigint); INSERT INTO {t} VALUES (1, 0)"
        ))
        .unwrap();
    c.wait_replayed();
    // Standby A applies WAL 3 s late while the primary keeps writing, so
    // its lag is real and far beyond the bound; B keeps up.
    c.ctl(&["delay", "3000", &c.node_of(a)]);
    let stop = AtomicBool::new(false);
    /// Stops the writer however the checks end (a failed check must not
    /// leave the scope waiting for it).
    struct Stop<'a>(&'a AtomicBool);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    std::thread::scope(|sc| {
        let _stop = Stop(&stop);
        sc.spawn(|| {
            let mut w = c.direct(true);
            while !stop.load(Ordering::Relaxed) {
                w.batch_execute(&format!("UPDATE {t} SET v = v + 1 WHERE id = 1"))
                    .unwrap();
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let bounded = "MAX_STANDBY_LAG_MS=1000 PRIMARY_SHARE=0";
        // One session lives throughout, as a pool's would: the process's
        // monitor (and its history of the primary's positions) with it.
        let _keeper = c.open(RM);
        // Once the monitor has measured A's lag, every session's reads
        // leave A for B.
        wait_for("a bounded session reading from standby B", SWITCH, || {
            let mut s = c.open(&format!("{} application_name=lag_probe {}", RM, bounded));
            let r = exec(&mut s, "SELECT 1");
            match (r.server, standby_port(&s)) {
                (Some(Server::Secondary), Some(p)) if p == b => Ok(()),
                other => Err(format!(
                    "{:?} (A {}, B {}), lag {:?}, {}",
                    other,
                    a,
                    b,
                    s.standby_lag_ms(),
                    s.explain("SELECT 1").reason
                )),
            }
        });
        let mut sessions: Vec<Session> = (0..4)
            .map(|_| c.open(&format!("{} application_name=lag_two {}", RM, bounded)))
            .collect();
        for s in sessions.iter_mut() {
            for _ in 0..10 {
                let r = exec(s, "SELECT 1");
                let port = standby_port(s);
                assert_ne!(port, Some(a), "a bounded session uses the lagging standby");
                if r.server == Some(Server::Secondary) {
                    assert_eq!(port, Some(b));
                }
            }
            let lag = s.standby_lag_ms().unwrap();
            assert!(lag.is_some_and(|l| l <= 1000), "B's lag: {:?}", lag);
        }
        assert_eq!(
            c.backends(a, "lag_two"),
            0,
            "connections to the lagging standby"
        );
    });
    c.ctl(&["delay", "0", &c.node_of(a)]);
}
