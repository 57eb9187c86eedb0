//! The READ_ONLY attribute against a real pair: transactions begin READ
//! ONLY on both servers, writes fail as PostgreSQL fails them (25006), and
//! the attribute cannot change inside a transaction (25001).

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::attr::pgtc_conn_get_attr;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::session::Values;
use pgtc::{Server, Session, Status};
use std::ffi::CString;
use std::ptr::null_mut;

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

fn sqlstate_of(s: &mut Session, sql: &str) -> String {
    match s.exec(sql, None) {
        Ok(_) => String::new(),
        Err(e) => e.sqlstate,
    }
}

/// The session's `default_transaction_read_only` (the primary's answer: the
/// setting is mirrored, and a standby that refused it would pin the session).
fn default_read_only(s: &mut Session) -> String {
    let r = exec(s, "SHOW default_transaction_read_only");
    assert_eq!(r.server, Some(Server::Primary));
    assert!(!s.pinned(), "both servers took the setting");
    r.value(0, 0).unwrap().to_string()
}

#[test]
fn read_only_on_makes_every_write_fail_as_postgresql_does() {
    let c = Cluster::shared();
    let t = table("ro_on");
    let mut admin = c.open("");
    exec(&mut admin, &format!("CREATE TABLE {}(id int)", t));
    let mut s = c.open(&format!("READ_ONLY=ON {}", RM));
    assert_eq!(s.get_attr("READ_ONLY").unwrap(), "ON");
    for sql in [
        format!("INSERT INTO {} VALUES (1)", t),
        format!("CREATE TABLE {}_x(id int)", t),
        format!("UPDATE {} SET id = 2", t),
    ] {
        let e = s.exec(&sql, None).unwrap_err();
        assert_eq!(
            (e.status, e.sqlstate.as_str()),
            (Status::Sql, "25006"),
            "{}: {}",
            sql,
            e
        );
        assert!(e.message.contains("read-only transaction"), "{}", e.message);
    }
    // In an explicit transaction and through parameters and prepared
    // statements too.
    exec(&mut s, "BEGIN");
    assert_eq!(
        exec(&mut s, "SHOW transaction_read_only").value(0, 0),
        Some("on")
    );
    assert_eq!(sqlstate_of(&mut s, &format!("DELETE FROM {}", t)), "25006");
    exec(&mut s, "ROLLBACK");
    let e = s
        .exec(
            &format!("INSERT INTO {} VALUES ($1)", t),
            Some(&[Some("1")]),
        )
        .unwrap_err();
    assert_eq!(e.sqlstate, "25006");
    let st = s
        .prepare(&format!("INSERT INTO {} VALUES ($1)", t), &[])
        .unwrap();
    let e = s
        .exec_prepared(&st, Values::Text(&[Some("1")]), &[])
        .unwrap_err();
    assert_eq!(e.sqlstate, "25006");
    // Reads work on both servers, which both begin read-only transactions.
    assert_eq!(default_read_only(&mut s), "on");
    until_on(
        &mut s,
        &format!("SELECT count(*) FROM {}", t),
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(
        exec(&mut s, &format!("SELECT count(*) FROM {}", t)).value(0, 0),
        Some("0")
    );
    assert_eq!(c.count_on_primary(&t), 0, "nothing was written");
    exec(&mut admin, &format!("DROP TABLE {}", t));
}

#[test]
fn read_only_changes_between_transactions_and_never_inside_one() {
    let c = Cluster::shared();
    let t = table("ro_run");
    let mut s = c.open(RM);
    assert_eq!(s.get_attr("READ_ONLY").unwrap(), "OFF");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    s.set_attr("read_only", "on").unwrap();
    assert_eq!(
        sqlstate_of(&mut s, &format!("INSERT INTO {} VALUES (2)", t)),
        "25006"
    );
    assert_eq!(default_read_only(&mut s), "on");
    // Inside a transaction: refused with 25001, the attribute unchanged and
    // the transaction still usable.
    exec(&mut s, "BEGIN");
    let e = s.set_attr("READ_ONLY", "OFF").unwrap_err();
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::InvalidState, "25001")
    );
    assert!(e.message.contains("READ_ONLY"), "{}", e.message);
    assert_eq!(s.get_attr("READ_ONLY").unwrap(), "ON");
    assert_eq!(
        exec(&mut s, &format!("SELECT count(*) FROM {}", t)).value(0, 0),
        Some("1")
    );
    exec(&mut s, "COMMIT");
    s.set_attr("READ_ONLY", "OFF").unwrap();
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    assert_eq!(default_read_only(&mut s), "off");
    // AUTOCOMMIT=OFF: the first statement opened a transaction.
    s.set_attr("AUTOCOMMIT", "OFF").unwrap();
    exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    let e = s.set_attr("READ_ONLY", "ON").unwrap_err();
    assert_eq!(e.sqlstate, "25001");
    exec(&mut s, "ROLLBACK");
    s.set_attr("READ_ONLY", "ON").unwrap();
    // Setting it does not open a transaction, even with AUTOCOMMIT=OFF.
    assert!(!s.in_transaction());
    s.set_attr("AUTOCOMMIT", "ON").unwrap();
    assert_eq!(
        sqlstate_of(&mut s, &format!("INSERT INTO {} VALUES (3)", t)),
        "25006"
    );
    s.set_attr("READ_ONLY", "OFF").unwrap();
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn the_c_abi_sets_and_reads_read_only() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let set = |v: &str| {
        let v = CString::new(v).unwrap();
        let mut err = null_mut();
        let st = pgtc_conn_set_attr(conn, c"READ_ONLY".as_ptr(), v.as_ptr(), &mut err);
        let state = if err.is_null() {
            String::new()
        } else {
            let st = s(pgtc_error_sqlstate(err));
            pgtc_error_free(err);
            st
        };
        (st, state)
    };
    assert_eq!(set("yes"), (Status::Ok, String::new()));
    let mut buf = [0 as std::ffi::c_char; 32];
    assert_eq!(
        pgtc_conn_get_attr(
            conn,
            c"READ_ONLY".as_ptr(),
            buf.as_mut_ptr(),
            buf.len(),
            null_mut()
        ),
        Status::Ok
    );
    assert_eq!(s(buf.as_ptr()), "ON");
    assert_eq!(set("maybe").0, Status::InvalidAttributeValue);
    let mut r = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, c"BEGIN".as_ptr(), &mut r, null_mut()),
        Status::Ok
    );
    pgtc::ffi::result::pgtc_result_free(r);
    assert_eq!(set("off"), (Status::InvalidState, "25001".to_string()));
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_exec(
            conn,
            c"CREATE TABLE ro_c_never(x int)".as_ptr(),
            &mut r,
            &mut err
        ),
        Status::Sql
    );
    assert_eq!(s(pgtc_error_sqlstate(err)), "25006");
    pgtc_error_free(err);
    assert_eq!(
        pgtc_conn_exec(conn, c"ROLLBACK".as_ptr(), &mut r, null_mut()),
        Status::Ok
    );
    pgtc::ffi::result::pgtc_result_free(r);
    assert_eq!(set("off"), (Status::Ok, String::new()));
    pgtc_conn_free(conn);
}

#[test]
fn read_only_holds_across_a_reconnect_and_discard_all() {
    let c = Cluster::shared();
    let t = table("ro_re");
    let app = format!("pgtc_ro_re_{}", std::process::id());
    let mut admin = c.open("");
    exec(&mut admin, &format!("CREATE TABLE {}(id int)", t));
    let mut s = c.open(&format!("application_name={} READ_ONLY=ON", app));
    let ins = format!("INSERT INTO {} VALUES (1)", t);
    assert_eq!(sqlstate_of(&mut s, &ins), "25006");
    // The primary's backend is killed; on the connection made again the
    // setting is in force.
    let mut d = c.direct(true);
    let pid: i32 = d
        .query_one(
            "SELECT pid FROM (SELECT pid FROM pg_stat_activity \
             WHERE application_name = $1 OFFSET 0) a WHERE pg_terminate_backend(pid)",
            &[&app],
        )
        .unwrap()
        .get(0);
    wait_for("a new primary connection", CATCH_UP, || {
        match s.exec("SELECT pg_backend_pid()", None) {
            Ok(r) if r.value(0, 0) != Some(pid.to_string().as_str()) => Ok(()),
            Ok(_) => Err("the old backend".into()),
            Err(e) => Err(e.to_string()),
        }
    });
    assert_eq!(sqlstate_of(&mut s, &ins), "25006");
    assert_eq!(default_read_only(&mut s), "on");
    // The attribute holds until it is set OFF: DISCARD ALL and RESET ALL
    // put the server default back, and pgtc applies it again.
    for reset in ["DISCARD ALL", "RESET ALL"] {
        exec(&mut s, reset);
        assert_eq!(sqlstate_of(&mut s, &ins), "25006", "after {}", reset);
        assert_eq!(default_read_only(&mut s), "on");
    }
    s.set_attr("READ_ONLY", "OFF").unwrap();
    exec(&mut s, "RESET ALL");
    assert_eq!(default_read_only(&mut s), "off");
    assert_eq!(c.count_on_primary(&t), 0);
    exec(&mut admin, &format!("DROP TABLE {}", t));
}
