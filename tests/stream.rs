//! Streaming large results in batches through a portal, against a real
//! primary + standby pair: batch sizes, the last batch and its tag, errors
//! in the middle, early close and drop, other statements between batches,
//! streams from the standby, inside transactions, a killed backend, a
//! cancel, and a long stream read batch by batch.

mod common;
use common::*;
use pgtc::session::{Stream, Values};
use pgtc::{ResultSet, Server, Session, Status};
use std::thread;

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0";

fn start(s: &mut Session, sql: &str, fetch: usize) -> Stream {
    s.stream(sql, &[], Values::Text(&[]), &[], fetch)
        .unwrap_or_else(|e| panic!("{}: {}", sql, e))
}

fn next(s: &mut Session, st: &mut Stream) -> Option<ResultSet> {
    s.stream_next(st)
        .unwrap_or_else(|e| panic!("stream_next: {}", e))
}

/// Every batch's row count, and the last batch's tag.
fn read_all(s: &mut Session, st: &mut Stream) -> (Vec<usize>, String) {
    let mut sizes = Vec::new();
    let mut tag = String::new();
    while let Some(b) = next(s, st) {
        sizes.push(b.rows());
        tag = b.tag().to_string();
    }
    (sizes, tag)
}

#[test]
fn batches_of_n_then_the_last_with_the_tag() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let mut st = start(
        &mut s,
        "SELECT g, 'x' || g AS name FROM generate_series(1, 2500) g",
        1000,
    );
    assert_eq!(st.server(), Server::Primary);
    let first = next(&mut s, &mut st).unwrap();
    assert_eq!(first.cols(), 2);
    assert_eq!(first.column_name(1), Some("name"));
    assert_eq!(first.rows(), 1000);
    assert_eq!(first.value(0, 0), Some("1"));
    assert_eq!(first.tag(), "", "a batch with more to come has no tag");
    let second = next(&mut s, &mut st).unwrap();
    assert_eq!((second.rows(), second.cols()), (1000, 2));
    assert_eq!(second.value(0, 0), Some("1001"));
    assert_eq!(second.value(999, 1), Some("x2000"));
    let last = next(&mut s, &mut st).unwrap();
    assert_eq!(last.rows(), 500);
    assert_eq!(last.value(499, 0), Some("2500"));
    assert_eq!(last.tag(), "SELECT 2500", "the tag counts every row");
    assert_eq!(last.affected(), 2500);
    assert_eq!(last.server, Some(Server::Primary));
    assert!(next(&mut s, &mut st).is_none());
    assert!(next(&mut s, &mut st).is_none());
    assert_eq!(s.streaming(), 0);
    // An exact multiple of the batch: the last batch is empty.
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 2000) g", 1000);
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![1000, 1000, 0], "SELECT 2000".into())
    );
    // Fewer rows than a batch: done at once.
    let mut st = start(&mut s, "SELECT 1 AS one", 1000);
    assert!(st.first().is_some());
    assert_eq!(read_all(&mut s, &mut st), (vec![1], "SELECT 1".into()));
    assert_eq!(exec(&mut s, "SELECT 3").value(0, 0), Some("3"));
}

#[test]
fn a_result_smaller_than_a_batch_costs_one_round_trip_as_exec() {
    let c = Cluster::shared();
    let mut s = c.open("");
    exec(&mut s, "SELECT 1");
    let before = s.round_trips();
    exec(&mut s, "SELECT 1");
    let exec_cost = s.round_trips() - before;
    let before = s.round_trips();
    let mut st = start(&mut s, "SELECT 1", 1000);
    assert_eq!(read_all(&mut s, &mut st), (vec![1], "SELECT 1".into()));
    assert_eq!(s.round_trips() - before, exec_cost);
    // The Sync's answer is read with the next request, which works, in a
    // transaction too.
    assert_eq!(exec(&mut s, "SELECT 2").value(0, 0), Some("2"));
    exec(&mut s, "BEGIN");
    let mut st = start(&mut s, "SELECT 3", 1000);
    assert_eq!(read_all(&mut s, &mut st).0, vec![1]);
    assert!(s.in_transaction());
    let mut st = start(&mut s, "SELECT 4", 1000);
    assert_eq!(read_all(&mut s, &mut st).0, vec![1]);
    exec(&mut s, "COMMIT");
    assert!(!s.in_transaction());
    assert_eq!(exec(&mut s, "SELECT 5").value(0, 0), Some("5"));
}

#[test]
fn parameters_prepared_statements_and_statements_that_run_whole() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let mut st = s
        .stream(
            "SELECT g FROM generate_series(1, $1::int) g",
            &[],
            Values::Text(&[Some("30")]),
            &[],
            10,
        )
        .unwrap();
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![10, 10, 10, 0], "SELECT 30".into())
    );
    let p = s
        .prepare("SELECT g FROM generate_series(1, $1) g", &[23])
        .unwrap();
    let mut st = s
        .stream_prepared(&p, Values::Text(&[Some("25")]), &[], 10)
        .unwrap();
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![10, 10, 5], "SELECT 25".into())
    );
    // A write runs whole: one batch with every row and the tag.
    let t = table("stream_whole");
    exec(&mut s, &format!("CREATE TABLE {} (id int)", t));
    let mut st = start(
        &mut s,
        &format!(
            "INSERT INTO {} SELECT generate_series(1, 50) RETURNING id",
            t
        ),
        10,
    );
    assert!(st.is_done() || st.first().is_some());
    assert_eq!(read_all(&mut s, &mut st), (vec![50], "INSERT 0 50".into()));
    exec(&mut s, &format!("DROP TABLE {}", t));
    // fetch 0 is refused.
    let e = s
        .stream("SELECT 1", &[], Values::Text(&[]), &[], 0)
        .unwrap_err();
    assert_eq!(e.status, Status::InvalidArgument, "{}", e);
}

#[test]
fn a_statement_made_stale_by_ddl_is_prepared_again() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let t = table("stream_stale");
    exec(&mut s, &format!("CREATE TABLE {} (a int)", t));
    exec(
        &mut s,
        &format!("INSERT INTO {} SELECT generate_series(1, 30)", t),
    );
    let sql = format!("SELECT * FROM {}", t);
    let mut st = start(&mut s, &sql, 10);
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![10, 10, 10, 0], "SELECT 30".into())
    );
    exec(
        &mut s,
        &format!("ALTER TABLE {} ADD COLUMN b text DEFAULT 'x'", t),
    );
    let mut st = start(&mut s, &sql, 10);
    let b = next(&mut s, &mut st).unwrap();
    assert_eq!((b.cols(), b.value(0, 1)), (2, Some("x")));
    s.stream_close(st).unwrap();
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn an_error_in_the_middle_comes_with_the_batch_that_hits_it() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let sql = "SELECT g, 1 / (5000 - g) AS q FROM generate_series(1, 10000) g";
    let mut st = start(&mut s, sql, 1000);
    for i in 0..4 {
        let b = next(&mut s, &mut st).unwrap();
        assert_eq!(b.rows(), 1000, "batch {}", i + 1);
    }
    let e = s.stream_next(&mut st).unwrap_err();
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::Sql, "22012"),
        "{}",
        e
    );
    assert!(
        s.stream_next(&mut st).unwrap().is_none(),
        "the stream is over"
    );
    assert_eq!(s.streaming(), 0);
    assert_eq!(exec(&mut s, "SELECT 4").value(0, 0), Some("4"));
    // An error in the first batch comes back from `stream` itself.
    let e = s
        .stream("SELECT 1 / 0", &[], Values::Text(&[]), &[], 10)
        .unwrap_err();
    assert_eq!(e.sqlstate, "22012", "{}", e);
    let e = s
        .stream(
            "SELECT * FROM no_such_table_here",
            &[],
            Values::Text(&[]),
            &[],
            10,
        )
        .unwrap_err();
    assert_eq!(e.sqlstate, "42P01", "{}", e);
    assert_eq!(exec(&mut s, "SELECT 5").value(0, 0), Some("5"));
}

#[test]
fn an_early_close_or_a_drop_frees_the_connection() {
    let c = Cluster::shared();
    let mut s = c.open("application_name=stream_close");
    let sql = "SELECT g FROM generate_series(1, 1000000) g";
    let mut st = start(&mut s, sql, 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    s.stream_close(st).unwrap();
    assert_eq!(s.streaming(), 0);
    // The implicit transaction of the stream is over: a new statement
    // starts a new one.
    let r = exec(&mut s, "SELECT now() = statement_timestamp()");
    assert_eq!(r.value(0, 0), Some("t"));
    // Dropped: closed with the next request.
    let mut st = start(&mut s, sql, 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    drop(st);
    assert_eq!(s.streaming(), 1, "closed with the next request");
    assert_eq!(exec(&mut s, "SELECT 6").value(0, 0), Some("6"));
    assert_eq!(s.streaming(), 0);
    // The server has no portal or transaction left for the session.
    let mut d = c.direct(true);
    let state: String = d
        .query_one(
            "SELECT state FROM pg_stat_activity WHERE application_name = 'stream_close'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(state, "idle");
}

#[test]
fn another_statement_on_the_connection_gets_the_rest_read_first() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let t = table("stream_between");
    exec(&mut s, &format!("CREATE TABLE {} (id int)", t));
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 5000) g", 1000);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 1000);
    // The same connection (the primary): the rest is read into memory,
    // then the statement runs; an autocommit write commits at once.
    assert_eq!(exec(&mut s, "SELECT 42").value(0, 0), Some("42"));
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    assert_eq!(c.count_on_primary(&t), 1, "the write committed at once");
    let rest = next(&mut s, &mut st).unwrap();
    assert_eq!(rest.rows(), 4000, "the rest, as one batch");
    assert_eq!(rest.value(0, 0), Some("1001"));
    assert_eq!(rest.tag(), "SELECT 5000");
    assert!(next(&mut s, &mut st).is_none());
    // Two streams at once on one connection: starting the second parks
    // the first.
    let mut a = start(&mut s, "SELECT g FROM generate_series(1, 300) g", 100);
    assert_eq!(next(&mut s, &mut a).unwrap().rows(), 100);
    let mut b = start(&mut s, "SELECT g FROM generate_series(1, 300) g", 100);
    assert_eq!(
        read_all(&mut s, &mut b),
        (vec![100, 100, 100, 0], "SELECT 300".into())
    );
    assert_eq!(read_all(&mut s, &mut a), (vec![200], "SELECT 300".into()));
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn a_read_streams_from_the_standby_while_writes_go_to_the_primary() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let t = table("stream_standby");
    exec(&mut s, &format!("CREATE TABLE {} (id int)", t));
    exec(
        &mut s,
        &format!("INSERT INTO {} SELECT generate_series(1, 3000)", t),
    );
    // Read-your-writes: wherever it starts (the primary while the standby
    // has not replayed the insert), the stream sees every row.
    let sql = format!("SELECT id FROM {} ORDER BY id", t);
    let mut st = start(&mut s, &sql, 1000);
    let b = next(&mut s, &mut st).unwrap();
    assert_eq!((b.rows(), b.value(0, 0)), (1000, Some("1")));
    let (sizes, tag) = read_all(&mut s, &mut st);
    assert_eq!((sizes, tag.as_str()), (vec![1000, 1000, 0], "SELECT 3000"));
    // Once replay passes the floor, streams start on the standby.
    let r = until_on(&mut s, &sql, Server::Secondary, CATCH_UP);
    assert_eq!(r.rows(), 3000);
    let mut st = start(&mut s, &sql, 1000);
    assert_eq!(st.server(), Server::Secondary);
    let b = next(&mut s, &mut st).unwrap();
    assert_eq!(b.server, Some(Server::Secondary));
    // A write goes to the primary and leaves the stream alone: its
    // batches keep their size (nothing was read whole).
    exec(&mut s, &format!("INSERT INTO {} VALUES (-1)", t));
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![1000, 1000, 0], "SELECT 3000".into())
    );
    // A stream from the standby outside a transaction, and a transaction
    // on the primary meanwhile: the stream's end leaves the transaction
    // alone.
    until_on(&mut s, &sql, Server::Secondary, CATCH_UP);
    let mut st = start(&mut s, &sql, 1000);
    assert_eq!(st.server(), Server::Secondary);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 1000);
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (-2)", t));
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![1000, 1000, 1], "SELECT 3001".into())
    );
    assert!(s.in_transaction());
    exec(&mut s, &format!("INSERT INTO {} VALUES (-3)", t));
    exec(&mut s, "COMMIT");
    assert_eq!(c.count_on_primary(&t), 3003);
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn commit_or_rollback_closes_a_stream_of_its_transaction() {
    let c = Cluster::shared();
    let mut s = c.open("");
    exec(&mut s, "BEGIN");
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 1000) g", 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    // Inside the transaction, another statement first reads the rest.
    assert_eq!(exec(&mut s, "SELECT 7").value(0, 0), Some("7"));
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 800);
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 1000) g", 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    exec(&mut s, "COMMIT");
    let e = s.stream_next(&mut st).unwrap_err();
    assert_eq!(e.sqlstate, "24000", "{}", e);
    assert!(s.stream_next(&mut st).unwrap().is_none());
    // ROLLBACK too; the session goes on outside a transaction.
    exec(&mut s, "BEGIN");
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 1000) g", 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    exec(&mut s, "ROLLBACK");
    assert_eq!(s.stream_next(&mut st).unwrap_err().sqlstate, "24000");
    assert!(!s.in_transaction());
    // A stream started after COMMIT, outside a transaction, is not
    // touched by a later transaction's end on the other statements.
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 300) g", 100);
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![100, 100, 100, 0], "SELECT 300".into())
    );
}

#[test]
fn a_stream_in_a_transaction_on_the_standby_and_with_autocommit_off() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    // The transaction's block opens on the standby with the stream.
    exec(&mut s, "BEGIN");
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 250) g", 100);
    assert_eq!(st.server(), Server::Secondary);
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![100, 100, 50], "SELECT 250".into())
    );
    let r = exec(&mut s, "SELECT count(*) FROM generate_series(1, 7)");
    assert_eq!(r.value(0, 0), Some("7"));
    exec(&mut s, "COMMIT");
    assert!(!s.in_transaction());
    // AUTOCOMMIT=OFF: the stream opens the transaction; COMMIT closes it.
    let mut s = c.open("AUTOCOMMIT=OFF");
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 1000) g", 100);
    assert!(s.in_transaction());
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    exec(&mut s, "COMMIT");
    assert_eq!(s.stream_next(&mut st).unwrap_err().sqlstate, "24000");
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 150) g", 100);
    assert_eq!(
        read_all(&mut s, &mut st),
        (vec![100, 50], "SELECT 150".into())
    );
    exec(&mut s, "ROLLBACK");
    assert!(!s.in_transaction());
}

#[test]
fn a_killed_backend_fails_the_stream_with_class_08() {
    let c = Cluster::shared();
    let mut s = c.open("application_name=stream_kill");
    let mut st = start(&mut s, "SELECT g FROM generate_series(1, 1000000) g", 100);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    let mut d = c.direct(true);
    let n: i64 = d
        .query_one(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = 'stream_kill') x",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    // Wait until the backend is gone, then read on.
    wait_for("the backend to exit", CATCH_UP, || {
        let n: i64 = d
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stream_kill'",
                &[],
            )
            .unwrap()
            .get(0);
        if n == 0 {
            Ok(())
        } else {
            Err(format!("{} left", n))
        }
    });
    let e = s.stream_next(&mut st).unwrap_err();
    assert!(e.sqlstate.starts_with("08"), "{} ({})", e, e.sqlstate);
    assert!(
        s.stream_next(&mut st).unwrap().is_none(),
        "never started again"
    );
    // The session reconnects for the next statement.
    assert_eq!(exec(&mut s, "SELECT 8").value(0, 0), Some("8"));
}

#[test]
fn a_cancel_stops_the_batch_being_read() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let marker = format!("stream_cancel_{}", std::process::id());
    // Row 2 takes until cancelled.
    let sql = format!(
        "SELECT g, (SELECT count(*) FROM generate_series(1, CASE WHEN g = 2 \
         THEN 100000000000 ELSE 1 END)) AS {} FROM generate_series(1, 3) g",
        marker
    );
    let mut st = start(&mut s, &sql, 1);
    assert_eq!(next(&mut s, &mut st).unwrap().rows(), 1);
    let canceller = s.canceller();
    let mut d = c.direct(true);
    let res = thread::scope(|sc| {
        let waiter = sc.spawn(|| {
            wait_for("the batch to run", CATCH_UP, || {
                let n: i64 = d
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' \
                         AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()",
                        &[&marker],
                    )
                    .unwrap()
                    .get(0);
                if n > 0 {
                    Ok(())
                } else {
                    Err("not running".into())
                }
            });
            canceller.cancel()
        });
        let r = s.stream_next(&mut st);
        waiter.join().unwrap().expect("cancel request");
        r
    });
    let e = res.unwrap_err();
    assert_eq!(e.sqlstate, "57014", "{}", e);
    assert_eq!(exec(&mut s, "SELECT 9").value(0, 0), Some("9"));
}

/// VmHWM of this process, in kB (the peak resident set size).
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn two_million_rows_stream_one_batch_at_a_time() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let sql = "SELECT g, md5(g::text) FROM generate_series(1, 2000000) g";
    let before = peak_rss_kb();
    let mut st = start(&mut s, sql, 1000);
    let (mut rows, mut batches, mut tag, mut last) = (0usize, 0usize, String::new(), 0i64);
    while let Some(b) = next(&mut s, &mut st) {
        assert!(b.rows() <= 1000, "a batch of {} rows", b.rows());
        if b.rows() > 0 {
            let first: i64 = b.value(0, 0).unwrap().parse().unwrap();
            assert_eq!(first, last + 1, "rows in order, none lost");
            last = b.value(b.rows() - 1, 0).unwrap().parse().unwrap();
        }
        rows += b.rows();
        batches += 1;
        tag = b.tag().to_string();
    }
    assert_eq!(rows, 2_000_000);
    assert_eq!(batches, 2001);
    assert_eq!(tag, "SELECT 2000000");
    // Reported, not asserted (RSS is noisy): the benchmark measures it.
    eprintln!(
        "peak RSS before the stream {} kB, after 2 000 000 rows {} kB",
        before,
        peak_rss_kb()
    );
}

#[test]
fn a_pooled_session_given_back_with_a_stream_open_is_clean_for_the_next_user() {
    let c = Cluster::shared();
    let pool = pgtc::Pool::open(&format!(
        "{} POOL_MAX=1 POOL_MIN=0 application_name=stream_pool",
        c.conninfo
    ))
    .unwrap();
    let mut st;
    {
        let mut s = pool.acquire().unwrap();
        st = start(&mut s, "SELECT g FROM generate_series(1, 100000) g", 100);
        assert_eq!(next(&mut s, &mut st).unwrap().rows(), 100);
    }
    let mut s = pool.acquire().unwrap();
    assert_eq!(s.streaming(), 0, "the reset closed it");
    assert_eq!(exec(&mut s, "SELECT 10").value(0, 0), Some("10"));
    // The stream of the previous user is over.
    assert!(s.stream_next(&mut st).is_err());
    assert!(s.stream_next(&mut st).unwrap().is_none());
}
