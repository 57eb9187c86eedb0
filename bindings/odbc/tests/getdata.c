/* Statements through unixODBC's libodbc and pgtc's driver: result
 * description, SQLGetData in pieces (UTF-8 and UTF-16, NULL, numbers),
 * several results of one text, a server error's SQLSTATE and the
 * function sequence error. Usage: getdata "CONNECTION STRING". */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (!(cond)) {                                                        \
      fprintf(stderr, "getdata.c:%d: check failed: %s\n", __LINE__, #cond); \
      failures++;                                                         \
    }                                                                     \
  } while (0)

static void state_of(SQLSMALLINT type, SQLHANDLE h, char *state, char *msg, size_t cap) {
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  state[0] = 0;
  msg[0] = 0;
  SQLGetDiagRec(type, h, 1, (SQLCHAR *)state, &native, (SQLCHAR *)msg, (SQLSMALLINT)cap, &len);
}

int main(int argc, char **argv) {
  SQLHENV env;
  SQLHDBC dbc;
  SQLHSTMT st;
  char state[6], msg[1024];
  if (argc != 2) {
    fprintf(stderr, "usage: getdata CONNECTION-STRING\n");
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
  CHECK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st) == SQL_SUCCESS);

  char info[64];
  SQLSMALLINT info_len = 0;
  CHECK(SQLGetInfo(dbc, SQL_DBMS_NAME, info, sizeof info, &info_len) == SQL_SUCCESS);
  CHECK(strcmp(info, "PostgreSQL") == 0 && info_len == 10);
  CHECK(SQLGetInfo(dbc, SQL_DBMS_VER, info, sizeof info, &info_len) == SQL_SUCCESS);
  CHECK(info_len == 10 && info[2] == '.' && info[5] == '.'); /* ##.##.#### */
  CHECK(SQLGetInfo(dbc, SQL_DATABASE_NAME, info, sizeof info, &info_len) == SQL_SUCCESS);
  CHECK(strcmp(info, "postgres") == 0);
  CHECK(SQLGetInfo(dbc, SQL_USER_NAME, info, sizeof info, &info_len) == SQL_SUCCESS);
  CHECK(strcmp(info, "pgtc") == 0);

  /* Nothing executed yet. */
  CHECK(SQLFetch(st) == SQL_ERROR);
  state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
  CHECK(strcmp(state, "HY010") == 0);

  r = SQLExecDirect(st,
                    (SQLCHAR *)"SELECT 'h' || chr(233) || 'llo' || chr(128512) || 'z' AS s, "
                               "NULL::int AS n, 9000000000::int8 AS b, 2.5::float8 AS d, true AS t, "
                               "'ab'::varchar(7) AS v, "
                               "'h' || chr(233) || 'llo' || chr(128512) || 'z' AS w; SELECT 7 AS seven",
                    SQL_NTS);
  CHECK(r == SQL_SUCCESS);
  SQLSMALLINT cols = 0;
  CHECK(SQLNumResultCols(st, &cols) == SQL_SUCCESS && cols == 7);
  SQLCHAR name[32];
  SQLSMALLINT name_len, type, digits, nullable;
  SQLULEN size;
  CHECK(SQLDescribeCol(st, 3, name, sizeof name, &name_len, &type, &size, &digits, &nullable) == SQL_SUCCESS);
  CHECK(strcmp((char *)name, "b") == 0 && type == SQL_BIGINT);
  CHECK(SQLDescribeCol(st, 5, name, sizeof name, &name_len, &type, &size, &digits, &nullable) == SQL_SUCCESS);
  CHECK(type == SQL_BIT);
  CHECK(SQLDescribeCol(st, 6, name, sizeof name, &name_len, &type, &size, &digits, &nullable) == SQL_SUCCESS);
  CHECK(type == SQL_VARCHAR && size == 7);
  CHECK(SQLDescribeCol(st, 8, name, sizeof name, &name_len, &type, &size, &digits, &nullable) == SQL_ERROR);
  state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
  CHECK(strcmp(state, "07009") == 0);

  CHECK(SQLFetch(st) == SQL_SUCCESS);

  /* UTF-8 in pieces of at most 2 bytes: they join to the whole value. */
  const char *want = "h\xc3\xa9llo\xf0\x9f\x98\x80z";
  char got[64] = "";
  char piece[3];
  SQLLEN ind;
  size_t at = 0;
  while ((r = SQLGetData(st, 1, SQL_C_CHAR, piece, sizeof piece, &ind)) != SQL_NO_DATA) {
    CHECK(SQL_SUCCEEDED(r));
    CHECK(ind == (SQLLEN)(strlen(want) - at));
    if (r == SQL_SUCCESS_WITH_INFO) {
      state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
      CHECK(strcmp(state, "01004") == 0);
    }
    strcat(got, piece);
    at = strlen(got);
    if (at > strlen(want))
      break;
  }
  CHECK(strcmp(got, want) == 0);
  /* Read whole, the column has no more data. */
  CHECK(SQLGetData(st, 1, SQL_C_CHAR, piece, sizeof piece, &ind) == SQL_NO_DATA);

  /* UTF-16 in pieces of 3 bytes (one code unit and the terminator): the
   * surrogate pair needs a larger buffer, and then comes whole. */
  SQLWCHAR w[8];
  SQLWCHAR wide[16];
  size_t n = 0;
  SQLLEN cap = 3 * sizeof(SQLWCHAR);
  while ((r = SQLGetData(st, 7, SQL_C_WCHAR, w, cap, &ind)) != SQL_NO_DATA) {
    CHECK(SQL_SUCCEEDED(r));
    size_t k = 0;
    while (w[k] != 0)
      k++;
    CHECK(k > 0);
    CHECK(k == 0 || w[k - 1] < 0xD800 || w[k - 1] >= 0xDC00); /* never half a pair */
    if (k == 0 || n + k > 15)
      break;
    memcpy(wide + n, w, k * sizeof(SQLWCHAR));
    n += k;
  }
  static const SQLWCHAR want_w[] = {'h', 0xE9, 'l', 'l', 'o', 0xD83D, 0xDE00, 'z'};
  CHECK(n == 8 && memcmp(wide, want_w, sizeof want_w) == 0);

  SQLINTEGER i = 5;
  CHECK(SQLGetData(st, 2, SQL_C_SLONG, &i, 0, &ind) == SQL_SUCCESS && ind == SQL_NULL_DATA);
  SQLBIGINT big = 0;
  CHECK(SQLGetData(st, 3, SQL_C_SBIGINT, &big, 0, &ind) == SQL_SUCCESS && big == 9000000000LL);
  CHECK(SQLGetData(st, 3, SQL_C_SLONG, &i, 0, &ind) == SQL_NO_DATA); /* already read */
  CHECK(SQLGetData(st, 2, SQL_C_SLONG, &i, 0, NULL) == SQL_ERROR);   /* NULL, no indicator */
  state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
  CHECK(strcmp(state, "22002") == 0);
  double d = 0;
  CHECK(SQLGetData(st, 4, SQL_C_DOUBLE, &d, 0, &ind) == SQL_SUCCESS && d == 2.5);
  unsigned char bit = 9;
  CHECK(SQLGetData(st, 5, SQL_C_BIT, &bit, 0, &ind) == SQL_SUCCESS && bit == 1);
  CHECK(SQLGetData(st, 4, SQL_C_SLONG, &i, 0, &ind) == SQL_SUCCESS_WITH_INFO && i == 2);
  state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
  CHECK(strcmp(state, "01S07") == 0);

  CHECK(SQLFetch(st) == SQL_NO_DATA);
  CHECK(SQLMoreResults(st) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(SQLGetData(st, 1, SQL_C_SLONG, &i, 0, &ind) == SQL_SUCCESS && i == 7);
  CHECK(SQLMoreResults(st) == SQL_NO_DATA);

  /* A server error keeps the server's SQLSTATE. */
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SELEC 1", SQL_NTS) == SQL_ERROR);
  state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
  CHECK(strcmp(state, "42601") == 0 && strstr(msg, "[pgtc][ODBC]") != NULL);

  /* A statement without rows: a row count, no cursor. */
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SET application_name = 'odbc'", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_ERROR);
  state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
  CHECK(strcmp(state, "24000") == 0);
  CHECK(SQLFreeStmt(st, SQL_CLOSE) == SQL_SUCCESS);

  /* Autocommit off: SQLEndTran ends the transaction the first statement
   * began; the session reads its own writes until then. */
  /* SQL_SUCCESS_WITH_INFO when the table did not exist (a notice). */
  CHECK(SQL_SUCCEEDED(
      SQLExecDirect(st, (SQLCHAR *)"DROP TABLE IF EXISTS odbc_tx; CREATE TABLE odbc_tx (x int)", SQL_NTS)));
  CHECK(SQLFreeStmt(st, SQL_CLOSE) == SQL_SUCCESS);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0) == SQL_SUCCESS);
  SQLUINTEGER ac = 9;
  CHECK(SQLGetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL) == SQL_SUCCESS && ac == SQL_AUTOCOMMIT_OFF);
  const char *count = "SELECT count(*) FROM odbc_tx";
  CHECK(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO odbc_tx VALUES (1)", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)count, SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS && SQLGetData(st, 1, SQL_C_SLONG, &i, 0, &ind) == SQL_SUCCESS && i == 1);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLCloseCursor(st) == SQL_ERROR); /* 24000: no cursor left */
  CHECK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)count, SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS && SQLGetData(st, 1, SQL_C_SLONG, &i, 0, &ind) == SQL_SUCCESS && i == 0);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO odbc_tx VALUES (2)", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT) == SQL_SUCCESS);
  CHECK(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)count, SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS && SQLGetData(st, 1, SQL_C_SLONG, &i, 0, &ind) == SQL_SUCCESS && i == 1);
  CHECK(SQLFreeStmt(st, SQL_CLOSE) == SQL_SUCCESS);
  /* A searched DELETE of no row is SQL_NO_DATA (ODBC 3). */
  CHECK(SQLExecDirect(st, (SQLCHAR *)"DELETE FROM odbc_tx WHERE x = 42", SQL_NTS) == SQL_NO_DATA);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"DROP TABLE odbc_tx", SQL_NTS) == SQL_SUCCESS);

  CHECK(SQLFreeHandle(SQL_HANDLE_STMT, st) == SQL_SUCCESS);
  CHECK(SQLDisconnect(dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_DBC, dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_ENV, env) == SQL_SUCCESS);
  if (failures) {
    fprintf(stderr, "getdata: %d checks failed\n", failures);
    return 1;
  }
  printf("getdata: all checks passed\n");
  return 0;
}
