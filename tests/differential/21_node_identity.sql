-- Answers that depend on which server runs the statement: they must be the
-- primary's.
SELECT pg_is_in_recovery();
SHOW transaction_read_only;
SELECT current_setting('transaction_read_only');
SHOW in_hot_standby;
SELECT setting FROM pg_settings WHERE name = 'in_hot_standby';
SHOW default_transaction_read_only;
SELECT pg_last_wal_replay_lsn() IS NULL;
SELECT pg_is_wal_replay_paused();
SELECT pg_current_wal_lsn() IS NOT NULL;
SELECT count(*) FROM pg_stat_replication;
SELECT count(*) FROM pg_stat_wal_receiver;
SELECT inet_server_port() = current_setting('port')::int;
SELECT current_setting('port') = inet_server_port()::text;
SELECT pg_backend_pid() > 0;
SELECT pg_postmaster_start_time() IS NOT NULL, pg_conf_load_time() IS NOT NULL;
SELECT pg_current_xact_id_if_assigned() IS NULL;
SELECT current_database() = 'diff_{{side}}', current_user, session_user, current_schema();
SELECT version() LIKE 'PostgreSQL%';
SELECT pg_get_wal_replay_pause_state();
SELECT pg_last_xact_replay_timestamp() IS NULL;
BEGIN;
SELECT count(*) FROM pg_class WHERE relname = 'pg_class';
SHOW transaction_read_only;
COMMIT;
SELECT inet_server_port();
SHOW port;
