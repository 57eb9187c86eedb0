/* Prepared statements, typed and binary parameters and READ_ONLY through
 * pgtc's C ABI, as a C application uses them. Exits non-zero on the first
 * unexpected answer; tools/test runs it under valgrind.
 *
 *   cc -Wall -Wextra -Werror -std=c11 prepared.c -I include -L target/release -lpgtc
 *   ./a.out "host=a,b port=5432,5433 user=app dbname=app"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtc.h"

static int failed(const char *what, pgtc_error *err) {
    fprintf(stderr, "%s: %s (SQLSTATE %s)\n", what, err ? pgtc_error_message(err) : "?",
            err ? pgtc_error_sqlstate(err) : "");
    pgtc_error_free(err);
    return 1;
}

static int expect(int ok, const char *what) {
    if (!ok)
        fprintf(stderr, "unexpected: %s\n", what);
    return !ok;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s CONNINFO\n", argv[0]);
        return 2;
    }
    char conninfo[1024];
    snprintf(conninfo, sizeof conninfo, "%s PREFERRED_ACCESS=READ_MOSTLY", argv[1]);
    pgtc_conn *conn = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_open(conninfo, &conn, &err) != PGTC_STATUS_OK)
        return failed("open", err);

    /* Prepare with the server inferring the types; described at once. */
    pgtc_stmt *stmt = NULL;
    if (pgtc_conn_prepare(conn, "SELECT $1::int * 2 AS twice, $2::text AS label", 0, NULL, &stmt,
                          &err) != PGTC_STATUS_OK)
        return failed("prepare", err);
    if (expect(pgtc_stmt_param_count(stmt) == 2, "two parameters") ||
        expect(pgtc_stmt_param_type(stmt, 0) == 23, "$1 is int4") ||
        expect(pgtc_stmt_cols(stmt) == 2, "two columns") ||
        expect(strcmp(pgtc_stmt_col_name(stmt, 1), "label") == 0, "column label") ||
        expect(pgtc_stmt_col_type(stmt, 0) == 23, "column twice is int4"))
        return 1;
    const char *params[] = {"21", NULL};
    for (int i = 0; i < 20; i++) {
        pgtc_result *res = NULL;
        if (pgtc_stmt_exec(stmt, 2, params, &res, &err) != PGTC_STATUS_OK)
            return failed("exec", err);
        int ok = strcmp(pgtc_result_value(res, 0, 0), "42") == 0 && pgtc_result_value(res, 0, 1) == NULL;
        pgtc_result_free(res);
        if (expect(ok, "42 and NULL"))
            return 1;
    }
    /* A count that does not match: refused, 08P01, nothing sent. */
    pgtc_result *res = NULL;
    if (pgtc_stmt_exec(stmt, 1, params, &res, &err) != PGTC_STATUS_INVALID_ARGUMENT ||
        strcmp(pgtc_error_sqlstate(err), "08P01") != 0)
        return failed("a wrong count was not refused", err);
    pgtc_error_free(err);
    err = NULL;
    pgtc_stmt_free(stmt);

    /* Binary bytea with a NUL inside, typed. */
    const unsigned char raw[] = {0xde, 0x00, 0xad};
    const char *values[] = {(const char *)raw};
    const int lengths[] = {3};
    const int formats[] = {1};
    const uint32_t types[] = {17};
    if (pgtc_conn_exec_typed(conn, "SELECT encode($1, 'hex')", 1, types, values, lengths, formats,
                             &res, &err) != PGTC_STATUS_OK)
        return failed("exec_typed", err);
    int ok = strcmp(pgtc_result_value(res, 0, 0), "de00ad") == 0;
    pgtc_result_free(res);
    if (expect(ok, "de00ad"))
        return 1;

    /* READ_ONLY: writes fail with 25006; not changeable inside a transaction. */
    if (pgtc_conn_set_attr(conn, "READ_ONLY", "ON", &err) != PGTC_STATUS_OK)
        return failed("READ_ONLY=ON", err);
    if (pgtc_conn_exec(conn, "CREATE TABLE pgtc_prepared_c_never(x int)", &res, &err) != PGTC_STATUS_SQL ||
        strcmp(pgtc_error_sqlstate(err), "25006") != 0)
        return failed("a write was not refused", err);
    pgtc_error_free(err);
    err = NULL;
    if (pgtc_conn_exec(conn, "BEGIN", &res, &err) != PGTC_STATUS_OK)
        return failed("BEGIN", err);
    pgtc_result_free(res);
    if (pgtc_conn_set_attr(conn, "READ_ONLY", "OFF", &err) != PGTC_STATUS_INVALID_STATE ||
        strcmp(pgtc_error_sqlstate(err), "25001") != 0)
        return failed("READ_ONLY changed inside a transaction", err);
    pgtc_error_free(err);
    err = NULL;
    if (pgtc_conn_exec(conn, "ROLLBACK", &res, &err) != PGTC_STATUS_OK)
        return failed("ROLLBACK", err);
    pgtc_result_free(res);

    /* Freeing the connection before a statement is a misuse pgtc reports. */
    if (pgtc_conn_prepare(conn, "SELECT 1", 0, NULL, &stmt, &err) != PGTC_STATUS_OK)
        return failed("prepare", err);
    pgtc_conn_free(conn);
    if (pgtc_stmt_exec(stmt, 0, NULL, &res, &err) != PGTC_STATUS_INVALID_STATE ||
        strcmp(pgtc_error_sqlstate(err), "08003") != 0)
        return failed("a statement of a freed connection ran", err);
    pgtc_error_free(err);
    pgtc_stmt_free(stmt);
    printf("prepared statements: ok\n");
    return 0;
}
