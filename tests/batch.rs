//! Parameter sets of one prepared statement pipelined by
//! `Session::exec_prepared_batch`, against a real pair: round trips are
//! counted, never timed; errors are those of one set at a time.

mod common;
use common::*;
use pgtc::session::{Values, BATCH_SETS};
use pgtc::{Server, Session};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

fn sets(n: usize, dup_at: Option<usize>) -> Vec<[String; 2]> {
    (0..n)
        .map(|i| {
            let id = if Some(i) == dup_at { i - 1 } else { i };
            [id.to_string(), format!("v{}", i)]
        })
        .collect()
}

fn run(
    s: &mut Session,
    st: &pgtc::session::Statement,
    rows: &[[String; 2]],
) -> Vec<pgtc::Result<pgtc::ResultSet>> {
    let owned: Vec<Vec<Option<&str>>> = rows
        .iter()
        .map(|r| vec![Some(r[0].as_str()), Some(r[1].as_str())])
        .collect();
    let values: Vec<Values<'_>> = owned.iter().map(|v| Values::Text(v)).collect();
    s.exec_prepared_batch(st, &values, &[]).unwrap()
}

#[test]
fn a_batch_costs_one_round_trip_per_chunk_and_a_failing_set_fails_alone() {
    let c = Cluster::shared();
    let t = table("batch_rt");
    let mut s = c.open(RM);
    exec(
        &mut s,
        &format!("CREATE TABLE {}(id int PRIMARY KEY, v text)", t),
    );
    let st = s
        .prepare(&format!("INSERT INTO {} VALUES ($1, $2)", t), &[])
        .unwrap();
    let n = BATCH_SETS * 2 + 10;
    let rows = sets(n, Some(300));
    let before = s.round_trips();
    let out = run(&mut s, &st, &rows);
    let trips = s.round_trips() - before;
    // One flush per chunk (the LSN read after the writes is pipelined).
    assert_eq!(trips, 3, "{} sets in {} round trips", n, trips);
    assert_eq!(out.len(), n);
    for (i, r) in out.iter().enumerate() {
        match r {
            Ok(rs) => {
                assert_ne!(i, 300);
                assert_eq!(rs.affected(), 1);
                assert_eq!(rs.server, Some(Server::Primary));
            }
            Err(e) => {
                assert_eq!(i, 300, "set {} failed: {}", i, e);
                assert_eq!(e.sqlstate, "23505");
            }
        }
    }
    // Every other set committed, and the session reads its writes.
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some((n - 1).to_string().as_str()));
}

#[test]
fn in_a_transaction_a_failing_set_aborts_it_as_usual() {
    let c = Cluster::shared();
    let t = table("batch_txn");
    let mut s = c.open(RM);
    exec(
        &mut s,
        &format!("CREATE TABLE {}(id int PRIMARY KEY, v text)", t),
    );
    let st = s
        .prepare(&format!("INSERT INTO {} VALUES ($1, $2)", t), &[])
        .unwrap();
    exec(&mut s, "BEGIN");
    let out = run(&mut s, &st, &sets(10, Some(4)));
    let states: Vec<&str> = out
        .iter()
        .map(|r| r.as_ref().map_or_else(|e| e.sqlstate.as_str(), |_| "ok"))
        .collect();
    assert_eq!(
        states,
        ["ok", "ok", "ok", "ok", "23505", "25P02", "25P02", "25P02", "25P02", "25P02"]
    );
    exec(&mut s, "ROLLBACK");
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some("0"));
    // After the rollback the statement runs again.
    let out = run(&mut s, &st, &sets(3, None));
    assert!(out.iter().all(|r| r.is_ok()));
    // Inside a transaction, a round trip per chunk too (the sets of a
    // chunk share one Sync), and every set is answered in order.
    exec(&mut s, &format!("DELETE FROM {}", t));
    exec(&mut s, "BEGIN");
    let n = BATCH_SETS * 2 + 10;
    let before = s.round_trips();
    let out = run(&mut s, &st, &sets(n, None));
    assert_eq!(s.round_trips() - before, 3);
    assert_eq!(out.len(), n);
    assert!(out
        .iter()
        .all(|r| r.as_ref().is_ok_and(|r| r.affected() == 1
            && r.tag() == "INSERT 0 1"
            && r.server == Some(Server::Primary))));
    exec(&mut s, "COMMIT");
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some(n.to_string().as_str()));
}

#[test]
fn a_count_that_does_not_match_sends_nothing() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    let st = s.prepare("SELECT $1::int", &[]).unwrap();
    let before = s.round_trips();
    let one = [Some("1")];
    let two = [Some("1"), Some("2")];
    let e = s
        .exec_prepared_batch(&st, &[Values::Text(&one), Values::Text(&two)], &[])
        .unwrap_err();
    assert_eq!(e.sqlstate, "08P01");
    assert_eq!(s.round_trips(), before);
    // Reads are routed as their text: one at a time, each where it goes.
    let out = s
        .exec_prepared_batch(&st, &[Values::Text(&one), Values::Text(&one)], &[])
        .unwrap();
    assert_eq!(out.len(), 2);
    for r in out {
        assert_eq!(r.unwrap().value(0, 0), Some("1"));
    }
}
