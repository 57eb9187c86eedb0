//! The names whose answer depends on the server that gives it (node
//! identity): functions and views, their prefix families, and settings.

use super::{cmp_ci, starts_with_ci};

/// Functions and catalog views (lower case, sorted) whose answer depends on
/// the server that gives it: a read of one of them runs on the primary,
/// whose answer is the one the application means (`Facts::node_identity`).
/// Prefix families are in `identity`: `pg_stat_*` and `pg_statio_*`
/// (cumulative statistics, activity, `pg_stat_file`), `pg_control_*`
/// (the server's control file), `pg_last_*` (what recovery received and
/// replayed), `pg_ls_*` (the server's directories).
#[rustfmt::skip]
pub(crate) static IDENTITY: &[&[u8]] = &[
    // Backend: the search path with the session's temporary schema, which
    // only the primary's session can have.
    b"current_schemas",
    // Connection: each server has its own end of it.
    b"inet_client_addr", b"inet_client_port", b"inet_server_addr", b"inet_server_port",
    // Backend: the session's own server process and what it sees.
    b"pg_backend_memory_contexts", b"pg_backend_pid", b"pg_blocking_pids",
    // Server: start, configuration load, log file, size on disk.
    b"pg_conf_load_time", b"pg_current_logfile",
    // Backend: snapshots are taken from each server's own process array.
    b"pg_current_snapshot",
    // Backend: the session's cursors.
    b"pg_cursor", b"pg_cursors",
    // Server: size on disk (free space maps and temporary files differ).
    b"pg_database_size",
    // Files: each server's configuration files.
    b"pg_file_settings",
    // Backend.
    b"pg_get_backend_memory_contexts",
    // Locks and replication: slots are per server.
    b"pg_get_replication_slots",
    // Server: shared memory.
    b"pg_get_shmem_allocations",
    // Recovery: only a standby replays.
    b"pg_get_wal_replay_pause_state",
    // Files.
    b"pg_hba_file_rules", b"pg_ident_file_mappings",
    // Recovery.
    b"pg_is_in_recovery",
    // Backend: whose temporary schema it is depends on the session's server.
    b"pg_is_other_temp_schema",
    // Recovery.
    b"pg_is_wal_replay_paused",
    // Backend: LISTEN and the notification queue belong to one server.
    b"pg_listening_channels",
    // Locks: each server's lock table.
    b"pg_lock_status", b"pg_locks",
    // Backend.
    b"pg_log_backend_memory_contexts", b"pg_my_temp_schema", b"pg_notification_queue_usage",
    // Server.
    b"pg_postmaster_start_time",
    // Backend: the session's prepared statements.
    b"pg_prepared_statement", b"pg_prepared_statements",
    // Locks: prepared transactions.
    b"pg_prepared_xact", b"pg_prepared_xacts",
    // Recovery: promotion is the standby's.
    b"pg_promote",
    // Files: read on the server that runs the call.
    b"pg_read_binary_file", b"pg_read_file",
    // Replication: origins and slots are per server.
    b"pg_replication_origin_status", b"pg_replication_slots",
    // Backend.
    b"pg_safe_snapshot_blocking_pids",
    // Sequences: a standby shows the value WAL-logged ahead.
    b"pg_sequence_last_value", b"pg_sequences",
    // Settings: every setting, those that differ among them.
    b"pg_settings",
    // Server.
    b"pg_shmem_allocations",
    // Settings and files.
    b"pg_show_all_file_settings", b"pg_show_all_settings",
    b"pg_show_replication_origin_status",
    // Server.
    b"pg_tablespace_size",
    // Recovery.
    b"pg_wal_replay_pause", b"pg_wal_replay_resume",
    // WAL: a standby refuses them (recovery is in progress).
    b"pg_walfile_name", b"pg_walfile_name_offset",
    // Backend: a snapshot of the server's own process array.
    b"txid_current_snapshot",
];

/// Settings (lower case, sorted) whose value differs between a primary and
/// its standby, or belongs to each server by nature, read through `SHOW`,
/// `current_setting()` (and `pg_settings`, always the primary's).
#[rustfmt::skip]
pub(crate) static SETTINGS: &[&[u8]] = &[
    // Recovery: commands and targets of a server in recovery.
    b"archive_cleanup_command",
    // Server: its own configuration.
    b"cluster_name", b"config_file", b"data_directory",
    // Transactions: reported to the client (`ParameterStatus`); the primary's
    // is the one the session writes under.
    b"default_transaction_read_only",
    // Server.
    b"external_pid_file", b"hba_file",
    // Hot standby: a standby's own settings and state.
    b"hot_standby", b"hot_standby_feedback",
    // Server.
    b"ident_file",
    // Hot standby: on only on a standby.
    b"in_hot_standby",
    // Server.
    b"listen_addresses",
    // Hot standby.
    b"max_standby_archive_delay", b"max_standby_streaming_delay",
    // Server: each listens on its own port.
    b"port",
    // Replication: where a standby streams from.
    b"primary_conninfo", b"primary_slot_name",
    // Recovery.
    b"promote_trigger_file", b"recovery_end_command", b"recovery_min_apply_delay",
    b"recovery_target", b"recovery_target_action", b"recovery_target_inclusive",
    b"recovery_target_lsn", b"recovery_target_name", b"recovery_target_time",
    b"recovery_target_timeline", b"recovery_target_xid", b"restore_command",
    // Transactions: on on a standby, where every transaction is read-only.
    b"transaction_read_only",
    // Server.
    b"unix_socket_directories",
    // Replication: a standby's WAL receiver.
    b"wal_receiver_create_temp_slot", b"wal_receiver_status_interval", b"wal_receiver_timeout",
    b"wal_retrieve_retry_interval",
];

/// The prefix families of `IDENTITY` (lower case): cumulative statistics
/// and activity (`pg_stat_*` functions and views, `pg_statio_*` views),
/// the control file (`pg_control_*`), what recovery received and replayed
/// (`pg_last_*`), the server's directories (`pg_ls_*`).
pub(crate) static FAMILIES: &[&[u8]] = &[
    b"pg_control_",
    b"pg_last_",
    b"pg_ls_",
    b"pg_stat_",
    b"pg_statio_",
];

/// What a name says about the server that answers (`identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ident {
    /// A function or view of `IDENTITY` or its prefix families.
    Server,
    /// `current_setting`: the setting it reads decides.
    Setting,
    /// `pg_cursors` / `pg_cursor()`: the session's open cursors, which
    /// live where they were declared.
    Cursors,
}

/// Whether the name `w` (a quoted one as written, so only its lower-case
/// form counts) is a function or view whose answer depends on the server.
/// Costs one or two byte tests on most words.
#[inline]
pub(crate) fn identity(w: &[u8], quoted: bool) -> Option<Ident> {
    if !may_be_identity(w) {
        return None;
    }
    identity_slow(w, quoted)
}

/// Whether the unquoted word `w` may be a name of `identity` (its length
/// and first letter): the test a scan makes before anything else.
#[inline]
pub(crate) fn may_be_identity(w: &[u8]) -> bool {
    w.len() >= 8 && matches!(w[0] | 0x20, b'p' | b'i' | b't' | b'c')
}

fn identity_slow(w: &[u8], quoted: bool) -> Option<Ident> {
    if quoted && !w.iter().all(as_listed) {
        return None;
    }
    let listed = match w[0] | 0x20 {
        b'p' if starts_with_ci(w, b"pg_") => {
            if FAMILIES.iter().any(|f| starts_with_ci(w, f)) {
                return Some(Ident::Server);
            }
            true
        }
        b'i' => starts_with_ci(w, b"inet_"),
        b't' => starts_with_ci(w, b"txid_"),
        b'c' if w.eq_ignore_ascii_case(b"current_setting") => return Some(Ident::Setting),
        b'c' => starts_with_ci(w, b"current_"),
        _ => false,
    };
    if !(listed && IDENTITY.binary_search_by(|e| cmp_ci(e, w)).is_ok()) {
        return None;
    }
    let cursors = w.eq_ignore_ascii_case(b"pg_cursors") || w.eq_ignore_ascii_case(b"pg_cursor");
    Some(if cursors {
        Ident::Cursors
    } else {
        Ident::Server
    })
}

/// Whether the setting `name` (any case) is one of `SETTINGS`.
pub(crate) fn identity_setting(name: &[u8]) -> bool {
    name.len() >= 4 && SETTINGS.binary_search_by(|e| cmp_ci(e, name)).is_ok()
}

/// The bytes of a lower-case table entry.
pub(super) fn as_listed(c: &u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_'
}
