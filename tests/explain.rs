//! Plans are reads: EXPLAIN without ANALYZE of any statement is served by
//! the standby like any read; EXPLAIN ANALYZE of a write runs on the
//! primary, where the statement itself would.

mod common;

use common::*;
use pgtc::Server;

#[test]
fn plans_are_balanced_and_analyzed_writes_stay_on_the_primary() {
    let c = Cluster::shared();
    let t = table("explain");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0");
    exec(&mut s, &format!("CREATE TABLE {}(id int, v text)", t));
    exec(&mut s, &format!("INSERT INTO {} VALUES (1, 'a')", t));
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let before = s.counters().misroutes;
    for sql in [
        format!("EXPLAIN SELECT * FROM {}", t),
        format!("EXPLAIN INSERT INTO {} VALUES (2, 'b')", t),
        format!("EXPLAIN UPDATE {} SET v = 'c' WHERE id = 1", t),
        format!("EXPLAIN (COSTS off) DELETE FROM {}", t),
        format!("EXPLAIN (ANALYZE false, FORMAT JSON) DELETE FROM {}", t),
        format!("EXPLAIN SELECT * FROM {} FOR UPDATE", t),
        format!(
            "EXPLAIN MERGE INTO {t} USING (SELECT 1 AS id) s ON {t}.id = s.id WHEN MATCHED THEN DELETE",
            t = t
        ),
        format!("EXPLAIN CREATE TABLE {}_copy AS SELECT * FROM {}", t, t),
        "EXPLAIN SELECT random()".to_string(),
        "EXPLAIN ANALYZE SELECT 1".to_string(),
    ] {
        let r = exec(&mut s, &sql);
        assert_eq!(r.server, Some(Server::Secondary), "{}", sql);
        assert!(r.rows() > 0, "{}: no plan", sql);
    }
    assert_eq!(
        s.counters().misroutes,
        before,
        "a plan was refused by the standby"
    );
    for sql in [
        format!("EXPLAIN ANALYZE INSERT INTO {} VALUES (3, 'x')", t),
        format!("EXPLAIN (ANALYZE) UPDATE {} SET v = 'y' WHERE id = 3", t),
        format!("EXPLAIN (ANALYZE true) DELETE FROM {} WHERE id = 3", t),
    ] {
        assert_eq!(server_of(&mut s, &sql), Server::Primary, "{}", sql);
    }
    // The analyzed writes ran: the row was inserted, updated and deleted;
    // the plans changed nothing.
    assert_eq!(c.count_on_primary(&format!("{} WHERE id <> 1", t)), 0);
    assert_eq!(c.count_on_primary(&t), 1);
}
