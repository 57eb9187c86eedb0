/* Fetching through unixODBC's libodbc and pgtc's driver: row arrays
 * bound column-wise and row-wise (with a bind offset), row statuses and
 * counts, truncation, NULL without an indicator, SQLFetchScroll, every C
 * type from matching PostgreSQL types, statement attributes (pgtc's
 * SQL_ATTR_PGTC_LAST_SERVER included), descriptors, the query timeout and
 * SQLCancel from another thread. Usage: fetch "CONNECTION STRING" (with
 * PREFERRED_ACCESS=READ_MOSTLY). */
#include <pthread.h>
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../include/pgtc_odbc.h"

static int failures;
static SQLHDBC dbc_of_test;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "fetch.c:%d: check failed: %s\n", __LINE__, #cond); \
      failures++;                                                       \
    }                                                                   \
  } while (0)

static char state[6], msg[1024];

static void diag(SQLSMALLINT type, SQLHANDLE h) {
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  state[0] = 0;
  msg[0] = 0;
  SQLGetDiagRec(type, h, 1, (SQLCHAR *)state, &native, (SQLCHAR *)msg, sizeof msg, &len);
}

/* Whether record `rec` of the statement has SQLSTATE `want`. */
static int has_state(SQLHSTMT st, const char *want) {
  for (SQLSMALLINT rec = 1; rec < 50; rec++) {
    SQLCHAR s[6];
    SQLINTEGER native;
    SQLCHAR m[512];
    SQLSMALLINT len;
    if (!SQL_SUCCEEDED(SQLGetDiagRec(SQL_HANDLE_STMT, st, rec, s, &native, m, sizeof m, &len)))
      return 0;
    if (strcmp((char *)s, want) == 0)
      return 1;
  }
  return 0;
}

static SQLRETURN exec(SQLHSTMT st, const char *sql) {
  SQLRETURN r = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
  if (!SQL_SUCCEEDED(r) && r != SQL_NO_DATA) {
    diag(SQL_HANDLE_STMT, st);
    fprintf(stderr, "%s: [%s] %s\n", sql, state, msg);
  }
  return r;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void pause_a_little(void) {
  struct timespec t = {0, 20 * 1000 * 1000};
  nanosleep(&t, NULL);
}

static void last_server(SQLHSTMT st, char *out, size_t cap) {
  SQLINTEGER len = 0;
  out[0] = 0;
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_PGTC_LAST_SERVER, out, (SQLINTEGER)cap, &len) == SQL_SUCCESS);
  CHECK(len == (SQLINTEGER)strlen(out));
}

/* Seven rows, three at a time, bound column-wise: 3, 3, 1, then no
 * data; names cut to their buffer with the full length reported. */
static void column_wise(SQLHSTMT st) {
  SQLINTEGER id[3];
  SQLLEN id_ind[3];
  char name[3][6];
  SQLLEN name_ind[3];
  SQLUSMALLINT status[3];
  SQLULEN fetched = 99;
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)3, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT g, CASE WHEN g = 5 THEN 'row-long' WHEN g = 6 THEN NULL ELSE 'row' || g END "
                 "FROM generate_series(1, 7) g") == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 1, SQL_C_SLONG, id, 0, id_ind) == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 2, SQL_C_CHAR, name, sizeof name[0], name_ind) == SQL_SUCCESS);

  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(fetched == 3);
  CHECK(id[0] == 1 && id[1] == 2 && id[2] == 3);
  CHECK(strcmp(name[0], "row1") == 0 && strcmp(name[2], "row3") == 0);
  CHECK(name_ind[1] == 4 && id_ind[1] == 4);
  CHECK(status[0] == SQL_ROW_SUCCESS && status[2] == SQL_ROW_SUCCESS);

  CHECK(SQLFetch(st) == SQL_SUCCESS_WITH_INFO);
  CHECK(has_state(st, "01004"));
  CHECK(fetched == 3);
  CHECK(id[0] == 4 && id[1] == 5 && id[2] == 6);
  CHECK(strcmp(name[1], "row-l") == 0 && name_ind[1] == 8);
  CHECK(name_ind[2] == SQL_NULL_DATA);
  CHECK(status[0] == SQL_ROW_SUCCESS && status[1] == SQL_ROW_SUCCESS_WITH_INFO && status[2] == SQL_ROW_SUCCESS);

  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(fetched == 1 && id[0] == 7);
  CHECK(status[0] == SQL_ROW_SUCCESS && status[1] == SQL_ROW_NOROW && status[2] == SQL_ROW_NOROW);
  CHECK(SQLFetch(st) == SQL_NO_DATA);
  CHECK(fetched == 0);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, NULL, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, NULL, 0) == SQL_SUCCESS);
}

/* 2500 rows, three at a time: when the result streams (Fetch rows a
 * batch), rowsets span the batches' ends; MAX_ROWS counts across them. */
static void across_batches(SQLHSTMT st) {
  SQLINTEGER id[3];
  SQLLEN ind[3];
  SQLUSMALLINT status[3];
  SQLULEN fetched = 0;
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)3, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0) == SQL_SUCCESS);
  for (int limit = 0; limit <= 1001; limit += 1001) {
    CHECK(SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)(SQLULEN)limit, 0) == SQL_SUCCESS);
    CHECK(exec(st, "SELECT g FROM generate_series(1, 2500) g") == SQL_SUCCESS);
    CHECK(SQLBindCol(st, 1, SQL_C_SLONG, id, 0, ind) == SQL_SUCCESS);
    int next = 1, bad = 0;
    SQLRETURN r;
    while ((r = SQLFetch(st)) == SQL_SUCCESS) {
      for (SQLULEN i = 0; i < fetched; i++, next++)
        bad += id[i] != next || status[i] != SQL_ROW_SUCCESS;
      for (SQLULEN i = fetched; i < 3; i++)
        bad += status[i] != SQL_ROW_NOROW;
    }
    CHECK(r == SQL_NO_DATA && bad == 0);
    CHECK(next == (limit ? limit : 2500) + 1);
    CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  }
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)0, 0) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, NULL, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, NULL, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0) == SQL_SUCCESS);
}

/* The same rows bound row-wise, through SQLFetchScroll, into elements
 * 1..3 of a four-element array by way of the bind offset. */
struct row {
  SQLINTEGER id;
  SQLLEN id_ind;
  char name[8];
  SQLLEN name_ind;
};

static void row_wise(SQLHSTMT st) {
  struct row rows[4];
  SQLLEN offset = sizeof(struct row);
  SQLUSMALLINT status[3];
  SQLULEN fetched = 0;
  memset(rows, 0, sizeof rows);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)3, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)sizeof(struct row), 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_OFFSET_PTR, &offset, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0) == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 1, SQL_C_SLONG, &rows[0].id, 0, &rows[0].id_ind) == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 2, SQL_C_CHAR, rows[0].name, sizeof rows[0].name, &rows[0].name_ind) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT g, 'r' || g FROM generate_series(1, 7) g") == SQL_SUCCESS);
  int seen = 0;
  SQLRETURN r;
  while ((r = SQLFetchScroll(st, SQL_FETCH_NEXT, 0)) == SQL_SUCCESS) {
    CHECK(rows[0].id == 0); /* the offset skips element 0 */
    for (SQLULEN i = 0; i < fetched; i++) {
      seen++;
      CHECK(rows[i + 1].id == seen);
      char want[16];
      snprintf(want, sizeof want, "r%d", seen);
      CHECK(strcmp(rows[i + 1].name, want) == 0);
      CHECK(rows[i + 1].name_ind == (SQLLEN)strlen(want));
      CHECK(status[i] == SQL_ROW_SUCCESS);
    }
  }
  CHECK(r == SQL_NO_DATA);
  CHECK(seen == 7 && fetched == 0);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)SQL_BIND_BY_COLUMN, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_OFFSET_PTR, NULL, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, NULL, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, NULL, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0) == SQL_SUCCESS);
}

/* Scrolling other than forward, NULL without an indicator, MAX_ROWS. */
static void errors_and_limits(SQLHSTMT st) {
  CHECK(exec(st, "SELECT g FROM generate_series(1, 3) g") == SQL_SUCCESS);
  CHECK(SQLFetchScroll(st, SQL_FETCH_NEXT, 0) == SQL_SUCCESS);
  CHECK(SQLFetchScroll(st, SQL_FETCH_FIRST, 0) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "HY106") == 0 && strstr(msg, "forward-only") != NULL);
  CHECK(SQLFetchScroll(st, SQL_FETCH_ABSOLUTE, 2) == SQL_ERROR);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);

  SQLINTEGER v = 0;
  CHECK(exec(st, "SELECT NULL::int") == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 1, SQL_C_SLONG, &v, 0, NULL) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "22002") == 0);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);

  CHECK(SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)2, 0) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT g FROM generate_series(1, 5) g") == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_NO_DATA);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)0, 0) == SQL_SUCCESS);

  char buf[32];
  SQLLEN ind = 0;
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_MAX_LENGTH, (SQLPOINTER)3, 0) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT 'abcdef'::text") == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(SQLGetData(st, 1, SQL_C_CHAR, buf, sizeof buf, &ind) == SQL_SUCCESS);
  CHECK(strcmp(buf, "abc") == 0 && ind == 3);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_MAX_LENGTH, (SQLPOINTER)0, 0) == SQL_SUCCESS);

  /* ODBC 2's SQLExtendedFetch, with SQL_ROWSET_SIZE rows at a time. */
  SQLINTEGER ids[2] = {0, 0};
  SQLLEN ids_ind[2];
  SQLULEN count = 0;
  SQLUSMALLINT rstatus[2];
  CHECK(SQLSetStmtOption(st, SQL_ROWSET_SIZE, 2) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT g FROM generate_series(1, 3) g") == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 1, SQL_C_SLONG, ids, 0, ids_ind) == SQL_SUCCESS);
  CHECK(SQLExtendedFetch(st, SQL_FETCH_NEXT, 0, &count, rstatus) == SQL_SUCCESS);
  CHECK(count == 2 && ids[0] == 1 && ids[1] == 2 && rstatus[1] == SQL_ROW_SUCCESS);
  CHECK(SQLExtendedFetch(st, SQL_FETCH_NEXT, 0, &count, rstatus) == SQL_SUCCESS);
  CHECK(count == 1 && ids[0] == 3 && rstatus[1] == SQL_ROW_NOROW);
  CHECK(SQLExtendedFetch(st, SQL_FETCH_NEXT, 0, &count, rstatus) == SQL_NO_DATA);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
  CHECK(SQLSetStmtOption(st, SQL_ROWSET_SIZE, 1) == SQL_SUCCESS);

  /* A column bound with an indicator and no buffer reports lengths. */
  SQLLEN only_len = 0;
  CHECK(exec(st, "SELECT 'twelve chars'") == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 1, SQL_C_CHAR, NULL, 0, &only_len) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS && only_len == 12);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);

  /* RETRIEVE_DATA off: the row is fetched, the buffers are left alone. */
  v = 77;
  SQLLEN vind = 0;
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_RETRIEVE_DATA, (SQLPOINTER)SQL_RD_OFF, 0) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT 5") == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 1, SQL_C_SLONG, &v, 0, &vind) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(v == 77);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_RETRIEVE_DATA, (SQLPOINTER)SQL_RD_ON, 0) == SQL_SUCCESS);
}

#define GET(col, type, var) SQLGetData(st, col, type, &(var), sizeof(var), &ind)
/* Reads column `col` again: a second SQLGetData of a column that is
 * read whole says SQL_NO_DATA, so another column is read in between. */
#define AGAIN(col, type, var) (away(st, col), GET(col, type, var))

static void away(SQLHSTMT st, SQLUSMALLINT col) {
  char scratch[64];
  SQLLEN ind;
  SQLGetData(st, col == 1 ? 2 : 1, SQL_C_CHAR, scratch, sizeof scratch, &ind);
}

static void c_types(SQLHSTMT st) {
  SQLLEN ind = 0;
  CHECK(exec(st, "SET TIME ZONE 'UTC'") == SQL_SUCCESS);
  CHECK(exec(st,
             "SELECT 42::int2, 42::int4, (-7)::int8, 18446744073709551615::numeric, 100::int2, "   /* 1-5 */
             "1.5::float4, 2.25::float8, 123.456::numeric(10,3), date '2024-02-29', "            /* 6-9 */
             "time '13:14:15', timestamp '2024-02-29 13:14:15.123456', "                          /* 10-11 */
             "timestamptz '2024-02-29 13:14:15+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, " /* 12-13 */
             "'\\x00ff10abcd'::bytea, true, 'h\xc3\xa9llo'::text, 'infinity'::timestamp, 300, 'abc', 2.5, "
             "(-1)::int4") == SQL_SUCCESS); /* 14-21 */
  CHECK(SQLFetch(st) == SQL_SUCCESS);

  SQLSMALLINT s16 = 0;
  SQLUSMALLINT u16 = 0;
  CHECK(GET(1, SQL_C_SSHORT, s16) == SQL_SUCCESS && s16 == 42 && ind == 2);
  CHECK(AGAIN(1, SQL_C_SHORT, s16) == SQL_SUCCESS && s16 == 42);
  CHECK(AGAIN(1, SQL_C_USHORT, u16) == SQL_SUCCESS && u16 == 42);
  SQLINTEGER s32 = 0;
  SQLUINTEGER u32 = 0;
  CHECK(GET(2, SQL_C_SLONG, s32) == SQL_SUCCESS && s32 == 42 && ind == 4);
  CHECK(AGAIN(2, SQL_C_LONG, s32) == SQL_SUCCESS && s32 == 42);
  CHECK(AGAIN(2, SQL_C_ULONG, u32) == SQL_SUCCESS && u32 == 42);
  SQLBIGINT s64 = 0;
  SQLUBIGINT u64 = 0;
  CHECK(GET(3, SQL_C_SBIGINT, s64) == SQL_SUCCESS && s64 == -7 && ind == 8);
  CHECK(GET(4, SQL_C_UBIGINT, u64) == SQL_SUCCESS && u64 == 18446744073709551615ULL);
  SQLSCHAR s8 = 0;
  SQLCHAR u8 = 0;
  CHECK(GET(5, SQL_C_STINYINT, s8) == SQL_SUCCESS && s8 == 100 && ind == 1);
  CHECK(AGAIN(5, SQL_C_TINYINT, s8) == SQL_SUCCESS && s8 == 100);
  CHECK(AGAIN(5, SQL_C_UTINYINT, u8) == SQL_SUCCESS && u8 == 100);
  SQLREAL f32 = 0;
  SQLDOUBLE f64 = 0;
  CHECK(GET(6, SQL_C_FLOAT, f32) == SQL_SUCCESS && f32 == 1.5f && ind == 4);
  CHECK(GET(7, SQL_C_DOUBLE, f64) == SQL_SUCCESS && f64 == 2.25);
  SQL_NUMERIC_STRUCT num;
  memset(&num, 0, sizeof num);
  CHECK(GET(8, SQL_C_NUMERIC, num) == SQL_SUCCESS);
  CHECK(num.precision == 6 && num.scale == 3 && num.sign == 1);
  CHECK(num.val[0] == (123456 & 0xff) && num.val[1] == ((123456 >> 8) & 0xff) && num.val[2] == (123456 >> 16));
  SQL_DATE_STRUCT d;
  CHECK(GET(9, SQL_C_TYPE_DATE, d) == SQL_SUCCESS && d.year == 2024 && d.month == 2 && d.day == 29);
  CHECK(AGAIN(9, SQL_C_DATE, d) == SQL_SUCCESS && d.day == 29);
  SQL_TIME_STRUCT t;
  CHECK(GET(10, SQL_C_TYPE_TIME, t) == SQL_SUCCESS && t.hour == 13 && t.minute == 14 && t.second == 15);
  SQL_TIMESTAMP_STRUCT ts;
  CHECK(GET(11, SQL_C_TYPE_TIMESTAMP, ts) == SQL_SUCCESS);
  CHECK(ts.year == 2024 && ts.month == 2 && ts.day == 29 && ts.hour == 13 && ts.second == 15);
  CHECK(ts.fraction == 123456000);
  CHECK(AGAIN(11, SQL_C_TYPE_DATE, d) == SQL_SUCCESS_WITH_INFO && has_state(st, "01S07"));
  CHECK(GET(12, SQL_C_TIMESTAMP, ts) == SQL_SUCCESS && ts.hour == 11 && ts.minute == 14);
  SQLGUID g;
  CHECK(GET(13, SQL_C_GUID, g) == SQL_SUCCESS);
  CHECK(g.Data1 == 0xa0eebc99 && g.Data2 == 0x9c0b && g.Data3 == 0x4ef8 && g.Data4[0] == 0xbb && g.Data4[7] == 0x11);
  char text[64];
  CHECK(AGAIN(13, SQL_C_CHAR, text) == SQL_SUCCESS && strcmp(text, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") == 0);

  /* bytea in odd pieces: 2, 2, 1 bytes. */
  unsigned char bin[2];
  CHECK(SQLGetData(st, 14, SQL_C_BINARY, bin, 2, &ind) == SQL_SUCCESS_WITH_INFO);
  CHECK(ind == 5 && bin[0] == 0x00 && bin[1] == 0xff);
  CHECK(SQLGetData(st, 14, SQL_C_BINARY, bin, 2, &ind) == SQL_SUCCESS_WITH_INFO);
  CHECK(ind == 3 && bin[0] == 0x10 && bin[1] == 0xab);
  CHECK(SQLGetData(st, 14, SQL_C_BINARY, bin, 2, &ind) == SQL_SUCCESS);
  CHECK(ind == 1 && bin[0] == 0xcd);
  CHECK(SQLGetData(st, 14, SQL_C_BINARY, bin, 2, &ind) == SQL_NO_DATA);
  CHECK(AGAIN(14, SQL_C_CHAR, text) == SQL_SUCCESS && strcmp(text, "00ff10abcd") == 0);

  unsigned char bit = 9;
  CHECK(GET(15, SQL_C_BIT, bit) == SQL_SUCCESS && bit == 1);
  CHECK(AGAIN(15, SQL_C_CHAR, text) == SQL_SUCCESS && strcmp(text, "1") == 0);
  SQLWCHAR w[8];
  CHECK(SQLGetData(st, 16, SQL_C_WCHAR, w, sizeof w, &ind) == SQL_SUCCESS);
  CHECK(ind == 10 && w[0] == 'h' && w[1] == 0xe9 && w[4] == 'o' && w[5] == 0);
  CHECK(GET(2, SQL_C_WCHAR, w) == SQL_SUCCESS && w[0] == '4' && w[1] == '2' && w[2] == 0);

  CHECK(GET(17, SQL_C_TYPE_TIMESTAMP, ts) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "22008") == 0 && strstr(msg, "infinity") != NULL);
  CHECK(GET(18, SQL_C_STINYINT, s8) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "22003") == 0);
  CHECK(GET(19, SQL_C_SLONG, s32) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "22018") == 0);
  CHECK(GET(20, SQL_C_SLONG, s32) == SQL_SUCCESS_WITH_INFO && s32 == 2 && has_state(st, "01S07"));
  CHECK(GET(21, SQL_C_ULONG, u32) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "22003") == 0);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);

  /* A bound SQL_C_NUMERIC with the ARD's precision and scale. */
  SQLHDESC ard = NULL;
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, &ard, 0, NULL) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT 123.456::numeric, timestamp '2001-02-03 04:05:06.7'") == SQL_SUCCESS);
  SQLLEN nind = 0, tind = 0;
  memset(&num, 0, sizeof num);
  CHECK(SQLBindCol(st, 1, SQL_C_NUMERIC, &num, sizeof num, &nind) == SQL_SUCCESS);
  CHECK(SQLSetDescField(ard, 1, SQL_DESC_TYPE, (SQLPOINTER)SQL_C_NUMERIC, 0) == SQL_SUCCESS);
  CHECK(SQLSetDescField(ard, 1, SQL_DESC_PRECISION, (SQLPOINTER)10, 0) == SQL_SUCCESS);
  CHECK(SQLSetDescField(ard, 1, SQL_DESC_SCALE, (SQLPOINTER)2, 0) == SQL_SUCCESS);
  CHECK(SQLSetDescField(ard, 1, SQL_DESC_DATA_PTR, &num, 0) == SQL_SUCCESS);
  CHECK(SQLBindCol(st, 2, SQL_C_TYPE_TIMESTAMP, &ts, sizeof ts, &tind) == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS_WITH_INFO && has_state(st, "01S07"));
  CHECK(num.precision == 10 && num.scale == 2 && num.sign == 1 && num.val[0] == (12345 & 0xff) &&
        num.val[1] == (12345 >> 8));
  CHECK(ts.year == 2001 && ts.second == 6 && ts.fraction == 700000000 && tind == sizeof ts);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
}

static void attributes(SQLHSTMT st) {
  SQLULEN v = 99;
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, &v, 0, NULL) == SQL_SUCCESS && v == 1);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0) == SQL_SUCCESS_WITH_INFO);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "01S02") == 0);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, &v, 0, NULL) == SQL_SUCCESS && v == SQL_CURSOR_FORWARD_ONLY);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_CONCURRENCY, (SQLPOINTER)SQL_CONCUR_LOCK, 0) == SQL_SUCCESS_WITH_INFO);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_CONCURRENCY, &v, 0, NULL) == SQL_SUCCESS && v == SQL_CONCUR_READ_ONLY);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)7, 0) == SQL_SUCCESS);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, &v, 0, NULL) == SQL_SUCCESS && v == 7);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)0, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_ON, 0) == SQL_SUCCESS);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_NOSCAN, &v, 0, NULL) == SQL_SUCCESS && v == SQL_NOSCAN_ON);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_OFF, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)4, 0) == SQL_SUCCESS);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, &v, 0, NULL) == SQL_SUCCESS && v == 4);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_USE_BOOKMARKS, (SQLPOINTER)SQL_UB_ON, 0) == SQL_ERROR);
  CHECK(SQLSetStmtAttr(st, 12345, (SQLPOINTER)1, 0) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "HY092") == 0);
  CHECK(SQLGetStmtAttr(st, 12345, &v, 0, NULL) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "HY092") == 0);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_PGTC_LAST_SERVER, (SQLPOINTER)1, 0) == SQL_ERROR);

  /* The cursor name: generated, then set. */
  char name[64];
  SQLSMALLINT len = 0;
  CHECK(SQLGetCursorName(st, (SQLCHAR *)name, sizeof name, &len) == SQL_SUCCESS);
  CHECK(strncmp(name, "SQL_CUR", 7) == 0 && len == (SQLSMALLINT)strlen(name));
  CHECK(SQLSetCursorName(st, (SQLCHAR *)"mycursor", SQL_NTS) == SQL_SUCCESS);
  CHECK(SQLGetCursorName(st, (SQLCHAR *)name, sizeof name, &len) == SQL_SUCCESS);
  CHECK(strcmp(name, "mycursor") == 0 && len == 8);
  CHECK(SQLGetCursorName(st, (SQLCHAR *)name, 3, &len) == SQL_SUCCESS_WITH_INFO && len == 8);
}

/* READ_MOSTLY: a read reaches the standby (once the standby has caught
 * up with what this session wrote), a write runs on the primary. */
static void where_it_ran(SQLHSTMT st) {
  char where[16];
  last_server(st, where, sizeof where);
  CHECK(exec(st, "CREATE TABLE IF NOT EXISTS fetch_t (id int)") == SQL_SUCCESS);
  last_server(st, where, sizeof where);
  CHECK(strcmp(where, "primary") == 0);
  CHECK(exec(st, "INSERT INTO fetch_t VALUES (1)") == SQL_SUCCESS);
  last_server(st, where, sizeof where);
  CHECK(strcmp(where, "primary") == 0);
  double deadline = now() + 30;
  int standby = 0;
  while (!standby && now() < deadline) {
    if (exec(st, "SELECT count(*) FROM fetch_t") != SQL_SUCCESS)
      break;
    last_server(st, where, sizeof where);
    standby = strcmp(where, "standby") == 0;
    CHECK(SQLFetch(st) == SQL_SUCCESS);
    CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
    if (!standby)
      pause_a_little();
  }
  CHECK(standby);
  /* Still known after the cursor is closed. */
  last_server(st, where, sizeof where);
  CHECK(strcmp(where, "standby") == 0);
  char tiny[4];
  SQLINTEGER len = 0;
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_PGTC_LAST_SERVER, tiny, sizeof tiny, &len) == SQL_SUCCESS_WITH_INFO);
  CHECK(len == 7 && strcmp(tiny, "sta") == 0);
  CHECK(exec(st, "DROP TABLE fetch_t") == SQL_SUCCESS);
  last_server(st, where, sizeof where);
  CHECK(strcmp(where, "primary") == 0);
  CHECK(exec(st, "SET application_name = 'fetch.c'") == SQL_SUCCESS);
  last_server(st, where, sizeof where);
  CHECK(strcmp(where, "both") == 0);
}

static void descriptors(SQLHSTMT st) {
  SQLHDESC ard = NULL, ird = NULL, apd = NULL, ipd = NULL;
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, &ard, 0, NULL) == SQL_SUCCESS && ard != NULL);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_IMP_ROW_DESC, &ird, 0, NULL) == SQL_SUCCESS && ird != NULL);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_APP_PARAM_DESC, &apd, 0, NULL) == SQL_SUCCESS && apd != NULL);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_IMP_PARAM_DESC, &ipd, 0, NULL) == SQL_SUCCESS && ipd != NULL);
  CHECK(ard != ird && ard != apd && ipd != apd);

  CHECK(SQLSetDescField(ard, 0, SQL_DESC_ARRAY_SIZE, (SQLPOINTER)5, 0) == SQL_SUCCESS);
  SQLULEN size = 0;
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, &size, 0, NULL) == SQL_SUCCESS && size == 5);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0) == SQL_SUCCESS);
  size = 0;
  CHECK(SQLGetDescField(ard, 0, SQL_DESC_ARRAY_SIZE, &size, 0, NULL) == SQL_SUCCESS && size == 1);

  SQLINTEGER id = 0;
  SQLLEN ind = 0;
  CHECK(SQLBindCol(st, 1, SQL_C_SLONG, &id, 0, &ind) == SQL_SUCCESS);
  SQLSMALLINT count = 0, type = 0;
  SQLPOINTER ptr = NULL;
  CHECK(SQLGetDescField(ard, 0, SQL_DESC_COUNT, &count, 0, NULL) == SQL_SUCCESS && count == 1);
  CHECK(SQLGetDescField(ard, 1, SQL_DESC_CONCISE_TYPE, &type, 0, NULL) == SQL_SUCCESS && type == SQL_C_SLONG);
  CHECK(SQLGetDescField(ard, 1, SQL_DESC_DATA_PTR, &ptr, 0, NULL) == SQL_SUCCESS && ptr == &id);

  CHECK(exec(st, "SELECT 7::int4 AS seven, 'x'::varchar(12) AS vc, now()::timestamp AS ts") == SQL_SUCCESS);
  CHECK(SQLGetDescField(ird, 0, SQL_DESC_COUNT, &count, 0, NULL) == SQL_SUCCESS && count == 3);
  CHECK(SQLGetDescField(ird, 1, SQL_DESC_CONCISE_TYPE, &type, 0, NULL) == SQL_SUCCESS && type == SQL_INTEGER);
  CHECK(SQLGetDescField(ird, 3, SQL_DESC_TYPE, &type, 0, NULL) == SQL_SUCCESS && type == SQL_DATETIME);
  CHECK(SQLGetDescField(ird, 3, SQL_DESC_DATETIME_INTERVAL_CODE, &type, 0, NULL) == SQL_SUCCESS &&
        type == SQL_CODE_TIMESTAMP);
  char name[32];
  SQLINTEGER len = 0;
  CHECK(SQLGetDescField(ird, 2, SQL_DESC_NAME, name, sizeof name, &len) == SQL_SUCCESS);
  CHECK(strcmp(name, "vc") == 0 && len == 2);
  SQLSMALLINT nlen = 0, sub = 0, prec = 0, scale = 0, nullable = 0;
  SQLLEN length = 0;
  CHECK(SQLGetDescRec(ird, 2, (SQLCHAR *)name, sizeof name, &nlen, &type, &sub, &length, &prec, &scale,
                      &nullable) == SQL_SUCCESS);
  CHECK(strcmp(name, "vc") == 0 && type == SQL_VARCHAR && length == 12);
  CHECK(SQLGetDescRec(ird, 4, (SQLCHAR *)name, sizeof name, &nlen, &type, &sub, &length, &prec, &scale,
                      &nullable) == SQL_NO_DATA);
  CHECK(SQLSetDescField(ird, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_C_CHAR, 0) == SQL_ERROR);
  diag(SQL_HANDLE_DESC, ird);
  CHECK(strcmp(state, "HY016") == 0);
  CHECK(SQLFetch(st) == SQL_SUCCESS && id == 7 && ind == 4);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);

  /* SQLSetDescRec on the ARD binds a column as SQLBindCol does. */
  char text[16];
  SQLLEN tlen = 0;
  CHECK(SQLSetDescRec(ard, 2, SQL_C_CHAR, 0, sizeof text, 0, 0, text, &tlen, &tlen) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT 8, 'eight'") == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS && id == 8 && strcmp(text, "eight") == 0 && tlen == 5);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
  CHECK(SQLGetDescField(ard, 0, SQL_DESC_COUNT, &count, 0, NULL) == SQL_SUCCESS && count == 0);

  /* An explicitly allocated descriptor as the ARD: its records bind the
   * columns, changes to it reach the statement, and freeing it brings
   * back the implicit ARD. */
  SQLHDESC mine = NULL, now_ard = NULL;
  CHECK(SQLAllocHandle(SQL_HANDLE_DESC, dbc_of_test, &mine) == SQL_SUCCESS);
  SQLINTEGER a = 0, b = 0;
  SQLLEN aind = 0, bind = 0;
  SQLSMALLINT alloc = 0;
  CHECK(SQLGetDescField(mine, 0, SQL_DESC_ALLOC_TYPE, &alloc, 0, NULL) == SQL_SUCCESS && alloc == SQL_DESC_ALLOC_USER);
  CHECK(SQLSetDescRec(mine, 1, SQL_C_SLONG, 0, 0, 0, 0, &a, &aind, &aind) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, mine, 0) == SQL_SUCCESS);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, &now_ard, 0, NULL) == SQL_SUCCESS && now_ard == mine);
  CHECK(SQLSetDescRec(mine, 2, SQL_C_SLONG, 0, 0, 0, 0, &b, &bind, &bind) == SQL_SUCCESS);
  CHECK(exec(st, "SELECT 11, 12") == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS && a == 11 && b == 12 && aind == 4);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_DESC, mine) == SQL_SUCCESS);
  CHECK(SQLGetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, &now_ard, 0, NULL) == SQL_SUCCESS && now_ard == ard);
  CHECK(SQLFreeHandle(SQL_HANDLE_DESC, ard) == SQL_ERROR);
  CHECK(SQLFreeStmt(st, SQL_UNBIND) == SQL_SUCCESS);
}

struct sleeper {
  SQLHSTMT st;
  SQLRETURN r;
  char state[6];
  volatile int done;
};

static void *sleep_30(void *arg) {
  struct sleeper *s = arg;
  s->r = SQLExecDirect(s->st, (SQLCHAR *)"SELECT pg_sleep(30)", SQL_NTS);
  SQLINTEGER native;
  SQLCHAR m[256];
  SQLSMALLINT len;
  s->state[0] = 0;
  SQLGetDiagRec(SQL_HANDLE_STMT, s->st, 1, (SQLCHAR *)s->state, &native, m, sizeof m, &len);
  __atomic_store_n(&s->done, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

static void cancel_and_timeout(SQLHSTMT st) {
  /* Idle: success, nothing happens. */
  CHECK(SQLCancel(st) == SQL_SUCCESS);

  struct sleeper s = {st, 0, "", 0};
  pthread_t t;
  double start = now();
  CHECK(pthread_create(&t, NULL, sleep_30, &s) == 0);
  /* Cancel until the statement has started and stops (a cancel before
   * it runs does nothing). */
  while (!__atomic_load_n(&s.done, __ATOMIC_SEQ_CST) && now() < start + 25) {
    CHECK(SQLCancel(st) == SQL_SUCCESS);
    pause_a_little();
  }
  pthread_join(t, NULL);
  CHECK(s.r == SQL_ERROR);
  CHECK(strcmp(s.state, "57014") == 0);
  if (strcmp(s.state, "57014") != 0)
    fprintf(stderr, "cancelled statement ended with [%s]\n", s.state);
  SQLINTEGER v = 0;
  SQLLEN ind = 0;
  CHECK(exec(st, "SELECT 41 + 1") == SQL_SUCCESS);
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  CHECK(SQLGetData(st, 1, SQL_C_SLONG, &v, 0, &ind) == SQL_SUCCESS && v == 42);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);

  /* SQL_ATTR_QUERY_TIMEOUT cancels after one second: HYT00. */
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)1, 0) == SQL_SUCCESS);
  CHECK(SQLExecDirect(st, (SQLCHAR *)"SELECT pg_sleep(30)", SQL_NTS) == SQL_ERROR);
  diag(SQL_HANDLE_STMT, st);
  CHECK(strcmp(state, "HYT00") == 0);
  CHECK(exec(st, "SELECT 1") == SQL_SUCCESS);
  CHECK(SQLCloseCursor(st) == SQL_SUCCESS);
  CHECK(SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)0, 0) == SQL_SUCCESS);
}

int main(int argc, char **argv) {
  SQLHENV env;
  SQLHDBC dbc;
  SQLHSTMT st;
  if (argc != 2) {
    fprintf(stderr, "usage: fetch CONNECTION-STRING\n");
    return 2;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env) == SQL_SUCCESS);
  CHECK(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0) == SQL_SUCCESS);
  CHECK(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc) == SQL_SUCCESS);
  SQLRETURN r = SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
  if (!SQL_SUCCEEDED(r)) {
    diag(SQL_HANDLE_DBC, dbc);
    fprintf(stderr, "connect failed: [%s] %s\n", state, msg);
    return 1;
  }
  CHECK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st) == SQL_SUCCESS);
  dbc_of_test = dbc;

  column_wise(st);
  across_batches(st);
  row_wise(st);
  errors_and_limits(st);
  c_types(st);
  attributes(st);
  where_it_ran(st);
  descriptors(st);
  cancel_and_timeout(st);

  CHECK(SQLFreeHandle(SQL_HANDLE_STMT, st) == SQL_SUCCESS);
  CHECK(SQLDisconnect(dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_DBC, dbc) == SQL_SUCCESS);
  CHECK(SQLFreeHandle(SQL_HANDLE_ENV, env) == SQL_SUCCESS);
  if (failures) {
    fprintf(stderr, "fetch.c: %d checks failed\n", failures);
    return 1;
  }
  return 0;
}
