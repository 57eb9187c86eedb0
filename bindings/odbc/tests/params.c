/* Parameters through unixODBC's libodbc and pgtc's driver: every C type
 * bound with SQLBindParameter, sent to a table and read back; NULL; data
 * at execution in several SQLPutData calls (text and a bytea with zero
 * bytes); UTF-16 beyond ASCII; SQLNumParams/SQLDescribeParam; a value
 * that would break the statement if it were put into the SQL text;
 * escape sequences run on the server; parameter arrays with a failing
 * row; a prepared read on the standby; the errors of bad bindings.
 * Usage: params "CONNECTION STRING". */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures;

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "params.c:%d: check failed: %s\n", __LINE__, #cond); \
      failures++;                                                        \
    }                                                                    \
  } while (0)

static char state[6], msg[1024];

static const char *diag(SQLSMALLINT type, SQLHANDLE h) {
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  state[0] = 0;
  msg[0] = 0;
  SQLGetDiagRec(type, h, 1, (SQLCHAR *)state, &native, (SQLCHAR *)msg, sizeof msg, &len);
  return state;
}

/* Runs a statement that must succeed. */
static void run(SQLHSTMT st, const char *sql) {
  SQLRETURN r = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
  if (!SQL_SUCCEEDED(r) && r != SQL_NO_DATA) {
    diag(SQL_HANDLE_STMT, st);
    fprintf(stderr, "params.c: %s: [%s] %s\n", sql, state, msg);
    failures++;
  }
  SQLCloseCursor(st);
  SQLFreeStmt(st, SQL_CLOSE);
}

/* Column `col` of the first row of `sql` as text ("NULL" for NULL). */
static const char *value(SQLHSTMT st, const char *sql, int col) {
  static char buf[4096];
  SQLLEN ind = 0;
  strcpy(buf, "(error)");
  if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS))) {
    diag(SQL_HANDLE_STMT, st);
    fprintf(stderr, "params.c: %s: [%s] %s\n", sql, state, msg);
  } else if (SQLFetch(st) == SQL_SUCCESS &&
             SQL_SUCCEEDED(SQLGetData(st, (SQLUSMALLINT)col, SQL_C_CHAR, buf, sizeof buf, &ind))) {
    if (ind == SQL_NULL_DATA) strcpy(buf, "NULL");
  }
  SQLCloseCursor(st);
  return buf;
}

#define EQ(st, sql, col, want)                                                  \
  do {                                                                          \
    const char *got_ = value(st, sql, col);                                     \
    if (strcmp(got_, want) != 0) {                                              \
      fprintf(stderr, "params.c:%d: %s col %d: got '%s', want '%s'\n", __LINE__, \
              sql, col, got_, want);                                            \
      failures++;                                                               \
    }                                                                           \
  } while (0)

static SQLRETURN bind(SQLHSTMT st, int n, SQLSMALLINT c, SQLSMALLINT sql, void *p, SQLLEN cap,
                      SQLLEN *ind) {
  SQLRETURN r = SQLBindParameter(st, (SQLUSMALLINT)n, SQL_PARAM_INPUT, c, sql, 0, 0, p, cap, ind);
  if (!SQL_SUCCEEDED(r)) {
    diag(SQL_HANDLE_STMT, st);
    fprintf(stderr, "params.c: bind %d: [%s] %s\n", n, state, msg);
  }
  return r;
}

static void every_c_type(SQLHSTMT st) {
  run(st, "DROP TABLE IF EXISTS odbc_p");
  run(st,
      "CREATE TABLE odbc_p (i int, u bigint, bi bigint, ub numeric, si smallint, us int, "
      "st smallint, ut smallint, l int, sh smallint, ti smallint, d float8, r real, b bool, "
      "t text, w text, by bytea, dt date, tm time, ts timestamp, n numeric(20,5), g uuid, "
      "od date, ots timestamp, def int, nul text, vlen varchar(20))");
  const char *ins =
      "INSERT INTO odbc_p VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?)";
  CHECK(SQLPrepare(st, (SQLCHAR *)ins, SQL_NTS) == SQL_SUCCESS);
  SQLSMALLINT np = 0;
  CHECK(SQLNumParams(st, &np) == SQL_SUCCESS && np == 27);

  SQLINTEGER i = -42;
  SQLUINTEGER u = 4000000000u;
  SQLBIGINT bi = -9000000000000000000LL;
  SQLUBIGINT ub = 18000000000000000000ULL;
  SQLSMALLINT si = -300;
  SQLUSMALLINT us = 65535;
  SQLSCHAR sti = -5;
  SQLCHAR uti = 255;
  SQLINTEGER l = 7;
  SQLSMALLINT sh = 8;
  SQLSCHAR ti = 9;
  SQLDOUBLE d = 3.25;
  SQLREAL r = 1.5f;
  unsigned char b = 1;
  char t[] = "h\xc3\xa9llo";
  SQLWCHAR w[] = {'h', 0x20ac, 0xd83d, 0xde00, 0}; /* h€😀 */
  unsigned char by[] = {0, 1, 0, 255};
  SQLLEN by_len = 4;
  SQL_DATE_STRUCT dt = {2024, 2, 29};
  SQL_TIME_STRUCT tm = {13, 14, 15};
  SQL_TIMESTAMP_STRUCT ts = {2024, 2, 29, 13, 14, 15, 123456000};
  SQL_NUMERIC_STRUCT n;
  memset(&n, 0, sizeof n);
  n.precision = 20;
  n.scale = 5;
  n.sign = 0;
  unsigned long long mag = 1234567890123ULL;
  for (int k = 0; k < 8; k++) n.val[k] = (SQLCHAR)(mag >> (8 * k));
  SQLGUID g = {0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
  DATE_STRUCT od = {1999, 12, 31};
  TIMESTAMP_STRUCT ots = {1999, 12, 31, 23, 59, 58, 0};
  SQLINTEGER def = 11;
  SQLLEN null_ind = SQL_NULL_DATA, nts = SQL_NTS, three = 3;
  char vlen[] = "abcdef";

  int k = 1;
  CHECK(bind(st, k++, SQL_C_SLONG, SQL_INTEGER, &i, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_ULONG, SQL_BIGINT, &u, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_SBIGINT, SQL_BIGINT, &bi, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_UBIGINT, SQL_NUMERIC, &ub, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_SSHORT, SQL_SMALLINT, &si, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_USHORT, SQL_INTEGER, &us, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_STINYINT, SQL_TINYINT, &sti, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_UTINYINT, SQL_SMALLINT, &uti, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_LONG, SQL_INTEGER, &l, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_SHORT, SQL_SMALLINT, &sh, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_TINYINT, SQL_TINYINT, &ti, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_DOUBLE, SQL_DOUBLE, &d, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_FLOAT, SQL_REAL, &r, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_BIT, SQL_BIT, &b, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_CHAR, SQL_VARCHAR, t, sizeof t, &nts) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_WCHAR, SQL_WVARCHAR, w, sizeof w, &nts) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_BINARY, SQL_VARBINARY, by, sizeof by, &by_len) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_TYPE_DATE, SQL_TYPE_DATE, &dt, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_TYPE_TIME, SQL_TYPE_TIME, &tm, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, &ts, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_NUMERIC, SQL_NUMERIC, &n, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_GUID, SQL_GUID, &g, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_DATE, SQL_DATE, &od, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_TIMESTAMP, SQL_TIMESTAMP, &ots, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_DEFAULT, SQL_INTEGER, &def, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_CHAR, SQL_VARCHAR, t, sizeof t, &null_ind) == SQL_SUCCESS);
  CHECK(bind(st, k++, SQL_C_CHAR, SQL_VARCHAR, vlen, sizeof vlen, &three) == SQL_SUCCESS);
  SQLRETURN rc = SQLExecute(st);
  if (rc != SQL_SUCCESS) fprintf(stderr, "params.c: execute: [%s] %s\n", diag(SQL_HANDLE_STMT, st), msg);
  CHECK(rc == SQL_SUCCESS);
  SQLLEN rows = 0;
  CHECK(SQLRowCount(st, &rows) == SQL_SUCCESS && rows == 1);
  /* Again, with another value: the same prepared statement. */
  i = -43;
  CHECK(SQLExecute(st) == SQL_SUCCESS);
  SQLFreeStmt(st, SQL_RESET_PARAMS);

  const char *q =
      "SELECT i::text, u::text, bi::text, ub::text, si::text, us::text, st::text, ut::text, "
      "l::text, sh::text, ti::text, d::text, r::text, b::text, t, w, encode(by, 'hex'), "
      "dt::text, tm::text, ts::text, n::text, g::text, od::text, ots::text, def::text, "
      "(nul IS NULL)::text, vlen FROM odbc_p WHERE i = -42";
  const char *want[] = {"-42", "4000000000", "-9000000000000000000", "18000000000000000000",
                        "-300", "65535", "-5", "255", "7", "8", "9", "3.25", "1.5", "true",
                        "h\xc3\xa9llo", "h\xe2\x82\xac\xf0\x9f\x98\x80", "000100ff",
                        "2024-02-29", "13:14:15", "2024-02-29 13:14:15.123456",
                        "-12345678.90123", "12345678-9abc-def0-0123-456789abcdef",
                        "1999-12-31", "1999-12-31 23:59:58", "11", "true", "abc"};
  for (int c = 0; c < 27; c++) EQ(st, q, c + 1, want[c]);
  EQ(st, "SELECT count(*) FROM odbc_p", 1, "2");
}

static void data_at_exec(SQLHSTMT st) {
  run(st, "DROP TABLE IF EXISTS odbc_dae");
  run(st, "CREATE TABLE odbc_dae (id int, t text, b bytea)");
  CHECK(SQLPrepare(st, (SQLCHAR *)"INSERT INTO odbc_dae VALUES (?, ?, ?)", SQL_NTS) == SQL_SUCCESS);
  SQLINTEGER id = 1;
  SQLLEN dae_t = SQL_DATA_AT_EXEC, dae_b = SQL_LEN_DATA_AT_EXEC(6);
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, &id, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, 2, SQL_C_CHAR, SQL_LONGVARCHAR, (void *)2, 0, &dae_t) == SQL_SUCCESS);
  CHECK(bind(st, 3, SQL_C_BINARY, SQL_LONGVARBINARY, (void *)3, 0, &dae_b) == SQL_SUCCESS);
  /* Out of sequence before the execution. */
  CHECK(SQLPutData(st, "x", 1) == SQL_ERROR && strcmp(diag(SQL_HANDLE_STMT, st), "HY010") == 0);
  CHECK(SQLExecute(st) == SQL_NEED_DATA);
  /* Another execution while waiting is a sequence error. */
  CHECK(SQLExecute(st) == SQL_ERROR && strcmp(diag(SQL_HANDLE_STMT, st), "HY010") == 0);
  SQLPOINTER token = NULL;
  CHECK(SQLParamData(st, &token) == SQL_NEED_DATA && token == (void *)2);
  CHECK(SQLPutData(st, "hello, ", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLPutData(st, "w\xc3\xb6rld", 6) == SQL_SUCCESS);
  CHECK(SQLPutData(st, "!", 1) == SQL_SUCCESS);
  CHECK(SQLParamData(st, &token) == SQL_NEED_DATA && token == (void *)3);
  unsigned char zeros[] = {0, 0, 1, 0, 0, 2};
  CHECK(SQLPutData(st, zeros, 2) == SQL_SUCCESS);
  CHECK(SQLPutData(st, zeros + 2, 4) == SQL_SUCCESS);
  SQLRETURN r = SQLParamData(st, &token);
  if (r != SQL_SUCCESS) fprintf(stderr, "params.c: paramdata: [%s] %s\n", diag(SQL_HANDLE_STMT, st), msg);
  CHECK(r == SQL_SUCCESS);
  CHECK(SQLParamData(st, &token) == SQL_ERROR && strcmp(diag(SQL_HANDLE_STMT, st), "HY010") == 0);
  /* NULL at execution. */
  id = 2;
  CHECK(SQLExecute(st) == SQL_NEED_DATA);
  CHECK(SQLParamData(st, &token) == SQL_NEED_DATA);
  CHECK(SQLPutData(st, NULL, SQL_NULL_DATA) == SQL_SUCCESS);
  CHECK(SQLParamData(st, &token) == SQL_NEED_DATA);
  CHECK(SQLPutData(st, "", 0) == SQL_SUCCESS);
  CHECK(SQLParamData(st, &token) == SQL_SUCCESS);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  /* Through SQLExecDirect, wide text in pieces. */
  id = 3;
  SQLLEN dae_w = SQL_DATA_AT_EXEC;
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, &id, 0, NULL) == SQL_SUCCESS);
  CHECK(bind(st, 2, SQL_C_WCHAR, SQL_WLONGVARCHAR, (void *)7, 0, &dae_w) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO odbc_dae (id, t) VALUES (?, ?)", SQL_NTS) == SQL_NEED_DATA);
  CHECK(SQLParamData(st, &token) == SQL_NEED_DATA && token == (void *)7);
  SQLWCHAR w1[] = {'a', 0xd83d}, w2[] = {0xde00, 'z'}; /* a😀z, the pair split across calls */
  CHECK(SQLPutData(st, w1, sizeof w1) == SQL_SUCCESS);
  CHECK(SQLPutData(st, w2, sizeof w2) == SQL_SUCCESS);
  CHECK(SQLParamData(st, &token) == SQL_SUCCESS);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  EQ(st, "SELECT t FROM odbc_dae WHERE id = 3", 1, "a\xf0\x9f\x98\x80z");
  EQ(st, "SELECT t FROM odbc_dae WHERE id = 1", 1, "hello, w\xc3\xb6rld!");
  EQ(st, "SELECT encode(b, 'hex') FROM odbc_dae WHERE id = 1", 1, "000001000002");
  EQ(st, "SELECT (t IS NULL)::text, length(b) FROM odbc_dae WHERE id = 2", 1, "true");
  EQ(st, "SELECT (t IS NULL)::text, length(b) FROM odbc_dae WHERE id = 2", 2, "0");
}

static void describe(SQLHSTMT st) {
  CHECK(SQLPrepare(st, (SQLCHAR *)"SELECT ?::int4 + 1, ?::int8, ?::text, ?::numeric(10,2)", SQL_NTS) ==
        SQL_SUCCESS);
  SQLSMALLINT np = 0, type = 0, dec = 0, nullable = 0;
  SQLULEN size = 0;
  CHECK(SQLNumParams(st, &np) == SQL_SUCCESS && np == 4);
  CHECK(SQLDescribeParam(st, 1, &type, &size, &dec, &nullable) == SQL_SUCCESS);
  CHECK(type == SQL_INTEGER && size == 10 && nullable == SQL_NULLABLE_UNKNOWN);
  CHECK(SQLDescribeParam(st, 2, &type, &size, &dec, &nullable) == SQL_SUCCESS && type == SQL_BIGINT);
  CHECK(SQLDescribeParam(st, 3, &type, &size, &dec, &nullable) == SQL_SUCCESS);
  CHECK(type == SQL_LONGVARCHAR && size == 8190);
  CHECK(SQLDescribeParam(st, 4, &type, &size, &dec, &nullable) == SQL_SUCCESS && type == SQL_NUMERIC);
  CHECK(SQLDescribeParam(st, 5, &type, &size, &dec, &nullable) == SQL_ERROR &&
        strcmp(diag(SQL_HANDLE_STMT, st), "07009") == 0);
  CHECK(SQLDescribeParam(st, 0, &type, &size, &dec, &nullable) == SQL_ERROR &&
        strcmp(diag(SQL_HANDLE_STMT, st), "07009") == 0);
  /* Execute with parameters unbound. */
  CHECK(SQLExecute(st) == SQL_ERROR && strcmp(diag(SQL_HANDLE_STMT, st), "07002") == 0);
  SQLFreeStmt(st, SQL_CLOSE);
}

static void not_interpolated(SQLHSTMT st) {
  const char *evil = "x'); DROP TABLE odbc_p; -- $1 ? \\' {fn now()}";
  SQLLEN nts = SQL_NTS;
  CHECK(bind(st, 1, SQL_C_CHAR, SQL_VARCHAR, (void *)evil, 0, &nts) == SQL_SUCCESS);
  /* SQLExecDirect with a bound parameter. */
  CHECK(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO odbc_p (i, t) VALUES (100, ?)", SQL_NTS) == SQL_SUCCESS);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  EQ(st, "SELECT t FROM odbc_p WHERE i = 100", 1, evil);
  EQ(st, "SELECT count(*) FROM odbc_p", 1, "3");
  /* A '?' in a string literal and in a comment is not a marker. */
  SQLINTEGER v = 5;
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, &v, 0, NULL) == SQL_SUCCESS);
  EQ(st, "SELECT '?' || ? /* ? */ || $$?$$", 1, "?5?");
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  /* Without bound parameters, a jsonb '?' operator reaches the server. */
  EQ(st, "SELECT ('{\"a\":1}'::jsonb ? 'a')::text", 1, "true");
}

static void wide_and_errors(SQLHSTMT st) {
  SQLWCHAR bad[] = {'a', 0xd800, 'b', 0};
  SQLLEN nts = SQL_NTS;
  CHECK(bind(st, 1, SQL_C_WCHAR, SQL_WVARCHAR, bad, sizeof bad, &nts) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SELECT ?", SQL_NTS) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "22018") == 0);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  SQLINTEGER v = 1;
  CHECK(SQLBindParameter(st, 0, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &v, 0, NULL) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "07009") == 0);
  CHECK(SQLBindParameter(st, 1, SQL_PARAM_INPUT, 1234, SQL_INTEGER, 0, 0, &v, 0, NULL) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "HY003") == 0);
  CHECK(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, 1234, 0, 0, &v, 0, NULL) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "HY004") == 0);
  CHECK(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 0, 0, &v, -5, NULL) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "HY090") == 0);
  /* A server error keeps its SQLSTATE. */
  char word[] = "nope";
  CHECK(bind(st, 1, SQL_C_CHAR, SQL_INTEGER, word, sizeof word, &nts) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SELECT ?", SQL_NTS) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "22P02") == 0);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  /* A prepared statement whose bound type the server cannot use (int4
   * against a text column) runs with the type the server resolved. */
  CHECK(SQLPrepare(st, (SQLCHAR *)"SELECT count(*) FROM odbc_p WHERE t = ?", SQL_NTS) == SQL_SUCCESS);
  SQLINTEGER num = 5;
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, &num, 0, NULL) == SQL_SUCCESS);
  for (int k = 0; k < 2; k++) {
    SQLRETURN rr = SQLExecute(st);
    if (rr != SQL_SUCCESS) fprintf(stderr, "params.c: int4 vs text: [%s] %s\n", diag(SQL_HANDLE_STMT, st), msg);
    CHECK(rr == SQL_SUCCESS);
    SQLCloseCursor(st);
  }
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  /* SQLParamData with nothing waiting. */
  SQLPOINTER token;
  CHECK(SQLParamData(st, &token) == SQL_ERROR && strcmp(diag(SQL_HANDLE_STMT, st), "HY010") == 0);
}

static void escapes(SQLHDBC dbc, SQLHSTMT st) {
  EQ(st, "SELECT {fn UCASE('abc')}, {fn CONCAT('a', 'b')}", 1, "ABC");
  EQ(st, "SELECT {fn UCASE('abc')}, {fn CONCAT('a', 'b')}", 2, "ab");
  EQ(st, "SELECT {d '2024-01-02'}::text, {ts '2024-01-02 03:04:05'}::text, {t '03:04:05'}::text", 1,
     "2024-01-02");
  EQ(st, "SELECT {d '2024-01-02'}::text, {ts '2024-01-02 03:04:05'}::text, {t '03:04:05'}::text", 2,
     "2024-01-02 03:04:05");
  EQ(st, "SELECT {d '2024-01-02'}::text, {ts '2024-01-02 03:04:05'}::text, {t '03:04:05'}::text", 3,
     "03:04:05");
  EQ(st, "SELECT {fn IFNULL(NULL, 7)}, {fn LOCATE('c', 'abcd')}, {fn LENGTH('héllo')}", 1, "7");
  EQ(st, "SELECT {fn IFNULL(NULL, 7)}, {fn LOCATE('c', 'abcd')}, {fn LENGTH('héllo')}", 2, "3");
  EQ(st, "SELECT {fn IFNULL(NULL, 7)}, {fn LOCATE('c', 'abcd')}, {fn LENGTH('héllo')}", 3, "5");
  EQ(st, "SELECT {fn YEAR({d '2024-05-06'})}, {fn MONTH({d '2024-05-06'})}, {fn DAYNAME({d '2024-05-06'})}",
     3, "Monday");
  EQ(st, "SELECT {fn YEAR({d '2024-05-06'})}, {fn MONTH({d '2024-05-06'})}", 1, "2024");
  EQ(st, "SELECT {fn TIMESTAMPADD(SQL_TSI_DAY, 3, {ts '2024-01-30 00:00:00'})}::text", 1,
     "2024-02-02 00:00:00");
  EQ(st, "SELECT {fn TIMESTAMPDIFF(SQL_TSI_MONTH, {d '2024-01-15'}, {d '2024-04-14'})}", 1, "2");
  EQ(st, "SELECT {fn TIMESTAMPDIFF(SQL_TSI_DAY, {d '2024-02-27'}, {d '2024-03-01'})}", 1, "3");
  EQ(st, "SELECT {fn TIMESTAMPDIFF(SQL_TSI_MINUTE, {ts '2024-01-01 10:00:00'}, {ts '2024-01-01 09:30:30'})}", 1,
     "-29");
  EQ(st, "SELECT {fn CONVERT('42', SQL_INTEGER)} + 1, {fn MOD(7, 3)}, {fn DATABASE()}", 1, "43");
  EQ(st, "SELECT {fn CONVERT('42', SQL_INTEGER)} + 1, {fn MOD(7, 3)}, {fn DATABASE()}", 3, "postgres");
  EQ(st, "SELECT {fn INSERT('abcdef', 2, 3, 'X')}, {fn SPACE(2)} || '|'", 1, "aXef");
  EQ(st, "SELECT {fn INSERT('abcdef', 2, 3, 'X')}, {fn SPACE(2)} || '|'", 2, "  |");
  EQ(st, "SELECT '{fn UCASE(x)}'", 1, "{fn UCASE(x)}");
  EQ(st, "SELECT x FROM {oj (VALUES (1)) a(x) LEFT OUTER JOIN (VALUES (2)) b(y) ON a.x = b.y}", 1, "1");
  EQ(st, "SELECT ('a_b' LIKE 'a\\_b' {escape '\\'})::text", 1, "true");
  EQ(st, "{call upper('q')}", 1, "Q");
  EQ(st, "SELECT {INTERVAL '2' DAY}::text", 1, "2 days");
  /* The return value of {? = call …} goes to parameter 1. */
  char ret[16] = "";
  SQLLEN ret_ind = 0, nts = SQL_NTS;
  char arg[] = "abc";
  CHECK(SQLBindParameter(st, 1, SQL_PARAM_OUTPUT, SQL_C_CHAR, SQL_VARCHAR, 15, 0, ret, sizeof ret, &ret_ind) ==
        SQL_SUCCESS);
  CHECK(bind(st, 2, SQL_C_CHAR, SQL_VARCHAR, arg, sizeof arg, &nts) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"{? = call upper(?)}", SQL_NTS) == SQL_SUCCESS);
  CHECK(strcmp(ret, "ABC") == 0 && ret_ind == 3);
  SQLCloseCursor(st);
  CHECK(SQLPrepare(st, (SQLCHAR *)"{ ? = call lower(?) }", SQL_NTS) == SQL_SUCCESS);
  SQLSMALLINT np = 0;
  CHECK(SQLNumParams(st, &np) == SQL_SUCCESS && np == 2);
  CHECK(SQLExecute(st) == SQL_SUCCESS);
  CHECK(strcmp(ret, "abc") == 0);
  SQLCloseCursor(st);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  /* A function PostgreSQL lacks is named in the error. */
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SELECT {fn FROBNICATE(1)}", SQL_NTS) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strstr(msg, "FROBNICATE") != NULL);
  /* With SQL_ATTR_NOSCAN the braces reach the server (which rejects them). */
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_ON, 0) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SELECT {fn UCASE('a')}", SQL_NTS) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "42601") == 0);
  SQLSetStmtAttr(st, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_OFF, 0);
  /* Parameters inside escapes. */
  SQLINTEGER v = 3;
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, &v, 0, NULL) == SQL_SUCCESS);
  EQ(st, "SELECT {fn ABS(-?)} + {fn POWER(2, 3)}", 1, "11");
  SQLFreeStmt(st, SQL_RESET_PARAMS);

  char out[256];
  SQLINTEGER len = 0;
  const char *in = "SELECT {fn LCASE('A')}, {d '2024-01-02'} WHERE x = ?";
  CHECK(SQLNativeSql(dbc, (SQLCHAR *)in, SQL_NTS, (SQLCHAR *)out, sizeof out, &len) == SQL_SUCCESS);
  CHECK(strcmp(out, "SELECT lower('A'), DATE '2024-01-02' WHERE x = ?") == 0);
  CHECK(len == (SQLINTEGER)strlen(out));
  CHECK(SQLNativeSql(dbc, (SQLCHAR *)in, SQL_NTS, (SQLCHAR *)out, 8, &len) == SQL_SUCCESS_WITH_INFO);
  CHECK(len == (SQLINTEGER)strlen("SELECT lower('A'), DATE '2024-01-02' WHERE x = ?"));
}

#define N 1000

static void arrays(SQLHSTMT st) {
  if (!SQL_SUCCEEDED(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(SQLULEN)N, 0))) {
    CHECK(!"SQL_ATTR_PARAMSET_SIZE is settable");
    return;
  }
  run(st, "DROP TABLE IF EXISTS odbc_arr");
  SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
  run(st, "CREATE TABLE odbc_arr (id int PRIMARY KEY, name text)");
  static SQLINTEGER ids[N];
  static char names[N][16];
  static SQLLEN id_ind[N], name_ind[N];
  static SQLUSMALLINT status[N];
  SQLULEN processed = 0;
  for (int k = 0; k < N; k++) {
    ids[k] = k == 500 ? 499 : k; /* row 501 repeats a key */
    snprintf(names[k], sizeof names[k], "name %d", k);
    id_ind[k] = 0;
    name_ind[k] = SQL_NTS;
  }
  name_ind[7] = SQL_NULL_DATA;
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(SQLULEN)N, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAM_BIND_TYPE, SQL_PARAM_BIND_BY_COLUMN, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0) == SQL_SUCCESS);
  CHECK(SQLPrepare(st, (SQLCHAR *)"INSERT INTO odbc_arr VALUES (?, ?)", SQL_NTS) == SQL_SUCCESS);
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, ids, 0, id_ind) == SQL_SUCCESS);
  CHECK(bind(st, 2, SQL_C_CHAR, SQL_VARCHAR, names, sizeof names[0], name_ind) == SQL_SUCCESS);
  CHECK(SQLExecute(st) == SQL_ERROR);
  CHECK(strcmp(diag(SQL_HANDLE_STMT, st), "23505") == 0);
  CHECK(processed == N);
  int ok = 0;
  for (int k = 0; k < N; k++) ok += status[k] == SQL_PARAM_SUCCESS;
  CHECK(ok == N - 1 && status[500] == SQL_PARAM_ERROR);
  /* After SQL_ERROR the driver manager refuses SQLRowCount; the table's
   * count below shows which sets ran. */
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, NULL, 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, NULL, 0);
  EQ(st, "SELECT count(*), count(name) FROM odbc_arr", 1, "999");
  EQ(st, "SELECT count(*), count(name) FROM odbc_arr", 2, "998");
  EQ(st, "SELECT name FROM odbc_arr WHERE id = 999", 1, "name 999");

  /* Row-wise, with a bind offset and one set ignored. */
  struct row {
    SQLINTEGER id;
    SQLLEN id_ind;
    char name[8];
    SQLLEN name_ind;
  } r[4] = {{0, 0, "", SQL_NULL_DATA}, {2001, 0, "a", SQL_NTS}, {2002, 0, "b", SQL_NTS}, {2003, 0, "c", SQL_NTS}};
  SQLUSMALLINT ops[3] = {SQL_PARAM_PROCEED, SQL_PARAM_IGNORE, SQL_PARAM_PROCEED};
  SQLLEN offset = sizeof(struct row); /* the bindings point at r[0], the sets are r[1..3] */
  struct row *base = &r[0];
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAM_BIND_TYPE, (SQLPOINTER)sizeof(struct row), 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAM_BIND_OFFSET_PTR, &offset, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAM_OPERATION_PTR, ops, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status, 0) == SQL_SUCCESS);
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, &base->id, 0, &base->id_ind) == SQL_SUCCESS);
  CHECK(bind(st, 2, SQL_C_CHAR, SQL_VARCHAR, base->name, sizeof base->name, &base->name_ind) ==
        SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO odbc_arr VALUES (?, ?)", SQL_NTS) == SQL_SUCCESS);
  CHECK(status[0] == SQL_PARAM_SUCCESS && status[1] == SQL_PARAM_UNUSED && status[2] == SQL_PARAM_SUCCESS);
  SQLLEN rows = 0;
  CHECK(SQLRowCount(st, &rows) == SQL_SUCCESS && rows == 2);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAM_BIND_TYPE, SQL_PARAM_BIND_BY_COLUMN, 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAM_BIND_OFFSET_PTR, NULL, 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAM_OPERATION_PTR, NULL, 0);
  SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, NULL, 0);
  EQ(st, "SELECT string_agg(name, ',' ORDER BY id) FROM odbc_arr WHERE id > 2000", 1, "a,c");
  run(st, "DROP TABLE odbc_arr");
}

/* A prepared read-only SELECT is routed as its text: with READ_MOSTLY
 * and PRIMARY_SHARE=0 it reaches the standby once the standby has
 * replayed the function it calls. */
static void standby(SQLHENV env, const char *conn) {
  SQLHDBC dbc;
  SQLHSTMT st;
  char cs[2048];
  snprintf(cs, sizeof cs, "%s;PRIMARY_SHARE=0", conn);
  CHECK(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc) == SQL_SUCCESS);
  if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT))) {
    fprintf(stderr, "params.c: connect with PRIMARY_SHARE=0: [%s] %s\n", diag(SQL_HANDLE_DBC, dbc), msg);
    failures++;
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    return;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st) == SQL_SUCCESS);
  run(st,
      "CREATE OR REPLACE FUNCTION odbc_on_standby(int) RETURNS text STABLE LANGUAGE sql "
      "AS 'SELECT pg_is_in_recovery()::text || $1'");
  CHECK(SQLPrepare(st, (SQLCHAR *)"SELECT odbc_on_standby(?)", SQL_NTS) == SQL_SUCCESS);
  SQLINTEGER v = 1;
  CHECK(bind(st, 1, SQL_C_SLONG, SQL_INTEGER, &v, 0, NULL) == SQL_SUCCESS);
  char buf[64] = "";
  SQLLEN ind = 0;
  time_t deadline = time(NULL) + 20;
  int seen = 0;
  while (!seen && time(NULL) < deadline) {
    if (!SQL_SUCCEEDED(SQLExecute(st))) {
      fprintf(stderr, "params.c: standby read: [%s] %s\n", diag(SQL_HANDLE_STMT, st), msg);
      break;
    }
    if (SQLFetch(st) == SQL_SUCCESS && SQL_SUCCEEDED(SQLGetData(st, 1, SQL_C_CHAR, buf, sizeof buf, &ind)))
      seen = strcmp(buf, "true1") == 0;
    SQLCloseCursor(st);
    if (!seen) {
      struct timespec ts = {0, 50 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  if (!seen) fprintf(stderr, "params.c: the prepared SELECT never ran on the standby (last: %s)\n", buf);
  CHECK(seen);
  SQLFreeStmt(st, SQL_RESET_PARAMS);
  run(st, "DROP FUNCTION odbc_on_standby(int)");
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

int main(int argc, char **argv) {
  SQLHENV env;
  SQLHDBC dbc;
  SQLHSTMT st;
  if (argc != 2) {
    fprintf(stderr, "usage: params CONNECTION-STRING\n");
    return 2;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env) == SQL_SUCCESS);
  CHECK(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0) == SQL_SUCCESS);
  CHECK(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc) == SQL_SUCCESS);
  SQLRETURN r = SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
  if (!SQL_SUCCEEDED(r)) {
    fprintf(stderr, "connect failed: [%s] %s\n", diag(SQL_HANDLE_DBC, dbc), msg);
    return 1;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st) == SQL_SUCCESS);

  every_c_type(st);
  data_at_exec(st);
  describe(st);
  not_interpolated(st);
  wide_and_errors(st);
  escapes(dbc, st);
  arrays(st);
  standby(env, argv[1]);

  run(st, "DROP TABLE IF EXISTS odbc_p");
  run(st, "DROP TABLE IF EXISTS odbc_dae");
  CHECK(SQLFreeHandle(SQL_HANDLE_STMT, st) == SQL_SUCCESS);
  CHECK(SQLDisconnect(dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_DBC, dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_ENV, env) == SQL_SUCCESS);
  if (failures) {
    fprintf(stderr, "params.c: %d checks failed\n", failures);
    return 1;
  }
  printf("params.c: all checks passed\n");
  return 0;
}
