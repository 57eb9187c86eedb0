/* Large results streamed in batches (the driver's default Fetch=1000)
 * through unixODBC's libodbc and pgtc's driver: SQLFetch across batches,
 * SQLRowCount while streaming and at the end, an error in the middle,
 * SQLCloseCursor before the end, another statement handle of the same
 * connection running between batches, SQLMoreResults at the end.
 * Usage: stream "CONNECTION STRING". */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "stream.c:%d: check failed: %s\n", __LINE__, #cond); \
      failures++;                                                        \
    }                                                                    \
  } while (0)

static void state_of(SQLSMALLINT type, SQLHANDLE h, char *state, char *msg, size_t cap) {
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  state[0] = 0;
  msg[0] = 0;
  SQLGetDiagRec(type, h, 1, (SQLCHAR *)state, &native, (SQLCHAR *)msg, (SQLSMALLINT)cap, &len);
}

/* The first column of the current row as a number. */
static long col1(SQLHSTMT st) {
  SQLINTEGER v = 0;
  SQLLEN ind = 0;
  if (SQLGetData(st, 1, SQL_C_SLONG, &v, 0, &ind) != SQL_SUCCESS || ind == SQL_NULL_DATA) return -1;
  return (long)v;
}

static SQLLEN row_count(SQLHSTMT st) {
  SQLLEN n = -2;
  CHECK(SQLRowCount(st, &n) == SQL_SUCCESS);
  return n;
}

int main(int argc, char **argv) {
  SQLHENV env;
  SQLHDBC dbc;
  SQLHSTMT a, b;
  char state[6], msg[1024];
  if (argc != 2) {
    fprintf(stderr, "usage: stream CONNECTION-STRING\n");
    return 2;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env) == SQL_SUCCESS);
  CHECK(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0) == SQL_SUCCESS);
  CHECK(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc) == SQL_SUCCESS);
  SQLRETURN r = SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
  if (!SQL_SUCCEEDED(r)) {
    state_of(SQL_HANDLE_DBC, dbc, state, msg, sizeof msg);
    fprintf(stderr, "connect failed: [%s] %s\n", state, msg);
    return 1;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &a) == SQL_SUCCESS);
  CHECK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &b) == SQL_SUCCESS);

  /* 2500 rows in batches of 1000: every row, in order, across batches;
   * SQLRowCount counts the rows read so far, then all of them. */
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT g FROM generate_series(1, 2500) g", SQL_NTS) == SQL_SUCCESS);
  long want = 1;
  int bad = 0;
  while ((r = SQLFetch(a)) == SQL_SUCCESS) {
    if (col1(a) != want) bad++;
    if (want == 1) CHECK(row_count(a) == 1000);
    if (want == 1001) CHECK(row_count(a) == 2000);
    want++;
  }
  CHECK(r == SQL_NO_DATA);
  CHECK(bad == 0);
  CHECK(want == 2501);
  CHECK(row_count(a) == 2500);
  CHECK(SQLMoreResults(a) == SQL_NO_DATA);

  /* An error in the middle: the batch with row 1500 fails with the
   * server's SQLSTATE at the SQLFetch that needs it. */
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT 1 / (1500 - g) FROM generate_series(1, 3000) g", SQL_NTS) ==
        SQL_SUCCESS);
  long fetched = 0;
  while ((r = SQLFetch(a)) == SQL_SUCCESS) fetched++;
  CHECK(r == SQL_ERROR);
  CHECK(fetched == 1000);
  state_of(SQL_HANDLE_STMT, a, state, msg, sizeof msg);
  CHECK(strcmp(state, "22012") == 0);
  CHECK(SQLFreeStmt(a, SQL_CLOSE) == SQL_SUCCESS);

  /* Closed before the end: the connection goes on. */
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT g FROM generate_series(1, 1000000) g", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(a) == SQL_SUCCESS && col1(a) == 1);
  CHECK(SQLCloseCursor(a) == SQL_SUCCESS);
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT 5", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(a) == SQL_SUCCESS && col1(a) == 5);
  CHECK(SQLCloseCursor(a) == SQL_SUCCESS);

  /* Another statement handle of the connection runs while one streams;
   * the stream goes on, nothing lost. */
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT g FROM generate_series(1, 5000) g", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(a) == SQL_SUCCESS && col1(a) == 1);
  CHECK(SQLExecDirect(b, (SQLCHAR *)"SELECT 42", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(b) == SQL_SUCCESS && col1(b) == 42);
  CHECK(SQLCloseCursor(b) == SQL_SUCCESS);
  /* A multi-statement text (read whole) on the other handle too. */
  CHECK(SQLExecDirect(b, (SQLCHAR *)"SELECT 1; SELECT 2", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(b) == SQL_SUCCESS && col1(b) == 1);
  CHECK(SQLMoreResults(b) == SQL_SUCCESS);
  CHECK(SQLFetch(b) == SQL_SUCCESS && col1(b) == 2);
  CHECK(SQLMoreResults(b) == SQL_NO_DATA);
  want = 2;
  bad = 0;
  while ((r = SQLFetch(a)) == SQL_SUCCESS) {
    if (col1(a) != want) bad++;
    want++;
  }
  CHECK(r == SQL_NO_DATA);
  CHECK(bad == 0 && want == 5001);
  CHECK(row_count(a) == 5000);
  CHECK(SQLCloseCursor(a) == SQL_SUCCESS);

  /* SQLMoreResults in the middle of a stream ends it. */
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT g FROM generate_series(1, 100000) g", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(a) == SQL_SUCCESS);
  CHECK(SQLMoreResults(a) == SQL_NO_DATA);
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT 7", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(a) == SQL_SUCCESS && col1(a) == 7);
  CHECK(SQLCloseCursor(a) == SQL_SUCCESS);

  /* Freeing a statement handle in the middle of a stream. */
  CHECK(SQLExecDirect(b, (SQLCHAR *)"SELECT g FROM generate_series(1, 100000) g", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(b) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_STMT, b) == SQL_SUCCESS);
  CHECK(SQLExecDirect(a, (SQLCHAR *)"SELECT 6", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(a) == SQL_SUCCESS && col1(a) == 6);

  CHECK(SQLFreeHandle(SQL_HANDLE_STMT, a) == SQL_SUCCESS);
  CHECK(SQLDisconnect(dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_DBC, dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_ENV, env) == SQL_SUCCESS);
  if (failures) fprintf(stderr, "stream.c: %d checks failed\n", failures);
  return failures ? 1 : 0;
}
