//! Tests of the facts added to the first ones: pins, unpins, hints,
//! function calls, identifiers, DDL, what cannot run in a transaction
//! block; redaction.

use super::*;

// ---------------------------------------------------------------------------
// Pins and unpins
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const PINS: &[(&str, u8)] = &[
    ("CREATE TEMP TABLE x (a int)", PIN_TEMP),
    ("create local temporary table x (a int)", PIN_TEMP),
    ("CREATE GLOBAL TEMP SEQUENCE s", PIN_TEMP),
    ("CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1", PIN_TEMP),
    ("CREATE TABLE pg_temp.x (a int)", PIN_TEMP),
    ("SELECT * INTO TEMP tmp FROM t", PIN_TEMP),
    ("SELECT * INTO pg_temp.x FROM t", PIN_TEMP),
    ("CREATE TABLE temp (a int)", 0),
    ("INSERT INTO temp VALUES (1)", 0),
    ("LISTEN ch", PIN_LISTEN),
    ("LOAD 'plpgsql'", PIN_SETTING),
    ("load '$libdir/plpgsql'", PIN_SETTING),
    ("SELECT pg_advisory_lock(1)", PIN_ADVISORY),
    ("SELECT pg_catalog.PG_TRY_ADVISORY_LOCK_SHARED(1, 2)", PIN_ADVISORY),
    ("SELECT pg_advisory_lock_shared(1)", PIN_ADVISORY),
    ("UPDATE t SET x = 1 WHERE pg_try_advisory_lock(id)", PIN_ADVISORY),
    ("SELECT pg_advisory_unlock(1)", 0),
    ("SELECT pg_advisory_unlock_shared(1)", 0),
    ("SELECT pg_advisory_unlock_all()", 0),
    ("SELECT pg_advisory_xact_lock(1)", 0),
    ("SELECT pg_try_advisory_xact_lock_shared(1)", 0),
    ("SELECT 'pg_advisory_lock(1)'", 0),
    ("PREPARE q (int) AS SELECT $1", PIN_PREPARED),
    ("PREPARE TRANSACTION 'tx1'", 0),
    ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", PIN_HOLD_CURSOR),
    ("DECLARE c CURSOR WITHOUT HOLD FOR SELECT 1", 0),
    ("DECLARE c CURSOR FOR WITH hold AS (SELECT 1) SELECT * FROM hold", 0),
    ("CALL p(1)", PIN_PROCEDURE),
    ("DO $$ BEGIN CREATE TEMP TABLE x (a int); END $$", PIN_PROCEDURE),
    ("do language plpgsql $$ BEGIN PERFORM 1; END $$", PIN_PROCEDURE),
    ("SELECT 'CALL p()'", 0),
    ("EXPLAIN ANALYZE SELECT pg_advisory_lock(1)", PIN_ADVISORY),
    ("LISTEN a; CREATE TEMP TABLE t (a int); SELECT 1", PIN_LISTEN | PIN_TEMP),
    ("CALL p(); DECLARE c CURSOR WITH HOLD FOR SELECT 1", PIN_PROCEDURE | PIN_HOLD_CURSOR),
];

#[test]
fn pins() {
    for &(sql, pins) in PINS {
        let f = classify(sql);
        assert_eq!(f.pins, pins, "{sql:?}");
        assert_eq!(f.pins_session, pins != 0, "{sql:?}");
    }
    // CALL and DO stay Write.
    assert_eq!(classify("CALL p(1)").kind, Write);
    assert_eq!(classify("DO $$ BEGIN END $$").kind, Write);
}

#[rustfmt::skip]
const UNPINS: &[(&str, Kind, u8)] = &[
    ("DISCARD ALL", SetSession, PIN_ALL),
    ("discard all ;", SetSession, PIN_ALL),
    ("DISCARD TEMP", SetSession, PIN_TEMP),
    ("DISCARD TEMPORARY", SetSession, PIN_TEMP),
    ("DISCARD PLANS", SetSession, 0),
    ("DISCARD SEQUENCES", SetSession, 0),
    ("DISCARD ALL PLANS", SetSession, 0),
    ("DISCARD", SetSession, 0),
    ("UNLISTEN *", Write, PIN_LISTEN),
    ("UNLISTEN ch", Write, 0),
    ("UNLISTEN * ch", Write, 0),
    ("SELECT pg_advisory_unlock_all()", Write, PIN_ADVISORY),
    ("select PG_CATALOG.pg_advisory_unlock_all ( )", Write, PIN_ADVISORY),
    ("SELECT myschema.pg_advisory_unlock_all()", Write, 0),
    ("SELECT pg_advisory_unlock_all(), 1", Write, 0),
    ("SELECT CASE WHEN false THEN pg_advisory_unlock_all() END", Write, 0),
    ("SELECT pg_advisory_unlock(1)", Write, 0),
    ("SELECT pg_advisory_lock(1), pg_advisory_unlock_all()", Write, 0),
    ("EXPLAIN ANALYZE SELECT pg_advisory_unlock_all()", Write, 0),
    ("DEALLOCATE ALL", Write, PIN_PREPARED),
    ("DEALLOCATE PREPARE ALL", Write, PIN_PREPARED),
    ("DEALLOCATE q", Write, 0),
    ("DEALLOCATE PREPARE q", Write, 0),
    ("CLOSE ALL", Write, PIN_HOLD_CURSOR),
    ("CLOSE c", Write, 0),
    ("SELECT 'DISCARD ALL', $$CLOSE ALL$$", Read, 0),
    ("DISCARD ALL /* unterminated", Write, 0),
];

#[test]
fn unpins() {
    for &(sql, kind, unpins) in UNPINS {
        let f = classify(sql);
        assert_eq!((f.kind, f.unpins), (kind, unpins), "{sql:?}");
    }
    // Merged with `|`, but a later pin cancels an earlier unpin.
    let f = classify("UNLISTEN *; DISCARD TEMP");
    assert_eq!((f.kind, f.unpins), (Multi, PIN_LISTEN | PIN_TEMP));
    let f = classify("SELECT pg_advisory_lock(1); SELECT pg_advisory_unlock_all()");
    assert_eq!((f.pins, f.unpins), (PIN_ADVISORY, PIN_ADVISORY));
    let f = classify("SELECT pg_advisory_unlock_all(); SELECT pg_advisory_lock(1)");
    assert_eq!((f.pins, f.unpins), (PIN_ADVISORY, 0));
    let f = classify("LISTEN a; DISCARD ALL");
    assert_eq!((f.pins, f.unpins), (PIN_LISTEN, PIN_ALL));
    let f = classify("DISCARD ALL; LISTEN a");
    assert_eq!((f.pins, f.unpins), (PIN_LISTEN, PIN_ALL & !PIN_LISTEN));
}

// ---------------------------------------------------------------------------
// Hints
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const HINTS: &[(&str, Option<Hint>)] = &[
    ("/* pgtc:primary */ SELECT 1", Some(Hint::Primary)),
    ("/* pgtc:standby */ SELECT 1", Some(Hint::Standby)),
    ("/*pgtc:PRIMARY*/SELECT 1", Some(Hint::Primary)),
    ("  \n /*  pgtc:standby  */ select 1", Some(Hint::Standby)),
    ("/*\tPgTc:StAnDbY\n*/ SELECT 1", Some(Hint::Standby)),
    ("-- pgtc:primary\nSELECT 1", Some(Hint::Primary)),
    ("--pgtc:standby\r\nSELECT 1", Some(Hint::Standby)),
    ("/* app:checkout */ /* pgtc:standby */ SELECT 1", Some(Hint::Standby)),
    ("-- x\n/* pgtc:primary */ -- pgtc:standby\n SELECT 1", Some(Hint::Primary)),
    ("/* pgtc:primary */ INSERT INTO t VALUES (1)", Some(Hint::Primary)),
    ("SELECT 1 /* pgtc:primary */", None),
    ("SELECT /* pgtc:standby */ 1", None),
    ("SELECT '/* pgtc:primary */'", None),
    ("SELECT $$ /* pgtc:primary */ $$", None),
    ("SELECT 1; /* pgtc:primary */ SELECT 2", None),
    ("/* pgtc: primary */ SELECT 1", None),
    ("/* pgtc:primaryx */ SELECT 1", None),
    ("/* use pgtc:primary */ SELECT 1", None),
    ("/* pgtc:primary /* nested */ */ SELECT 1", None),
    ("/* pgtc:primary", None),
    ("/* pgtc:primary */", None),
    ("/* pgtc:primary */ ; SELECT 1", None),
    ("\"/* pgtc:primary */\"", None),
];

#[test]
fn hints() {
    for &(sql, hint) in HINTS {
        assert_eq!(classify(sql).hint, hint, "{sql:?}");
    }
    // The whole text's hint is its first statement's.
    let st = statements("/* pgtc:standby */ SELECT 1; SELECT 2");
    let hints: Vec<_> = st.iter().map(|(_, f)| f.hint).collect();
    assert_eq!(hints, [Some(Hint::Standby), None]);
    let f = classify("/* pgtc:standby */ SELECT 1; SELECT 2");
    assert_eq!((f.kind, f.hint), (Multi, Some(Hint::Standby)));
    let st = statements("SELECT 1; /* pgtc:primary */ SELECT 2");
    assert!(st.iter().all(|(_, f)| f.hint.is_none()));
}

// ---------------------------------------------------------------------------
// Function calls and identifiers
// ---------------------------------------------------------------------------

/// What `function_calls` reports, as `schema.name` with `"…"` around
/// quoted parts.
fn calls_of(sql: &str) -> Vec<String> {
    let q = |s: &str, quoted: bool| {
        if quoted {
            format!("\"{s}\"")
        } else {
            s.to_string()
        }
    };
    let mut out = Vec::new();
    function_calls(sql, |f| {
        assert!(slice_of(sql, f.name), "{sql:?}");
        let name = q(f.name, f.quoted);
        out.push(match f.schema {
            Some(s) => format!("{}.{name}", q(s, f.schema_quoted)),
            None => name,
        });
    });
    assert_eq!(classify(sql).calls, !out.is_empty(), "{sql:?}");
    out
}

#[rustfmt::skip]
const CALLS: &[(&str, &[&str])] = &[
    ("SELECT count(*), lower(name), s.f(1), \"MyFn\"(2), x::numeric(10,2), CAST(y AS varchar(3)), \
      COALESCE(a,b), a IN (1,2), EXISTS (SELECT 1), now(), random()",
     &["count", "lower", "s.f", "\"MyFn\"", "now"]),
    ("SELECT * FROM generate_series(1, 3) AS g(i)", &["generate_series"]),
    ("SELECT 'lower(x)', $$f(1)$$, E'g(2)', \"h\" FROM t -- k(3)\n /* m(4) */", &[]),
    ("INSERT INTO t SELECT lower(x) FROM u", &[]),
    ("UPDATE t SET a = f(1)", &[]),
    ("SELECT f(1) FROM t FOR UPDATE", &[]),
    ("SELECT nextval('s'), lower('x')", &[]),
    ("SELECT now(); INSERT INTO t VALUES (f(1)); SELECT lower('x')", &["now", "lower"]),
    // The allow list: unqualified or pg_catalog, a quoted name as written.
    ("SELECT random(), RANDOM(), pg_catalog.random(), \"random\"(), clock_timestamp(), timeofday(), \
      gen_random_uuid(), pg_sleep(1), pg_sleep_for('1s'), pg_sleep_until(now()), random_normal(), \
      pg_is_in_recovery(), pg_last_wal_replay_lsn(), pg_last_wal_receive_lsn(), \
      pg_last_xact_replay_timestamp()", &["now"]),
    ("SELECT public.random(), \"RANDOM\"(), setseed(0.5)", &["public.random", "\"RANDOM\"", "setseed"]),
    ("SELECT \"pg\u{7f}sleep\"(1)", &["\"pg\u{7f}sleep\""]),
    ("SELECT \"s\".\"F\"(1), a.b.c(2), \"pg_catalog\".lower('x')", &["\"s\".\"F\"", "b.c", "\"pg_catalog\".lower"]),
    // SQL syntax that takes parentheses.
    ("SELECT EXTRACT(year FROM now()), substring('abc' FROM 1 FOR 2), trim(both 'x' from y), \
      overlay('abc' placing 'x' from 1), position('b' in 'abc'), NULLIF(a, b), GREATEST(1, 2), \
      LEAST(1, 2), ARRAY(SELECT 1), ROW(1, 2), CURRENT_TIMESTAMP(3), LOCALTIME(0), \
      INTERVAL (2) '1 day', TIMESTAMP(3) '2020-01-01'", &["now"]),
    ("SELECT x FROM t WHERE a IN (SELECT b FROM u) AND NOT EXISTS (SELECT 1) AND c = ANY (ARRAY[1]) \
      OR d = ALL ($1) OR (e) = SOME (VALUES (1))", &[]),
    ("SELECT * FROM t1 JOIN t2 USING (id) LEFT JOIN (SELECT 1) s ON (true) CROSS JOIN LATERAL (SELECT 2) l", &[]),
    ("SELECT count(*) FILTER (WHERE x > 0) OVER (PARTITION BY a ORDER BY b) FROM t", &["count"]),
    ("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FILTER (WHERE y) OVER w FROM t \
      WINDOW w AS (ORDER BY z)", &["percentile_cont"]),
    ("SELECT DISTINCT ON (a) filter(x), over(y) FROM t", &["filter", "over"]),
    ("WITH t(a) AS (SELECT 1) SELECT * FROM t", &[]),
    ("WITH RECURSIVE r(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r", &[]),
    ("WITH x AS MATERIALIZED (SELECT 1), y AS NOT MATERIALIZED (SELECT 2) SELECT 1", &[]),
    ("SELECT * FROM t TABLESAMPLE bernoulli (10) REPEATABLE (42)", &[]),
    ("SELECT a FROM t GROUP BY CUBE (a, b) ORDER BY (a)", &[]),
    ("SELECT a FROM t GROUP BY ROLLUP (a), GROUPING SETS ((a), ()), GROUPING (a)", &[]),
    ("SELECT a FROM t GROUP BY (a) HAVING (count(*) > 1)", &["count"]),
    // Over-reported (a look-up of a name absent from pg_proc, or harmless
    // there), as telling them apart takes more than the tokens around:
    ("SELECT a FROM t GROUP BY a, CUBE (b)", &["CUBE"]),
    ("SELECT * FROM t x(a), (SELECT 1) y(b)", &["x", "y"]),
    ("WITH a AS (SELECT 1), b(x) AS (SELECT 2) SELECT 1", &["b"]),
    ("SELECT (a, b) OVERLAPS (c, d)", &["OVERLAPS"]),
    ("SELECT x::pg_catalog.numeric(5), y::character varying(3), z::bit varying(4), \
      w::timestamp(3) with time zone, v AT TIME ZONE ('UTC')", &[]),
    ("SELECT * FROM f() x(a) JOIN g() AS y(b int) ON true", &["f", "g"]),
    ("SELECT 1 OPERATOR(pg_catalog.+) abs(2)", &["abs"]),
    ("SELECT arr[1:f(2)], left('abc', 1), right('abc', 1)", &["f", "left", "right"]),
    ("SELECT xmlagg(x), xmlelement(name a, xmlattributes(1 AS b)), xmlforest(c), \
      json_object('a' VALUE 1), json_array(1), json_arrayagg(x)", &["xmlagg"]),
    // A plan calls nothing: no lookup is needed.
    ("EXPLAIN SELECT f(1)", &[]),
    ("EXPLAIN (ANALYZE, FORMAT JSON) SELECT g(1)", &["g"]),
    ("EXPLAIN ANALYZE INSERT INTO t VALUES (f(1))", &[]),
    ("COPY (SELECT f(1)) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE (a))", &["f"]),
    ("COPY t (a, b) TO STDOUT", &[]),
    ("COPY t (a) FROM STDIN", &[]),
    ("VALUES (f(1)), (g(2))", &["f", "g"]),
    ("SHOW search_path", &[]),
    ("((SELECT lower('x')))", &["lower"]),
];

#[test]
fn function_calls_reported() {
    for &(sql, want) in CALLS {
        assert_eq!(calls_of(sql), want, "{sql:?}");
    }
    assert!(classify("SELECT lower('x')").calls);
    assert!(!classify("SELECT random()").calls);
    assert!(!classify("SELECT 1").calls);
    assert!(classify("SELECT 1; SELECT now()").calls);
    assert!(!classify("SELECT 1; INSERT INTO t VALUES (now())").calls);
}

#[test]
fn identifiers_reported() {
    let ids = |sql: &str| {
        let mut out = Vec::new();
        identifiers(sql, |name, quoted| {
            assert!(slice_of(sql, name), "{sql:?}");
            out.push(if quoted {
                format!("\"{name}\"")
            } else {
                name.to_string()
            });
        });
        out
    };
    assert_eq!(
        ids("SELECT a, \"B c\" FROM s.t WHERE x = 'lit' AND y = $1 -- z\n /* w */"),
        ["SELECT", "a", "\"B c\"", "FROM", "s", "t", "WHERE", "x", "AND", "y"]
    );
    assert_eq!(ids("INSERT INTO t VALUES (1)"), Vec::<String>::new());
    assert_eq!(
        ids("SELECT a FROM t; DELETE FROM u; SELECT b"),
        ["SELECT", "a", "FROM", "t", "SELECT", "b"]
    );
    assert_eq!(ids("COPY t TO STDOUT"), ["COPY", "t", "TO", "STDOUT"]);
    assert_eq!(ids("COPY t FROM STDIN"), Vec::<String>::new());
    assert_eq!(
        ids("EXPLAIN SELECT * FROM u"),
        ["EXPLAIN", "SELECT", "FROM", "u"]
    );
    assert_eq!(
        ids("SELECT * FROM U&\"tab\""),
        ["SELECT", "FROM", "\"tab\""]
    );
    assert_eq!(
        ids("SELECT ünï FROM täble"),
        ["SELECT", "ünï", "FROM", "täble"]
    );
    assert_eq!(ids("SELECT $$x$$, E'y', 1.5, \"\""), ["SELECT", "\"\""]);
    assert_eq!(ids("SELECT * FROM t FOR UPDATE"), Vec::<String>::new());
    assert_eq!(ids(""), Vec::<String>::new());
}

#[test]
fn name_tables() {
    use super::names::{class, Class, ALLOW, SYNTAX};
    for table in [DENY, ALLOW, SYNTAX] {
        for w in table.windows(2) {
            assert!(w[0] < w[1], "{:?}", std::str::from_utf8(w[1]));
        }
    }
    // No name is in two tables, and each is found in any case.
    for (table, c) in [
        (DENY, Class::Deny),
        (ALLOW, Class::Allow),
        (SYNTAX, Class::Syntax),
    ] {
        for e in table {
            assert!(!e.iter().any(u8::is_ascii_uppercase));
            assert_eq!(class(e), c, "{:?}", std::str::from_utf8(e));
            assert_eq!(class(&e.to_ascii_uppercase()), c);
        }
    }
    for w in [
        "count",
        "lower",
        "now",
        "xmlagg",
        "random_",
        "pg_sleepy",
        "filter",
        "over",
        "",
    ] {
        assert_eq!(class(w.as_bytes()), Class::Other, "{w}");
    }
}

// ---------------------------------------------------------------------------
// DDL and statements that cannot run in a transaction block
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const DDL: &[(&str, bool)] = &[
    ("CREATE TABLE t (a int)", true),
    ("create temp table t (a int)", true),
    ("ALTER TABLE t ADD COLUMN b int", true),
    ("DROP TABLE t", true),
    ("COMMENT ON TABLE t IS 'x'", true),
    ("GRANT SELECT ON t TO u", true),
    ("REVOKE ALL ON t FROM u", true),
    ("SECURITY LABEL ON TABLE t IS 'x'", true),
    ("IMPORT FOREIGN SCHEMA s FROM SERVER srv INTO public", true),
    ("REFRESH MATERIALIZED VIEW CONCURRENTLY mv", true),
    ("REINDEX TABLE t", true),
    ("CALL p()", true),
    ("DO $$ BEGIN END $$", true),
    ("SELECT * INTO t2 FROM t", true),
    ("EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1", true),
    ("SELECT 1; DROP TABLE t", true),
    ("TRUNCATE t", false),
    ("VACUUM t", false),
    ("ANALYZE t", false),
    ("INSERT INTO t VALUES (1)", false),
    ("SELECT 1", false),
    ("SELECT 'CREATE TABLE t'", false),
    ("SECURITY DEFINER", false),
    ("REFRESH t", false),
    ("IMPORT t", false),
    ("SET search_path = a", false),
];

#[test]
fn ddl() {
    for &(sql, ddl) in DDL {
        assert_eq!(classify(sql).ddl, ddl, "{sql:?}");
    }
}

#[rustfmt::skip]
const NO_TXN_BLOCK: &[(&str, bool)] = &[
    ("VACUUM", true),
    ("vacuum full t", true),
    ("VACUUM (ANALYZE, VERBOSE) t", true),
    ("CREATE DATABASE d", true),
    ("DROP DATABASE IF EXISTS d", true),
    ("ALTER DATABASE d SET TABLESPACE ts", true),
    ("ALTER DATABASE d SET work_mem = '1MB'", false),
    ("CREATE TABLESPACE ts LOCATION '/x'", true),
    ("DROP TABLESPACE ts", true),
    ("ALTER TABLESPACE ts RENAME TO ts2", false),
    ("ALTER SYSTEM SET work_mem = '1MB'", true),
    ("CREATE INDEX CONCURRENTLY i ON t (a)", true),
    ("create unique index concurrently i on t (a)", true),
    ("CREATE INDEX i ON t (a)", false),
    ("CREATE INDEX concurrently_named ON t (a)", false),
    ("DROP INDEX CONCURRENTLY i", true),
    ("DROP INDEX i", false),
    ("REINDEX TABLE CONCURRENTLY t", true),
    ("REINDEX (VERBOSE) INDEX CONCURRENTLY i", true),
    ("REINDEX (CONCURRENTLY) TABLE t", true),
    ("REINDEX DATABASE d", true),
    ("REINDEX SYSTEM", true),
    ("REINDEX SCHEMA s", true),
    ("REINDEX TABLE t", false),
    ("DISCARD ALL", true),
    ("DISCARD PLANS", false),
    ("CLUSTER", true),
    ("CLUSTER VERBOSE", true),
    ("CLUSTER (VERBOSE)", true),
    ("CLUSTER t", false),
    ("CLUSTER t USING i", false),
    ("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", true),
    ("DROP SUBSCRIPTION s", true),
    ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", true),
    ("ALTER TABLE p DETACH PARTITION c", false),
    ("CHECKPOINT", false),
    ("TRUNCATE t", false),
    ("SELECT 'VACUUM'", false),
    ("SELECT 1; VACUUM", true),
];

#[test]
fn no_txn_block() {
    for &(sql, no_txn_block) in NO_TXN_BLOCK {
        assert_eq!(classify(sql).no_txn_block, no_txn_block, "{sql:?}");
    }
}

// ---------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------

#[test]
fn redact_hides_literals_and_passwords() {
    let r = redact("ALTER ROLE x PASSWORD 'secret'", 200);
    assert_eq!(r, "ALTER ROLE x PASSWORD ?");
    for sql in [
        "CREATE USER u WITH ENCRYPTED PASSWORD 'secret' VALID UNTIL '2030-01-01'",
        "alter user u password $p$secret$p$",
        "ALTER ROLE x PASSWORD \"secret\"",
        "ALTER ROLE x PASSWORD secret",
        "ALTER ROLE x PASSWORD 'secret",
        "ALTER ROLE x PASSWORD E'sec\\'ret'",
    ] {
        let r = redact(sql, 200);
        assert!(
            !r.contains("secret") && !r.contains("sec"),
            "{sql:?} → {r:?}"
        );
    }
    assert_eq!(
        redact("ALTER ROLE x PASSWORD NULL", 200),
        "ALTER ROLE x PASSWORD NULL"
    );
    assert_eq!(
        redact("SELECT password FROM users WHERE id = 42", 200),
        "SELECT password FROM users WHERE id = ?"
    );
    assert_eq!(
        redact(
            "SELECT 'a', $$b$$, E'c', B'1', 1.5, 0x1F, $1 /* c */ -- d\n FROM \"Tab\"",
            200
        ),
        "SELECT ?, ?, ?, ?, ?, ?, $1 FROM \"Tab\""
    );
    assert_eq!(
        redact("SELECT\n\t a ,b/**/c;  SELECT  'x'", 200),
        "SELECT a ,b c; SELECT ?"
    );
    assert_eq!(redact("", 10), "");
    assert_eq!(redact("SELECT 1", 8), "SELECT ?");
    assert_eq!(redact("SELECT 12", 7), "SELECT…");
}

#[test]
fn redact_cuts_on_a_char_boundary() {
    let sql = "SELECT ünïcödé_çölümn, 'x' FROM täblé_€_\u{10348} WHERE \"ë\" = 1";
    let full = redact(sql, 1000);
    assert_eq!(
        full,
        "SELECT ünïcödé_çölümn, ? FROM täblé_€_\u{10348} WHERE \"ë\" = ?"
    );
    for max in 0..full.len() {
        let r = redact(sql, max);
        let body = r.strip_suffix('…').expect("cut");
        assert!(body.len() <= max, "{max}: {r:?}");
        assert!(full.starts_with(body), "{max}: {r:?}");
    }
    assert_eq!(redact(sql, full.len()), full);
}

#[test]
fn set_config_pins_a_setting_and_reset_all_unpins_it() {
    use crate::classify::{classify, PIN_SETTING};
    let f = classify("SELECT set_config('search_path', 'x', false)");
    assert_eq!(
        (f.kind, f.pins, f.read_only),
        (crate::classify::Kind::Write, PIN_SETTING, false)
    );
    assert!(f.pins_session);
    let f = classify("SELECT pg_catalog.SET_CONFIG('a.b', '1', true)");
    assert_eq!(f.pins, PIN_SETTING);
    assert_eq!(classify("RESET ALL").unpins, PIN_SETTING);
    assert_eq!(classify("reset all;").unpins, PIN_SETTING);
    assert_eq!(classify("RESET work_mem").unpins, 0);
    assert_eq!(classify("SELECT 'set_config(1)'").pins, 0);
}

#[test]
fn share_locks_are_told_from_other_locks() {
    for (sql, share) in [
        ("LOCK TABLE t IN ACCESS SHARE MODE", true),
        ("lock t, only u in access share mode nowait", true),
        ("LOCK t IN ACCESS SHARE MODE; SELECT 1", false),
        ("LOCK t", false),
        ("LOCK TABLE t IN SHARE MODE", false),
        ("LOCK TABLE t IN ROW SHARE MODE", false),
        ("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", false),
        ("LOCK TABLE t IN ACCESS SHARE MODE garbage", false),
        ("LOCK TABLE \"mode\" IN ACCESS SHARE MODE", true),
    ] {
        let f = classify(sql);
        assert_eq!(f.share_lock, share, "{}", sql);
        assert!(!f.read_only, "{}: a lock is never a plain read", sql);
    }
    assert!(!classify("SELECT 1").share_lock);
}

#[test]
fn transaction_time_and_temporary_schema_reads() {
    for (sql, txn_time) in [
        ("SELECT now()", true),
        ("SELECT pg_catalog.NOW()", true),
        ("SELECT current_timestamp, 1", true),
        ("select localtimestamp(3)", true),
        ("SELECT x FROM t WHERE d = current_date", true),
        ("SELECT transaction_timestamp()", true),
        ("SELECT current_time, localtime", true),
        ("SELECT clock_timestamp()", false),
        ("SELECT 'now'", false),
        ("SELECT \"now\" FROM t", false),
        ("SELECT nowhere FROM t", false),
        ("INSERT INTO t VALUES (now())", false),
    ] {
        assert_eq!(classify(sql).txn_time, txn_time, "{}", sql);
    }
    for (sql, temp) in [
        ("SELECT * FROM pg_temp.x", true),
        ("SELECT * FROM PG_TEMP.x", true),
        ("SELECT * FROM pg_temp_3.x", true),
        ("SELECT * FROM \"pg_temp\".x", true),
        ("SELECT * FROM pg_temp_x.y", false),
        ("SELECT * FROM pg_temporary.y", false),
        ("SELECT pg_temp FROM t", false),
    ] {
        let f = classify(sql);
        assert_eq!(f.node_identity, temp, "{}", sql);
        assert!(f.read_only, "{}", sql);
    }
}
