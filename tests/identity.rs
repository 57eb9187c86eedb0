//! Node identity against a real pair: every function, view and setting
//! whose answer depends on the server that gives it is answered by the
//! primary, with the primary's value, in READ_MOSTLY; a sequence read as a
//! relation too; and such a read inside a transaction leaves the
//! transaction's other reads where they were.

mod common;
use common::*;
use pgtc::{Server, Session};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

/// How the answer through pgtc is checked against the primary's, read on
/// a direct connection.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Check {
    /// The same rows (as text).
    Same,
    /// An error on the primary (recovery control): the same SQLSTATE.
    Error,
    /// The value belongs to the connection (a snapshot, a port, a
    /// statement name): only where it ran.
    Runs,
    /// `pg_backend_pid()`: the pid of the session's primary connection.
    Pid,
}
use Check::*;

/// One statement per entry of the classifier's lists (`{seq}` is a
/// sequence the test made): the entry, the statement, the check.
#[rustfmt::skip]
const CASES: &[(&str, &str, Check)] = &[
    // Connection.
    ("inet_client_addr", "SELECT inet_client_addr()", Same),
    ("inet_client_port", "SELECT inet_client_port()", Runs),
    ("inet_server_addr", "SELECT inet_server_addr()", Same),
    ("inet_server_port", "SELECT inet_server_port()", Same),
    // Backend.
    ("pg_backend_memory_contexts", "SELECT count(*) > 0 FROM pg_backend_memory_contexts", Same),
    ("pg_backend_pid", "SELECT pg_backend_pid()", Pid),
    ("pg_blocking_pids", "SELECT pg_blocking_pids(pg_backend_pid())", Same),
    ("pg_current_snapshot", "SELECT pg_current_snapshot()", Runs),
    ("pg_cursor", "SELECT count(*) FROM pg_cursor()", Same),
    ("pg_cursors", "SELECT count(*) FROM pg_cursors", Same),
    ("pg_get_backend_memory_contexts", "SELECT count(*) > 0 FROM pg_get_backend_memory_contexts()", Same),
    ("pg_listening_channels", "SELECT count(*) FROM pg_listening_channels()", Same),
    ("pg_log_backend_memory_contexts", "SELECT pg_log_backend_memory_contexts(pg_backend_pid())", Same),
    ("pg_my_temp_schema", "SELECT pg_my_temp_schema()", Same),
    ("pg_is_other_temp_schema", "SELECT pg_is_other_temp_schema(pg_my_temp_schema())", Same),
    ("current_schemas", "SELECT current_schemas(true)", Same),
    ("pg_notification_queue_usage", "SELECT pg_notification_queue_usage()", Same),
    ("pg_prepared_statement", "SELECT count(*) >= 0 FROM pg_prepared_statement()", Runs),
    ("pg_prepared_statements", "SELECT count(*) >= 0 FROM pg_prepared_statements", Runs),
    ("pg_safe_snapshot_blocking_pids", "SELECT pg_safe_snapshot_blocking_pids(pg_backend_pid())", Same),
    ("txid_current_snapshot", "SELECT txid_current_snapshot()", Runs),
    // Server.
    ("pg_conf_load_time", "SELECT pg_conf_load_time()", Same),
    ("pg_current_logfile", "SELECT pg_current_logfile()", Same),
    ("pg_database_size", "SELECT pg_database_size(current_database()) > 0", Same),
    ("pg_get_shmem_allocations", "SELECT count(*) > 0 FROM pg_get_shmem_allocations()", Same),
    ("pg_postmaster_start_time", "SELECT pg_postmaster_start_time()", Same),
    ("pg_shmem_allocations", "SELECT count(*) > 0 FROM pg_shmem_allocations", Same),
    ("pg_tablespace_size", "SELECT pg_tablespace_size('pg_global') > 0", Same),
    // Files: each server's own.
    ("pg_file_settings", "SELECT count(*), min(sourcefile) FROM pg_file_settings", Same),
    ("pg_hba_file_rules", "SELECT count(*), max(line_number) FROM pg_hba_file_rules", Same),
    ("pg_ident_file_mappings", "SELECT count(*), max(line_number) FROM pg_ident_file_mappings", Same),
    ("pg_read_binary_file", "SELECT md5(pg_read_binary_file('postmaster.pid'))", Same),
    ("pg_read_file", "SELECT md5(pg_read_file('postmaster.pid'))", Same),
    ("pg_show_all_file_settings", "SELECT count(*), min(sourcefile) FROM pg_show_all_file_settings()", Same),
    // Locks and replication.
    ("pg_get_replication_slots", "SELECT count(*) FROM pg_get_replication_slots()", Same),
    ("pg_lock_status", "SELECT count(*) > 0 FROM pg_lock_status()", Same),
    ("pg_locks", "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'virtualxid'", Same),
    ("pg_prepared_xact", "SELECT count(*) FROM pg_prepared_xact()", Same),
    ("pg_prepared_xacts", "SELECT count(*) FROM pg_prepared_xacts", Same),
    ("pg_replication_origin_status", "SELECT count(*) FROM pg_replication_origin_status", Same),
    ("pg_replication_slots", "SELECT count(*) FROM pg_replication_slots", Same),
    ("pg_show_replication_origin_status", "SELECT count(*) FROM pg_show_replication_origin_status()", Same),
    // Recovery: the primary is not in recovery.
    ("pg_get_wal_replay_pause_state", "SELECT pg_get_wal_replay_pause_state()", Error),
    ("pg_is_in_recovery", "SELECT pg_is_in_recovery()", Same),
    ("pg_is_wal_replay_paused", "SELECT pg_is_wal_replay_paused()", Error),
    ("pg_promote", "SELECT pg_promote(false)", Error),
    ("pg_wal_replay_pause", "SELECT pg_wal_replay_pause()", Error),
    ("pg_wal_replay_resume", "SELECT pg_wal_replay_resume()", Error),
    // WAL: a standby refuses them.
    ("pg_walfile_name", "SELECT pg_walfile_name('0/1000000')", Same),
    ("pg_walfile_name_offset", "SELECT pg_walfile_name_offset('0/1000000')", Same),
    // Sequences.
    ("pg_sequence_last_value", "SELECT pg_sequence_last_value('{seq}')", Same),
    ("pg_sequences", "SELECT last_value FROM pg_sequences WHERE sequencename = '{seq}'", Same),
    // Settings.
    ("pg_settings", "SELECT setting FROM pg_settings WHERE name = 'in_hot_standby'", Same),
    ("pg_show_all_settings", "SELECT setting FROM pg_show_all_settings() WHERE name = 'transaction_read_only'", Same),
    // Prefix families.
    ("pg_control_", "SELECT pg_control_system()", Same),
    ("pg_control_", "SELECT pg_control_recovery()", Same),
    ("pg_last_", "SELECT pg_last_wal_replay_lsn(), pg_last_wal_receive_lsn()", Same),
    ("pg_last_", "SELECT pg_last_xact_replay_timestamp()", Same),
    ("pg_ls_", "SELECT count(*) FROM pg_ls_dir('.') WHERE pg_ls_dir = 'standby.signal'", Same),
    ("pg_stat_", "SELECT count(*) FROM pg_stat_wal_receiver", Same),
    ("pg_stat_", "SELECT count(*) FROM pg_stat_replication", Same),
    ("pg_stat_", "SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid()", Same),
    ("pg_stat_", "SELECT count(*) > 0 FROM pg_stat_get_activity(NULL)", Same),
    ("pg_statio_", "SELECT count(*) >= 0 FROM pg_statio_user_tables", Same),
];

/// Every row of `sql` on a direct connection, as text (or its SQLSTATE).
fn direct_rows(d: &mut postgres::Client, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    match d.simple_query(sql) {
        Ok(msgs) => Ok(msgs
            .iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|j| row.get(j).map(str::to_string))
                        .collect(),
                ),
                _ => None,
            })
            .collect()),
        Err(e) => Err(e
            .code()
            .map(|c| c.code().to_string())
            .unwrap_or_else(|| e.to_string())),
    }
}

/// Runs `sql` through `s`: it must run on the primary (explain says the
/// primary is required, and the result says where it ran), and the answer
/// must be checked as `check` says against `d`, a direct connection to the
/// primary. Returns the answer.
fn on_primary(
    s: &mut Session,
    d: &mut postgres::Client,
    sql: &str,
    check: Check,
) -> Vec<Vec<Option<String>>> {
    let route = s.explain(sql);
    assert_eq!(
        (route.server, route.eligible),
        (Server::Primary, Server::Primary),
        "{}: {}",
        sql,
        route.reason
    );
    assert!(
        route.reason.contains("the primary answers"),
        "{}: {}",
        sql,
        route.reason
    );
    match s.exec(sql, None) {
        Ok(r) => {
            assert_eq!(r.server, Some(Server::Primary), "{}", sql);
            assert_ne!(
                check,
                Error,
                "{}: the primary answered {:?}",
                sql,
                rows_of(&r)
            );
            let got = rows_of(&r);
            if check == Same {
                let want = direct_rows(d, sql).unwrap_or_else(|e| panic!("{}: {}", sql, e));
                assert_eq!(got, want, "{}", sql);
            }
            got
        }
        Err(e) => {
            assert_eq!(check, Error, "{}: {}", sql, e);
            let want = direct_rows(d, sql).expect_err(sql);
            assert_eq!(e.sqlstate, want, "{}: {}", sql, e);
            Vec::new()
        }
    }
}

fn make_sequence(c: &Cluster, s: &mut Session) -> String {
    let seq = table("ident_seq");
    exec(s, &format!("CREATE SEQUENCE {seq}"));
    for _ in 0..3 {
        exec(s, &format!("SELECT nextval('{seq}')"));
    }
    c.wait_replayed();
    seq
}

#[test]
fn functions_and_views_give_the_primarys_answer() {
    // A pair of its own: a misrouted pg_promote() or pg_wal_replay_pause()
    // would change the standby.
    let c = Cluster::new(0);
    let mut s = c.open(RM);
    let seq = make_sequence(&c, &mut s);
    let mut d = c.direct(true);
    let mut standby = c.direct(false);
    let mut differ = 0;
    for &(name, sql, check) in CASES {
        let sql = sql.replace("{seq}", &seq);
        let got = on_primary(&mut s, &mut d, &sql, check);
        if check == Same && direct_rows(&mut standby, &sql).ok() != Some(got.clone()) {
            differ += 1;
        }
        if check == Pid {
            let pid = got[0][0].clone().unwrap();
            let seen: i64 = d
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::text::int",
                    &[&pid],
                )
                .unwrap()
                .get(0);
            assert_eq!(seen, 1, "{}: pid {} is not a primary backend", name, pid);
            // The pid the session's own primary connection reports.
            let r = exec(&mut s, "/* pgtc:primary */ SELECT pg_backend_pid()");
            assert_eq!(r.value(0, 0), Some(pid.as_str()));
        }
    }
    // The primary's values, named.
    let one = |s: &mut Session, sql: &str| exec(s, sql).value(0, 0).map(str::to_string);
    assert_eq!(
        one(&mut s, "SELECT pg_is_in_recovery()").as_deref(),
        Some("f")
    );
    assert_eq!(
        one(&mut s, "SELECT inet_server_port()"),
        Some(c.primary_port.to_string())
    );
    // The list is worth having: most of these answers differ on the standby.
    eprintln!(
        "{} of {} answers differ on the standby",
        differ,
        CASES.len()
    );
    assert!(
        differ >= 20,
        "only {} answers differ on the standby",
        differ
    );
    // Every entry of the classifier's lists has a case.
    let (names, families, _) = pgtc::classify::node_identity_names();
    for n in names.iter().chain(families) {
        let n = std::str::from_utf8(n).unwrap();
        assert!(CASES.iter().any(|c| c.0 == n), "no case for {}", n);
    }
    // A standby hint asks for the standby's answer, where the standby may
    // give it; never for a volatile function's.
    let r = until_on(
        &mut s,
        "/* pgtc:standby */ SELECT pg_is_in_recovery()",
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some("t"));
    for sql in [
        "/* pgtc:standby */ SELECT pg_promote(false)",
        "/* pgtc:standby */ SELECT pg_wal_replay_pause()",
    ] {
        let route = s.explain(sql);
        assert_eq!(route.eligible, Server::Primary, "{}: {}", sql, route.reason);
    }
    // After all that, the standby is still a standby, replaying.
    let r = standby
        .query_one("SELECT pg_is_in_recovery(), pg_is_wal_replay_paused()", &[])
        .unwrap();
    assert!(r.get::<_, bool>(0) && !r.get::<_, bool>(1));
}

#[test]
fn settings_that_differ_give_the_primarys_value() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    let mut d = c.direct(true);
    let mut standby = c.direct(false);
    let (_, _, settings) = pgtc::classify::node_identity_names();
    let mut differ = Vec::new();
    for name in settings {
        let name = std::str::from_utf8(name).unwrap();
        let forms = [
            format!("SHOW {name}"),
            format!("SELECT current_setting('{name}')"),
            format!("SELECT setting FROM pg_settings WHERE name = '{name}'"),
        ];
        let shown = on_primary(&mut s, &mut d, &forms[0], Same);
        for sql in &forms[1..] {
            let got = on_primary(&mut s, &mut d, sql, Same);
            if !sql.contains("pg_settings") {
                assert_eq!(got, shown, "{}", sql);
            }
        }
        if direct_rows(&mut standby, &forms[0]).ok() != Some(shown) {
            differ.push(name);
        }
    }
    // Those that differ on this pair (the others are per server by nature).
    eprintln!("settings that differ on the standby: {:?}", differ);
    for name in [
        "config_file",
        "data_directory",
        "hba_file",
        "hot_standby_feedback",
        "ident_file",
        "in_hot_standby",
        "port",
        "primary_conninfo",
        "transaction_read_only",
    ] {
        assert!(
            differ.contains(&name),
            "{} is the same on both: {:?}",
            name,
            differ
        );
    }
    let one = |s: &mut Session, sql: &str| exec(s, sql).value(0, 0).map(str::to_string);
    assert_eq!(
        one(&mut s, "SHOW transaction_read_only").as_deref(),
        Some("off")
    );
    assert_eq!(one(&mut s, "SHOW in_hot_standby").as_deref(), Some("off"));
    assert_eq!(
        one(&mut s, "SELECT current_setting('port')"),
        Some(c.primary_port.to_string())
    );
    // SHOW ALL and every setting at once.
    let all = exec(&mut s, "SHOW ALL");
    assert_eq!(all.server, Some(Server::Primary));
    // An ordinary setting is still read where reads are balanced.
    until_on(&mut s, "SHOW work_mem", Server::Secondary, CATCH_UP);
    until_on(
        &mut s,
        "SELECT current_setting('work_mem')",
        Server::Secondary,
        CATCH_UP,
    );
}

#[test]
fn sequences_read_as_relations_give_the_primarys_value() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    let seq = make_sequence(&c, &mut s);
    let mut d = c.direct(true);
    let sql = format!("SELECT last_value, log_cnt, is_called FROM {seq}");
    let want = direct_rows(&mut d, &sql).unwrap();
    // The standby shows the value WAL-logged ahead: a different answer.
    let on_standby = direct_rows(&mut c.direct(false), &sql).unwrap();
    assert_ne!(on_standby, want, "the standby shows the primary's value");
    for text in [
        sql.clone(),
        format!("SELECT * FROM public.{seq}"),
        format!("SELECT last_value FROM {} s", seq.to_uppercase()),
        format!("WITH x AS (SELECT last_value FROM {seq}) SELECT * FROM x"),
    ] {
        let route = s.explain(&text);
        assert_eq!(
            route.eligible,
            Server::Primary,
            "{}: {}",
            text,
            route.reason
        );
        assert!(
            route.reason.contains("a sequence"),
            "{}: {}",
            text,
            route.reason
        );
        let r = exec(&mut s, &text);
        assert_eq!(r.server, Some(Server::Primary), "{}", text);
    }
    let r = exec(&mut s, &sql);
    assert_eq!(rows_of(&r), want);
    assert_eq!(r.value(0, 0), Some("3"));
    // A table is still balanced.
    let t = table("ident_t");
    exec(&mut s, &format!("CREATE TABLE {t}(a int)"));
    until_on(
        &mut s,
        &format!("SELECT count(*) FROM {t}"),
        Server::Secondary,
        CATCH_UP,
    );
    exec(&mut s, &format!("DROP TABLE {t}"));
    exec(&mut s, &format!("DROP SEQUENCE {seq}"));
}

#[test]
fn an_identity_read_in_a_transaction_leaves_its_reads_where_they_were() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    let t = table("ident_txn");
    exec(&mut s, &format!("CREATE TABLE {t}(a int)"));
    exec(&mut s, &format!("INSERT INTO {t} VALUES (1)"));
    let read = format!("SELECT count(*) FROM {t}");
    until_on(&mut s, &read, Server::Secondary, CATCH_UP);
    let mut d = c.direct(true);
    exec(&mut s, "BEGIN");
    assert_eq!(server_of(&mut s, &read), Server::Secondary);
    let pid = on_primary(&mut s, &mut d, "SELECT pg_backend_pid()", Pid);
    assert!(pid[0][0].is_some());
    assert_eq!(
        on_primary(&mut s, &mut d, "SELECT pg_is_in_recovery()", Same),
        [[Some("f".to_string())]]
    );
    assert_eq!(
        on_primary(&mut s, &mut d, "SHOW transaction_read_only", Same),
        [[Some("off".to_string())]]
    );
    // Not a write: the next plain read stays on the standby.
    assert_eq!(server_of(&mut s, &read), Server::Secondary);
    exec(&mut s, "COMMIT");
    exec(&mut s, &format!("DROP TABLE {t}"));
}
