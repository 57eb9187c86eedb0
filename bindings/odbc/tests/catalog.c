/* The catalog functions and SQLGetInfo through unixODBC's libodbc and
 * pgtc's driver, against a pair in READ_MOSTLY whose standby replays
 * late: objects created on this connection are seen at once by
 * SQLTables, SQLColumns, SQLPrimaryKeys, SQLForeignKeys, SQLStatistics,
 * SQLSpecialColumns, SQLProcedures and SQLProcedureColumns (a catalog read
 * served by a standby that had not replayed them would miss them).
 * Usage: catalog "CONNECTION STRING". */
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "catalog.c:%d: check failed: %s\n", __LINE__, #cond); \
      failures++;                                                           \
    }                                                                       \
  } while (0)

static SQLHSTMT st;
static SQLHDBC dbc;

static void state_of(SQLSMALLINT type, SQLHANDLE h, char *state, char *msg, size_t cap) {
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  state[0] = 0;
  msg[0] = 0;
  SQLGetDiagRec(type, h, 1, (SQLCHAR *)state, &native, (SQLCHAR *)msg, (SQLSMALLINT)cap, &len);
}

static void ok(SQLRETURN r, int line) {
  if (!SQL_SUCCEEDED(r)) {
    char state[6], msg[1024];
    state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
    fprintf(stderr, "catalog.c:%d: call failed (%d): [%s] %s\n", line, (int)r, state, msg);
    failures++;
  }
}
#define OK(call) ok((call), __LINE__)

static void exec(const char *sql) {
  SQLRETURN r = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
  if (!SQL_SUCCEEDED(r) && r != SQL_NO_DATA) {
    char state[6], msg[1024];
    state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
    fprintf(stderr, "catalog.c: %s: [%s] %s\n", sql, state, msg);
    failures++;
  }
  SQLCloseCursor(st);
}

/* The current result, read whole as text: rows[r][c], "<null>" for NULL. */
#define MAXR 64
#define MAXC 20
static char cells[MAXR][MAXC][160];
static int nrows, ncols;

static int fetch_all(void) {
  SQLSMALLINT n = 0;
  nrows = 0;
  SQLNumResultCols(st, &n);
  ncols = n;
  while (SQL_SUCCEEDED(SQLFetch(st))) {
    if (nrows < MAXR) {
      for (int c = 0; c < ncols && c < MAXC; c++) {
        SQLLEN ind = 0;
        char *cell = cells[nrows][c];
        if (!SQL_SUCCEEDED(SQLGetData(st, (SQLUSMALLINT)(c + 1), SQL_C_CHAR, cell, sizeof cells[0][0], &ind))) {
          strcpy(cell, "<error>");
        } else if (ind == SQL_NULL_DATA) {
          strcpy(cell, "<null>");
        }
      }
    }
    nrows++;
  }
  SQLCloseCursor(st);
  return nrows;
}

/* The row whose column `col` (1-based) is `value`, or -1. */
static int row_with(int col, const char *value) {
  for (int r = 0; r < nrows && r < MAXR; r++)
    if (strcmp(cells[r][col - 1], value) == 0) return r;
  return -1;
}

/* The name and SQL type of column `col` of the current result. */
static void describe(int col, char *name, SQLSMALLINT *type) {
  SQLSMALLINT len, digits, nullable;
  SQLULEN size;
  SQLDescribeCol(st, (SQLUSMALLINT)col, (SQLCHAR *)name, 64, &len, type, &size, &digits, &nullable);
}

static SQLWCHAR *wide(const char *utf8, SQLWCHAR *out) {
  /* Latin-1 range only: enough for the names here. */
  const unsigned char *p = (const unsigned char *)utf8;
  int n = 0;
  while (*p) {
    if (*p < 0x80) {
      out[n++] = *p++;
    } else {
      out[n++] = (SQLWCHAR)(((p[0] & 0x1f) << 6) | (p[1] & 0x3f));
      p += 2;
    }
  }
  out[n] = 0;
  return out;
}

static const char *SETUP[] = {
    "DROP SCHEMA IF EXISTS odbc_cat CASCADE",
    "CREATE SCHEMA odbc_cat",
    "CREATE TABLE odbc_cat.parent (id int PRIMARY KEY, code varchar(12) NOT NULL UNIQUE, "
    "amount numeric(10,2), made timestamp(3), flag bool, note text, g uuid, d date, t time(2), "
    "r real, f float8, b bytea, s smallint, big int8 DEFAULT 7, c char(3), tz timestamptz)",
    "COMMENT ON TABLE odbc_cat.parent IS 'the parents'",
    "CREATE TABLE odbc_cat.child (id int PRIMARY KEY, parent_id int NOT NULL "
    "REFERENCES odbc_cat.parent (id) ON DELETE CASCADE, label text)",
    "CREATE INDEX child_parent ON odbc_cat.child (parent_id DESC)",
    "CREATE VIEW odbc_cat.v AS SELECT id, code FROM odbc_cat.parent",
    "CREATE TABLE odbc_cat.a_b (x int)",
    "CREATE TABLE odbc_cat.axb (x int)",
    "DROP SCHEMA IF EXISTS odbc_cat_m CASCADE",
    "CREATE SCHEMA odbc_cat_m",
    "CREATE TABLE odbc_cat_m.\"Mixed Case\" (x int)",
    "CREATE TABLE odbc_cat.\"tabl\xc3\xa9_\xc3\xbc\" (\"gr\xc3\xb6\xc3\x9f" "e\" int)",
    "CREATE FUNCTION odbc_cat.add_one(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1'",
    "CREATE PROCEDURE odbc_cat.bump(INOUT n int) LANGUAGE plpgsql AS 'BEGIN n := n + 1; END'",
};

static void check_tables(void) {
  char name[64];
  SQLSMALLINT type;
  /* Every table and view of the schema, ordered by type and name. */
  OK(SQLTables(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"%", SQL_NTS, NULL, 0));
  CHECK(SQLNumResultCols(st, &type) == SQL_SUCCESS && type == 5);
  describe(1, name, &type);
  CHECK(strcmp(name, "TABLE_CAT") == 0 && type == SQL_VARCHAR);
  describe(4, name, &type);
  CHECK(strcmp(name, "TABLE_TYPE") == 0);
  describe(5, name, &type);
  CHECK(strcmp(name, "REMARKS") == 0);
  CHECK(fetch_all() == 6);
  const char *names[] = {"a_b", "axb", "child", "parent", "tabl\xc3\xa9_\xc3\xbc", "v"};
  const char *types[] = {"TABLE", "TABLE", "TABLE", "TABLE", "TABLE", "VIEW"};
  for (int i = 0; i < 6 && i < nrows; i++) {
    CHECK(strcmp(cells[i][0], "postgres") == 0);
    CHECK(strcmp(cells[i][1], "odbc_cat") == 0);
    CHECK(strcmp(cells[i][2], names[i]) == 0);
    CHECK(strcmp(cells[i][3], types[i]) == 0);
  }
  CHECK(nrows > 3 && strcmp(cells[3][4], "the parents") == 0);

  /* Table types, quoted or not. */
  OK(SQLTables(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, NULL, 0, (SQLCHAR *)"'VIEW'", SQL_NTS));
  CHECK(fetch_all() == 1 && strcmp(cells[0][2], "v") == 0);
  OK(SQLTables(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, NULL, 0, (SQLCHAR *)"TABLE,VIEW", SQL_NTS));
  CHECK(fetch_all() == 6);
  /* System tables are SYSTEM TABLE. */
  OK(SQLTables(st, NULL, 0, (SQLCHAR *)"pg_catalog", SQL_NTS, (SQLCHAR *)"pg\\_class", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 1 && strcmp(cells[0][3], "SYSTEM TABLE") == 0);

  /* `_` matches any character unless escaped. */
  OK(SQLTables(st, NULL, 0, (SQLCHAR *)"odbc\\_cat", SQL_NTS, (SQLCHAR *)"a_b", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 2);
  OK(SQLTables(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"a\\_b", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 1 && strcmp(cells[0][2], "a_b") == 0);

  /* The catalog is the current database; "" catalog or schema: none. */
  OK(SQLTables(st, (SQLCHAR *)"postgres", SQL_NTS, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"v", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 1);
  OK(SQLTables(st, (SQLCHAR *)"post%", SQL_NTS, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"v", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 1);
  OK(SQLTables(st, (SQLCHAR *)"nodb", SQL_NTS, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"v", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 0);
  OK(SQLTables(st, (SQLCHAR *)"", SQL_NTS, (SQLCHAR *)"odbc_cat", SQL_NTS, NULL, 0, NULL, 0));
  CHECK(fetch_all() == 0);
  OK(SQLTables(st, NULL, 0, (SQLCHAR *)"", SQL_NTS, NULL, 0, NULL, 0));
  CHECK(fetch_all() == 0);

  /* The enumerations. */
  OK(SQLTables(st, (SQLCHAR *)SQL_ALL_CATALOGS, SQL_NTS, (SQLCHAR *)"", 0, (SQLCHAR *)"", 0, NULL, 0));
  CHECK(fetch_all() == 1 && strcmp(cells[0][0], "postgres") == 0 && strcmp(cells[0][1], "<null>") == 0);
  OK(SQLTables(st, (SQLCHAR *)"", 0, (SQLCHAR *)SQL_ALL_SCHEMAS, SQL_NTS, (SQLCHAR *)"", 0, NULL, 0));
  CHECK(fetch_all() >= 4 && row_with(2, "odbc_cat") >= 0 && row_with(2, "pg_catalog") >= 0);
  CHECK(nrows > 0 && strcmp(cells[0][0], "<null>") == 0);
  OK(SQLTables(st, (SQLCHAR *)"", 0, (SQLCHAR *)"", 0, (SQLCHAR *)"", 0, (SQLCHAR *)SQL_ALL_TABLE_TYPES, SQL_NTS));
  CHECK(fetch_all() >= 5 && row_with(4, "TABLE") >= 0 && row_with(4, "VIEW") >= 0 &&
        row_with(4, "SYSTEM TABLE") >= 0 && row_with(4, "MATERIALIZED VIEW") >= 0);
}

/* SQLColumns' type facts are SQLDescribeCol's for the same columns. */
static void check_columns(void) {
  SQLSMALLINT dtype[32], ddigits[32];
  SQLULEN dsize[32];
  char dname[32][64];
  SQLSMALLINT n = 0;
  OK(SQLExecDirect(st, (SQLCHAR *)"SELECT * FROM odbc_cat.parent", SQL_NTS));
  SQLNumResultCols(st, &n);
  CHECK(n == 16);
  for (int i = 0; i < n && i < 32; i++) {
    SQLSMALLINT len, nullable;
    OK(SQLDescribeCol(st, (SQLUSMALLINT)(i + 1), (SQLCHAR *)dname[i], 64, &len, &dtype[i], &dsize[i], &ddigits[i],
                      &nullable));
  }
  SQLCloseCursor(st);

  OK(SQLColumns(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS, NULL, 0));
  SQLSMALLINT cols = 0, type;
  char name[64];
  SQLNumResultCols(st, &cols);
  CHECK(cols == 18);
  const char *want[] = {"TABLE_CAT",     "TABLE_SCHEM",    "TABLE_NAME",       "COLUMN_NAME",      "DATA_TYPE",
                        "TYPE_NAME",     "COLUMN_SIZE",    "BUFFER_LENGTH",    "DECIMAL_DIGITS",   "NUM_PREC_RADIX",
                        "NULLABLE",      "REMARKS",        "COLUMN_DEF",       "SQL_DATA_TYPE",    "SQL_DATETIME_SUB",
                        "CHAR_OCTET_LENGTH", "ORDINAL_POSITION", "IS_NULLABLE"};
  for (int c = 0; c < 18; c++) {
    describe(c + 1, name, &type);
    CHECK(strcmp(name, want[c]) == 0);
  }
  describe(5, name, &type);
  CHECK(type == SQL_SMALLINT);
  describe(7, name, &type);
  CHECK(type == SQL_INTEGER);
  describe(17, name, &type);
  CHECK(type == SQL_INTEGER);
  CHECK(fetch_all() == n);
  for (int i = 0; i < n && i < nrows; i++) {
    char buf[32];
    CHECK(strcmp(cells[i][3], dname[i]) == 0);
    snprintf(buf, sizeof buf, "%d", dtype[i]);
    if (strcmp(cells[i][4], buf) != 0) fprintf(stderr, "column %s: DATA_TYPE %s, described %s\n", dname[i], cells[i][4], buf);
    CHECK(strcmp(cells[i][4], buf) == 0);
    snprintf(buf, sizeof buf, "%lu", (unsigned long)dsize[i]);
    if (strcmp(cells[i][6], buf) != 0) fprintf(stderr, "column %s: COLUMN_SIZE %s, described %s\n", dname[i], cells[i][6], buf);
    CHECK(strcmp(cells[i][6], buf) == 0);
    snprintf(buf, sizeof buf, "%d", ddigits[i]);
    CHECK(strcmp(cells[i][8], buf) == 0 || (ddigits[i] == 0 && strcmp(cells[i][8], "<null>") == 0));
    snprintf(buf, sizeof buf, "%d", i + 1);
    CHECK(strcmp(cells[i][16], buf) == 0);
  }
  int r = row_with(4, "id");
  CHECK(r >= 0 && strcmp(cells[r][10], "0") == 0 && strcmp(cells[r][17], "NO") == 0);
  r = row_with(4, "amount");
  CHECK(r >= 0 && strcmp(cells[r][4], "2") == 0 && strcmp(cells[r][6], "10") == 0 && strcmp(cells[r][8], "2") == 0 &&
        strcmp(cells[r][10], "1") == 0 && strcmp(cells[r][17], "YES") == 0 && strcmp(cells[r][9], "10") == 0);
  r = row_with(4, "code");
  CHECK(r >= 0 && strcmp(cells[r][5], "varchar") == 0 && strcmp(cells[r][6], "12") == 0);
  r = row_with(4, "big");
  CHECK(r >= 0 && strcmp(cells[r][12], "7") == 0);
  r = row_with(4, "made");
  CHECK(r >= 0 && strcmp(cells[r][13], "9") == 0 && strcmp(cells[r][14], "3") == 0 && strcmp(cells[r][8], "3") == 0);

  /* A column pattern; a column added now is seen now. */
  OK(SQLColumns(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS, (SQLCHAR *)"t%", SQL_NTS));
  CHECK(fetch_all() == 2); /* t, tz */
  exec("ALTER TABLE odbc_cat.parent ADD COLUMN late_one int");
  OK(SQLColumns(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS, (SQLCHAR *)"late\\_one",
                SQL_NTS));
  CHECK(fetch_all() == 1 && strcmp(cells[0][16], "17") == 0);
  /* Positions count the columns a SELECT * shows, not dropped ones. */
  exec("ALTER TABLE odbc_cat.parent DROP COLUMN s");
  OK(SQLColumns(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS, (SQLCHAR *)"late\\_one",
                SQL_NTS));
  CHECK(fetch_all() == 1 && strcmp(cells[0][16], "16") == 0);
}

static void check_keys(void) {
  OK(SQLPrimaryKeys(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS));
  CHECK(fetch_all() == 1 && strcmp(cells[0][3], "id") == 0 && strcmp(cells[0][4], "1") == 0 &&
        strcmp(cells[0][5], "parent_pkey") == 0 && ncols == 6);
  /* Ordinary arguments: a `_` is itself. */
  OK(SQLPrimaryKeys(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"paren_", SQL_NTS));
  CHECK(fetch_all() == 0);

  OK(SQLForeignKeys(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS, NULL, 0, NULL, 0, NULL,
                    0));
  CHECK(fetch_all() == 1 && ncols == 14);
  if (nrows == 1) {
    CHECK(strcmp(cells[0][2], "parent") == 0 && strcmp(cells[0][3], "id") == 0);
    CHECK(strcmp(cells[0][6], "child") == 0 && strcmp(cells[0][7], "parent_id") == 0);
    CHECK(strcmp(cells[0][8], "1") == 0);
    CHECK(atoi(cells[0][9]) == SQL_NO_ACTION && atoi(cells[0][10]) == SQL_CASCADE);
    CHECK(strcmp(cells[0][11], "child_parent_id_fkey") == 0 && strcmp(cells[0][12], "parent_pkey") == 0);
    CHECK(atoi(cells[0][13]) == SQL_NOT_DEFERRABLE);
  }
  OK(SQLForeignKeys(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"child",
                    SQL_NTS));
  CHECK(fetch_all() == 1 && strcmp(cells[0][2], "parent") == 0);
  CHECK(SQLForeignKeys(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0) == SQL_ERROR);

  /* Indexes: the table's own row first, then each index's columns. */
  OK(SQLStatistics(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"child", SQL_NTS, SQL_INDEX_ALL,
                   SQL_QUICK));
  CHECK(fetch_all() == 3 && ncols == 13);
  CHECK(nrows > 0 && atoi(cells[0][6]) == SQL_TABLE_STAT);
  int r = row_with(6, "child_parent");
  CHECK(r >= 0 && strcmp(cells[r][3], "1") == 0 && strcmp(cells[r][8], "parent_id") == 0 &&
        strcmp(cells[r][9], "D") == 0 && strcmp(cells[r][7], "1") == 0);
  r = row_with(6, "child_pkey");
  CHECK(r >= 0 && strcmp(cells[r][3], "0") == 0 && strcmp(cells[r][9], "A") == 0);
  OK(SQLStatistics(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS, SQL_INDEX_UNIQUE,
                   SQL_ENSURE));
  CHECK(fetch_all() == 3 && row_with(6, "parent_code_key") >= 0 && row_with(6, "parent_pkey") >= 0);

  /* The best row identifier: the primary key, or ctid without one. */
  OK(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS,
                       SQL_SCOPE_SESSION, SQL_NULLABLE));
  CHECK(fetch_all() == 1 && ncols == 8);
  CHECK(nrows == 1 && strcmp(cells[0][1], "id") == 0 && atoi(cells[0][2]) == SQL_INTEGER &&
        atoi(cells[0][0]) == SQL_SCOPE_SESSION && atoi(cells[0][7]) == SQL_PC_NOT_PSEUDO);
  OK(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"a_b", SQL_NTS,
                       SQL_SCOPE_CURROW, SQL_NULLABLE));
  CHECK(fetch_all() == 1 && strcmp(cells[0][1], "ctid") == 0 && atoi(cells[0][7]) == SQL_PC_PSEUDO);
  OK(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"a_b", SQL_NTS,
                       SQL_SCOPE_SESSION, SQL_NULLABLE));
  CHECK(fetch_all() == 0);
  OK(SQLSpecialColumns(st, SQL_ROWVER, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS,
                       SQL_SCOPE_CURROW, SQL_NULLABLE));
  CHECK(fetch_all() == 1 && strcmp(cells[0][1], "xmin") == 0);
}

static void check_procedures(void) {
  OK(SQLProcedures(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"%", SQL_NTS));
  CHECK(fetch_all() == 2 && ncols == 8);
  int r = row_with(3, "add_one");
  CHECK(r >= 0 && atoi(cells[r][7]) == SQL_PT_FUNCTION);
  r = row_with(3, "bump");
  CHECK(r >= 0 && atoi(cells[r][7]) == SQL_PT_PROCEDURE);

  OK(SQLProcedureColumns(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"add\\_one", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 2 && ncols == 19);
  if (nrows == 2) {
    CHECK(atoi(cells[0][4]) == SQL_RETURN_VALUE && atoi(cells[0][5]) == SQL_INTEGER &&
          strcmp(cells[0][17], "0") == 0);
    CHECK(strcmp(cells[1][3], "x") == 0 && atoi(cells[1][4]) == SQL_PARAM_INPUT && strcmp(cells[1][6], "int4") == 0 &&
          strcmp(cells[1][17], "1") == 0);
  }
  OK(SQLProcedureColumns(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"bump", SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 1 && strcmp(cells[0][3], "n") == 0 && atoi(cells[0][4]) == SQL_PARAM_INPUT_OUTPUT);
}

static void check_privileges(void) {
  OK(SQLTablePrivileges(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS));
  CHECK(fetch_all() >= 4 && ncols == 7);
  int r = row_with(6, "SELECT");
  CHECK(r >= 0 && strcmp(cells[r][2], "parent") == 0 && strcmp(cells[r][4], "pgtc") == 0 &&
        (strcmp(cells[r][6], "YES") == 0 || strcmp(cells[r][6], "NO") == 0));
  OK(SQLColumnPrivileges(st, NULL, 0, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"parent", SQL_NTS, (SQLCHAR *)"id",
                         SQL_NTS));
  CHECK(fetch_all() == 4 && ncols == 8 && row_with(7, "REFERENCES") >= 0);
  CHECK(nrows > 0 && strcmp(cells[0][3], "id") == 0);
}

/* The wide functions, with a name outside ASCII. */
static void check_wide(void) {
  SQLWCHAR schema[32], table[32], out[64];
  wide("odbc_cat", schema);
  wide("tabl\xc3\xa9_\xc3\xbc", table);
  OK(SQLTablesW(st, NULL, 0, schema, SQL_NTS, table, SQL_NTS, NULL, 0));
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  SQLLEN ind = 0;
  OK(SQLGetData(st, 3, SQL_C_WCHAR, out, sizeof out, &ind));
  CHECK(ind == 7 * (SQLLEN)sizeof(SQLWCHAR) && out[4] == 0xe9 && out[6] == 0xfc && out[7] == 0);
  CHECK(SQLFetch(st) == SQL_NO_DATA);
  SQLCloseCursor(st);
  OK(SQLColumnsW(st, NULL, 0, schema, SQL_NTS, table, SQL_NTS, NULL, 0));
  CHECK(SQLFetch(st) == SQL_SUCCESS);
  OK(SQLGetData(st, 4, SQL_C_WCHAR, out, sizeof out, &ind));
  CHECK(ind == 5 * (SQLLEN)sizeof(SQLWCHAR) && out[0] == 'g' && out[2] == 0xf6 && out[3] == 0xdf);
  CHECK(SQLFetch(st) == SQL_NO_DATA);
  SQLCloseCursor(st);
  /* The name given by its length in characters, not NUL-terminated. */
  wide("tabl\xc3\xa9_\xc3\xbcxyz", table);
  OK(SQLPrimaryKeysW(st, NULL, 0, schema, 8, table, 7));
  CHECK(fetch_all() == 0);
  OK(SQLStatisticsW(st, NULL, 0, schema, 8, table, 7, SQL_INDEX_ALL, SQL_QUICK));
  CHECK(fetch_all() == 1 && strcmp(cells[0][2], "tabl\xc3\xa9_\xc3\xbc") == 0);
}

/* SQL_ATTR_METADATA_ID: names are identifiers (quoted: as written;
 * unquoted: folded to lower case), never patterns. */
static void check_metadata_id(void) {
  if (!SQL_SUCCEEDED(SQLSetStmtAttr(st, SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_TRUE, 0))) {
    CHECK(!"SQL_ATTR_METADATA_ID is settable");
    return;
  }
  OK(SQLTables(st, (SQLCHAR *)"postgres", SQL_NTS, (SQLCHAR *)"ODBC_CAT", SQL_NTS, (SQLCHAR *)"PARENT  ", SQL_NTS,
               NULL, 0));
  CHECK(fetch_all() == 1 && strcmp(cells[0][2], "parent") == 0);
  OK(SQLTables(st, (SQLCHAR *)"postgres", SQL_NTS, (SQLCHAR *)"ODBC_CAT_M", SQL_NTS, (SQLCHAR *)"\"Mixed Case\"",
               SQL_NTS, NULL, 0));
  CHECK(fetch_all() == 1 && strcmp(cells[0][2], "Mixed Case") == 0);
  /* `_` is no wildcard in an identifier. */
  OK(SQLColumns(st, (SQLCHAR *)"postgres", SQL_NTS, (SQLCHAR *)"odbc_cat", SQL_NTS, (SQLCHAR *)"a_b", SQL_NTS,
                (SQLCHAR *)"x", SQL_NTS));
  CHECK(fetch_all() == 1 && strcmp(cells[0][2], "a_b") == 0);
  /* Every name must be given. */
  CHECK(SQLColumns(st, (SQLCHAR *)"postgres", SQL_NTS, NULL, 0, (SQLCHAR *)"a_b", SQL_NTS, (SQLCHAR *)"x", SQL_NTS) ==
        SQL_ERROR);
  char state[6], msg[256];
  state_of(SQL_HANDLE_STMT, st, state, msg, sizeof msg);
  CHECK(strcmp(state, "HY009") == 0);
  CHECK(SQL_SUCCEEDED(SQLSetStmtAttr(st, SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_FALSE, 0)));
}

static void check_type_info(void) {
  OK(SQLGetTypeInfo(st, SQL_ALL_TYPES));
  CHECK(fetch_all() >= 16 && ncols == 19);
  int last = -1000;
  for (int r = 0; r < nrows && r < MAXR; r++) {
    CHECK(atoi(cells[r][1]) >= last);
    last = atoi(cells[r][1]);
  }
  int r = row_with(1, "int4");
  CHECK(r >= 0 && atoi(cells[r][1]) == SQL_INTEGER && strcmp(cells[r][2], "10") == 0);
  r = row_with(1, "varchar");
  CHECK(r >= 0 && atoi(cells[r][1]) == SQL_VARCHAR && strcmp(cells[r][3], "'") == 0);
  r = row_with(1, "numeric");
  CHECK(r >= 0 && strcmp(cells[r][5], "precision,scale") == 0);
  OK(SQLGetTypeInfo(st, SQL_TYPE_TIMESTAMP));
  CHECK(fetch_all() == 2 && strcmp(cells[0][0], "timestamp") == 0 && strcmp(cells[1][0], "timestamptz") == 0);
  OK(SQLGetTypeInfo(st, SQL_BIT));
  CHECK(fetch_all() == 1 && strcmp(cells[0][0], "bool") == 0);
  /* The types SQLGetTypeInfo gives agree with a SELECT's. */
  SQLSMALLINT type;
  char name[64];
  OK(SQLExecDirect(st, (SQLCHAR *)"SELECT 1::int8, NULL::uuid, now()::timestamp", SQL_NTS));
  describe(1, name, &type);
  CHECK(type == SQL_BIGINT);
  describe(3, name, &type);
  CHECK(type == SQL_TYPE_TIMESTAMP);
  SQLCloseCursor(st);
}

static void check_info(void) {
  static const SQLUSMALLINT kinds[] = {
      SQL_ACCESSIBLE_PROCEDURES, SQL_ACCESSIBLE_TABLES, SQL_ACTIVE_ENVIRONMENTS, SQL_AGGREGATE_FUNCTIONS,
      SQL_ALTER_DOMAIN, SQL_ALTER_TABLE, SQL_ASYNC_MODE, SQL_BATCH_ROW_COUNT, SQL_BATCH_SUPPORT,
      SQL_BOOKMARK_PERSISTENCE, SQL_CATALOG_LOCATION, SQL_CATALOG_NAME, SQL_CATALOG_NAME_SEPARATOR,
      SQL_CATALOG_TERM, SQL_CATALOG_USAGE, SQL_COLLATION_SEQ, SQL_COLUMN_ALIAS, SQL_CONCAT_NULL_BEHAVIOR,
      SQL_CONVERT_BIGINT, SQL_CONVERT_CHAR, SQL_CONVERT_INTEGER, SQL_CONVERT_VARCHAR, SQL_CONVERT_TIMESTAMP,
      SQL_CONVERT_FUNCTIONS, SQL_CORRELATION_NAME, SQL_CREATE_SCHEMA, SQL_CREATE_TABLE, SQL_CREATE_VIEW,
      SQL_CURSOR_COMMIT_BEHAVIOR, SQL_CURSOR_ROLLBACK_BEHAVIOR, SQL_CURSOR_SENSITIVITY, SQL_DATA_SOURCE_NAME,
      SQL_DATA_SOURCE_READ_ONLY, SQL_DATABASE_NAME, SQL_DATETIME_LITERALS, SQL_DBMS_NAME, SQL_DBMS_VER,
      SQL_DDL_INDEX, SQL_DEFAULT_TXN_ISOLATION, SQL_DESCRIBE_PARAMETER, SQL_DRIVER_NAME, SQL_DRIVER_ODBC_VER,
      SQL_DRIVER_VER, SQL_DROP_TABLE, SQL_DROP_VIEW, SQL_DYNAMIC_CURSOR_ATTRIBUTES1, SQL_EXPRESSIONS_IN_ORDERBY,
      SQL_FILE_USAGE, SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1, SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2,
      SQL_GETDATA_EXTENSIONS, SQL_GROUP_BY, SQL_IDENTIFIER_CASE, SQL_IDENTIFIER_QUOTE_CHAR, SQL_INDEX_KEYWORDS,
      SQL_INFO_SCHEMA_VIEWS, SQL_INSERT_STATEMENT, SQL_INTEGRITY, SQL_KEYSET_CURSOR_ATTRIBUTES1, SQL_KEYWORDS,
      SQL_LIKE_ESCAPE_CLAUSE, SQL_MAX_ASYNC_CONCURRENT_STATEMENTS, SQL_MAX_BINARY_LITERAL_LEN,
      SQL_MAX_CATALOG_NAME_LEN, SQL_MAX_CHAR_LITERAL_LEN, SQL_MAX_COLUMN_NAME_LEN, SQL_MAX_COLUMNS_IN_GROUP_BY,
      SQL_MAX_COLUMNS_IN_INDEX, SQL_MAX_COLUMNS_IN_ORDER_BY, SQL_MAX_COLUMNS_IN_SELECT, SQL_MAX_COLUMNS_IN_TABLE,
      SQL_MAX_CONCURRENT_ACTIVITIES, SQL_MAX_CURSOR_NAME_LEN, SQL_MAX_DRIVER_CONNECTIONS, SQL_MAX_IDENTIFIER_LEN,
      SQL_MAX_INDEX_SIZE, SQL_MAX_PROCEDURE_NAME_LEN, SQL_MAX_ROW_SIZE, SQL_MAX_ROW_SIZE_INCLUDES_LONG,
      SQL_MAX_SCHEMA_NAME_LEN, SQL_MAX_STATEMENT_LEN, SQL_MAX_TABLE_NAME_LEN, SQL_MAX_TABLES_IN_SELECT,
      SQL_MAX_USER_NAME_LEN, SQL_MULT_RESULT_SETS, SQL_MULTIPLE_ACTIVE_TXN, SQL_NEED_LONG_DATA_LEN,
      SQL_NON_NULLABLE_COLUMNS, SQL_NULL_COLLATION, SQL_NUMERIC_FUNCTIONS, SQL_ODBC_INTERFACE_CONFORMANCE,
      SQL_OJ_CAPABILITIES, SQL_ORDER_BY_COLUMNS_IN_SELECT, SQL_OUTER_JOINS, SQL_PARAM_ARRAY_ROW_COUNTS,
      SQL_PARAM_ARRAY_SELECTS, SQL_POS_OPERATIONS, SQL_PROCEDURE_TERM, SQL_PROCEDURES, SQL_QUOTED_IDENTIFIER_CASE,
      SQL_SCHEMA_TERM, SQL_SCHEMA_USAGE, SQL_SCROLL_OPTIONS, SQL_SEARCH_PATTERN_ESCAPE, SQL_SERVER_NAME,
      SQL_SPECIAL_CHARACTERS, SQL_SQL_CONFORMANCE, SQL_SQL92_DATETIME_FUNCTIONS, SQL_SQL92_FOREIGN_KEY_DELETE_RULE,
      SQL_SQL92_GRANT, SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, SQL_SQL92_PREDICATES, SQL_SQL92_RELATIONAL_JOIN_OPERATORS,
      SQL_SQL92_REVOKE, SQL_SQL92_ROW_VALUE_CONSTRUCTOR, SQL_SQL92_STRING_FUNCTIONS, SQL_SQL92_VALUE_EXPRESSIONS,
      SQL_STANDARD_CLI_CONFORMANCE, SQL_STATIC_CURSOR_ATTRIBUTES1, SQL_STRING_FUNCTIONS, SQL_SUBQUERIES,
      SQL_SYSTEM_FUNCTIONS, SQL_TABLE_TERM, SQL_TIMEDATE_ADD_INTERVALS, SQL_TIMEDATE_DIFF_INTERVALS,
      SQL_TIMEDATE_FUNCTIONS, SQL_TXN_CAPABLE, SQL_TXN_ISOLATION_OPTION, SQL_UNION, SQL_USER_NAME,
      SQL_XOPEN_CLI_YEAR, SQL_ODBC_API_CONFORMANCE, SQL_ODBC_SQL_CONFORMANCE, SQL_FETCH_DIRECTION,
      SQL_LOCK_TYPES, SQL_STATIC_SENSITIVITY, SQL_ROW_UPDATES, SQL_SCROLL_CONCURRENCY,
  };
  char buf[4096];
  SQLSMALLINT len;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    SQLRETURN r = SQLGetInfo(dbc, kinds[i], buf, sizeof buf, &len);
    if (r != SQL_SUCCESS) fprintf(stderr, "SQLGetInfo(%u) returned %d\n", kinds[i], (int)r);
    CHECK(r == SQL_SUCCESS);
  }
  SQLUSMALLINT u16 = 0;
  SQLUINTEGER u32 = 0;
  CHECK(SQLGetInfo(dbc, SQL_MAX_IDENTIFIER_LEN, &u16, sizeof u16, NULL) == SQL_SUCCESS && u16 == 63);
  CHECK(SQLGetInfo(dbc, SQL_TXN_CAPABLE, &u16, sizeof u16, NULL) == SQL_SUCCESS && u16 == SQL_TC_ALL);
  CHECK(SQLGetInfo(dbc, SQL_IDENTIFIER_CASE, &u16, sizeof u16, NULL) == SQL_SUCCESS && u16 == SQL_IC_LOWER);
  CHECK(SQLGetInfo(dbc, SQL_DEFAULT_TXN_ISOLATION, &u32, sizeof u32, NULL) == SQL_SUCCESS &&
        u32 == SQL_TXN_READ_COMMITTED);
  CHECK(SQLGetInfo(dbc, SQL_SCROLL_OPTIONS, &u32, sizeof u32, NULL) == SQL_SUCCESS && u32 == SQL_SO_FORWARD_ONLY);
  CHECK(SQLGetInfo(dbc, SQL_STRING_FUNCTIONS, &u32, sizeof u32, NULL) == SQL_SUCCESS &&
        (u32 & SQL_FN_STR_CONCAT) && (u32 & SQL_FN_STR_LOCATE));
  CHECK(SQLGetInfo(dbc, SQL_SEARCH_PATTERN_ESCAPE, buf, sizeof buf, &len) == SQL_SUCCESS && strcmp(buf, "\\") == 0);
  CHECK(SQLGetInfo(dbc, SQL_CATALOG_NAME, buf, sizeof buf, &len) == SQL_SUCCESS && strcmp(buf, "Y") == 0);
  /* Reserved words of PostgreSQL's that ODBC's list lacks. */
  CHECK(SQLGetInfo(dbc, SQL_KEYWORDS, buf, sizeof buf, &len) == SQL_SUCCESS && len > 10);
  CHECK(strstr(buf, "ANALYZE") != NULL && strstr(buf, "LIMIT") != NULL && strstr(buf, "SELECT") == NULL);
  /* Too small a buffer: 01004 and the whole length. */
  char small[4];
  SQLSMALLINT full = len;
  CHECK(SQLGetInfo(dbc, SQL_KEYWORDS, small, sizeof small, &len) == SQL_SUCCESS_WITH_INFO && len == full &&
        small[3] == 0);
  char state[6], msg[256];
  state_of(SQL_HANDLE_DBC, dbc, state, msg, sizeof msg);
  CHECK(strcmp(state, "01004") == 0);
  CHECK(SQLGetInfo(dbc, 9999, buf, sizeof buf, &len) == SQL_ERROR);
  state_of(SQL_HANDLE_DBC, dbc, state, msg, sizeof msg);
  CHECK(strcmp(state, "HY096") == 0);
  SQLUSMALLINT yes = 0;
  CHECK(SQLGetFunctions(dbc, SQL_API_SQLTABLES, &yes) == SQL_SUCCESS && yes == SQL_TRUE);
  CHECK(SQLGetFunctions(dbc, SQL_API_SQLPROCEDURECOLUMNS, &yes) == SQL_SUCCESS && yes == SQL_TRUE);
}

int main(int argc, char **argv) {
  SQLHENV env;
  char state[6], msg[1024];
  if (argc != 2) {
    fprintf(stderr, "usage: catalog CONNECTION-STRING\n");
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

  for (size_t i = 0; i < sizeof SETUP / sizeof SETUP[0]; i++) exec(SETUP[i]);
  /* At once, with the standby 200 ms behind. */
  check_tables();
  check_columns();
  check_keys();
  check_procedures();
  check_privileges();
  check_wide();
  check_metadata_id();
  check_type_info();
  check_info();

  exec("DROP SCHEMA odbc_cat CASCADE");
  exec("DROP SCHEMA odbc_cat_m CASCADE");
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  if (failures) {
    fprintf(stderr, "catalog.c: %d checks failed\n", failures);
    return 1;
  }
  printf("catalog.c: all checks passed\n");
  return 0;
}
