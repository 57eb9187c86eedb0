//! Every lexical form, against a real pair: a read-only statement written
//! with quoted names, escaped strings, continued strings, dollar quotes,
//! nested comments or odd operators runs on the standby with the answer
//! the primary gives; a write after such a form runs on the primary.

mod common;
use common::*;
use pgtc::{Server, Session};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

/// Tables and functions the statements use (`{p}` is the prefix).
fn setup(c: &Cluster, p: &str) {
    let mut s = c.open("");
    for sql in [
        format!(
            "CREATE TABLE {p}_t(id int PRIMARY KEY, n int, \"we\"\"ird\" text, \"DELETE\" int, \
             größe int, a$b int)"
        ),
        format!("INSERT INTO {p}_t SELECT g, 0, 'w' || g, g * 10, g * 100, g FROM generate_series(1, 5) g"),
        format!("CREATE TABLE \"{p} a\"\"b\"(x int)"),
        format!("INSERT INTO \"{p} a\"\"b\" VALUES (1), (2), (3)"),
        format!("CREATE FUNCTION {p}_imm(int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT $1 * 2'"),
        format!("CREATE FUNCTION {p}_vol() RETURNS int VOLATILE LANGUAGE sql AS 'SELECT 7'"),
        format!("CREATE UNLOGGED TABLE \"{p} u\"\"l\"(x int)"),
        format!("INSERT INTO \"{p} u\"\"l\" VALUES (7)"),
    ] {
        exec(&mut s, &sql);
    }
}

/// The rows `sql` gives on a direct connection to the primary, as text.
fn direct_rows(c: &Cluster, sql: &str) -> Vec<Vec<Option<String>>> {
    let mut d = c.direct(true);
    let mut out = Vec::new();
    for m in d.simple_query(sql).unwrap_or_else(|e| panic!("{sql}: {e}")) {
        if let postgres::SimpleQueryMessage::Row(row) = m {
            out.push(
                (0..row.len())
                    .map(|j| row.get(j).map(str::to_string))
                    .collect(),
            );
        }
    }
    out
}

/// Read-only statements, one family of forms or more each.
fn forms(p: &str) -> Vec<String> {
    [
        // Identifiers with `$` and non-ASCII letters; quoted ones with
        // doubled quotes; keywords quoted.
        "SELECT a$b, größe, \"we\"\"ird\", \"DELETE\" FROM {p}_t WHERE id = 2",
        "SELECT count(*) FROM \"{p} a\"\"b\" WHERE \"x\" > 1",
        // U&"…" names with and without UESCAPE.
        "SELECT U&\"we\"\"ird\", U&\"gr\\00F6\\00DFe\", U&\"DEL!0045TE\" UESCAPE '!' FROM {p}_t WHERE id = 3",
        "SELECT count(*) FROM U&\"{p} a\"\"\\0062\"",
        // A decoded function name is looked up: immutable, so balanced.
        "SELECT U&\"{p}_\\0069mm\"(21), \"{p}_imm\"(4)",
        // Standard strings with '', E'' escapes, U&'' with and without
        // UESCAPE, national and bit strings.
        "SELECT 'it''s', E'a\\'b\\\\c\\101\\x41\\u0041', U&'d\\0061t\\+000061', \
         U&'d!0061t' UESCAPE '!', N'nat', B'1010', X'1F'",
        // Strings continued across newlines, also after `--` comments.
        "SELECT 'a'\n'b', E'c'\n  '\\'d', 'e' -- ; DELETE FROM t\n 'f', B'1'\n'0'",
        // Dollar quotes: no tag, a keyword tag, another tag inside.
        "SELECT $$a'b\"c$$, $select$;DELETE$select$, $a$ $b$ $b$ $a$",
        // Comments, nested, and comment-like characters in operators.
        "SELECT /* a /* ; DELETE FROM t */ b */ 1 -- ; DELETE\n + 1, 1 +-2, 2 */* c */ 3, 4 +-- c\n 5",
        "SELECT '1.5'::numeric(10, 2), (ARRAY[1, 2, 3])[2:3], 3 ||/* c */ 'x', 1 <> 2, 1 != 2",
        // Numbers.
        "SELECT 1e10, .5, 1.5e-3, 5., 1.5E+3",
    ]
    .iter()
    .map(|s| s.replace("{p}", p))
    .collect()
}

#[test]
fn forms_run_on_the_standby_with_the_primarys_answer() {
    let c = Cluster::shared();
    let p = table("lex_r");
    setup(&c, &p);
    c.wait_replayed();
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    for sql in forms(&p) {
        let route = s.explain(&sql);
        assert_eq!(route.eligible, Server::Both, "{sql:?}: {}", route.reason);
        let r = until_on(&mut s, &sql, Server::Secondary, CATCH_UP);
        let want = direct_rows(&c, &sql);
        assert!(!want.is_empty(), "{sql:?}");
        assert_eq!(rows_of(&r), want, "{sql:?}");
    }
    // A parameter.
    let sql = "SELECT $1::int + 1, $2::text || 'x'";
    let r = wait_for(format_args!("{sql} on the standby"), CATCH_UP, || {
        let r = s.exec(sql, Some(&[Some("1"), Some("y'z")])).unwrap();
        if r.server == Some(Server::Secondary) {
            Ok(r)
        } else {
            Err(format!("served by {:?}", r.server))
        }
    });
    assert_eq!((r.value(0, 0), r.value(0, 1)), (Some("2"), Some("y'zx")));
    assert_eq!(
        s.counters().misroutes,
        0,
        "a statement needed the safety net"
    );
}

/// A write after a form: runs on the primary, its rows changed.
fn hidden_writes(p: &str) -> Vec<String> {
    let up = format!("UPDATE {p}_t SET n = n + 1 WHERE id <= 3");
    [
        "SELECT 'x''y'; {up}",
        "SELECT E'\\\\'; {up} --'",
        "SELECT E'\\''; {up}; --'",
        "SELECT E'x'\n'\\''; {up}; --'",
        "SELECT 'a\\'; {up}; --'",
        "SELECT U&'\\\\'; {up}; --'",
        "SELECT 1 AS U&\"a\" UESCAPE '!'; {up}",
        "SELECT 1 AS \"x\"\";\"; {up}",
        "SELECT $a$ $b$ $a$; {up}; -- $b$",
        "SELECT 1 AS x$a$; {up}; -- $a$",
        "SELECT 1 /* /* */ */; {up}",
        "SELECT 2 */* c */ 3; {up}",
        "SELECT 1 +-- c\n 1; {up}",
        "SELECT B'1', X'1F'; {up}",
    ]
    .iter()
    .map(|s| s.replace("{up}", &up))
    .collect()
}

#[test]
fn writes_behind_forms_run_on_the_primary() {
    let c = Cluster::shared();
    let p = table("lex_w");
    setup(&c, &p);
    let mut s = c.open(RM);
    let sum = |c: &Cluster| -> i64 {
        c.direct(true)
            .query_one(
                &format!("SELECT sum(n)::int8 FROM {p}_t WHERE id <= 3"),
                &[],
            )
            .unwrap()
            .get(0)
    };
    for (i, sql) in hidden_writes(&p).iter().enumerate() {
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        assert_eq!(s.explain(sql).eligible, Server::Primary, "{sql:?}");
        let before = s.counters();
        let r = exec(&mut s, sql);
        assert_eq!(r.server, Some(Server::Primary), "{sql:?}");
        // The write is the text's last statement: its result is the last.
        assert_eq!(r.iter().last().unwrap().affected(), 3, "{sql:?}");
        assert_eq!(s.counters().standby, before.standby, "{sql:?}");
        assert_eq!(sum(&c), 3 * (i as i64 + 1), "{sql:?}");
    }
    // A volatile function or an unlogged table behind a decoded name never
    // reaches the standby.
    for sql in [
        format!("SELECT U&\"{p}_v\\006Fl\"()"),
        format!("SELECT max(x) FROM \"{p} u\"\"l\""),
        format!("SELECT max(x) FROM U&\"{p} u\"\"\\006C\""),
        format!("SELECT max(x) FROM U&\"{p} u\"\"!006C\" UESCAPE '!'"),
        format!("SELECT U&\"{p}_v!006Fl\" UESCAPE '!' ()"),
        format!("SELECT \"{p}_vol\"()"),
    ] {
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        let r = exec(&mut s, &sql);
        assert_eq!(
            (r.server, r.value(0, 0)),
            (Some(Server::Primary), Some("7")),
            "{sql:?}"
        );
    }
    assert_eq!(
        s.counters().misroutes,
        0,
        "a statement needed the safety net"
    );
}

/// With `standard_conforming_strings` off, `'a\''` is one string and the
/// write after it a statement: the session classifies with the setting
/// the server reported.
#[test]
fn standard_conforming_strings_off_is_followed() {
    let c = Cluster::shared();
    let p = table("lex_s");
    setup(&c, &p);
    let mut s: Session = c.open(RM);
    exec(&mut s, "SET standard_conforming_strings = off");
    let sql = format!("SELECT 'a\\''; UPDATE {p}_t SET n = n + 1 WHERE id <= 3; --'");
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    assert_eq!(s.explain(&sql).eligible, Server::Primary);
    let r = exec(&mut s, &sql);
    let last = r.iter().last().unwrap();
    assert_eq!((r.server, last.affected()), (Some(Server::Primary), 3));
    // And a string that only holds the text of a write is a read.
    let sql = format!("SELECT 'a\\'; UPDATE {p}_t SET n = 0; --'");
    let r = until_on(&mut s, &sql, Server::Secondary, CATCH_UP);
    assert_eq!(
        r.value(0, 0),
        Some("a'; UPDATE {p}_t SET n = 0; --".replace("{p}", &p).as_str())
    );
    assert_eq!(
        s.counters().misroutes,
        0,
        "a statement needed the safety net"
    );
}
