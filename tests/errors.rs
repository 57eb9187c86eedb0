//! Error fields against a real pair: every field of the server's
//! ErrorResponse by its protocol code (Rust API and `pgtc_error_field`),
//! and a SQLSTATE on every failure, also those no server reported.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::attr::pgtc_conn_get_attr;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::{Error, Session, Status};
use std::ffi::CString;
use std::ptr::{null, null_mut};

fn field(e: *const pgtc_error, code: impl Into<i32>) -> Option<String> {
    let p = pgtc_error_field(e, code.into());
    (!p.is_null()).then(|| s(p))
}

#[test]
fn a_constraint_violation_names_schema_table_and_constraint() {
    let c = Cluster::shared();
    let t = table("uniq");
    let mut sess = c.open("");
    exec(&mut sess, &format!("DROP TABLE IF EXISTS public.{t}"));
    exec(
        &mut sess,
        &format!("CREATE TABLE public.{t}(id int CONSTRAINT {t}_id_key UNIQUE, note text)"),
    );
    exec(
        &mut sess,
        &format!("INSERT INTO public.{t} VALUES (1, 'a')"),
    );
    let sql = format!("INSERT INTO public.{t} VALUES (1, 'b')");
    let e = sess.exec(&sql, None).unwrap_err();
    assert_eq!((e.status, e.sqlstate.as_str()), (Status::Sql, "23505"));
    let f = |c: u8| e.fields.get(c);
    assert_eq!(f(b'C'), Some("23505"));
    assert_eq!(f(b'V'), Some("ERROR"));
    assert_eq!(f(b'S'), Some("ERROR"));
    assert_eq!(f(b's'), Some("public"));
    assert_eq!(f(b't'), Some(t.as_str()));
    let constraint = format!("{t}_id_key");
    assert_eq!(f(b'n'), Some(constraint.as_str()));
    assert_eq!(f(b'D'), Some("Key (id)=(1) already exists."));
    assert!(f(b'M').unwrap().contains("duplicate key value"), "{:?}", e);
    // The source location fields of the server's code are there too.
    assert!(f(b'F').is_some() && f(b'L').is_some() && f(b'R').is_some());
    assert_eq!(f(b'H'), None);
    // The message keeps psql's rendering with the detail.
    assert!(e
        .message
        .contains("\nDETAIL:  Key (id)=(1) already exists."));

    // The same through the C ABI.
    let conn = open(&c.conninfo);
    let csql = CString::new(sql).unwrap();
    let mut res = null_mut();
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, csql.as_ptr(), &mut res, &mut err),
        Status::Sql
    );
    assert!(res.is_null());
    assert_eq!(field(err, b'C').as_deref(), Some("23505"));
    assert_eq!(field(err, b's').as_deref(), Some("public"));
    assert_eq!(field(err, b't'), Some(t.clone()));
    assert_eq!(field(err, b'n'), Some(constraint));
    assert_eq!(field(err, b'c'), None);
    assert_eq!(field(err, b'H'), None);
    assert_eq!(field(err, 0), None);
    assert_eq!(field(err, -1), None);
    assert_eq!(field(err, 0x143), None);
    assert!(pgtc_error_field(null(), i32::from(b'C')).is_null());
    pgtc_error_free(err);
    pgtc_conn_free(conn);

    // A NOT NULL violation names the column, a check on a domain the type.
    exec(
        &mut sess,
        &format!("DROP DOMAIN IF EXISTS {t}_pos; CREATE DOMAIN {t}_pos AS int CHECK (VALUE > 0)"),
    );
    exec(
        &mut sess,
        &format!("ALTER TABLE public.{t} ALTER COLUMN note SET NOT NULL"),
    );
    let e = sess
        .exec(&format!("INSERT INTO public.{t} VALUES (2, NULL)"), None)
        .unwrap_err();
    assert_eq!(e.sqlstate, "23502");
    assert_eq!(e.fields.get(b'c'), Some("note"));
    let e = sess
        .exec(&format!("SELECT (-1)::{t}_pos"), None)
        .unwrap_err();
    assert_eq!(e.sqlstate, "23514");
    let domain = format!("{t}_pos");
    assert_eq!(e.fields.get(b'd'), Some(domain.as_str()));
    exec(
        &mut sess,
        &format!("DROP TABLE public.{t}; DROP DOMAIN {t}_pos"),
    );
}

#[test]
fn a_syntax_error_gives_its_position_and_a_hint_its_hint() {
    let c = Cluster::shared();
    let mut sess = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    let sql = "SELECT 1 FROM WHERE";
    let e = sess.exec(sql, None).unwrap_err();
    assert_eq!(e.sqlstate, "42601");
    let want = (sql.find("WHERE").unwrap() + 1).to_string();
    assert_eq!(e.fields.get(b'P'), Some(want.as_str()));
    // Positions count characters, not bytes.
    let sql = "SELECT 'é' FROM WHERE";
    let e = sess.exec(sql, None).unwrap_err();
    let want = (sql.chars().take_while(|&ch| ch != 'W').count() + 1).to_string();
    assert_eq!(e.fields.get(b'P'), Some(want.as_str()));
    let e = sess.exec("SELECT lower(1)", None).unwrap_err();
    assert_eq!(e.sqlstate, "42883");
    assert!(e.fields.get(b'H').unwrap().contains("explicit type casts"));
    assert_eq!(e.fields.get(b'P'), Some("8"));
    // A PL/pgSQL error has its context, and RAISE its own fields.
    let e = sess
        .exec(
            "DO $$BEGIN RAISE EXCEPTION USING MESSAGE = 'boom', DETAIL = 'd', \
             HINT = 'h', ERRCODE = 'P0042', SCHEMA = 'sc', TABLE = 'tb', \
             COLUMN = 'co', DATATYPE = 'dt', CONSTRAINT = 'cn'; END$$",
            None,
        )
        .unwrap_err();
    assert_eq!(e.sqlstate, "P0042");
    for (code, want) in [
        (b'M', "boom"),
        (b'D', "d"),
        (b'H', "h"),
        (b's', "sc"),
        (b't', "tb"),
        (b'c', "co"),
        (b'd', "dt"),
        (b'n', "cn"),
    ] {
        assert_eq!(e.fields.get(code), Some(want), "field {}", code as char);
    }
    assert!(e.fields.get(b'W').unwrap().contains("PL/pgSQL"));
    // An error inside a query a function ran: internal position and query.
    let e = sess
        .exec("DO $$BEGIN EXECUTE 'SELECT 1 FROM WHERE'; END$$", None)
        .unwrap_err();
    assert_eq!(e.fields.get(b'q'), Some("SELECT 1 FROM WHERE"));
    assert_eq!(e.fields.get(b'p'), Some("15"));
    assert_eq!(exec(&mut sess, "SELECT 1").value(0, 0), Some("1"));
}

/// Errors of every kind pgtc reports without a server error, collected
/// from real calls: each carries a five-character SQLSTATE, class 08 for
/// connection problems.
#[test]
fn every_status_carries_a_sqlstate() {
    let c = Cluster::shared();
    let mut seen: Vec<Error> = Vec::new();
    // Bad connection strings and attributes.
    for ci in [
        "host='unterminated",
        "nonsense_key=1",
        "PREFERRED_ACCESS=SOMETIMES",
    ] {
        seen.push(
            Session::open(&format!("{} {}", c.conninfo, ci))
                .err()
                .unwrap(),
        );
    }
    // No server reachable.
    let port = pick_closed_port();
    seen.push(
        Session::open(&format!(
            "host=127.0.0.1 port={port} user=pgtc password=pgtc dbname=postgres connect_timeout=2"
        ))
        .err()
        .unwrap(),
    );
    // Authentication refused.
    seen.push(
        Session::open(&format!(
            "{} user=pgtc_nobody_{}",
            c.conninfo,
            std::process::id()
        ))
        .err()
        .unwrap(),
    );
    // A write with only the standby: no primary.
    let mut standby_only = Session::open(&c.single(false)).unwrap();
    let t = table("nop");
    seen.push(
        standby_only
            .exec(&format!("CREATE TABLE {t}(x int)"), None)
            .unwrap_err(),
    );
    let mut sess = c.open("");
    // Wrong state, bad arguments.
    exec(&mut sess, "BEGIN");
    exec(&mut sess, "SELECT 1");
    seen.push(sess.set_attr("TXN_ISOLATION", "SERIALIZABLE").unwrap_err());
    exec(&mut sess, "ROLLBACK");
    seen.push(sess.raise_lsn_floor("not an lsn").unwrap_err());
    seen.push(sess.set_attr("NO_SUCH_ATTRIBUTE", "1").unwrap_err());
    seen.push(
        sess.exec("SELECT $1::int, $2::int", Some(&[Some("1")]))
            .unwrap_err(),
    );
    // The connection to the primary lost under a write.
    let pid = exec(&mut sess, "SELECT pg_backend_pid()")
        .value(0, 0)
        .unwrap()
        .to_string();
    c.direct(true)
        .execute(&format!("SELECT pg_terminate_backend({pid})"), &[])
        .unwrap();
    seen.push(
        sess.exec(&format!("CREATE TABLE {t}(x int)"), None)
            .unwrap_err(),
    );
    let statuses: Vec<Status> = seen.iter().map(|e| e.status).collect();
    for want in [
        Status::ConninfoSyntax,
        Status::UnknownAttribute,
        Status::InvalidAttributeValue,
        Status::ConnectFailed,
        Status::AuthFailed,
        Status::NoPrimary,
        Status::InvalidState,
        Status::InvalidArgument,
        Status::ConnectionLost,
    ] {
        assert!(statuses.contains(&want), "{:?} not in {:?}", want, statuses);
    }
    for e in &seen {
        assert_eq!(e.sqlstate.len(), 5, "{:?}", e);
        assert_eq!(e.field(b'C'), Some(e.sqlstate.as_str()));
        if matches!(
            e.status,
            Status::ConnectFailed | Status::ConnectionLost | Status::NoPrimary
        ) {
            assert!(e.sqlstate.starts_with("08"), "{:?}", e);
        }
    }

    // Through the C ABI: misuse of the API, NULL and bad UTF-8.
    let conn = open(&c.conninfo);
    let mut err = null_mut();
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, null(), &mut res, &mut err),
        Status::NullArgument
    );
    assert_eq!(s(pgtc_error_sqlstate(err)), "HY009");
    assert_eq!(field(err, b'C').as_deref(), Some("HY009"));
    assert_eq!(field(err, b'V').as_deref(), Some("ERROR"));
    assert_eq!(field(err, b'M'), Some(s(pgtc_error_message(err))));
    assert_eq!(field(err, b'D'), None);
    pgtc_error_free(err);
    let bad = [b'S', 0xff, 0];
    assert_eq!(
        pgtc_conn_exec(conn, bad.as_ptr().cast(), &mut res, &mut err),
        Status::InvalidUtf8
    );
    assert_eq!(s(pgtc_error_sqlstate(err)), "22021");
    pgtc_error_free(err);
    let mut buf = [0i8; 2];
    assert_eq!(
        pgtc_conn_lsn_floor(conn, buf.as_mut_ptr(), buf.len(), &mut err),
        Status::InvalidArgument
    );
    assert_eq!(s(pgtc_error_sqlstate(err)), "22023");
    pgtc_error_free(err);
    let mut out = [0i8; 32];
    assert_eq!(
        pgtc_conn_get_attr(
            conn,
            c"NOPE".as_ptr(),
            out.as_mut_ptr(),
            out.len(),
            &mut err
        ),
        Status::UnknownAttribute
    );
    assert_eq!(s(pgtc_error_sqlstate(err)), "42704");
    pgtc_error_free(err);
    pgtc_conn_free(conn);
}

/// A loopback port nothing listens on.
fn pick_closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
