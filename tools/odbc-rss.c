/* Fetch every row of `SELECT g, md5(g::text) FROM generate_series(1, N) g`
 * through unixODBC's libodbc with SQLFetch and SQLGetData, then print the
 * rows read and this process's peak resident set size (VmHWM).
 * Usage: odbc-rss "CONNECTION STRING" N. Run by tools/odbc-rss. */
#define _POSIX_C_SOURCE 199309L
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long peak_rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0) kb = strtol(line + 6, NULL, 10);
  fclose(f);
  return kb;
}

static int fail(SQLSMALLINT type, SQLHANDLE h, const char *what) {
  SQLCHAR state[6] = "", msg[1024] = "";
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len);
  fprintf(stderr, "odbc-rss: %s failed: [%s] %s\n", what, state, msg);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: odbc-rss CONNECTION-STRING ROWS\n");
    return 2;
  }
  long n = strtol(argv[2], NULL, 10);
  SQLHENV env;
  SQLHDBC dbc;
  SQLHSTMT st;
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, NULL, 0, NULL,
                                      SQL_DRIVER_NOPROMPT)))
    return fail(SQL_HANDLE_DBC, dbc, "SQLDriverConnect");
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  long before = peak_rss_kb();
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT g, md5(g::text) FROM generate_series(1, %ld) g", n);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS)))
    return fail(SQL_HANDLE_STMT, st, "SQLExecDirect");
  long rows = 0, sum = 0;
  SQLRETURN r;
  while ((r = SQLFetch(st)) == SQL_SUCCESS || r == SQL_SUCCESS_WITH_INFO) {
    SQLINTEGER g = 0;
    char md5[40];
    SQLLEN ind = 0;
    SQLGetData(st, 1, SQL_C_SLONG, &g, 0, &ind);
    SQLGetData(st, 2, SQL_C_CHAR, md5, sizeof md5, &ind);
    sum += g;
    rows++;
  }
  if (r != SQL_NO_DATA) return fail(SQL_HANDLE_STMT, st, "SQLFetch");
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  if (rows != n || sum != n * (n + 1) / 2) {
    fprintf(stderr, "odbc-rss: read %ld rows (sum %ld), expected %ld\n", rows, sum, n);
    return 1;
  }
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  printf("rows=%ld seconds=%.1f peak_rss_kb=%ld connected_rss_kb=%ld\n", rows, secs, peak_rss_kb(), before);
  return 0;
}
