//! MAX_STANDBY_LAG_MS and the replay lag in time: a fresh session of
//! another process, which no LSN floor covers, leaves a standby that lags
//! beyond the bound out of balanced reads; `pgtc_conn_standby_lag_ms`
//! reports the lag; bad values are refused by name.

mod common;

use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::{pgtc_conn_free, pgtc_conn_set_attr};
use pgtc::ffi::error::{pgtc_error_free, pgtc_error_message, pgtc_error_sqlstate};
use pgtc::ffi::lag::pgtc_conn_standby_lag_ms;
use pgtc::{Session, Status};
use std::ffi::CString;
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0";
/// The standby's apply delay while it lags.
const DELAY: Duration = Duration::from_millis(2000);

/// Writes committed on the primary every few milliseconds (without pgtc,
/// so that no floor covers them), until dropped: with an apply delay, the
/// standby's lag is then real, not only the age of an idle position.
struct Writes {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Writes {
    fn start(c: &Cluster, t: &str) -> Writes {
        let mut d = c.direct(true);
        d.batch_execute(&format!("CREATE TABLE IF NOT EXISTS {t}(n bigint)"))
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let sql = format!("INSERT INTO {t} VALUES (1)");
        let thread = std::thread::spawn(move || {
            while !flag.load(Relaxed) {
                d.batch_execute(&sql).unwrap();
                std::thread::sleep(SAMPLE_PACE);
            }
        });
        Writes {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Writes {
    fn drop(&mut self) {
        self.stop.store(true, Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Set the standby's apply delay and wait until it is in force.
fn set_delay(c: &Cluster, d: Duration) {
    let ms = d.as_millis().to_string();
    c.ctl(&["delay", &ms]);
    c.wait_direct(
        false,
        "SELECT setting FROM pg_settings WHERE name = 'recovery_min_apply_delay'",
        &ms,
    );
}

/// Wait until `s`'s standby lag is known and satisfies `ok`.
fn wait_lag(s: &Session, what: &str, within: Duration, ok: impl Fn(u64) -> bool) -> u64 {
    wait_for(
        format_args!("the standby's lag to be {}", what),
        within,
        || match s.standby_lag_ms().unwrap() {
            Some(l) if ok(l) => Ok(l),
            other => Err(format!("{:?} ms", other)),
        },
    )
}

#[test]
fn a_fresh_session_of_another_process_avoids_a_standby_beyond_the_bound() {
    let c = Cluster::new(0);
    let watcher = c.open(RM);
    wait_lag(&watcher, "known", CATCH_UP, |_| true);
    set_delay(&c, DELAY);
    let _writes = Writes::start(&c, &table("lag_writes"));
    // The lag is real: well beyond the bound the child sets.
    let lag = wait_lag(&watcher, "beyond 1000 ms", DELAY + CATCH_UP, |l| l > 1000);
    let conninfo = format!("{} {}", c.conninfo, RM);
    let bounded = child::run(
        "lag_child",
        &[(
            "PGTC_T_CONNINFO",
            &format!("{} MAX_STANDBY_LAG_MS=500", conninfo),
        )],
    );
    assert_eq!(
        child::value(&bounded, "servers"),
        "Primary Primary Primary Primary Primary",
        "{:?} (lag seen here: {} ms)",
        bounded,
        lag
    );
    let why = child::value(&bounded, "reason");
    assert!(
        why.contains("MAX_STANDBY_LAG_MS (500 ms)") && why.contains("replay lag"),
        "{}",
        why
    );
    let child_lag: i64 = child::value(&bounded, "lag").parse().unwrap();
    assert!(child_lag > 500, "{:?}", bounded);
    // Without the bound the same fresh session reads on the standby.
    let open = child::run("lag_child", &[("PGTC_T_CONNINFO", &conninfo)]);
    assert_eq!(
        child::value(&open, "servers"),
        "Secondary Secondary Secondary Secondary Secondary",
        "{:?}",
        open
    );
}

/// The other process of the test above: a fresh session with no floor
/// waits for its monitor to know the standby's lag, then reads five
/// times.
#[test]
#[ignore = "run by a_fresh_session_of_another_process_avoids_a_standby_beyond_the_bound"]
fn lag_child() {
    let Some(conninfo) = child::input("PGTC_T_CONNINFO") else {
        return;
    };
    let mut s = Session::open(&conninfo).unwrap();
    let lag = wait_lag(&s, "known", DELAY + CATCH_UP, |_| true);
    let servers: Vec<String> = (0..5)
        .map(|_| format!("{:?}", server_of(&mut s, "SELECT 1")))
        .collect();
    child::report("servers", servers.join(" "));
    child::report("lag", lag);
    child::report("reason", s.explain("SELECT 1").reason);
}

/// `pgtc_conn_standby_lag_ms` of `conn`.
fn lag_of(conn: *const pgtc::ffi::conn::pgtc_conn) -> i64 {
    let mut lag = i64::MIN;
    let mut err = null_mut();
    let st = pgtc_conn_standby_lag_ms(conn, &mut lag, &mut err);
    assert_eq!(st, Status::Ok);
    assert!(err.is_null());
    lag
}

#[test]
fn the_lag_is_at_least_the_age_of_a_write_the_standby_lacks_and_small_once_caught_up() {
    let c = Cluster::new(0);
    let conn = open(&format!("{} {}", c.conninfo, RM));
    wait_for("the lag to be known", CATCH_UP, || match lag_of(conn) {
        l if l >= 0 => Ok(()),
        l => Err(l.to_string()),
    });
    set_delay(&c, DELAY);
    let t = table("lag_age");
    let writes = Writes::start(&c, &t);
    let mut d = c.direct(true);
    // A position before the write's commit record: a standby behind it
    // lacks the write.
    let lsn: String = d
        .query_one(
            &format!("INSERT INTO {t} VALUES (2) RETURNING pg_current_wal_insert_lsn()::text"),
            &[],
        )
        .unwrap()
        .get(0);
    let written = Instant::now();
    // Half the delay later the standby cannot have applied that write:
    // whatever it lacks is at least as old as the write.
    wait_for("half the apply delay to pass", DELAY, || {
        if written.elapsed() >= DELAY / 2 {
            Ok(())
        } else {
            Err(format!("{:?}", written.elapsed()))
        }
    });
    let age = written.elapsed().as_millis() as i64;
    let lag = lag_of(conn);
    let behind: bool = c
        .direct(false)
        .query_one(
            "SELECT pg_last_wal_replay_lsn() < $1::text::pg_lsn",
            &[&lsn],
        )
        .unwrap()
        .get(0);
    assert!(
        behind,
        "the standby applied the write; the test proves nothing"
    );
    assert!(
        lag >= age,
        "lag {} ms, but a write {} ms old is missing",
        lag,
        age
    );
    // With writes going on, it reaches the delay itself.
    let want = DELAY.as_millis() as i64;
    wait_for(
        format_args!("a lag of {} ms", want),
        CATCH_UP,
        || match lag_of(conn) {
            l if l >= want => Ok(()),
            l => Err(l.to_string()),
        },
    );
    // Caught up: small again.
    drop(writes);
    set_delay(&c, Duration::ZERO);
    wait_for("a lag below 1000 ms", CATCH_UP, || match lag_of(conn) {
        l if (0..1000).contains(&l) => Ok(()),
        l => Err(l.to_string()),
    });
    pgtc_conn_free(conn);
}

#[test]
fn bad_input_is_refused_by_name() {
    let c = Cluster::shared();
    let mut sess = c.open("");
    for (key, value) in [
        ("CONSISTENCY_SCOPE", "GLOBAL"),
        ("CONSISTENCY_SCOPE", ""),
        ("MAX_STANDBY_LAG_MS", "600001"),
        ("MAX_STANDBY_LAG_MS", "-1"),
        ("MAX_STANDBY_LAG_MS", "1.5"),
        ("MAX_STANDBY_LAG_MS", "lots"),
    ] {
        let e = sess.set_attr(key, value).unwrap_err();
        assert_eq!(e.status, Status::InvalidAttributeValue, "{}={}", key, value);
        assert!(e.message.contains(key), "{}", e.message);
        if value.is_empty() {
            continue;
        }
        let e = match Session::open(&format!("{} {}={}", c.conninfo, key, value)) {
            Err(e) => e,
            Ok(_) => panic!("opened with {}={}", key, value),
        };
        assert_eq!(e.status, Status::InvalidAttributeValue, "{}={}", key, value);
        assert!(e.message.contains(key), "{}", e.message);
    }
    assert_eq!(sess.get_attr("MAX_STANDBY_LAG_MS").unwrap(), "0");
    sess.set_attr("max_standby_lag_ms", "600000").unwrap();
    sess.set_attr("consistency_scope", " session ").unwrap();
    assert_eq!(
        (
            sess.get_attr("MAX_STANDBY_LAG_MS").unwrap(),
            sess.get_attr("CONSISTENCY_SCOPE").unwrap()
        ),
        ("600000".to_string(), "SESSION".to_string())
    );
    // Through the C ABI.
    let conn = open(&c.conninfo);
    let (k, v) = (
        CString::new("MAX_STANDBY_LAG_MS").unwrap(),
        CString::new("x").unwrap(),
    );
    let mut err = null_mut();
    let st = pgtc_conn_set_attr(conn, k.as_ptr(), v.as_ptr(), &mut err);
    assert_eq!(st, Status::InvalidAttributeValue);
    assert!(s(pgtc_error_message(err)).contains("MAX_STANDBY_LAG_MS"));
    pgtc_error_free(err);
    // NULL arguments.
    let mut lag = 7i64;
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_standby_lag_ms(null(), &mut lag, &mut err),
        Status::NullArgument
    );
    pgtc_error_free(err);
    assert_eq!(
        pgtc_conn_standby_lag_ms(conn, null_mut(), null_mut()),
        Status::NullArgument
    );
    assert_eq!(lag, 7);
    pgtc_conn_free(conn);
    // A connection without a standby has no lag to report.
    let single = open(&c.single(true));
    let mut err = null_mut();
    let st = pgtc_conn_standby_lag_ms(single, &mut lag, &mut err);
    assert_eq!(st, Status::InvalidState);
    assert_eq!(s(pgtc_error_sqlstate(err)), "08003");
    assert!(s(pgtc_error_message(err)).contains("no standby"));
    assert_eq!(lag, 7, "left untouched");
    pgtc_error_free(err);
    pgtc_conn_free(single);
    let e = Session::open(&c.single(true))
        .unwrap()
        .standby_lag_ms()
        .unwrap_err();
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::InvalidState, "08003")
    );
}
