/*
 * pgtc — PostgreSQL Transparent Connectivity.
 *
 * One logical connection (pgtc_conn) holds two physical connections: one to
 * the primary and one to a hot standby. With PREFERRED_ACCESS=READ_MOSTLY,
 * read-only statements at READ COMMITTED run on the less loaded server and
 * everything else on the primary; after a write, the session reads from the
 * standby only once the standby has replayed that commit.
 *
 * Conventions
 * - Fallible calls return a pgtc_status; PGTC_STATUS_OK (0) is success and
 *   the other codes are stable. Results go to trailing out-parameters, which
 *   are set to NULL on entry and written only on success. When err_out is not
 *   NULL, a failure stores a pgtc_error there that the caller releases with
 *   pgtc_error_free.
 * - Every object pgtc returns is owned by the caller and released exactly
 *   once by its _free function (NULL is accepted and ignored). Strings
 *   returned by accessors are borrowed from their object and live as long as
 *   it does.
 * - Strings passed in must be NUL-terminated UTF-8; NULL or invalid UTF-8 is
 *   reported as an error, never a crash.
 * - No call lets a failure inside pgtc unwind into the caller: it is reported
 *   as PGTC_STATUS_INTERNAL (or the accessor's NULL-argument answer). The
 *   pgtc_conn it happened on is unusable from then on: every later call on it
 *   fails with PGTC_STATUS_INTERNAL, and pgtc_conn_free still releases it.
 *
 * Thread safety
 * - A pgtc_conn may be moved between threads but must be used by one thread
 *   at a time, like libpq's PGconn. Different connections may be used from
 *   different threads concurrently.
 * - pgtc_result and pgtc_error are read-only once returned; they may be read
 *   from several threads at once.
 */


#ifndef PGTC_H
#define PGTC_H

/* Generated from the Rust sources by cbindgen (build.rs). Do not edit by hand. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The version of pgtc this header belongs to. */
#define PGTC_VERSION_MAJOR 0
#define PGTC_VERSION_MINOR 1
#define PGTC_VERSION_PATCH 0

/**
 * Outcome of every fallible pgtc call. `PGTC_STATUS_OK` is 0; the other
 * codes are grouped in bands of 100 and are never renumbered.
 *
 * - 1xx: the caller passed something unusable (NULL, bad UTF-8, bad index).
 * - 2xx: the connection string or an attribute is wrong.
 * - 3xx: a server could not be reached, or a connection broke.
 * - 4xx: the server reported an error for a statement (see the SQLSTATE).
 * - 5xx: pgtc itself failed (protocol violation, unsupported feature, bug).
 */
enum pgtc_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  /**
   * Success.
   */
  PGTC_STATUS_OK = 0,
  /**
   * A required pointer argument was NULL.
   */
  PGTC_STATUS_NULL_ARGUMENT = 100,
  /**
   * A string argument was not valid UTF-8.
   */
  PGTC_STATUS_INVALID_UTF8 = 101,
  /**
   * An argument was out of range or otherwise unusable.
   */
  PGTC_STATUS_INVALID_ARGUMENT = 102,
  /**
   * The object is in a state that does not allow the call.
   */
  PGTC_STATUS_INVALID_STATE = 103,
  /**
   * A buffer passed in is too small for the value.
   */
  PGTC_STATUS_BUFFER_TOO_SMALL = 104,
  /**
   * The connection string is malformed.
   */
  PGTC_STATUS_CONNINFO_SYNTAX = 200,
  /**
   * A key of the connection string or an attribute name is unknown.
   */
  PGTC_STATUS_UNKNOWN_ATTRIBUTE = 201,
  /**
   * A key or attribute has a value that is not allowed.
   */
  PGTC_STATUS_INVALID_ATTRIBUTE_VALUE = 202,
  /**
   * No server could be reached or authenticated with.
   */
  PGTC_STATUS_CONNECT_FAILED = 300,
  /**
   * The connection to the server a statement needed was lost; the
   * statement may or may not have run. SQLSTATE 08006.
   */
  PGTC_STATUS_CONNECTION_LOST = 301,
  /**
   * The statement needs the primary and no connection to a primary is open.
   */
  PGTC_STATUS_NO_PRIMARY = 302,
  /**
   * Authentication was refused.
   */
  PGTC_STATUS_AUTH_FAILED = 303,
  /**
   * The primary was lost during a transaction and pgtc switched to the
   * new primary (or is waiting for one): the transaction is gone. Run
   * ROLLBACK, then retry the whole transaction. SQLSTATE 08006, or 08007
   * when it was the COMMIT that was in flight (its outcome is unknown).
   */
  PGTC_STATUS_CONNECTION_SWITCHED = 304,
  /**
   * A pool had no connection to give within POOL_ACQUIRE_TIMEOUT_MS:
   * all POOL_MAX connections were in use. SQLSTATE 53300.
   */
  PGTC_STATUS_POOL_TIMEOUT = 305,
  /**
   * The server reported an error; the SQLSTATE says which.
   */
  PGTC_STATUS_SQL = 400,
  /**
   * The server sent something pgtc does not understand.
   */
  PGTC_STATUS_PROTOCOL = 500,
  /**
   * The feature is not supported by pgtc (for example COPY through exec).
   */
  PGTC_STATUS_UNSUPPORTED = 501,
  /**
   * A bug in pgtc (a panic was caught at the C boundary). The connection
   * it happened on is unusable from then on; free it.
   */
  PGTC_STATUS_INTERNAL = 502,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pgtc_status pgtc_status;
#else
typedef uint32_t pgtc_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Where a statement ran. Values are bit flags: BOTH = PRIMARY | SECONDARY.
 */
enum pgtc_server
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  /**
   * Nowhere (nothing was sent to a server).
   */
  PGTC_SERVER_NONE = 0,
  /**
   * The primary.
   */
  PGTC_SERVER_PRIMARY = 1,
  /**
   * The hot standby.
   */
  PGTC_SERVER_SECONDARY = 2,
  /**
   * Both servers (session state such as `SET`).
   */
  PGTC_SERVER_BOTH = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pgtc_server pgtc_server;
#else
typedef uint32_t pgtc_server;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Which way a COPY's data moves (`pgtc_direction`).
 */
enum pgtc_direction
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  /**
   * No data moves: the statement completed without COPY mode (a COPY to
   * or from a file on the server), or the handle is NULL.
   */
  PGTC_DIRECTION_NONE = 0,
  /**
   * `COPY … FROM STDIN`: write the data with `pgtc_copy_write`.
   */
  PGTC_DIRECTION_IN = 1,
  /**
   * `COPY … TO STDOUT`: read the data with `pgtc_copy_read`.
   */
  PGTC_DIRECTION_OUT = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pgtc_direction pgtc_direction;
#else
typedef uint32_t pgtc_direction;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Counters of `pgtc_conn_counter` and `pgtc_process_counter`. The values
 * are stable; pass them as integers.
 */
enum pgtc_counter
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  /**
   * Statements that ran on the primary.
   */
  PGTC_COUNTER_PRIMARY = 0,
  /**
   * Statements that ran on the standby.
   */
  PGTC_COUNTER_SECONDARY = 1,
  /**
   * Statements applied to both servers (session settings).
   */
  PGTC_COUNTER_BOTH = 2,
  /**
   * Statements the standby refused (as a write, or it was lost) that
   * pgtc re-ran on the primary.
   */
  PGTC_COUNTER_MISROUTES = 3,
  /**
   * Reads kept on the primary because the standby had not yet replayed
   * the session's last write.
   */
  PGTC_COUNTER_FLOOR_KEPT = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum pgtc_counter pgtc_counter;
#else
typedef uint32_t pgtc_counter;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The outcome of one statement; for a text of several statements, the
 * first one, with the others chained after it through `next`.
 */
typedef struct ResultSet ResultSet;

/**
 * A logical connection: one physical connection to the primary and one to
 * the hot standby. A `pgtc_conn` may move between threads but must be used
 * by one thread at a time (like libpq's PGconn); the one exception is
 * `pgtc_conn_cancel`, which any thread may call at any time while the
 * connection is open. Release it with `pgtc_conn_free`.
 */
typedef struct pgtc_conn pgtc_conn;

/**
 * One COPY on a connection, from `pgtc_conn_copy` until `pgtc_copy_end`
 * or `pgtc_copy_abort`; released with `pgtc_copy_free`, which aborts it
 * if it is still running. It belongs to its connection: it is used from
 * the thread using the connection, and freed before the connection is
 * (using it after `pgtc_conn_free` is undefined, as in libpq).
 */
typedef struct pgtc_copy pgtc_copy;

/**
 * An error: a status code, a message, a SQLSTATE and the fields of the
 * server's ErrorResponse. Created by pgtc when a call fails and `err_out`
 * is not NULL; owned by the caller, who releases it with
 * `pgtc_error_free`. Read-only, so it may be read from any thread.
 *
 * A notice handed to a notice handler (see
 * `pgtc_conn_set_notice_handler`) is a `pgtc_error` too, with status
 * PGTC_STATUS_OK; it belongs to pgtc and lives only during the call.
 */
typedef struct pgtc_error pgtc_error;

/**
 * A notification (`NOTIFY channel, 'payload'`). Owned by the caller and
 * released with `pgtc_notification_free`. Read-only, so it may be read
 * from any thread.
 */
typedef struct pgtc_notification pgtc_notification;

/**
 * A pool of logical connections over the servers of one connection string.
 * Unlike a `pgtc_conn`, a `pgtc_pool` may be used by any number of threads
 * at once (`pgtc_pool_acquire`, `pgtc_pool_release`, `pgtc_pool_get_stats`);
 * only `pgtc_pool_free` must not run beside another call on the same pool.
 * Release it with `pgtc_pool_free`.
 */
typedef struct pgtc_pool pgtc_pool;

/**
 * The routing decision for one statement, as `pgtc_conn_explain` made it:
 * where it would run, where it may run, and the rule behind it. Owned by
 * the caller and released with `pgtc_route_free`; read-only.
 */
typedef struct pgtc_route pgtc_route;

/**
 * A prepared statement. It belongs to the `pgtc_conn` it was prepared on
 * and is used by the thread using that connection. Release it with
 * `pgtc_stmt_free` before the connection. Its descriptions (parameter
 * types, result columns) are read-only and need no server.
 */
typedef struct pgtc_stmt pgtc_stmt;

/**
 * The rows of one statement, read `fetch` at a time, from
 * `pgtc_conn_stream` until `pgtc_stream_free`. It belongs to its
 * connection: it is used from the thread using the connection, and freed
 * before the connection is (using it after `pgtc_conn_free` is undefined,
 * as in libpq).
 */
typedef struct pgtc_stream pgtc_stream;

/**
 * One statement's outcome: rows and columns as text, the affected-row
 * count, the command tag and where the statement ran. Owned by the caller
 * and released with `pgtc_result_free`. Read-only, so it may be read from
 * several threads at once. For a text of several statements it holds the
 * first statement's outcome and owns those of the others, reached with
 * `pgtc_result_next`.
 */
typedef ResultSet pgtc_result;

/**
 * A notice handler: called with the `user_data` given to
 * `pgtc_conn_set_notice_handler`, the notice (read it with
 * `pgtc_error_message`, `pgtc_error_sqlstate` and `pgtc_error_field`;
 * borrowed, valid only during the call) and the server that sent it
 * (PGTC_SERVER_PRIMARY or PGTC_SERVER_SECONDARY).
 */
typedef void (*pgtc_notice_handler)(void *user_data, const pgtc_error *notice, pgtc_server server);

/**
 * A pool's figures at one moment (`pgtc_pool_get_stats`). `max` and `min`
 * are POOL_MAX and POOL_MIN; `total` counts the logical connections open
 * now (idle, in use, or being opened), `idle` and `in_use` those idle and
 * handed out, `waiting` the acquirers waiting now. `acquired`, `timeouts`
 * (acquires that failed with PGTC_STATUS_POOL_TIMEOUT), `created`, `closed`
 * and `resets` (releases that cost round trips: a rollback or DISCARD ALL)
 * count since the pool opened; `wait_ns` sums the nanoseconds acquirers
 * spent waiting.
 */
typedef struct {
  uint64_t max;
  uint64_t min;
  uint64_t total;
  uint64_t idle;
  uint64_t in_use;
  uint64_t waiting;
  uint64_t acquired;
  uint64_t timeouts;
  uint64_t created;
  uint64_t closed;
  uint64_t resets;
  uint64_t wait_ns;
} pgtc_pool_stats;

/**
 * One column of a result, as `pgtc_result_block` hands them out.
 */
typedef struct {
  /**
   * Where the column's NUL-terminated name starts in `pgtc_block.names`.
   */
  uint32_t name;
  /**
   * Its type OID (`pgtc_result_col_type`).
   */
  uint32_t type_oid;
  /**
   * Its type modifier (`pgtc_result_col_typmod`).
   */
  int32_t typmod;
  /**
   * The table it comes from (`pgtc_result_col_table`; 0 for none).
   */
  uint32_t table_oid;
  /**
   * Its attribute number in that table (0 for none).
   */
  int16_t table_column;
  /**
   * Always 0.
   */
  int16_t reserved;
} pgtc_column;

/**
 * Everything a reader of a whole result needs, filled in by one call
 * (`pgtc_result_block`) instead of one per column and per value. The
 * pointers are borrowed from the result: valid until
 * `pgtc_result_free(result)`; each is NULL when what it points to is
 * empty.
 */
typedef struct {
  /**
   * `pgtc_result_rows`.
   */
  size_t rows;
  /**
   * `pgtc_result_cols`.
   */
  size_t cols;
  /**
   * `pgtc_result_affected`.
   */
  uint64_t affected;
  /**
   * `pgtc_result_data`: every value's text, each followed by a NUL.
   */
  const uint8_t *data;
  /**
   * The length of `data` in bytes, NULs included.
   */
  size_t data_len;
  /**
   * `pgtc_result_cells`: rows × cols offsets into `data`, row-major,
   * `UINT32_MAX` for an SQL NULL.
   */
  const uint32_t *cells;
  /**
   * `cols` columns.
   */
  const pgtc_column *columns;
  /**
   * Every column's name, each followed by a NUL.
   */
  const char *names;
  /**
   * The length of `names` in bytes, NULs included.
   */
  size_t names_len;
} pgtc_block;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The version of pgtc, e.g. "0.1.0" (the header's PGTC_VERSION_MAJOR,
 * PGTC_VERSION_MINOR and PGTC_VERSION_PATCH give the version compiled
 * against). A static string; never free it.
 */
const char *pgtc_version(void);

/**
 * A short, stable name for a status code, e.g. "PGTC_STATUS_SQL"; a static
 * string ("PGTC_STATUS_UNKNOWN" for a code pgtc does not know). Never free it.
 */
const char *pgtc_status_name(uint32_t status);

/**
 * Write the current value of attribute `name` (case-insensitive) into
 * `buf` as NUL-terminated text in its canonical spelling, e.g.
 * "READ_MOSTLY", "ON", "READ_COMMITTED", "1000".
 *
 * `buf` must point to `len` writable bytes; 32 bytes hold every value.
 * When `len` cannot hold the value and its NUL the call fails with
 * PGTC_STATUS_BUFFER_TOO_SMALL, whose message names the bytes needed, and
 * only `buf[0]` is written (to NUL, when `len` > 0). An unknown name is
 * PGTC_STATUS_UNKNOWN_ATTRIBUTE; NULL `conn`, `name` or `buf` is
 * PGTC_STATUS_NULL_ARGUMENT.
 */
pgtc_status pgtc_conn_get_attr(const pgtc_conn *conn, const char *name, char *buf, size_t len, pgtc_error **err_out);

/**
 * How many attributes pgtc has (valid indexes of `pgtc_attr_name`,
 * `pgtc_attr_default` and `pgtc_attr_doc` are 0 to count - 1).
 */
size_t pgtc_attr_count(void);

/**
 * The name of attribute `i`, e.g. "PREFERRED_ACCESS"; NULL when `i` is not
 * below `pgtc_attr_count()`. A static string; never free it.
 */
const char *pgtc_attr_name(size_t i);

/**
 * The default value of attribute `i` in its canonical spelling, e.g.
 * "WRITE_MOSTLY"; NULL when `i` is out of range. A static string; never
 * free it.
 */
const char *pgtc_attr_default(size_t i);

/**
 * One line saying what attribute `i` does; NULL when `i` is out of range.
 * A static string; never free it.
 */
const char *pgtc_attr_doc(size_t i);

/**
 * Open a logical connection.
 *
 * `conninfo` is a libpq connection string, in `key=value` or
 * `postgresql://` URI form, with a list of servers in any order (a
 * primary and one or more standbys)
 * (`host=a,b port=5432,5433`); pgtc asks each server for its role. pgtc's
 * attributes (see `pgtc_conn_set_attr`) may be given there too. The first connection of a process asks every server in parallel and keeps the primary and one standby; later ones, while the process knows the roles, open the primary only, and a standby when a read first goes there. If one cannot be
 * reached the connection still opens, degraded (see
 * `pgtc_conn_connected`); if none can, the call fails.
 *
 * On success `*conn_out` receives a new connection, owned by the caller.
 * On failure `*conn_out` is NULL and, when `err_out` is not NULL,
 * `*err_out` receives an error to release with `pgtc_error_free`.
 */
pgtc_status pgtc_conn_open(const char *conninfo, pgtc_conn **conn_out, pgtc_error **err_out);

/**
 * Set one of pgtc's attributes (names and values are case-insensitive).
 * The attributes, their values and defaults are listed by
 * `pgtc_attr_count`, `pgtc_attr_name`, `pgtc_attr_default` and
 * `pgtc_attr_doc` (and in the README); `pgtc_conn_get_attr` reads one back.
 *
 * Unknown names and values are errors (PGTC_STATUS_UNKNOWN_ATTRIBUTE,
 * PGTC_STATUS_INVALID_ATTRIBUTE_VALUE); so is changing TXN_ISOLATION inside
 * a transaction (PGTC_STATUS_INVALID_STATE).
 */
pgtc_status pgtc_conn_set_attr(pgtc_conn *conn, const char *name, const char *value, pgtc_error **err_out);

/**
 * Run SQL text (one statement, or several separated by `;`, sent as one
 * simple query) wherever the routing rules say.
 *
 * On success `*result_out` receives the outcome, owned by the caller and
 * released with `pgtc_result_free`; for several statements, the first
 * statement's, with the others' after it in order (`pgtc_result_next`).
 * The text is one unit: routed as a whole, to one server, as the routing
 * rules say for all its statements together. On failure `*result_out`
 * is NULL and, when `err_out` is not NULL, `*err_out` receives the error;
 * a statement error leaves the connection usable. When statement k of
 * several fails, PostgreSQL has run statements 1 … k-1 (and, outside a
 * transaction block, rolls them back with the text's implicit
 * transaction unless they committed): their results are reachable from
 * the error with `pgtc_error_results`.
 */
pgtc_status pgtc_conn_exec(pgtc_conn *conn, const char *sql, pgtc_result **result_out, pgtc_error **err_out);

/**
 * Run one statement with `n_params` text parameters `$1 … $n`, typed by
 * the server as libpq's PQexecParams does and never interpolated into the
 * SQL. `params` may be NULL when `n_params` is 0; a NULL element is an SQL
 * NULL. Results and errors as for `pgtc_conn_exec`. Each physical
 * connection keeps the statements run this way prepared (the
 * STATEMENT_CACHE attribute); `pgtc_conn_exec_typed` also takes type OIDs
 * and binary values.
 */
pgtc_status pgtc_conn_exec_params(pgtc_conn *conn, const char *sql, size_t n_params, const char *const *params, pgtc_result **result_out, pgtc_error **err_out);

/**
 * Which servers the connection can use now: PGTC_SERVER_BOTH when
 * healthy, PGTC_SERVER_PRIMARY or PGTC_SERVER_SECONDARY when degraded to
 * one, PGTC_SERVER_NONE when neither (or `conn` is NULL). A standby
 * counts when its connection is open, or when the connection has none
 * yet but would open one to an eligible standby on its next read.
 */
pgtc_server pgtc_conn_connected(const pgtc_conn *conn);

/**
 * True while a transaction is open on the connection (after BEGIN, or the
 * first statement with AUTOCOMMIT=OFF, until COMMIT or ROLLBACK).
 */
bool pgtc_conn_in_transaction(const pgtc_conn *conn);

/**
 * Explain where `sql` would run now and why, without running it and
 * without changing the connection's state (it may look up the volatility
 * of functions the statement calls in the catalog, cached per process).
 *
 * On success `*route_out` receives the decision, owned by the caller and
 * released with `pgtc_route_free`. On failure `*route_out` is NULL.
 */
pgtc_status pgtc_conn_explain(const pgtc_conn *conn, const char *sql, pgtc_route **route_out, pgtc_error **err_out);

/**
 * The value of one of the connection's counters (a `pgtc_counter` value,
 * e.g. PGTC_COUNTER_SECONDARY); 0 for NULL `conn` or an unknown counter.
 */
uint64_t pgtc_conn_counter(const pgtc_conn *conn, uint32_t counter);

/**
 * The value of a counter summed over every connection this process has
 * opened (a `pgtc_counter` value); 0 for an unknown counter.
 */
uint64_t pgtc_process_counter(uint32_t counter);

/**
 * True when the session is pinned to the primary because it holds state
 * that lives only there (temporary tables, LISTEN, session advisory locks,
 * prepared statements, held cursors, a procedure's effects, or a setting
 * the standby refused). `DISCARD ALL` and the matching clean-ups unpin it.
 */
bool pgtc_conn_pinned(const pgtc_conn *conn);

/**
 * Write the LSN floor the connection routes by (e.g. "0/3015FF0", or
 * "0/0" before any write) into `buf` as a NUL-terminated string: under
 * CONSISTENCY_SCOPE=PROCESS (the default) the newest commit LSN any
 * connection of this process recorded on the cluster, under SESSION the
 * newest this connection recorded. A writer hands this token to a reader
 * in another process (or, under SESSION, on another connection), which
 * passes it to `pgtc_conn_raise_lsn_floor` to read the writer's data. `buf_len` of 18
 * bytes always suffices; a smaller buffer that cannot hold the text is
 * PGTC_STATUS_INVALID_ARGUMENT and `buf` is left untouched.
 */
pgtc_status pgtc_conn_lsn_floor(const pgtc_conn *conn, char *buf, size_t buf_len, pgtc_error **err_out);

/**
 * Raise the connection's LSN floor to `lsn` (text such as "0/3015FF0",
 * from `pgtc_conn_lsn_floor` of a writer); never lowers it. From then on
 * the connection reads from the standby only once it has replayed `lsn`;
 * under CONSISTENCY_SCOPE=PROCESS so does every connection of this
 * process on the same cluster (the process's floor is raised too).
 * Text that is not an LSN is PGTC_STATUS_INVALID_ARGUMENT.
 */
pgtc_status pgtc_conn_raise_lsn_floor(pgtc_conn *conn, const char *lsn, pgtc_error **err_out);

/**
 * Cancel the statement running on `conn`, from any thread — the one
 * exception to "one thread at a time": another thread may be inside
 * `pgtc_conn_exec` (or any call that runs statements) on the same
 * connection. pgtc sends PostgreSQL's cancel request (over TLS when the
 * connection uses TLS) to each server running one of the connection's
 * statements at that moment; the blocked call then returns
 * PGTC_STATUS_SQL with SQLSTATE 57014, and the connection stays usable.
 * When nothing runs, nothing happens and the call succeeds. As with
 * libpq's PQcancel, a statement that completes just as the request
 * arrives is not affected, and whether the cancel took effect is learned
 * only from the statement's outcome.
 *
 * `conn` must stay open (not passed to `pgtc_conn_free`) until this call
 * returns. NULL is PGTC_STATUS_NULL_ARGUMENT. A server that cannot be
 * reached for the request is PGTC_STATUS_CONNECT_FAILED (SQLSTATE 08006);
 * `*err_out` then receives an error to release with `pgtc_error_free`.
 */
pgtc_status pgtc_conn_cancel(const pgtc_conn *conn, pgtc_error **err_out);

/**
 * Close both physical connections and release the connection. An open
 * transaction is rolled back by the servers. NULL is a no-op.
 *
 * A connection from `pgtc_pool_acquire` is not closed: it goes back to its
 * pool, exactly as `pgtc_pool_release` does (rolled back and reset there;
 * closed when its pool was freed). Either call releases the handle, once.
 */
void pgtc_conn_free(pgtc_conn *conn);

/**
 * Start a COPY: `sql` is one `COPY … FROM STDIN` or `COPY … TO STDOUT`
 * statement, routed like any statement (FROM STDIN on the primary, where
 * it raises the LSN floor like any write; TO STDOUT wherever the same
 * `SELECT` would run, the standby included, with read-your-writes).
 *
 * On success `*copy_out` receives the COPY, owned by the caller and
 * released with `pgtc_copy_free`; `pgtc_copy_direction` says which way
 * its data moves. Then write (`pgtc_copy_write`) or read
 * (`pgtc_copy_read`) the data in chunks and finish with `pgtc_copy_end`,
 * or give up with `pgtc_copy_abort`. While it runs the connection is
 * copying: `pgtc_conn_exec` and a second `pgtc_conn_copy` fail with
 * PGTC_STATUS_INVALID_STATE. A server error (a missing table, a bad
 * option) is returned here with its SQLSTATE and no COPY starts. Text
 * that is not one COPY statement is PGTC_STATUS_INVALID_ARGUMENT.
 */
pgtc_status pgtc_conn_copy(pgtc_conn *conn, const char *sql, pgtc_copy **copy_out, pgtc_error **err_out);

/**
 * Which way the COPY's data moves; PGTC_DIRECTION_NONE for NULL.
 */
pgtc_direction pgtc_copy_direction(const pgtc_copy *copy);

/**
 * Whether the data is in PostgreSQL's binary COPY format (`FORMAT
 * binary`); false for text and CSV, and for NULL.
 */
bool pgtc_copy_binary(const pgtc_copy *copy);

/**
 * Number of columns of the COPY's data; 0 for NULL.
 */
size_t pgtc_copy_cols(const pgtc_copy *copy);

/**
 * Send `len` bytes of a `COPY … FROM STDIN`'s data (any split: rows may
 * span calls). The bytes are copied before the call returns. A server
 * error about the data (a bad row, SQLSTATE 22P02 with the line in its
 * CONTEXT) is returned by the first `pgtc_copy_write` that finds it
 * waiting — soon after the bad row, however much data follows — or else by
 * `pgtc_copy_end`; either way the COPY is over and the connection usable.
 * `data` may be NULL when `len` is 0. On a COPY TO STDOUT, or a COPY that is over:
 * PGTC_STATUS_INVALID_STATE.
 */
pgtc_status pgtc_copy_write(pgtc_copy *copy, const char *data, size_t len, pgtc_error **err_out);

/**
 * Read the next chunk of a `COPY … TO STDOUT`'s data (one row in text
 * and CSV formats). `*data_out` points to `*len_out` bytes, not
 * NUL-terminated, borrowed from the copy until the next call on it or its
 * free. After the last chunk the call succeeds with `*data_out` NULL and
 * `*len_out` 0; then call `pgtc_copy_end`. A server error in the middle is
 * returned with its SQLSTATE and ends the COPY (the connection stays
 * usable). On a COPY FROM STDIN, or one that is over:
 * PGTC_STATUS_INVALID_STATE.
 */
pgtc_status pgtc_copy_read(pgtc_copy *copy, const char **data_out, size_t *len_out, pgtc_error **err_out);

/**
 * Finish the COPY. On success `*result_out` (may be NULL when the result
 * is not wanted) receives its result, owned by the caller and released
 * with `pgtc_result_free`: tag `COPY n`, `pgtc_result_affected` the row
 * count, `pgtc_result_server` where it ran. For `COPY … FROM STDIN` the
 * server's error about the data, if any, is returned here with its
 * SQLSTATE (nothing was copied); for `COPY … TO STDOUT` data not read yet
 * is discarded. Either way the COPY is over and the connection usable.
 */
pgtc_status pgtc_copy_end(pgtc_copy *copy, pgtc_result **result_out, pgtc_error **err_out);

/**
 * Give up the COPY. `COPY … FROM STDIN`: the server is told to fail it
 * with `reason` (NULL: a default text), copies nothing and answers with
 * SQLSTATE 57014, which is the expected outcome and not reported; inside
 * a transaction block the transaction is then failed, as PostgreSQL
 * fails it (roll it back). `COPY … TO STDOUT`: the rest of the data is
 * read and discarded. The connection stays usable; an error is returned
 * only when the connection broke.
 */
pgtc_status pgtc_copy_abort(pgtc_copy *copy, const char *reason, pgtc_error **err_out);

/**
 * Release a COPY. One still running is aborted first as by
 * `pgtc_copy_abort` (the connection stays usable). Must be called before
 * its connection is freed. NULL is a no-op.
 */
void pgtc_copy_free(pgtc_copy *copy);

/**
 * The error's message (UTF-8). Borrowed from `error`: valid until
 * `pgtc_error_free(error)`. NULL `error` gives "".
 */
const char *pgtc_error_message(const pgtc_error *error);

/**
 * The error's five-character SQLSTATE (e.g. "42P01"), or "" when it has
 * none. Borrowed from `error`: valid until `pgtc_error_free(error)`.
 * NULL `error` gives "".
 */
const char *pgtc_error_sqlstate(const pgtc_error *error);

/**
 * One field of the error by its protocol code, as libpq's
 * PQresultErrorField (the `PG_DIAG_*` values): 'S' severity (localized),
 * 'V' severity ("ERROR", "FATAL", "WARNING", "NOTICE", …), 'C' SQLSTATE,
 * 'M' primary message, 'D' detail, 'H' hint, 'P' position in the
 * statement (1-based, in characters), 'p' internal position, 'q'
 * internal query, 'W' context, 's' schema, 't' table, 'c' column, 'd'
 * data type, 'n' constraint, 'F' source file, 'L' source line, 'R'
 * source routine. NULL when the error has no such field (and for NULL
 * `error`). An error pgtc found itself (no server sent it) has 'S' and
 * 'V' ("ERROR"), 'C' (its SQLSTATE, as `pgtc_error_sqlstate`) and 'M'.
 * Borrowed from `error`: valid until `pgtc_error_free(error)`.
 */
const char *pgtc_error_field(const pgtc_error *error, int field);

/**
 * For SQL text of several statements that failed in statement k: the
 * result of statement 1, with those of statements 2 … k-1 after it
 * (`pgtc_result_next`), as PostgreSQL ran them before the error; NULL
 * when the first statement failed, for other errors and for NULL
 * `error`. Owned by `error`: valid until `pgtc_error_free(error)`; do not
 * pass it to `pgtc_result_free`.
 */
const pgtc_result *pgtc_error_results(const pgtc_error *error);

/**
 * The error's status code (the same value the failing call returned;
 * PGTC_STATUS_OK for a notice).
 * NULL `error` gives PGTC_STATUS_NULL_ARGUMENT.
 */
pgtc_status pgtc_error_status(const pgtc_error *error);

/**
 * Release an error. NULL is a no-op.
 */
void pgtc_error_free(pgtc_error *error);

/**
 * Write the replay lag of the connection's standby, in milliseconds, to
 * `*lag_ms_out`: an upper bound on how long ago the oldest commit the
 * standby may still lack became visible on the primary, measured from the
 * monitor's samples of both servers (the README's "Bounded staleness"
 * section says exactly how). It grows between samples as if the standby
 * replayed nothing meanwhile. -1 when it is not known yet (before the
 * monitor's first samples, after a role change, or when the standby is
 * further behind than the primary positions the monitor keeps).
 *
 * A connection without a standby (a single server, or no server of its
 * list is a standby as far as it knows) is PGTC_STATUS_INVALID_STATE with
 * SQLSTATE 08003, and `*lag_ms_out` is left untouched. NULL `conn` or
 * `lag_ms_out` is PGTC_STATUS_NULL_ARGUMENT. On failure `*err_out` (when
 * not NULL) receives an error to release with `pgtc_error_free`. Runs no
 * statement and sends nothing; like every call on `conn`, one thread at a
 * time.
 */
pgtc_status pgtc_conn_standby_lag_ms(const pgtc_conn *conn, int64_t *lag_ms_out, pgtc_error **err_out);

/**
 * Send the notices and warnings of both servers of `conn` (`RAISE
 * NOTICE`, deprecation warnings, …) to `handler`, with `user_data`. A
 * NULL `handler` restores the default: notices are logged at info level
 * (see PGTC_LOG). The handler is called on the thread using `conn`, while
 * a call on it (an exec, `pgtc_conn_notification`, …) reads from a
 * server; it must not call pgtc functions on `conn`. The notice it
 * receives belongs to pgtc and is valid only during the call (copy what
 * you keep; never free it). `user_data` is passed through untouched and
 * must stay valid until another handler is set or `conn` is freed.
 */
pgtc_status pgtc_conn_set_notice_handler(pgtc_conn *conn, pgtc_notice_handler handler, void *user_data, pgtc_error **err_out);

/**
 * The next notification for a channel `conn` listens on (`LISTEN
 * channel`, which pins the session to the primary): one that arrived
 * during an earlier call, else one the primary sends within `timeout_ms`
 * milliseconds. `timeout_ms` 0 only looks at what has arrived already
 * (a poll); a negative `timeout_ms` waits without limit.
 *
 * On success `*note_out` receives the notification, owned by the caller
 * and released with `pgtc_notification_free`, or NULL when none arrived
 * in time (the status is still PGTC_STATUS_OK). Notifications arrive
 * while the connection is idle and during any statement; those that
 * arrive during statements are queued and returned first, in order.
 * Without a connection to the primary: PGTC_STATUS_NO_PRIMARY; a
 * connection lost while waiting: PGTC_STATUS_CONNECTION_LOST (class 08).
 */
pgtc_status pgtc_conn_notification(pgtc_conn *conn, int timeout_ms, pgtc_notification **note_out, pgtc_error **err_out);

/**
 * How many notifications arrived with the answers to earlier calls and
 * wait to be taken: that many calls of `pgtc_conn_notification` return
 * one each at once, without reading from the server (a binding can drain
 * them after every statement for free). 0 for NULL `conn`.
 */
size_t pgtc_conn_notifications_queued(const pgtc_conn *conn);

/**
 * The channel the notification was sent on. Borrowed from `note`: valid
 * until `pgtc_notification_free(note)`. NULL `note` gives "".
 */
const char *pgtc_notification_channel(const pgtc_notification *note);

/**
 * The notification's payload ("" when NOTIFY gave none). Borrowed from
 * `note`: valid until `pgtc_notification_free(note)`. NULL `note` gives "".
 */
const char *pgtc_notification_payload(const pgtc_notification *note);

/**
 * The backend process id of the session that sent the notification (as
 * its `pg_backend_pid()`); 0 for NULL `note`.
 */
int32_t pgtc_notification_pid(const pgtc_notification *note);

/**
 * Release a notification. NULL is a no-op.
 */
void pgtc_notification_free(pgtc_notification *note);

/**
 * Open a pool. `conninfo` is a connection string as for `pgtc_conn_open`:
 * its servers and session attributes are those of every connection of the
 * pool (each connection gets them back when it is released), and its
 * POOL_* attributes shape the pool: POOL_MAX (default 10) bounds the
 * logical connections, POOL_MIN (1) are kept open, an acquire waits up to
 * POOL_ACQUIRE_TIMEOUT_MS (30000) in a FIFO queue, connections are closed
 * after POOL_MAX_LIFETIME_MS (1800000; never while in use) and, above
 * POOL_MIN, after POOL_IDLE_TIMEOUT_MS idle (600000); 0 turns the last
 * two off. A value out of range, or POOL_MIN above POOL_MAX, is
 * PGTC_STATUS_INVALID_ATTRIBUTE_VALUE naming the key. One connection is
 * opened at once, so a connection string that cannot connect fails here
 * (as `pgtc_conn_open` would); the rest up to POOL_MIN are opened by the
 * pool's thread, which also retires and replaces connections.
 *
 * On success `*pool_out` receives a new pool, owned by the caller and
 * released with `pgtc_pool_free`. On failure `*pool_out` is NULL and,
 * when `err_out` is not NULL, `*err_out` receives an error to release with
 * `pgtc_error_free`.
 */
pgtc_status pgtc_pool_open(const char *conninfo, pgtc_pool **pool_out, pgtc_error **err_out);

/**
 * Take a connection from the pool, for the caller alone until it is
 * released. An idle connection is handed out at once when no one waits;
 * otherwise, while fewer than POOL_MAX are open, a new one is opened;
 * otherwise the caller waits, in FIFO order behind earlier callers, for a
 * connection to be released, and after POOL_ACQUIRE_TIMEOUT_MS fails with
 * PGTC_STATUS_POOL_TIMEOUT (SQLSTATE 53300; the message names POOL_MAX, how
 * many are in use and how long it waited). A connection whose server
 * connection is known to be broken is never handed out (no query is sent
 * to find out). A failure to open a new connection is reported as
 * `pgtc_conn_open` reports it; a pool being freed is
 * PGTC_STATUS_INVALID_STATE.
 *
 * On success `*conn_out` receives an ordinary `pgtc_conn` (every
 * `pgtc_conn_*` call works on it, one thread at a time) that is released
 * with `pgtc_pool_release` or `pgtc_conn_free` — either, once: both give it
 * back to the pool, where it is rolled back and reset, and the handle is
 * invalid afterwards. Statements prepared on it (`pgtc_stmt`) fail once it
 * is released. On failure `*conn_out` is NULL.
 */
pgtc_status pgtc_pool_acquire(pgtc_pool *pool, pgtc_conn **conn_out, pgtc_error **err_out);

/**
 * Give a connection from `pgtc_pool_acquire` back to `pool`: an open
 * transaction is rolled back; a connection that may have changed session
 * state since it was handed out (settings, prepared statements, temporary
 * tables, LISTEN, advisory locks, WITH HOLD cursors) is reset with
 * DISCARD ALL on each server it used, and pgtc's attributes go back to the
 * pool's; a connection that ran nothing of the kind costs no round trip.
 * A broken connection, one past POOL_MAX_LIFETIME_MS, one whose reset
 * failed, one left unusable by an internal error (PGTC_STATUS_INTERNAL),
 * or one of a freed pool is closed instead. `conn` is invalid
 * afterwards. The same as `pgtc_conn_free(conn)`.
 *
 * Misuse does nothing to the connection and logs a warning (the call
 * cannot report): a NULL `pool` or `conn`, a connection of another pool, a
 * connection from `pgtc_conn_open`, or one already released or freed (as
 * long as its address was not handed out again since).
 */
void pgtc_pool_release(pgtc_pool *pool, pgtc_conn *conn);

/**
 * Write the pool's figures into `*stats_out` (see `pgtc_pool_stats`).
 * NULL `pool` or `stats_out` is PGTC_STATUS_NULL_ARGUMENT and nothing is
 * written. Any thread may call it at any time while the pool is open.
 */
pgtc_status pgtc_pool_get_stats(const pgtc_pool *pool, pgtc_pool_stats *stats_out);

/**
 * Close the pool and release it. Idle connections are closed at once,
 * acquirers still waiting fail with PGTC_STATUS_INVALID_STATE. Connections
 * still out stay valid: they are closed (not pooled) when they are
 * released with `pgtc_pool_release(pool, conn)` — the freed pool pointer
 * may still be passed there — or freed with `pgtc_conn_free`. No other
 * thread may use `pool` during or after this call. NULL is a no-op.
 */
void pgtc_pool_free(pgtc_pool *pool);

/**
 * Number of rows (0 for statements that return none). NULL gives 0.
 */
size_t pgtc_result_rows(const pgtc_result *result);

/**
 * Number of columns. NULL gives 0.
 */
size_t pgtc_result_cols(const pgtc_result *result);

/**
 * The name of column `col` (0-based), or NULL when out of range. Borrowed
 * from `result`: valid until `pgtc_result_free(result)`.
 */
const char *pgtc_result_col_name(const pgtc_result *result, size_t col);

/**
 * The type OID of column `col` (e.g. 23 = int4, 25 = text), or 0 when out
 * of range.
 */
uint32_t pgtc_result_col_type(const pgtc_result *result, size_t col);

/**
 * The value at (`row`, `col`), 0-based, as text exactly as psql shows it
 * (NUL-terminated UTF-8). NULL for an SQL NULL and for a position out of
 * range (tell the two apart with `pgtc_result_is_null`). Borrowed from
 * `result`: valid until `pgtc_result_free(result)`.
 */
const char *pgtc_result_value(const pgtc_result *result, size_t row, size_t col);

/**
 * True when the value at (`row`, `col`) is an SQL NULL; false for a
 * non-NULL value and for a position out of range.
 */
bool pgtc_result_is_null(const pgtc_result *result, size_t row, size_t col);

/**
 * The length in bytes of the value at (`row`, `col`) as text (without
 * its NUL), as libpq's PQgetlength: 0 for an SQL NULL, for a position out
 * of range and for NULL `result`.
 */
size_t pgtc_result_value_len(const pgtc_result *result, size_t row, size_t col);

/**
 * The text of every value of `result` in one block, for reading a whole
 * result in a few calls instead of one or two per value: row by row,
 * column by column, each value followed by a NUL; an SQL NULL takes no
 * room. `*len_out` (when not NULL) receives the block's length in bytes,
 * NULs included. `pgtc_result_cells` says where each value starts; a
 * value's length is up to its NUL (text never holds one). Borrowed from
 * `result`: valid until `pgtc_result_free(result)`. NULL `result` gives
 * NULL and a length of 0.
 */
const uint8_t *pgtc_result_data(const pgtc_result *result, size_t *len_out);

/**
 * Fill `*out` with `result`'s shape and values (see `pgtc_block`): its
 * counts, its columns and where its values are, in one call. NULL
 * `result` gives an empty block (0 rows, 0 columns, NULL pointers);
 * NULL `out` does nothing.
 */
void pgtc_result_block(const pgtc_result *result, pgtc_block *out);

/**
 * Where each value of `result` starts in `pgtc_result_data`: rows × cols
 * offsets, row-major (the value at (`row`, `col`) is element
 * `row * cols + col`), `UINT32_MAX` for an SQL NULL. Borrowed from
 * `result`: valid until `pgtc_result_free(result)`. NULL when the result
 * holds no values (no rows or no columns) and for NULL `result`.
 */
const uint32_t *pgtc_result_cells(const pgtc_result *result);

/**
 * The type modifier of column `col`, as libpq's PQfmod: e.g. for
 * varchar(n) n + 4, for numeric(p,s) ((p << 16) | s) + 4; -1 when the
 * type has none, for a column out of range and for NULL `result`.
 */
int32_t pgtc_result_col_typmod(const pgtc_result *result, size_t col);

/**
 * The OID of the table column `col` comes from, as libpq's PQftable; 0
 * when it is not a plain column of a table (an expression), for a column
 * out of range and for NULL `result`.
 */
uint32_t pgtc_result_col_table(const pgtc_result *result, size_t col);

/**
 * The attribute number (1-based) of column `col` in the table
 * `pgtc_result_col_table` names, as libpq's PQftablecol; 0 when it is not
 * a plain column of a table, for a column out of range and for NULL
 * `result`.
 */
int32_t pgtc_result_col_number(const pgtc_result *result, size_t col);

/**
 * The result of the next statement of the same SQL text, or NULL after
 * the last one (and for NULL `result`). Owned by the first result of the
 * text: valid until that one is freed; never pass it to
 * `pgtc_result_free`.
 */
const pgtc_result *pgtc_result_next(const pgtc_result *result);

/**
 * Rows affected by INSERT/UPDATE/DELETE/MERGE (and rows returned by
 * SELECT, FETCH, MOVE, COPY); 0 for other statements.
 */
uint64_t pgtc_result_affected(const pgtc_result *result);

/**
 * The command tag, e.g. "INSERT 0 1" or "SELECT 3" ("" when there is
 * none). Borrowed from `result`: valid until `pgtc_result_free(result)`.
 */
const char *pgtc_result_command(const pgtc_result *result);

/**
 * Where the statement ran: PGTC_SERVER_PRIMARY, PGTC_SERVER_SECONDARY,
 * PGTC_SERVER_BOTH (session settings applied to both), or
 * PGTC_SERVER_NONE (answered by pgtc alone, e.g. COMMIT with no open
 * transaction). NULL gives PGTC_SERVER_NONE.
 */
pgtc_server pgtc_result_server(const pgtc_result *result);

/**
 * Release a result, with the results of later statements it owns (see
 * `pgtc_result_next`). Only results a call handed to the caller through
 * `result_out` are freed; NULL is a no-op.
 */
void pgtc_result_free(pgtc_result *result);

/**
 * Where the statement would run now: PGTC_SERVER_PRIMARY,
 * PGTC_SERVER_SECONDARY, PGTC_SERVER_BOTH (session state, applied to
 * both), or PGTC_SERVER_NONE (nothing to run it on, or NULL `route`).
 */
pgtc_server pgtc_route_server(const pgtc_route *route);

/**
 * Where the statement may run: PGTC_SERVER_PRIMARY when it must run there
 * (a write, a locking read, a volatile function, the session's open
 * transaction or pins, isolation above READ COMMITTED, a hint);
 * PGTC_SERVER_BOTH when either server may run it (the choice then depends
 * on PREFERRED_ACCESS, the LSN floor and load). NULL gives PGTC_SERVER_NONE.
 */
pgtc_server pgtc_route_eligible(const pgtc_route *route);

/**
 * One human-readable sentence naming the rule behind the decision (e.g.
 * "rule 6: the session's LSN floor 0/3000100 is beyond the standby's
 * replay LSN 0/3000000"). Borrowed from `route`: valid until
 * `pgtc_route_free(route)`. NULL gives "".
 */
const char *pgtc_route_reason(const pgtc_route *route);

/**
 * Release a route. NULL is a no-op.
 */
void pgtc_route_free(pgtc_route *route);

/**
 * Prepare `sql` (one statement with parameters `$1 … $n`) on `conn`, and
 * describe it, in one round trip; nothing runs. `param_types` gives the
 * type OIDs of the first `n_params` parameters (0: the server infers that
 * one); with `param_types` NULL the server infers them all, and
 * `n_params` is either 0 or the number of parameters the statement takes
 * (a different count is PGTC_STATUS_INVALID_ARGUMENT, SQLSTATE 08P01).
 *
 * The statement runs, with `pgtc_stmt_exec`, wherever its text would run
 * at that moment (routed like `pgtc_conn_exec`), and is prepared on each
 * server the first time it runs there (again after a reconnect or a
 * failover), with no extra round trip.
 *
 * On success `*stmt_out` receives the statement, owned by the caller and
 * released with `pgtc_stmt_free`, which must come before
 * `pgtc_conn_free(conn)`. On failure `*stmt_out` is NULL and, when
 * `err_out` is not NULL, `*err_out` receives the error (a syntax error is
 * PGTC_STATUS_SQL with the server's SQLSTATE).
 */
pgtc_status pgtc_conn_prepare(pgtc_conn *conn, const char *sql, size_t n_params, const uint32_t *param_types, pgtc_stmt **stmt_out, pgtc_error **err_out);

/**
 * Run `stmt` with its `n_params` text parameters (a NULL element is an SQL
 * NULL; `params` may be NULL when `n_params` is 0). A count that differs
 * from the statement's is PGTC_STATUS_INVALID_ARGUMENT (SQLSTATE 08P01)
 * and nothing is sent. Results and errors as for `pgtc_conn_exec`: on
 * success `*result_out` receives a result to release with
 * `pgtc_result_free`. Uses the statement's connection, so the same thread
 * rules apply; after `pgtc_conn_free` of that connection it fails with
 * SQLSTATE 08003 (freeing the statement first is the contract).
 */
pgtc_status pgtc_stmt_exec(pgtc_stmt *stmt, size_t n_params, const char *const *params, pgtc_result **result_out, pgtc_error **err_out);

/**
 * `pgtc_stmt_exec` with parameter formats, as libpq's PQexecPrepared:
 * `param_formats[i]` 0 is a NUL-terminated text value, 1 a binary value of
 * `param_lengths[i]` bytes (e.g. the raw bytes of a `bytea`, which may
 * hold NUL). `param_formats` NULL: all text; `param_lengths` is read for
 * binary values only and may be NULL when there are none.
 */
pgtc_status pgtc_stmt_exec_formats(pgtc_stmt *stmt, size_t n_params, const char *const *params, const int *param_lengths, const int *param_formats, pgtc_result **result_out, pgtc_error **err_out);

/**
 * `pgtc_stmt_exec_formats` with the `n_params` values packed in one block
 * instead of an array of pointers, so that a caller that is not C (JNA,
 * ctypes) passes them without allocating a native string per value:
 * value `i` is the next `lengths[i]` bytes of `values` (`values_len` bytes
 * in all; -1 is an SQL NULL and takes none); `formats` (NULL: all text)
 * as for `pgtc_stmt_exec_formats`; text values are UTF-8 and need no NUL.
 * Lengths that do not add up to `values_len` are
 * PGTC_STATUS_INVALID_ARGUMENT and nothing is sent. Results and errors as
 * for `pgtc_stmt_exec`.
 */
pgtc_status pgtc_stmt_exec_packed(pgtc_stmt *stmt, size_t n_params, const uint8_t *values, size_t values_len, const int32_t *lengths, const int *formats, pgtc_result **result_out, pgtc_error **err_out);

/**
 * Run `stmt` once for each of `n_sets` parameter sets, pipelined: the
 * sets go out together, a few hundred per round trip, instead of one
 * round trip each. The sets are packed as for `pgtc_stmt_exec_packed`,
 * set after set (`lengths` holds `n_sets * n_params` elements, `formats`
 * `n_params`, applying to every set). Each set runs as `pgtc_stmt_exec`
 * would run it alone: outside a transaction each commits or fails on its
 * own; inside one, a failing set aborts the transaction and the sets
 * after it fail with 25P02.
 *
 * `counts_out` (NULL, or `n_sets` elements) receives each set's affected
 * rows (`pgtc_result_affected`), or -1 for a set that failed. Returns
 * PGTC_STATUS_OK when every set ran; otherwise the status of the first set
 * that failed, with its index in `*failed_out` (when not NULL) and its
 * error in `*err_out`. An error before anything was sent (a bad argument,
 * a closed connection) sets `*failed_out` to `n_sets`.
 */
pgtc_status pgtc_stmt_exec_batch(pgtc_stmt *stmt, size_t n_sets, size_t n_params, const uint8_t *values, size_t values_len, const int32_t *lengths, const int *formats, int64_t *counts_out, size_t *failed_out, pgtc_error **err_out);

/**
 * Run one statement with parameters `$1 … $n` as libpq's PQexecParams:
 * `param_types` (NULL: the server infers every type; an element 0 infers
 * that one) gives type OIDs, `param_formats` (NULL: all text) says which
 * values are text (0, NUL-terminated) or binary (1, `param_lengths[i]`
 * bytes, e.g. a `bytea`'s raw bytes). Routed and cached as
 * `pgtc_conn_exec_params`; results and errors as for `pgtc_conn_exec`.
 */
pgtc_status pgtc_conn_exec_typed(pgtc_conn *conn, const char *sql, size_t n_params, const uint32_t *param_types, const char *const *params, const int *param_lengths, const int *param_formats, pgtc_result **result_out, pgtc_error **err_out);

/**
 * The number of parameters `stmt` takes (SQLDescribeParam's count); 0 for
 * NULL. No server is asked.
 */
size_t pgtc_stmt_param_count(const pgtc_stmt *stmt);

/**
 * The type OID the server resolved for parameter `i` (0-based) of `stmt`;
 * 0 for NULL or `i` out of range.
 */
uint32_t pgtc_stmt_param_type(const pgtc_stmt *stmt, size_t i);

/**
 * The number of columns an execution of `stmt` returns (0 for a statement
 * without rows, or NULL), known without executing it.
 */
size_t pgtc_stmt_cols(const pgtc_stmt *stmt);

/**
 * The name of result column `col` (0-based) of `stmt`, or NULL when out of
 * range. Borrowed from `stmt`: valid until `pgtc_stmt_free(stmt)`.
 */
const char *pgtc_stmt_col_name(const pgtc_stmt *stmt, size_t col);

/**
 * The type OID of result column `col` of `stmt`; 0 when out of range.
 */
uint32_t pgtc_stmt_col_type(const pgtc_stmt *stmt, size_t col);

/**
 * The type modifier of result column `col` of `stmt` (e.g. the length of
 * a `varchar(n)` plus 4); -1 when it has none or `col` is out of range.
 */
int32_t pgtc_stmt_col_type_modifier(const pgtc_stmt *stmt, size_t col);

/**
 * The OID of the table result column `col` of `stmt` comes from, 0 when it
 * is not a table column (or `col` is out of range).
 */
uint32_t pgtc_stmt_col_table(const pgtc_stmt *stmt, size_t col);

/**
 * The column number (1-based, as `pg_attribute.attnum`) in that table of
 * result column `col` of `stmt`; 0 when none.
 */
int pgtc_stmt_col_table_column(const pgtc_stmt *stmt, size_t col);

/**
 * Release a statement of `pgtc_conn_prepare`; the servers close it with
 * the connection's next request. NULL is a no-op. Call it before
 * `pgtc_conn_free` of its connection (after it, the statement is released
 * without touching the freed connection).
 */
void pgtc_stmt_free(pgtc_stmt *stmt);

/**
 * Stream one statement with `n_params` text parameters `$1 … $n` (as
 * `pgtc_conn_exec_params` takes them; `params` may be NULL when
 * `n_params` is 0, a NULL element is an SQL NULL) in batches of at most
 * `fetch` rows (at least 1; 0 is PGTC_STATUS_INVALID_ARGUMENT). The
 * statement is routed as `pgtc_conn_exec_params` would route it and its
 * first batch is read before this returns, so a server error (a missing
 * table) comes back here. A statement that is not a single read (a
 * write, several statements) runs whole, and its stream has one batch.
 *
 * On success `*stream_out` receives the stream, owned by the caller and
 * released with `pgtc_stream_free`; read the batches with
 * `pgtc_stream_next`. While the stream is open, its portal holds its
 * server connection: another statement the connection runs there first
 * reads the rest of the stream into memory (handed over as the stream's
 * next batch); COMMIT or ROLLBACK closes the streams of its transaction.
 */
pgtc_status pgtc_conn_stream(pgtc_conn *conn, const char *sql, size_t n_params, const char *const *params, size_t fetch, pgtc_stream **stream_out, pgtc_error **err_out);

/**
 * `pgtc_conn_stream` with typed or binary parameters, as
 * `pgtc_conn_exec_typed` takes them: `param_types` (NULL: the server
 * infers every type; an element 0 infers that one), `param_formats`
 * (NULL: all text; 1: a binary value of `param_lengths[i]` bytes).
 */
pgtc_status pgtc_conn_stream_typed(pgtc_conn *conn, const char *sql, size_t n_params, const uint32_t *param_types, const char *const *params, const int *param_lengths, const int *param_formats, size_t fetch, pgtc_stream **stream_out, pgtc_error **err_out);

/**
 * Stream a statement of `pgtc_conn_prepare` with its `n_params`
 * parameters, as `pgtc_stmt_exec_formats` takes them (`param_formats`
 * NULL: all text; binary values are `param_lengths[i]` bytes), in batches
 * of at most `fetch` rows; otherwise as `pgtc_conn_stream`. A count that
 * differs from the statement's is PGTC_STATUS_INVALID_ARGUMENT (SQLSTATE
 * 08P01) and nothing is sent; after `pgtc_conn_free` of its connection it
 * fails with SQLSTATE 08003.
 */
pgtc_status pgtc_stmt_stream(pgtc_stmt *stmt, size_t n_params, const char *const *params, const int *param_lengths, const int *param_formats, size_t fetch, pgtc_stream **stream_out, pgtc_error **err_out);

/**
 * The next batch of the stream: on success `*result_out` receives a
 * result (owned by the caller, released with `pgtc_result_free`) with at
 * most `fetch` rows and the statement's columns — the first call gives
 * the batch `pgtc_conn_stream` read — or NULL after the last batch. The
 * last batch (possibly without rows) carries the command tag, counting
 * every row of the stream (`SELECT n`). A server error in the middle (a
 * division by zero at some row) is returned by the batch that reaches it,
 * with its SQLSTATE, and ends the stream; a lost server fails with class
 * 08 (the stream is never started again); a stream its transaction's
 * COMMIT or ROLLBACK closed fails with 24000. After the end, NULL again.
 * On a closed stream: PGTC_STATUS_INVALID_STATE.
 */
pgtc_status pgtc_stream_next(pgtc_stream *stream, pgtc_result **result_out, pgtc_error **err_out);

/**
 * Close the stream before its end: the server drops the rows not read
 * (Close of the portal and Sync) and its connection is free again. Later
 * `pgtc_stream_next` calls fail with PGTC_STATUS_INVALID_STATE; release
 * the handle with `pgtc_stream_free`. An error only when the connection
 * broke; closing twice is PGTC_STATUS_INVALID_STATE.
 */
pgtc_status pgtc_stream_close(pgtc_stream *stream, pgtc_error **err_out);

/**
 * Where the stream runs: PGTC_SERVER_PRIMARY or PGTC_SERVER_SECONDARY
 * (PGTC_SERVER_NONE for NULL).
 */
pgtc_server pgtc_stream_server(const pgtc_stream *stream);

/**
 * Release a stream. One still open is closed first, as by
 * `pgtc_stream_close` (if the connection is in use by a panic or gone
 * bad, it is closed with the connection's next request instead). Must
 * be called before its connection is freed. NULL is a no-op.
 */
void pgtc_stream_free(pgtc_stream *stream);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* PGTC_H */
