//! Node identity: every function, view and setting whose answer depends on
//! the server that gives it sets `Facts::node_identity`, in every form a
//! read can name it; ordinary reads do not.

use super::super::names::{FAMILIES, IDENTITY, SETTINGS};
use super::*;

fn flag(sql: &str) -> bool {
    classify(sql).node_identity
}

fn text(w: &[u8]) -> &str {
    std::str::from_utf8(w).unwrap()
}

/// The forms of a read that names `n` (a function or a view: the
/// classifier goes by the name alone).
fn forms(n: &str) -> Vec<String> {
    let up = n.to_ascii_uppercase();
    vec![
        format!("SELECT {n}()"),
        format!("SELECT * FROM {n}"),
        format!("SELECT pg_catalog.{n}()"),
        format!("select * from PG_CATALOG.{n} where true"),
        format!("SELECT * FROM \"pg_catalog\".\"{n}\""),
        format!("SELECT {up}()"),
        format!("SELECT \"{n}\"()"),
        format!("SELECT a, (SELECT count(*) FROM {n}) AS c FROM t WHERE b = 1 ORDER BY a"),
        format!("SELECT a FROM t JOIN {n}() x ON x.v = t.a"),
        format!("WITH w AS (SELECT * FROM {n}) SELECT * FROM w"),
        format!("WITH w AS (SELECT 1) SELECT {n}() FROM w"),
        format!("SELECT 1; SELECT {n}()"),
        format!("/* c */ SELECT {n}() -- trailing"),
        format!("EXPLAIN SELECT * FROM {n}"),
        format!("COPY (SELECT * FROM {n}) TO STDOUT"),
        format!("VALUES ((SELECT {n}()))"),
        // The first letter escaped, in a `U&"…"` name with and without
        // `UESCAPE`, and a schema spelled so.
        format!("SELECT U&\"\\{:04x}{}\"()", n.as_bytes()[0], &n[1..]),
        format!(
            "SELECT * FROM U&\"!{:04x}{}\" UESCAPE '!'",
            n.as_bytes()[0],
            &n[1..]
        ),
        format!("SELECT U&\"pg!005fcatalog\" UESCAPE '!'.{n}()"),
    ]
}

/// Forms that name `n` but not the built-in (or only inside text).
fn not_forms(n: &str) -> Vec<String> {
    let up = n.to_ascii_uppercase();
    vec![
        format!("SELECT public.{n}()"),
        format!("SELECT * FROM myschema.{n}"),
        format!("SELECT \"{up}\"()"),
        format!("SELECT '{n}()'"),
        format!("SELECT $${n}$$"),
        format!("SELECT 1 -- {n}()"),
        format!("SELECT 1 /* {n} */"),
        format!("SELECT my_{n}() FROM t"),
    ]
}

#[test]
fn every_function_and_view_of_the_list() {
    let mut rows = 0;
    for n in IDENTITY {
        let n = text(n);
        // A view whose name, called, is a denied function
        // (`pg_replication_origin_status`): such a call is a write.
        let denied = deny(n.as_bytes()) != Deny::No;
        for sql in forms(n) {
            let f = classify(&sql);
            if denied && !f.read_only {
                continue;
            }
            assert!(f.node_identity, "{sql}");
            assert!(f.read_only, "{sql}: still a read");
            rows += 1;
        }
        for sql in not_forms(n) {
            assert!(!flag(&sql), "{sql}");
        }
        // A write runs on the primary anyway: the flag is for reads.
        let sql = format!("INSERT INTO t SELECT * FROM {n}");
        assert!(!flag(&sql) && !classify(&sql).read_only, "{sql}");
    }
    assert!(rows >= IDENTITY.len() * 12, "{rows}");
}

#[test]
fn every_prefix_family() {
    #[rustfmt::skip]
    let members = [
        "pg_stat_activity", "pg_stat_replication", "pg_stat_wal_receiver", "pg_stat_ssl",
        "pg_stat_database", "pg_stat_user_tables", "pg_stat_bgwriter", "pg_stat_archiver",
        "pg_stat_subscription", "pg_stat_get_activity", "pg_stat_get_backend_pid",
        "pg_stat_get_db_xact_commit", "pg_stat_get_wal_receiver", "pg_stat_file",
        "pg_statio_user_tables", "pg_statio_all_indexes", "pg_control_system",
        "pg_control_checkpoint", "pg_control_recovery", "pg_control_init",
        "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn", "pg_last_xact_replay_timestamp",
        "pg_last_committed_xact", "pg_ls_waldir", "pg_ls_dir", "pg_ls_logdir",
        "pg_ls_archive_statusdir", "pg_ls_tmpdir",
    ];
    for n in members {
        assert!(FAMILIES.iter().any(|f| n.as_bytes().starts_with(f)), "{n}");
        for sql in forms(n) {
            assert!(flag(&sql), "{sql}");
        }
        for sql in not_forms(n) {
            assert!(!flag(&sql), "{sql}");
        }
    }
}

#[test]
fn every_setting_of_the_list() {
    for s in SETTINGS {
        let s = text(s);
        let up = s.to_ascii_uppercase();
        for sql in [
            format!("SHOW {s}"),
            format!("show {up}"),
            format!("SHOW \"{s}\""),
            format!("SHOW {s};"),
            format!("SELECT current_setting('{s}')"),
            format!("SELECT pg_catalog.current_setting('{up}', true)"),
            format!("SELECT CURRENT_SETTING('{s}') AS v, 1 FROM t WHERE a = 1"),
            format!("WITH w AS (SELECT current_setting('{s}') AS v) SELECT v FROM w"),
            format!("SELECT setting FROM pg_settings WHERE name = '{s}'"),
            format!("SELECT setting FROM pg_catalog.pg_settings WHERE name = '{s}'"),
            format!("SELECT * FROM pg_show_all_settings() WHERE name = '{s}'"),
            format!("SELECT 1; SHOW {s}"),
        ] {
            let f = classify(&sql);
            assert!(f.node_identity && f.read_only, "{sql}");
        }
        for sql in [
            format!("SELECT '{s}'"),
            format!("SELECT {s} FROM t"),
            format!("SELECT public.current_setting('{s}')"),
            format!("SELECT current_setting('x{s}')"),
        ] {
            assert!(!flag(&sql), "{sql}");
        }
        // Setting it is session state, not a read.
        assert!(!flag(&format!("SET {s} = 'x'")));
    }
}

#[test]
fn settings_read_in_ways_that_cannot_be_checked() {
    for sql in [
        "SHOW ALL",
        "show all",
        "SELECT current_setting($1)",
        "SELECT current_setting(name) FROM t",
        "SELECT current_setting(E'port')",
        "SELECT current_setting('trans' || 'action_read_only')",
        "SELECT current_setting(U&'port')",
        "SELECT current_setting($$port$$)",
        "SELECT name, setting FROM pg_settings",
        "SELECT setting FROM pg_settings WHERE name = 'work_mem'",
        "TABLE pg_settings",
    ] {
        assert!(flag(sql), "{sql}");
    }
}

#[test]
fn ordinary_reads_do_not_have_it() {
    for sql in [
        "SELECT 1",
        "SELECT * FROM t WHERE id = $1",
        "SELECT now(), random(), clock_timestamp()",
        "SHOW work_mem",
        "SHOW search_path",
        "SHOW TRANSACTION ISOLATION LEVEL",
        "SHOW server_version",
        "SELECT current_setting('work_mem')",
        "SELECT current_setting('search_path', true)",
        "SELECT current_user, session_user, current_database()",
        "SELECT * FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace",
        "SELECT * FROM pg_stats WHERE tablename = 't'",
        "SELECT * FROM pg_statistic",
        "SELECT * FROM pg_stats_ext",
        "SELECT count(*) FROM pg_tables",
        "SELECT pg_relation_size('t'), pg_size_pretty(1)",
        "SELECT pg_trigger_depth(), pg_jit_available()",
        "SELECT pg_get_viewdef('v'::regclass)",
        "SELECT pg_stat FROM t",
        "SELECT * FROM customers c JOIN products p ON p.id = c.pid",
        "SELECT txid_snapshot_xmin('1:1:'), pg_snapshot_xmin('1:1:')",
        "SELECT pg_walfile FROM t",
        "SELECT pg_sleep(0)",
        "",
        "BEGIN",
    ] {
        assert!(!flag(sql), "{sql}");
    }
}

#[test]
fn lists_are_sorted_lower_case_and_known_alone() {
    use super::super::names::{class, Class, ALLOW, SYNTAX};
    for table in [IDENTITY, SETTINGS, FAMILIES] {
        for w in table.windows(2) {
            assert!(w[0] < w[1], "{:?}", text(w[1]));
        }
        for e in table {
            assert!(!e.iter().any(u8::is_ascii_uppercase), "{:?}", text(e));
        }
    }
    for e in IDENTITY {
        assert!(
            matches!(class(e), Class::Other | Class::Allow),
            "{:?}",
            text(e)
        );
        assert!(!DENY.contains(e) && !SYNTAX.contains(e));
        let e = std::str::from_utf8(e).unwrap();
        assert!(
            ["pg_", "inet_", "txid_", "current_"]
                .iter()
                .any(|p| e.starts_with(p)),
            "{e}: `identity` looks only at these prefixes"
        );
    }
    // The allow list's names that answer for their server are identity
    // names too (the allow list only spares them a catalog look-up).
    for n in [&b"pg_is_in_recovery"[..], b"pg_last_wal_replay_lsn"] {
        assert!(ALLOW.contains(&n) && flag(&format!("SELECT {}()", text(n))));
    }
    let (i, f, s) = node_identity_names();
    assert_eq!(
        (i.len(), f.len(), s.len()),
        (IDENTITY.len(), FAMILIES.len(), SETTINGS.len())
    );
}
