//! Statement execution against a real pair: values exactly as psql shows
//! them, parameters, errors, multi-statement text, transactions.

mod common;
use common::*;
use pgtc::{Server, Status};
use std::process::Command;

/// psql's own rendering of `expr` on the primary (unaligned, tuples only,
/// NUL-separated), with SQL NULL shown as None.
fn psql_value(c: &Cluster, setup: &str, expr: &str) -> Option<String> {
    let out = Command::new("psql")
        .args([
            "-X",
            "-A",
            "-t",
            "-q",
            "-z",
            "-0",
            "-P",
            "null=<<NULL>>",
            "-c",
            setup,
            "-c",
        ])
        .arg(format!("SELECT {}", expr))
        .arg(c.single(true))
        .output()
        .expect("running psql");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    let v = s.trim_end_matches(['\0', '\n']).to_string();
    (v != "<<NULL>>").then_some(v)
}

const TYPES: &[&str] = &[
    "true",
    "false",
    "1::int2",
    "(-32768)::int2",
    "2147483647::int4",
    "9223372036854775807::int8",
    "1.5::float4",
    "0.1::float8",
    "1e20::float8",
    "-1.25e-7::float8",
    "'NaN'::float8",
    "'-Infinity'::float8",
    "1.50::numeric",
    "123456789012345678901234567890.000001::numeric",
    "'NaN'::numeric",
    "'abc'::text",
    "'x y'::varchar(10)",
    "'ab'::char(4)",
    "'nm'::name",
    "''::text",
    "'ünï ✓'::text",
    "'\\x01ff00'::bytea",
    "''::bytea",
    "'2024-02-29'::date",
    "'infinity'::date",
    "'4713-01-01 BC'::date",
    "'12:34:56.789'::time",
    "'00:00'::time",
    "'2024-02-29 12:34:56'::timestamp",
    "'2024-02-29 12:34:56.5+00'::timestamptz",
    "'1999-12-31 23:59:59+05:30'::timestamptz",
    "'1 day 02:03:04'::interval",
    "'-1 year 2 mons -3 days 04:05:06.7'::interval",
    "'0'::interval",
    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
    "'{\"b\": [1, 2], \"a\": null}'::json",
    "'{\"b\":2,   \"a\":1}'::jsonb",
    "26::oid",
    "ARRAY[1, 2, NULL]::int[]",
    "ARRAY['a b', 'c', '', NULL, 'NULL']::text[]",
    "ARRAY[1.5, 2]::float8[]",
    "ARRAY['2024-01-01']::date[]",
    "ARRAY[true, false]",
    "'{}'::int[]",
    "ARRAY['{\"a\":1}']::jsonb[]",
    "ARRAY['\\x00'::bytea]",
    "NULL::int",
    "NULL::text",
];

#[test]
fn values_are_text_exactly_as_psql_shows_them() {
    let c = Cluster::shared();
    let setup = "SET TIME ZONE 'Asia/Kolkata'";
    let mut s = c.open("");
    exec(&mut s, setup);
    for expr in TYPES {
        let want = psql_value(&c, setup, expr);
        let r = exec(&mut s, &format!("SELECT {}", expr));
        assert_eq!(r.value(0, 0).map(str::to_string), want, "exec: {}", expr);
        assert_eq!(r.is_null(0, 0), want.is_none());
        // The same through the extended protocol with a parameter.
        let r = s
            .exec(&format!("SELECT {}, $1::int", expr), Some(&[Some("7")]))
            .unwrap();
        assert_eq!(
            r.value(0, 0).map(str::to_string),
            want,
            "exec_params: {}",
            expr
        );
        assert_eq!(r.value(0, 1), Some("7"));
    }
}

#[test]
fn column_names_types_and_affected_rows() {
    let c = Cluster::shared();
    let t = table("cols");
    let mut s = c.open("");
    exec(&mut s, &format!("CREATE TABLE {}(id int, name text)", t));
    let r = exec(
        &mut s,
        &format!("INSERT INTO {} VALUES (1, 'a'), (2, 'b'), (3, NULL)", t),
    );
    assert_eq!(
        (r.affected(), r.tag(), r.rows(), r.cols()),
        (3, "INSERT 0 3", 0, 0)
    );
    let r = exec(
        &mut s,
        &format!("UPDATE {} SET name = 'z' WHERE id >= 2", t),
    );
    assert_eq!(r.affected(), 2);
    let r = exec(
        &mut s,
        &format!("SELECT id, name AS \"Full Name\" FROM {} ORDER BY id", t),
    );
    assert_eq!((r.rows(), r.cols()), (3, 2));
    assert_eq!(r.column_name(0), Some("id"));
    assert_eq!(r.column_name(1), Some("Full Name"));
    assert_eq!(r.column_type(0), Some(23));
    assert_eq!(r.column_type(1), Some(25));
    assert_eq!(r.value(2, 1), Some("z"));
    assert_eq!(r.affected(), 3);
    let r = exec(&mut s, &format!("DELETE FROM {}", t));
    assert_eq!(r.affected(), 3);
    let r = exec(&mut s, "");
    assert_eq!((r.rows(), r.cols(), r.tag()), (0, 0, ""));
}

#[test]
fn multi_statement_text_returns_every_result_in_order() {
    let c = Cluster::shared();
    let t = table("multi");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    let r = exec(
        &mut s,
        &format!("CREATE TABLE {t}(x int); INSERT INTO {t} VALUES (1),(2); SELECT sum(x) AS total FROM {t}"),
    );
    assert_eq!(r.server, Some(Server::Primary));
    assert_eq!(r.tag(), "CREATE TABLE");
    let last = r.iter().last().unwrap();
    assert_eq!(r.count(), 3);
    assert_eq!(
        (last.column_name(0), last.value(0, 0)),
        (Some("total"), Some("3"))
    );
    // An error stops the text; nothing after it runs, and the implicit
    // transaction of the text is rolled back.
    let e = s
        .exec(
            &format!("INSERT INTO {t} VALUES (10); SELECT 1/0; INSERT INTO {t} VALUES (11)"),
            None,
        )
        .unwrap_err();
    assert_eq!((e.status, e.sqlstate.as_str()), (Status::Sql, "22012"));
    let r = exec(&mut s, &format!("SELECT count(*) FROM {t} WHERE x >= 10"));
    assert_eq!(r.value(0, 0), Some("0"));
}

#[test]
fn parameters_are_typed_by_the_server_and_never_interpolated() {
    let c = Cluster::shared();
    let t = table("params");
    let mut s = c.open("");
    exec(&mut s, &format!("CREATE TABLE {}(id int, v text)", t));
    let evil = "'); DROP TABLE pg_class; --";
    let r = s
        .exec(
            &format!("INSERT INTO {} VALUES ($1, $2)", t),
            Some(&[Some("1"), Some(evil)]),
        )
        .unwrap();
    assert_eq!(r.affected(), 1);
    s.exec(
        &format!("INSERT INTO {} VALUES ($1, $2)", t),
        Some(&[Some("2"), None]),
    )
    .unwrap();
    let r = s
        .exec(
            &format!("SELECT v, v IS NULL FROM {} WHERE id = $1", t),
            Some(&[Some("1")]),
        )
        .unwrap();
    assert_eq!(r.value(0, 0), Some(evil));
    let r = s
        .exec(
            &format!("SELECT v IS NULL FROM {} WHERE id = $1", t),
            Some(&[Some("2")]),
        )
        .unwrap();
    assert_eq!(r.value(0, 0), Some("t"));
    let r = s
        .exec(
            "SELECT $1::int + $2::int8, $3::date + 1",
            Some(&[Some("40"), Some("2"), Some("2024-02-28")]),
        )
        .unwrap();
    assert_eq!(
        (r.value(0, 0), r.value(0, 1)),
        (Some("42"), Some("2024-02-29"))
    );
    // Wrong parameter text and count: server errors, the connection stays usable.
    let e = s
        .exec("SELECT $1::int", Some(&[Some("forty")]))
        .unwrap_err();
    assert_eq!((e.status, e.sqlstate.as_str()), (Status::Sql, "22P02"));
    let e = s
        .exec("SELECT $1::int, $2::int", Some(&[Some("1")]))
        .unwrap_err();
    assert_eq!(e.sqlstate, "08P01");
    let e = s.exec("SELECT 1; SELECT 2", Some(&[])).unwrap_err();
    assert_eq!(e.sqlstate, "42601");
    assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
}

#[test]
fn statement_errors_carry_sqlstate_and_leave_the_connection_usable() {
    let c = Cluster::shared();
    let t = table("errs");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    exec(&mut s, &format!("CREATE TABLE {}(id int primary key)", t));
    let cases: &[(&str, &str)] = &[
        ("SELEC 1", "42601"),
        ("SELECT * FROM no_such_table_pgtc", "42P01"),
        ("SELECT 1/0", "22012"),
    ];
    for (sql, state) in cases {
        let e = s.exec(sql, None).unwrap_err();
        assert_eq!(
            (e.status, e.sqlstate.as_str()),
            (Status::Sql, *state),
            "{}",
            sql
        );
        assert!(!e.message.is_empty());
    }
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    let e = s
        .exec(&format!("INSERT INTO {} VALUES (1)", t), None)
        .unwrap_err();
    assert_eq!(e.sqlstate, "23505");
    assert!(e.message.contains("DETAIL"), "{}", e.message);
    // In a transaction the error aborts it, as on one server.
    exec(&mut s, "BEGIN");
    exec(&mut s, "SELECT 1");
    let e = s.exec("SELECT 1/0", None).unwrap_err();
    assert_eq!(e.sqlstate, "22012");
    let e = s.exec("SELECT 1", None).unwrap_err();
    assert_eq!(e.sqlstate, "25P02");
    let e = s
        .exec(&format!("INSERT INTO {} VALUES (2)", t), None)
        .unwrap_err();
    assert_eq!(e.sqlstate, "25P02");
    assert_eq!(exec(&mut s, "COMMIT").tag(), "ROLLBACK");
    assert!(!s.in_transaction());
    let r = exec(&mut s, &format!("SELECT count(*) FROM {} WHERE id = 2", t));
    assert_eq!(r.value(0, 0), Some("0"));
}

#[test]
fn explicit_transactions_commit_and_roll_back_on_both_servers() {
    let c = Cluster::shared();
    let t = table("txn");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    exec(&mut s, "BEGIN");
    assert!(s.in_transaction());
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    exec(&mut s, "ROLLBACK");
    assert!(!s.in_transaction());
    exec(&mut s, "START TRANSACTION");
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    exec(&mut s, "END");
    let mut d = c.direct(true);
    let ids: Vec<i32> = d
        .query(&format!("SELECT id FROM {} ORDER BY id", t), &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, vec![2]);
    // Neither physical connection is left inside a transaction.
    let r = exec(&mut s, "SELECT now() = statement_timestamp()");
    assert_eq!(r.value(0, 0), Some("t"));
    // COMMIT and ROLLBACK without a transaction are harmless, as in PostgreSQL.
    assert_eq!(exec(&mut s, "COMMIT").tag(), "COMMIT");
    assert_eq!(exec(&mut s, "ROLLBACK").tag(), "ROLLBACK");
}

#[test]
fn autocommit_off_opens_implicit_transactions() {
    let c = Cluster::shared();
    let t = table("ac");
    let mut s = c.open("AUTOCOMMIT=off PREFERRED_ACCESS=READ_MOSTLY");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    assert!(s.in_transaction());
    exec(&mut s, "COMMIT");
    assert!(!s.in_transaction());
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    assert!(s.in_transaction());
    exec(&mut s, "ROLLBACK");
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    exec(&mut s, "COMMIT");
    let r = exec(&mut s, &format!("SELECT array_agg(id) FROM {}", t));
    assert_eq!(r.value(0, 0), Some("{2}"));
    exec(&mut s, "COMMIT");
    // Switching autocommit on commits the open implicit transaction (ODBC).
    exec(&mut s, &format!("INSERT INTO {} VALUES (3)", t));
    s.set_attr("autocommit", "on").unwrap();
    assert!(!s.in_transaction());
    let n = c.count_on_primary(&t);
    assert_eq!(n, 2);
}

#[test]
fn bad_connection_strings_and_attributes_are_errors() {
    let c = Cluster::shared();
    for (ci, status) in [
        (
            "host=127.0.0.1 port=notaport",
            Status::InvalidAttributeValue,
        ),
        ("host='unterminated", Status::ConninfoSyntax),
        ("no_such_key=1", Status::UnknownAttribute),
        ("PREFERRED_ACCESS=SOMETIMES", Status::InvalidAttributeValue),
    ] {
        let e = pgtc::Session::open(ci)
            .err()
            .unwrap_or_else(|| panic!("{} opened", ci));
        assert_eq!(e.status, status, "{}: {}", ci, e.message);
    }
    let e = pgtc::Session::open(&format!("{} password=wrong", c.single(true)))
        .err()
        .unwrap();
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::AuthFailed, "28P01")
    );
    assert!(!e.message.contains("wrong"));
    let mut s = c.open("");
    assert_eq!(
        s.set_attr("NOPE", "1").unwrap_err().status,
        Status::UnknownAttribute
    );
    assert_eq!(
        s.set_attr("AUTOCOMMIT", "maybe").unwrap_err().status,
        Status::InvalidAttributeValue
    );
    // The URI form works as well.
    let uri = format!(
        "postgresql://pgtc:pgtc@127.0.0.1:{},127.0.0.1:{}/postgres?PREFERRED_ACCESS=READ_MOSTLY",
        c.standby_port, c.primary_port
    );
    let mut s = pgtc::Session::open(&uri).unwrap();
    assert_eq!(s.connected(), Server::Both);
    assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
}

#[test]
fn txn_isolation_with_autocommit_off_opens_no_transaction() {
    let c = Cluster::shared();
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY AUTOCOMMIT=OFF TXN_ISOLATION=REPEATABLE_READ");
    assert!(
        !s.in_transaction(),
        "applying TXN_ISOLATION left a transaction open"
    );
    let r = exec(&mut s, "SHOW transaction_isolation");
    assert_eq!(r.value(0, 0), Some("repeatable read"));
    exec(&mut s, "ROLLBACK");
    s.set_attr("TXN_ISOLATION", "SERIALIZABLE").unwrap();
    assert!(!s.in_transaction());
    // Both servers have it: the standby answers the same once reads may go there.
    s.set_attr("TXN_ISOLATION", "READ_COMMITTED").unwrap();
    let r = until_on(
        &mut s,
        "SHOW default_transaction_isolation",
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some("read committed"));
    exec(&mut s, "ROLLBACK");
}
