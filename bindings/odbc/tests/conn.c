/* Connecting and connection attributes through unixODBC's libodbc and
 * pgtc's driver: psqlODBC's keys, refused keys, transaction isolation,
 * pgtc's driver-specific attributes and their effect, notices as 01000
 * records, an error inside a transaction under both ON_ERROR levels, and
 * SQL_ATTR_CONNECTION_DEAD after the backend is terminated.
 * Usage: conn "CONNECTION STRING" (a DSN-less string with
 * PREFERRED_ACCESS=READ_MOSTLY). */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../include/pgtc_odbc.h"

static int failures;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "conn.c:%d: check failed: %s\n", __LINE__, #cond); \
      failures++;                                                       \
    }                                                                   \
  } while (0)

static SQLHENV env;
static char state[6], msg[1024];

static void diag(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec) {
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  state[0] = 0;
  msg[0] = 0;
  SQLGetDiagRec(type, h, rec, (SQLCHAR *)state, &native, (SQLCHAR *)msg, sizeof msg, &len);
}

static SQLHDBC open_with(const char *base, const char *extra, SQLRETURN *ret) {
  char s[2048];
  SQLHDBC dbc;
  snprintf(s, sizeof s, "%s%s", base, extra);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  *ret = SQLDriverConnect(dbc, NULL, (SQLCHAR *)s, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
  if (!SQL_SUCCEEDED(*ret))
    diag(SQL_HANDLE_DBC, dbc, 1);
  return dbc;
}

static SQLHDBC open_ok(const char *base, const char *extra) {
  SQLRETURN r;
  SQLHDBC dbc = open_with(base, extra, &r);
  if (!SQL_SUCCEEDED(r)) {
    fprintf(stderr, "connect failed: [%s] %s\n", state, msg);
    exit(1);
  }
  return dbc;
}

static void close_dbc(SQLHDBC dbc) {
  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

/* Runs sql; returns its code and leaves the first record in state/msg. */
static SQLRETURN run(SQLHDBC dbc, const char *sql) {
  SQLHSTMT st;
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  SQLRETURN r = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
  state[0] = 0;
  msg[0] = 0;
  if (r != SQL_SUCCESS)
    diag(SQL_HANDLE_STMT, st, 1);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  return r;
}

/* The first column of the first row of sql, as text ("" on failure). */
static const char *value(SQLHDBC dbc, const char *sql) {
  static char buf[256];
  SQLHSTMT st;
  SQLLEN ind = 0;
  buf[0] = 0;
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  if (SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS)) && SQL_SUCCEEDED(SQLFetch(st)))
    SQLGetData(st, 1, SQL_C_CHAR, buf, sizeof buf, &ind);
  else
    diag(SQL_HANDLE_STMT, st, 1);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  return buf;
}

static const char *text_attr(SQLHDBC dbc, SQLINTEGER attr) {
  static char buf[256];
  SQLINTEGER len = -1;
  buf[0] = 0;
  if (!SQL_SUCCEEDED(SQLGetConnectAttr(dbc, attr, buf, sizeof buf, &len)))
    diag(SQL_HANDLE_DBC, dbc, 1);
  return buf;
}

static SQLRETURN set_text(SQLHDBC dbc, SQLINTEGER attr, const char *v) {
  SQLRETURN r = SQLSetConnectAttr(dbc, attr, (SQLPOINTER)v, SQL_NTS);
  if (!SQL_SUCCEEDED(r))
    diag(SQL_HANDLE_DBC, dbc, 1);
  return r;
}

static SQLUINTEGER int_attr(SQLHDBC dbc, SQLINTEGER attr) {
  SQLUINTEGER v = 12345;
  SQLGetConnectAttr(dbc, attr, &v, 0, NULL);
  return v;
}

static int deadline_passed(time_t start) { return time(NULL) - start > 30; }

static void psqlodbc_keys(const char *base) {
  SQLHDBC dbc = open_ok(base, ";BoolsAsChar=1;B0=255;Fetch=50;UseServerSidePrepare=1;Parse=1;"
                              "UpdatableCursors=1;Protocol=7.4-2;ReadOnly=0;"
                              "ConnSettings={SET application_name=pgtc_conn_c}");
  SQLHSTMT st;
  SQLSMALLINT type = 0, dec = 0, nullable = 0, nlen = 0;
  SQLULEN size = 0;
  char name[64];
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  CHECK(SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)"SELECT true AS b, 'x'::varchar AS v", SQL_NTS)));
  CHECK(SQLDescribeCol(st, 1, (SQLCHAR *)name, sizeof name, &nlen, &type, &size, &dec, &nullable) == SQL_SUCCESS);
  CHECK(type == SQL_VARCHAR && size == 5);
  CHECK(SQLDescribeCol(st, 2, (SQLCHAR *)name, sizeof name, &nlen, &type, &size, &dec, &nullable) == SQL_SUCCESS);
  CHECK(type == SQL_VARCHAR && size == 255);
  char b[8];
  SQLLEN ind = 0;
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(SQLGetData(st, 1, SQL_C_CHAR, b, sizeof b, &ind) == SQL_SUCCESS && strcmp(b, "1") == 0);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  CHECK(strcmp(value(dbc, "SHOW application_name"), "pgtc_conn_c") == 0);
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_ON_ERROR), "ROLLBACK_STATEMENT") == 0);
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_READ_ONLY), "OFF") == 0);
  close_dbc(dbc);

  /* Without the keys: bool is SQL_BIT. */
  dbc = open_ok(base, "");
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  CHECK(SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)"SELECT true", SQL_NTS)));
  CHECK(SQLDescribeCol(st, 1, (SQLCHAR *)name, sizeof name, &nlen, &type, &size, &dec, &nullable) == SQL_SUCCESS);
  CHECK(type == SQL_BIT);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  close_dbc(dbc);

  /* Unknown keys and unsupported values are refused, naming the key. */
  SQLRETURN r;
  dbc = open_with(base, ";Frobnicate=1", &r);
  CHECK(r == SQL_ERROR && strcmp(state, "08001") == 0 && strstr(msg, "Frobnicate") != NULL);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  dbc = open_with(base, ";ShowOidColumn=1", &r);
  CHECK(r == SQL_ERROR && strcmp(state, "08001") == 0 && strstr(msg, "ShowOidColumn") != NULL);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  dbc = open_with(base, ";BoolsAsChar=maybe", &r);
  CHECK(r == SQL_ERROR && strcmp(state, "08001") == 0 && strstr(msg, "BoolsAsChar") != NULL);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

static void isolation(const char *base) {
  /* Set before connecting: applied once connected. */
  SQLHDBC dbc;
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)SQL_TXN_REPEATABLE_READ, 0) == SQL_SUCCESS);
  CHECK(SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)base, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT)));
  CHECK(strcmp(value(dbc, "SHOW transaction_isolation"), "repeatable read") == 0);

  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)SQL_TXN_SERIALIZABLE, 0) == SQL_SUCCESS);
  CHECK(int_attr(dbc, SQL_ATTR_TXN_ISOLATION) == SQL_TXN_SERIALIZABLE);
  CHECK(strcmp(value(dbc, "SHOW transaction_isolation"), "serializable") == 0);
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_TXN_ISOLATION), "SERIALIZABLE") == 0);
  /* READ UNCOMMITTED is what PostgreSQL runs it as: READ COMMITTED. */
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)SQL_TXN_READ_UNCOMMITTED, 0) == SQL_SUCCESS);
  CHECK(int_attr(dbc, SQL_ATTR_TXN_ISOLATION) == SQL_TXN_READ_COMMITTED);
  CHECK(strcmp(value(dbc, "SHOW transaction_isolation"), "read committed") == 0);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)77, 0) == SQL_ERROR);
  diag(SQL_HANDLE_DBC, dbc, 1);
  CHECK(strcmp(state, "HY024") == 0);

  /* Not inside a transaction. */
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0) == SQL_SUCCESS);
  CHECK(strcmp(value(dbc, "SELECT 1"), "1") == 0);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)SQL_TXN_SERIALIZABLE, 0) == SQL_ERROR);
  diag(SQL_HANDLE_DBC, dbc, 1);
  CHECK(strcmp(state, "HY011") == 0);
  CHECK(int_attr(dbc, SQL_ATTR_TXN_ISOLATION) == SQL_TXN_READ_COMMITTED);
  CHECK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK) == SQL_SUCCESS);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0) == SQL_SUCCESS);

  /* ODBC 2's names for the same. */
  CHECK(SQL_SUCCEEDED(SQLSetConnectOption(dbc, SQL_TXN_ISOLATION, SQL_TXN_REPEATABLE_READ)));
  SQLUINTEGER iso = 0;
  CHECK(SQL_SUCCEEDED(SQLGetConnectOption(dbc, SQL_TXN_ISOLATION, &iso)));
  CHECK(iso == SQL_TXN_REPEATABLE_READ);

  /* The other attributes ODBC applications set. */
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_ASYNC_ENABLE, (SQLPOINTER)SQL_ASYNC_ENABLE_ON, 0) == SQL_ERROR);
  CHECK(int_attr(dbc, SQL_ATTR_ASYNC_ENABLE) == SQL_ASYNC_ENABLE_OFF);
  CHECK(int_attr(dbc, SQL_ATTR_AUTO_IPD) == SQL_FALSE);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_TRUE, 0) == SQL_SUCCESS);
  CHECK(int_attr(dbc, SQL_ATTR_METADATA_ID) == SQL_TRUE);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_CONNECTION_TIMEOUT, (SQLPOINTER)7, 0) == SQL_SUCCESS);
  CHECK(int_attr(dbc, SQL_ATTR_CONNECTION_TIMEOUT) == 7);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_PACKET_SIZE, (SQLPOINTER)8192, 0) == SQL_ERROR);
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_CURRENT_CATALOG), "postgres") == 0);
  CHECK(set_text(dbc, SQL_ATTR_CURRENT_CATALOG, "postgres") == SQL_SUCCESS);
  CHECK(set_text(dbc, SQL_ATTR_CURRENT_CATALOG, "template1") == SQL_ERROR);
  close_dbc(dbc);
}

static void driver_specific(const char *base) {
  SQLHDBC dbc = open_ok(base, "");
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_PREFERRED_ACCESS), "READ_MOSTLY") == 0);
  CHECK(set_text(dbc, SQL_ATTR_PGTC_PRIMARY_SHARE, "0") == SQL_SUCCESS);
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_PRIMARY_SHARE), "0") == 0);
  CHECK(set_text(dbc, SQL_ATTR_PGTC_PRIMARY_SHARE, "101") == SQL_ERROR);
  CHECK(strcmp(state, "HY024") == 0 && strstr(msg, "PRIMARY_SHARE") != NULL);
  CHECK(set_text(dbc, 0x41ff, "x") == SQL_ERROR);
  CHECK(strcmp(state, "HY092") == 0);

  /* READ_MOSTLY with no share for the primary: reads reach the standby
   * once it is known healthy. */
  time_t start = time(NULL);
  int on_standby = 0;
  while (!on_standby && !deadline_passed(start)) {
    CHECK(strcmp(value(dbc, "SELECT 1"), "1") == 0);
    on_standby = strcmp(text_attr(dbc, SQL_ATTR_PGTC_CONN_LAST_SERVER), "standby") == 0;
  }
  CHECK(on_standby);
  /* WRITE_MOSTLY keeps the same read on the primary. */
  CHECK(set_text(dbc, SQL_ATTR_PGTC_PREFERRED_ACCESS, "WRITE_MOSTLY") == SQL_SUCCESS);
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_PREFERRED_ACCESS), "WRITE_MOSTLY") == 0);
  for (int i = 0; i < 5; i++) {
    CHECK(strcmp(value(dbc, "SELECT 1"), "1") == 0);
    CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_CONN_LAST_SERVER), "primary") == 0);
  }
  CHECK(strcmp(value(dbc, "SELECT pg_is_in_recovery()"), "0") == 0);

  /* The wide functions take and give UTF-16. */
  SQLWCHAR w[32], back[32];
  const char *word = "READ_MOSTLY";
  size_t n = strlen(word);
  for (size_t i = 0; i <= n; i++)
    w[i] = (SQLWCHAR)word[i];
  CHECK(SQLSetConnectAttrW(dbc, SQL_ATTR_PGTC_PREFERRED_ACCESS, w, SQL_NTS) == SQL_SUCCESS);
  SQLINTEGER blen = 0;
  CHECK(SQLGetConnectAttrW(dbc, SQL_ATTR_PGTC_PREFERRED_ACCESS, back, sizeof back, &blen) == SQL_SUCCESS);
  CHECK(blen == (SQLINTEGER)(n * sizeof(SQLWCHAR)) && memcmp(w, back, (n + 1) * sizeof(SQLWCHAR)) == 0);

  /* The facts: read-only. */
  CHECK(run(dbc, "CREATE TABLE IF NOT EXISTS conn_c_floor (i int)") == SQL_SUCCESS);
  CHECK(run(dbc, "INSERT INTO conn_c_floor VALUES (1)") == SQL_SUCCESS);
  CHECK(strchr(text_attr(dbc, SQL_ATTR_PGTC_LSN_FLOOR), '/') != NULL);
  CHECK(set_text(dbc, SQL_ATTR_PGTC_LSN_FLOOR, "0/0") == SQL_ERROR);
  CHECK(strcmp(state, "HY092") == 0);
  CHECK(run(dbc, "DROP TABLE conn_c_floor") == SQL_SUCCESS);

  /* A pgtc attribute set before connecting applies once connected. */
  SQLHDBC pre;
  SQLAllocHandle(SQL_HANDLE_DBC, env, &pre);
  CHECK(set_text(pre, SQL_ATTR_PGTC_CONSISTENCY, "WAIT") == SQL_SUCCESS);
  CHECK(strcmp(text_attr(pre, SQL_ATTR_PGTC_CONSISTENCY), "WAIT") == 0);
  CHECK(SQL_SUCCEEDED(SQLDriverConnect(pre, NULL, (SQLCHAR *)base, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT)));
  CHECK(strcmp(text_attr(pre, SQL_ATTR_PGTC_CONSISTENCY), "WAIT") == 0);
  close_dbc(pre);
  close_dbc(dbc);
}

static void notices(const char *base) {
  SQLHDBC dbc = open_ok(base, "");
  SQLHSTMT st;
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  SQLRETURN r = SQLExecDirect(st, (SQLCHAR *)"DO $$BEGIN RAISE NOTICE 'hello from pgtc'; END$$", SQL_NTS);
  CHECK(r == SQL_SUCCESS_WITH_INFO);
  diag(SQL_HANDLE_STMT, st, 1);
  CHECK(strcmp(state, "01000") == 0 && strstr(msg, "hello from pgtc") != NULL);
  /* The next call starts clean. */
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SELECT 1", SQL_NTS) == SQL_SUCCESS);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  CHECK(run(dbc, "DROP TABLE IF EXISTS conn_c_none") == SQL_SUCCESS_WITH_INFO);
  CHECK(strcmp(state, "01000") == 0 && strstr(msg, "conn_c_none") != NULL);
  /* With an error, the error's record comes first, the notice after it. */
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  r = SQLExecDirect(st, (SQLCHAR *)"DROP TABLE IF EXISTS conn_c_none; SELECT 1/0", SQL_NTS);
  CHECK(r == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st, 1);
  CHECK(strcmp(state, "22012") == 0);
  diag(SQL_HANDLE_STMT, st, 2);
  CHECK(strcmp(state, "01000") == 0 && strstr(msg, "conn_c_none") != NULL);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  close_dbc(dbc);
}

static void errors_in_transactions(const char *base) {
  SQLHDBC dbc = open_ok(base, "");
  CHECK(run(dbc, "DROP TABLE IF EXISTS conn_c_t") != SQL_ERROR);
  CHECK(run(dbc, "CREATE TABLE conn_c_t (i int)") == SQL_SUCCESS);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0) == SQL_SUCCESS);

  /* The driver's default: only the failed statement is undone. */
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_ON_ERROR), "ROLLBACK_STATEMENT") == 0);
  CHECK(run(dbc, "INSERT INTO conn_c_t VALUES (1)") == SQL_SUCCESS);
  CHECK(run(dbc, "SELECT 1/0") == SQL_ERROR && strcmp(state, "22012") == 0);
  CHECK(run(dbc, "INSERT INTO conn_c_t VALUES (2)") == SQL_SUCCESS);
  CHECK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT) == SQL_SUCCESS);
  CHECK(strcmp(value(dbc, "SELECT count(*) FROM conn_c_t"), "2") == 0);
  CHECK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT) == SQL_SUCCESS);

  /* PostgreSQL's own: the transaction is aborted until ROLLBACK. */
  CHECK(set_text(dbc, SQL_ATTR_PGTC_ON_ERROR, "ROLLBACK_TRANSACTION") == SQL_SUCCESS);
  CHECK(run(dbc, "INSERT INTO conn_c_t VALUES (3)") == SQL_SUCCESS);
  CHECK(run(dbc, "SELECT 1/0") == SQL_ERROR && strcmp(state, "22012") == 0);
  CHECK(run(dbc, "INSERT INTO conn_c_t VALUES (4)") == SQL_ERROR && strcmp(state, "25P02") == 0);
  CHECK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK) == SQL_SUCCESS);
  CHECK(strcmp(value(dbc, "SELECT count(*) FROM conn_c_t"), "2") == 0);
  CHECK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT) == SQL_SUCCESS);
  close_dbc(dbc);

  /* psqlODBC's key for the same. */
  dbc = open_ok(base, ";Protocol=7.4-0");
  CHECK(strcmp(text_attr(dbc, SQL_ATTR_PGTC_ON_ERROR), "ROLLBACK_TRANSACTION") == 0);
  CHECK(run(dbc, "DROP TABLE conn_c_t") == SQL_SUCCESS);
  close_dbc(dbc);
}

static void connection_dead(const char *base) {
  SQLHDBC killer = open_ok(base, "");
  SQLHDBC victim = open_ok(base, "");
  char pid[32], sql[128];
  snprintf(pid, sizeof pid, "%s", value(victim, "SELECT pg_backend_pid()"));
  CHECK(pid[0] != 0);
  CHECK(int_attr(victim, SQL_ATTR_CONNECTION_DEAD) == SQL_CD_FALSE);
  snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s)", pid);
  CHECK(strcmp(value(killer, sql), "1") == 0);
  time_t start = time(NULL);
  while (int_attr(victim, SQL_ATTR_CONNECTION_DEAD) != SQL_CD_TRUE && !deadline_passed(start))
    ;
  CHECK(int_attr(victim, SQL_ATTR_CONNECTION_DEAD) == SQL_CD_TRUE);
  close_dbc(victim);
  CHECK(int_attr(killer, SQL_ATTR_CONNECTION_DEAD) == SQL_CD_FALSE);
  close_dbc(killer);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: conn CONNECTION-STRING\n");
    return 2;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env) == SQL_SUCCESS);
  CHECK(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0) == SQL_SUCCESS);
  psqlodbc_keys(argv[1]);
  isolation(argv[1]);
  driver_specific(argv[1]);
  notices(argv[1]);
  errors_in_transactions(argv[1]);
  connection_dead(argv[1]);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  if (failures) {
    fprintf(stderr, "conn.c: %d checks failed\n", failures);
    return 1;
  }
  printf("conn.c: all checks passed\n");
  return 0;
}
