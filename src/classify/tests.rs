//! Tests of the classifier.

use super::names::{deny, kw, Deny, Kw, DENY};
use super::*;
use Kind::*;

mod facts;
mod identity;
mod lexical;

/// Flags: R read_only, L locking, P pins_session, C cursor,
/// T txn_control, S session_state, H chain.
fn check(sql: &str, kind: Kind, flags: &str) {
    let f = classify(sql);
    let want = |c: char| flags.contains(c);
    let got = (
        f.kind,
        f.read_only,
        f.locking,
        f.pins_session,
        f.cursor,
        f.txn_control,
        f.session_state,
        f.chain,
    );
    let exp = (
        kind,
        want('R'),
        want('L'),
        want('P'),
        want('C'),
        want('T'),
        want('S'),
        want('H'),
    );
    assert_eq!(
        got, exp,
        "\n  sql: {sql:?}\n  (kind, read_only, locking, pins, cursor, txn, session, chain)"
    );
    assert_eq!(f.pins_session, f.pins != 0, "{sql:?}");
}

#[rustfmt::skip]
const CASES: &[(&str, Kind, &str)] = &[
    // Empty
    ("", Empty, "R"),
    ("   \n\t ", Empty, "R"),
    (";;; ;", Empty, "R"),
    ("-- just a comment\n", Empty, "R"),
    ("/* a /* nested */ comment */ ; -- x", Empty, "R"),
    // Plain reads
    ("SELECT 1", Read, "R"),
    ("select * from t where id = $1", Read, "R"),
    ("SeLeCt a, b FROM t ORDER BY a LIMIT 10", Read, "R"),
    ("  ((SELECT 1)) UNION (SELECT 2)", Read, "R"),
    ("/* lead */ -- c\n (select 1)", Read, "R"),
    ("VALUES (1, 'a'), (2, 'b')", Read, "R"),
    ("TABLE accounts", Read, "R"),
    ("SHOW transaction_isolation", Read, "R"),
    ("show all", Read, "R"),
    ("WITH x AS (SELECT 1) SELECT * FROM x", Read, "R"),
    ("WITH RECURSIVE r(n) AS (VALUES (1) UNION ALL SELECT n+1 FROM r WHERE n < 5) SELECT * FROM r", Read, "R"),
    ("SELECT substring(name FROM 1 FOR 2) FROM t", Read, "R"),
    ("SELECT overlay('abc' placing 'x' from 1 for 1)", Read, "R"),
    ("SELECT * FROM t FOR READ ONLY", Read, "R"),
    ("SELECT count(*), coalesce(max(x), 0) FROM t", Read, "R"),
    ("SELECT 1;", Read, "R"),
    ("SELECT 'é' AS ünïcode, \"naïve\" FROM t", Read, "R"),
    ("SELECT 1.5e10, .5, 0x1F, 1_000, $2::int", Read, "R"),
    // Write keywords hidden in strings, comments and quoted identifiers
    ("SELECT 'DELETE FROM t'", Read, "R"),
    ("SELECT 'it''s; DELETE FROM t'", Read, "R"),
    ("SELECT E'a\\'; DELETE FROM t; --'", Read, "R"),
    ("SELECT e'\\\\'", Read, "R"),
    ("SELECT $$ INSERT INTO t VALUES (1); $$", Read, "R"),
    ("SELECT $fn$ UPDATE t SET x = 1; $x$ $fn$", Read, "R"),
    ("SELECT U&'d\\0061t\\+000061 update'", Read, "R"),
    ("SELECT B'1010', X'FF', N'insert'", Read, "R"),
    ("SELECT U&'d!0061t!+000061' UESCAPE '!'", Read, "R"),
    ("SELECT U&\"nextv\\0061l\"('s')", Write, ""),
    ("SELECT U&\"nextv!0061l\" UESCAPE '!' ('s')", Write, ""),
    // A `U&"…" UESCAPE 'c'` name is read like any other.
    ("SELECT U&\"l!006fwer\" UESCAPE '!' ('A')", Read, "R"),
    ("SELECT U&\"pg!005fcatalog\" UESCAPE '!'.U&\"l!006fwer\" UESCAPE '!'('A')", Read, "R"),
    ("SELECT U&\"x\" UESCAPE '!' FROM t", Read, "R"),
    ("SELECT U&\"d!0061\" UESCAPE '+' FROM t", Write, ""),
    ("SELECT \"update\", \"delete\" FROM \"insert\"", Read, "R"),
    ("SELECT \"a b\" FROM \"for\" \"update\"", Read, "R"),
    // A doubled quote: the name is no slice of the text (see `identifiers`).
    ("SELECT \"a\"\"b\" FROM \"for\" \"update\"", Read, "R"),
    ("SELECT 1 -- FOR UPDATE\n", Read, "R"),
    ("SELECT 1 /* outer /* DELETE */ still comment; UPDATE */ FROM t", Read, "R"),
    ("SELECT a$$b FROM t", Read, "R"),
    ("SELECT 'nextval(1)', \"setval\" FROM t", Read, "R"),
    // Data-modifying statements and CTEs
    ("INSERT INTO t VALUES (1)", Write, ""),
    ("update t set x = 1", Write, ""),
    ("DELETE FROM t WHERE id = 1", Write, ""),
    ("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", Write, ""),
    ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", Write, ""),
    ("WITH u AS (UPDATE t SET x = 1 RETURNING *) SELECT count(*) FROM u", Write, ""),
    ("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", Write, ""),
    ("(SELECT 1) UNION (SELECT 2 FROM t) ; ", Read, "R"),
    // SELECT INTO
    ("SELECT * INTO newtab FROM t", Write, ""),
    ("SELECT * INTO TEMP tmp FROM t", Write, "P"),
    ("select * into temporary table tmp from t", Write, "P"),
    ("SELECT * INTO LOCAL TEMP tmp FROM t", Write, "P"),
    ("SELECT * INTO UNLOGGED tab FROM t", Write, ""),
    ("SELECT * INTO pg_temp.x FROM t", Write, "P"),
    ("INSERT INTO temp VALUES (1)", Write, ""),
    // Locking clauses
    ("SELECT * FROM t FOR UPDATE", Write, "L"),
    ("SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED", Write, "L"),
    ("SELECT * FROM t for share", Write, "L"),
    ("SELECT * FROM t FOR KEY SHARE NOWAIT", Write, "L"),
    ("SELECT * FROM t FOR UPDATE OF t", Write, "L"),
    ("SELECT substring(x FROM 1 FOR key) FROM t", Read, "R"),
    ("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", Write, "L"),
    ("lock t", Write, "L"),
    // Functions on the deny list
    ("SELECT nextval('s')", Write, ""),
    ("SELECT pg_catalog.nextval('s')", Write, ""),
    ("SELECT \"nextval\"('s')", Write, ""),
    ("SELECT pg_catalog.\"setval\"('s', 1)", Write, ""),
    ("SELECT NEXTVAL /* gap */ ('s')", Write, ""),
    ("SELECT currval('s'), lastval()", Write, ""),
    ("SELECT set_config('a.b', 'c', false)", Write, "P"),
    ("SELECT pg_notify('ch', 'x')", Write, ""),
    ("SELECT txid_current()", Write, ""),
    ("SELECT pg_current_wal_lsn()", Write, ""),
    ("SELECT pg_stat_reset_shared('bgwriter')", Write, ""),
    ("SELECT * FROM dblink_exec('x', 'y')", Write, ""),
    ("SELECT lo_creat(-1)", Write, ""),
    ("SELECT lo_import('/tmp/x')", Write, ""),
    ("SELECT pg_terminate_backend(123)", Write, ""),
    ("SELECT pg_advisory_lock(1)", Write, "LP"),
    ("SELECT pg_try_advisory_lock_shared(1, 2)", Write, "LP"),
    ("SELECT pg_advisory_unlock_all()", Write, "L"),
    ("SELECT pg_advisory_unlock(1)", Write, "L"),
    ("SELECT pg_advisory_xact_lock(1)", Write, "L"),
    ("SELECT PG_TRY_ADVISORY_XACT_LOCK(1)", Write, "L"),
    ("UPDATE t SET x = 1 WHERE pg_try_advisory_lock(id)", Write, "LP"),
    ("SELECT nextvalue(1), mynextval('s'), setvalue", Read, "R"),
    ("SELECT nextval", Read, "R"),
    // EXPLAIN
    ("EXPLAIN SELECT 1", Read, "R"),
    ("EXPLAIN ANALYZE SELECT * FROM t", Read, "R"),
    ("explain analyse verbose select 1", Read, "R"),
    ("EXPLAIN (ANALYZE, BUFFERS) SELECT 1", Read, "R"),
    ("EXPLAIN (ANALYZE true, FORMAT JSON, COSTS off) WITH x AS (SELECT 1) SELECT * FROM x", Read, "R"),
    ("EXPLAIN (SELECT 1)", Read, "R"),
    // A plan is a read: nothing but the planner runs.
    ("EXPLAIN INSERT INTO t VALUES (1)", Read, "R"),
    ("EXPLAIN UPDATE t SET x = f(1)", Read, "R"),
    ("EXPLAIN (FORMAT JSON) DELETE FROM t", Read, "R"),
    ("EXPLAIN (ANALYZE false) DELETE FROM t", Read, "R"),
    ("EXPLAIN (ANALYZE off, COSTS on) DELETE FROM t", Read, "R"),
    ("EXPLAIN (ANALYZE 'false') DELETE FROM t", Read, "R"),
    ("EXPLAIN (ANALYZE 0) DELETE FROM t", Read, "R"),
    ("EXPLAIN (ANALYZE on) DELETE FROM t", Write, ""),
    ("EXPLAIN (COSTS off, ANALYZE) DELETE FROM t", Write, ""),
    ("EXPLAIN VERBOSE MERGE INTO t USING u ON true WHEN MATCHED THEN DELETE", Read, "R"),
    ("EXPLAIN WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", Read, "R"),
    ("EXPLAIN CREATE TABLE x AS SELECT 1", Read, "R"),
    ("EXPLAIN SELECT nextval('s')", Read, "R"),
    ("EXPLAIN EXPLAIN SELECT 1", Write, ""),
    ("EXPLAIN ANALYZE DELETE FROM t", Write, ""),
    ("EXPLAIN (ANALYZE) UPDATE t SET x = 1", Write, ""),
    ("EXPLAIN SELECT * FROM t FOR UPDATE", Read, "R"),
    ("EXPLAIN ANALYZE SELECT * FROM t FOR UPDATE", Write, "L"),
    ("EXPLAIN ANALYZE SELECT nextval('s')", Write, ""),
    ("EXPLAIN EXECUTE p(1)", Write, ""),
    ("EXPLAIN", Write, ""),
    // COPY
    ("COPY t TO STDOUT", Read, "R"),
    ("COPY public.t (a, b) TO STDOUT WITH (FORMAT csv)", Read, "R"),
    ("COPY (SELECT * FROM t WHERE x > 1) TO STDOUT", Read, "R"),
    ("COPY (SELECT a FROM t) TO stdout (format binary)", Read, "R"),
    ("COPY t FROM STDIN", Write, ""),
    ("COPY t (a, b) FROM '/tmp/x.csv'", Write, ""),
    ("COPY (DELETE FROM t RETURNING *) TO STDOUT", Write, ""),
    ("COPY (SELECT nextval('s')) TO STDOUT", Write, ""),
    ("COPY t TO '/tmp/server-file'", Write, ""),
    ("COPY t TO PROGRAM 'gzip > /tmp/x'", Write, ""),
    // Cursors: on the primary
    ("FETCH 10 FROM c", Write, ""),
    ("MOVE NEXT IN c", Write, ""),
    ("CLOSE c", Write, ""),
    ("DECLARE c CURSOR FOR SELECT 1", Write, "C"),
    ("DECLARE c NO SCROLL CURSOR WITHOUT HOLD FOR SELECT * FROM t", Write, "C"),
    ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", Write, "CP"),
    ("DECLARE c BINARY INSENSITIVE SCROLL CURSOR WITH HOLD FOR SELECT * FROM t FOR UPDATE", Write, "CPL"),
    ("DECLARE c CURSOR FOR WITH hold AS (SELECT 1) SELECT * FROM hold", Write, "C"),
    // Transactions
    ("BEGIN", Begin, "T"),
    ("begin work", Begin, "T"),
    ("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", Begin, "T"),
    ("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE", Begin, "T"),
    ("BEGIN READ WRITE NOT DEFERRABLE ISOLATION LEVEL READ COMMITTED", Begin, "T"),
    ("START TRANSACTION", Begin, "T"),
    ("start transaction read only", Begin, "T"),
    ("BEGIN SOMETHING", Write, ""),
    ("START", Write, ""),
    ("COMMIT", Commit, "T"),
    ("commit work", Commit, "T"),
    ("END", Commit, "T"),
    ("END TRANSACTION", Commit, "T"),
    ("COMMIT AND CHAIN", Commit, "TH"),
    ("COMMIT AND NO CHAIN", Commit, "T"),
    ("COMMIT PREPARED 'tx1'", TwoPhase, "T"),
    ("ROLLBACK", Rollback, "T"),
    ("ABORT", Rollback, "T"),
    ("rollback transaction and chain", Rollback, "TH"),
    ("ROLLBACK TO SAVEPOINT sp1", RollbackTo, "T"),
    ("ROLLBACK WORK TO sp1", RollbackTo, "T"),
    ("ROLLBACK TO \"my sp\"", RollbackTo, "T"),
    ("ROLLBACK PREPARED 'tx1'", TwoPhase, "T"),
    ("PREPARE TRANSACTION 'tx1'", TwoPhase, "T"),
    ("SAVEPOINT sp1", Savepoint, "T"),
    ("RELEASE SAVEPOINT sp1", Release, "T"),
    ("RELEASE sp1", Release, "T"),
    ("SAVEPOINT", Write, ""),
    ("DO $$ BEGIN PERFORM 1; END $$", Write, "P"),
    // SET and friends
    ("SET search_path = a, b", SetSession, "S"),
    ("SET SESSION search_path TO a", SetSession, "S"),
    ("SET TIME ZONE 'UTC'", SetSession, "S"),
    ("SET ROLE admin", SetSession, "S"),
    // A placeholder a language removes when it loads pins; its own
    // parameters and other prefixes do not.
    ("SET plpgsql.bogus = 'x'", SetSession, "SP"),
    ("SET SESSION PLPGSQL.Bogus TO 1", SetSession, "SP"),
    ("SET pltcl.nothing = 1", SetSession, "SP"),
    ("SET plpgsql.extra_warnings = 'all'", SetSession, "S"),
    ("SET plperl.use_strict = on", SetSession, "S"),
    ("SET app.tenant = '42'", SetSession, "S"),
    ("SET SESSION AUTHORIZATION DEFAULT", SetSession, "S"),
    ("SET LOCAL statement_timeout = '5s'", SetLocal, ""),
    ("SET CONSTRAINTS ALL DEFERRED", SetLocal, ""),
    ("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", SetTransaction, "T"),
    ("SET TRANSACTION READ ONLY", SetTransaction, "T"),
    ("SET TRANSACTION SNAPSHOT '00000003-0000001B-1'", SetTransaction, "T"),
    ("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ", SetSession, "S"),
    ("SET default_transaction_isolation = 'serializable'", SetSession, "S"),
    ("RESET ALL", SetSession, "S"),
    ("reset search_path", SetSession, "S"),
    ("DISCARD ALL", SetSession, "S"),
    // Session-pinning DDL and the rest
    ("CREATE TEMP TABLE x (a int)", Write, "P"),
    ("CREATE TEMPORARY VIEW v AS SELECT 1", Write, "P"),
    ("create local temporary table x (a int)", Write, "P"),
    ("CREATE GLOBAL TEMP SEQUENCE s", Write, "P"),
    ("CREATE OR REPLACE TEMP VIEW v AS SELECT 1", Write, "P"),
    ("CREATE TABLE pg_temp.x (a int)", Write, "P"),
    ("CREATE FUNCTION \"pg_temp\".f() RETURNS int AS 'SELECT 1' LANGUAGE sql", Write, "P"),
    ("CREATE TABLE x (a int)", Write, ""),
    ("CREATE UNLOGGED TABLE x (a int)", Write, ""),
    ("CREATE POLICY p ON t FOR UPDATE USING (true)", Write, ""),
    ("CREATE TABLE x AS SELECT * FROM t", Write, ""),
    ("LISTEN ch", Write, "P"),
    ("UNLISTEN *", Write, ""),
    ("NOTIFY ch, 'x'", Write, ""),
    ("PREPARE q (int) AS SELECT $1", Write, "P"),
    ("prepare q as select 1", Write, "P"),
    ("PREPARE transaction AS SELECT 1", Write, "P"),
    ("EXECUTE q(1)", Write, ""),
    ("DEALLOCATE q", Write, ""),
    ("VACUUM ANALYZE t", Write, ""),
    ("CALL p(1)", Write, "P"),
    ("TRUNCATE t", Write, ""),
    ("\"select\" 1", Write, ""),
    ("(BEGIN)", Write, ""),
    ("((", Write, ""),
    ("42", Write, ""),
    // Multi-statement texts
    ("SELECT 1; SELECT 2", Multi, "R"),
    ("SELECT 1; INSERT INTO t VALUES (1)", Multi, ""),
    ("BEGIN; SELECT 1; COMMIT", Multi, "T"),
    ("SET search_path = x; SELECT 1", Multi, "S"),
    ("SELECT 1;;; ;", Read, "R"),
    ("SELECT 'a;b'; SELECT \"c;d\"; SELECT $$;$$", Multi, "R"),
    ("SELECT 1 /* ; */ ; -- ;\n SELECT 2", Multi, "R"),
    ("SELECT 1; SELECT pg_advisory_lock(1)", Multi, "LP"),
    ("SELECT 1; DECLARE c CURSOR WITH HOLD FOR SELECT 1", Multi, "CP"),
    ("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); DELETE FROM b)", Write, ""),
    // Unterminated: Write, no panic
    ("SELECT 'abc", Write, ""),
    ("SELECT E'abc\\'", Write, ""),
    ("SELECT \"abc", Write, ""),
    ("SELECT $$abc", Write, ""),
    ("SELECT $a$ abc $b$", Write, ""),
    ("SELECT 1 /* abc", Write, ""),
    ("SELECT 1 /* a /* b */", Write, ""),
    ("/* abc", Write, ""),
    ("BEGIN /* x", Write, ""),
    ("SELECT 1; SELECT 'x", Multi, ""),
    ("SELECT U&'abc", Write, ""),
];

#[test]
fn table() {
    assert!(CASES.len() >= 80);
    for &(sql, kind, flags) in CASES {
        check(sql, kind, flags);
    }
}

#[test]
fn deny_table_sorted_and_lowercase() {
    for w in DENY.windows(2) {
        assert!(w[0] < w[1], "{:?}", std::str::from_utf8(w[1]));
    }
    for e in DENY {
        assert!(!e.iter().any(u8::is_ascii_uppercase));
        let want = if *e == b"set_config" {
            Deny::SetConfig
        } else {
            Deny::Write
        };
        assert_eq!(deny(e), want);
    }
    for name in [
        "pg_backup_start",
        "PG_BACKUP_STOP",
        "pg_stat_reset",
        "dblink",
        "lo_export",
        "pg_replication_origin_create",
    ] {
        assert_eq!(deny(name.as_bytes()), Deny::Write, "{name}");
    }
    for name in [
        "count",
        "now",
        "pg_sleep",
        "lower",
        "pg_",
        "lo",
        "pg_backend_pid",
    ] {
        assert_eq!(deny(name.as_bytes()), Deny::No, "{name}");
    }
    for name in [
        "pg_advisory_lock",
        "pg_advisory_lock_shared",
        "pg_try_advisory_lock",
        "pg_try_advisory_lock_shared",
    ] {
        assert_eq!(deny(name.as_bytes()), Deny::LockPin, "{name}");
    }
    for name in ["pg_advisory_unlock", "pg_advisory_unlock_shared"] {
        assert_eq!(deny(name.as_bytes()), Deny::Unlock, "{name}");
    }
    assert_eq!(deny(b"PG_ADVISORY_UNLOCK_ALL"), Deny::UnlockAll);
    for name in [
        "pg_advisory_xact_lock",
        "pg_advisory_xact_lock_shared",
        "pg_try_advisory_xact_lock",
        "pg_try_advisory_xact_lock_shared",
    ] {
        assert_eq!(deny(name.as_bytes()), Deny::Lock, "{name}");
    }
}

#[test]
fn keyword_table() {
    #[rustfmt::skip]
    let words = [
        "abort", "alter", "analyse", "analyze", "and", "as", "begin", "chain", "characteristics",
        "commit", "committed", "constraints", "copy", "create", "cursor", "declare",
        "default_transaction_isolation", "default_transaction_read_only", "deferrable", "delete",
        "discard", "end", "explain", "for", "from", "global", "hold", "insert", "into",
        "isolation", "key", "level", "listen", "local", "lock", "merge", "no", "not", "only", "or",
        "policy", "prepare", "prepared", "read", "release", "repeatable", "replace", "reset",
        "rollback", "savepoint", "select", "serializable", "session", "set", "share", "show",
        "snapshot", "start", "stdout", "table", "temp", "temporary", "to", "transaction",
        "uescape", "uncommitted", "update", "values", "verbose", "with", "work", "write",
    ];
    for w in words {
        assert_ne!(kw(w.as_bytes()), Kw::Other, "{w}");
        assert_eq!(kw(w.to_ascii_uppercase().as_bytes()), kw(w.as_bytes()));
    }
    for w in [
        "selec",
        "selects",
        "x",
        "",
        "id",
        "\u{e9}",
        "nam\u{e9}",
        "table_",
        "ßelect",
    ] {
        assert_eq!(kw(w.as_bytes()), Kw::Other, "{w}");
    }
    assert_eq!(kw(b"SeLeCt"), Kw::Select);
    assert_eq!(
        kw(b"DEFAULT_TRANSACTION_READ_ONLY"),
        Kw::DefaultTransactionReadOnly
    );
}

#[test]
fn transaction_modes() {
    let f = classify("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE");
    assert_eq!(f.isolation, Some(Isolation::Serializable));
    assert_eq!(f.read_only_txn, Some(true));
    let f = classify("start transaction read write, isolation level repeatable read");
    assert_eq!(f.kind, Begin);
    assert_eq!(f.isolation, Some(Isolation::RepeatableRead));
    assert_eq!(f.read_only_txn, Some(false));
    let f = classify("BEGIN ISOLATION LEVEL READ UNCOMMITTED");
    assert_eq!(f.isolation, Some(Isolation::ReadCommitted));
    let f = classify("BEGIN");
    assert_eq!((f.isolation, f.read_only_txn), (None, None));
    let f = classify("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
    assert_eq!(f.kind, SetTransaction);
    assert_eq!(f.isolation, Some(Isolation::ReadCommitted));
    let f = classify(
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY, ISOLATION LEVEL SERIALIZABLE",
    );
    assert_eq!(f.kind, SetSession);
    assert!(f.session_state && !f.txn_control);
    assert_eq!(f.isolation, Some(Isolation::Serializable));
    assert_eq!(f.read_only_txn, Some(true));
    let f = classify("SET default_transaction_isolation TO 'repeatable read'");
    assert_eq!(f.isolation, Some(Isolation::RepeatableRead));
    let f = classify("set session default_transaction_read_only = on");
    assert_eq!(f.read_only_txn, Some(true));
    let f = classify("SET default_transaction_read_only TO 'off'");
    assert_eq!(f.read_only_txn, Some(false));
    let f = classify("SET default_transaction_isolation = DEFAULT");
    assert_eq!((f.kind, f.isolation), (SetSession, None));
    // Taken from the first statement that names them.
    let f = classify("BEGIN READ ONLY; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; COMMIT");
    assert_eq!(f.kind, Multi);
    assert_eq!(f.statements, 3);
    assert_eq!(f.isolation, Some(Isolation::Serializable));
    assert_eq!(f.read_only_txn, Some(true));
    // Not a valid mode list: Write, and nothing leaks.
    let f = classify("BEGIN ISOLATION LEVEL SERIALIZABLE, SOMETHING");
    assert_eq!((f.kind, f.isolation, f.txn_control), (Write, None, false));
    let f = classify("BEGIN ISOLATION LEVEL SERIALIZABLE 'x");
    assert_eq!((f.kind, f.isolation), (Write, None));
    let f = classify("ROLLBACK AND CHAIN; COMMIT");
    assert!(f.chain);
}

#[test]
fn counts() {
    assert_eq!(classify("").statements, 0);
    assert_eq!(classify("SELECT 1").statements, 1);
    assert_eq!(classify(";SELECT 1;;SELECT 2;").statements, 2);
    assert_eq!(classify("BEGIN; SELECT 1; COMMIT").statements, 3);
    let f = classify("SELECT 1; SELECT 2");
    assert!(f.read_only && !f.txn_control && !f.session_state);
}

#[test]
fn statement_ranges() {
    let sql = "  SELECT 1 ;\n/* c */ INSERT INTO t VALUES ('a;b') ;; BEGIN  ";
    let st = statements(sql);
    let parts: Vec<&str> = st.iter().map(|(r, _)| &sql[r.clone()]).collect();
    assert_eq!(
        parts,
        ["SELECT 1", "/* c */ INSERT INTO t VALUES ('a;b')", "BEGIN"]
    );
    let kinds: Vec<Kind> = st.iter().map(|(_, f)| f.kind).collect();
    assert_eq!(kinds, [Read, Write, Begin]);
    for (r, f) in &st {
        assert_eq!(*f, classify(&sql[r.clone()]));
    }
    assert!(statements("").is_empty());
    assert!(statements(" ; -- x\n ;").is_empty());
    let st = statements("SELECT 1; SELECT 'x");
    assert_eq!(st.len(), 2);
    assert_eq!(st[1].1.kind, Write);
    assert_eq!(&"SELECT 1; SELECT 'x"[st[1].0.clone()], "SELECT 'x");
    // Multibyte characters around the boundaries.
    let sql = "SELECT 'ä';ö;SELECT 1";
    let st = statements(sql);
    assert_eq!(st.len(), 3);
    assert_eq!(&sql[st[1].0.clone()], "ö");
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

#[test]
fn random_input_never_panics() {
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "'", "\"", "$", "$$", "$a$", "E'", "e'\\'", "U&'", "U&\"", "B'", "X'", "\\", "--", "/*",
        "*/", "\n", " ", ";", "(", ")", ",", ".", "=", "1", "$1", "0x", "1e", "é", "€",
        "\u{10348}", "SELECT", "select", "INSERT", "into", "FOR", "update", "SHARE", "NO", "KEY",
        "BEGIN", "COMMIT", "ROLLBACK", "TO", "SAVEPOINT", "SET", "LOCAL", "SESSION", "TRANSACTION",
        "ISOLATION", "LEVEL", "READ", "ONLY", "EXPLAIN", "ANALYZE", "COPY", "STDOUT", "FROM",
        "DECLARE", "CURSOR", "WITH", "HOLD", "CREATE", "TEMP", "PREPARE", "nextval",
        "pg_advisory_lock", "pg_temp", "AND", "CHAIN", "x", "pgtc:primary", "/* pgtc:standby */",
        "-- pgtc:primary\n", "lower", "count", "random", "s.f", "::", "AS", "\"\"", "\"F\"",
        "U&\"a\"", "DISCARD", "ALL", "UNLISTEN", "*", "CALL", "DO", "VACUUM", "CONCURRENTLY",
        "INDEX", "DROP", "PASSWORD", "ALTER", "FILTER", "OVER", "GROUP", "BY",
        "pg_advisory_unlock_all", "DEALLOCATE", "CLOSE",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut buf = Vec::new();
    for round in 0..30_000 {
        buf.clear();
        let len = (rng.next() % 40) as usize;
        for _ in 0..len {
            let r = rng.next();
            if round % 3 == 0 {
                // Raw bytes.
                buf.push(r as u8);
            } else if r.is_multiple_of(5) {
                buf.push((r >> 8) as u8);
            } else {
                buf.extend_from_slice(PIECES[(r >> 8) as usize % PIECES.len()].as_bytes());
                if r & 0x10000 != 0 {
                    buf.push(b' ');
                }
            }
        }
        let sql = String::from_utf8_lossy(&buf);
        let whole = classify(&sql);
        let parts = statements(&sql);
        assert_eq!(whole.statements as usize, parts.len(), "{sql:?}");
        let mut acc = EMPTY;
        for (r, f) in &parts {
            let slice = sql.get(r.clone()).expect("range on a char boundary");
            let mut alone = classify(slice);
            let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            if !sql.as_bytes()[..r.start].iter().all(|&c| space(c)) {
                // Not the text's first statement: only the text's leading
                // comment is a hint.
                alone.hint = None;
            }
            assert_eq!(alone, *f, "{sql:?} / {slice:?}");
            merge(&mut acc, f);
        }
        assert_eq!(acc, whole, "{sql:?}");
        assert_eq!(whole.pins_session, whole.pins != 0, "{sql:?}");
        let mut calls = 0;
        // A name is a slice of the text, or a quoted one decoded.
        let name_ok =
            |n: &str, quoted: bool| !n.is_empty() && n.len() <= 63 && (slice_of(&sql, n) || quoted);
        function_calls(&sql, |f| {
            assert!(name_ok(f.name, f.quoted), "{sql:?}");
            assert!(
                f.schema.is_none_or(|s| name_ok(s, f.schema_quoted)),
                "{sql:?}"
            );
            calls += 1;
        });
        assert_eq!(whole.calls, calls > 0, "{sql:?}");
        identifiers(&sql, |name, quoted| {
            assert!(
                name_ok(name, quoted) || (quoted && name.is_empty()),
                "{sql:?}"
            )
        });
        let short = redact(&sql, 40);
        assert!(short.len() <= 40 + '…'.len_utf8(), "{sql:?}");
    }
}

/// `part` is a slice of `whole` (so also a substring).
fn slice_of(whole: &str, part: &str) -> bool {
    let (w, p) = (whole.as_ptr() as usize, part.as_ptr() as usize);
    p >= w && p + part.len() <= w + whole.len() && whole.contains(part)
}

#[test]
fn deep_nesting_never_panics() {
    let s = "EXPLAIN ".repeat(10_000) + "SELECT 1";
    assert_eq!(classify(&s).kind, Write);
    let s = "(".repeat(100_000);
    assert_eq!(classify(&s).kind, Write);
    let s = "/*".repeat(100_000);
    assert_eq!(classify(&s).kind, Write);
    let s = "SELECT ".to_string() + &"$a".repeat(50_000);
    let _ = classify(&s);
    let s = "$a$".to_string() + &"$a".repeat(50_000);
    assert_eq!(classify(&s).kind, Write);
}

/// `cargo test --release --lib classify::tests::bench -- --ignored --nocapture`
#[test]
#[ignore]
fn bench() {
    let texts = [
        "SELECT id, name, email FROM users WHERE id = $1 AND active",
        "select count(*) from orders o join items i on i.order_id = o.id where o.ts > now()",
        "INSERT INTO t (a, b) VALUES ($1, $2)",
        "BEGIN ISOLATION LEVEL REPEATABLE READ",
    ];
    for sql in texts {
        // The best of 10 rounds: the least disturbed by other work.
        let n = 200_000u32;
        let mut ns = f64::MAX;
        for _ in 0..10 {
            let t0 = std::time::Instant::now();
            for _ in 0..n {
                std::hint::black_box(classify(std::hint::black_box(sql)));
            }
            ns = ns.min(t0.elapsed().as_nanos() as f64 / f64::from(n));
        }
        println!("{ns:7.1} ns  {} bytes  {sql}", sql.len());
    }
}
