/* COPY through pgtc's C ABI, as a C application streams data: rows in with
 * COPY FROM STDIN in chunks, back out with COPY TO STDOUT (read on the
 * standby once it has the rows), a bad row reported with its SQLSTATE, a
 * client abort, a COPY freed while it runs, and misuse. Exits non-zero on
 * the first unexpected answer; tools/test runs it under valgrind.
 *
 *   cc -Wall -Wextra -Werror -std=c11 copy.c -I include -L target/release -lpgtc
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

static int run(pgtc_conn *conn, const char *sql) {
    pgtc_result *res = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_exec(conn, sql, &res, &err) != PGTC_STATUS_OK)
        return failed(sql, err);
    pgtc_result_free(res);
    return 0;
}

enum { ROWS = 20000 };

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s CONNINFO\n", argv[0]);
        return 2;
    }
    char conninfo[1024];
    snprintf(conninfo, sizeof conninfo, "%s PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0", argv[1]);
    pgtc_conn *conn = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_open(conninfo, &conn, &err) != PGTC_STATUS_OK)
        return failed("open", err);
    if (run(conn, "DROP TABLE IF EXISTS pgtc_copy_example") ||
        run(conn, "CREATE TABLE pgtc_copy_example (id int PRIMARY KEY, note text)"))
        return 1;

    /* In: rows written in chunks that split rows anywhere. */
    pgtc_copy *copy = NULL;
    if (pgtc_conn_copy(conn, "COPY pgtc_copy_example FROM STDIN", &copy, &err) != PGTC_STATUS_OK)
        return failed("copy in", err);
    if (expect(pgtc_copy_direction(copy) == PGTC_DIRECTION_IN, "direction in") ||
        expect(pgtc_copy_cols(copy) == 2, "two columns"))
        return 1;
    char buf[64 * 1024];
    size_t used = 0;
    for (int i = 1; i <= ROWS; i++) {
        int n = snprintf(buf + used, sizeof buf - used, "%d\trow %d\n", i, i);
        used += (size_t)n;
        if (used > sizeof buf - 64 || i == ROWS) {
            size_t half = used / 2;
            if (pgtc_copy_write(copy, buf, half, &err) != PGTC_STATUS_OK ||
                pgtc_copy_write(copy, buf + half, used - half, &err) != PGTC_STATUS_OK)
                return failed("copy write", err);
            used = 0;
        }
    }
    pgtc_result *res = NULL;
    if (pgtc_copy_end(copy, &res, &err) != PGTC_STATUS_OK)
        return failed("copy end", err);
    int ok = pgtc_result_affected(res) == ROWS;
    pgtc_result_free(res);
    pgtc_copy_free(copy);
    if (expect(ok, "COPY 20000"))
        return 1;

    /* Misuse: reading a COPY that is over, writing to a COPY TO. */
    if (pgtc_conn_copy(conn, "COPY (SELECT id, note FROM pgtc_copy_example ORDER BY id) TO STDOUT",
                       &copy, &err) != PGTC_STATUS_OK)
        return failed("copy out", err);
    if (expect(pgtc_copy_direction(copy) == PGTC_DIRECTION_OUT, "direction out"))
        return 1;
    if (expect(pgtc_copy_write(copy, "x", 1, &err) == PGTC_STATUS_INVALID_STATE, "write to COPY TO"))
        return 1;
    pgtc_error_free(err);
    err = NULL;
    /* Out: every row, in order, chunk by chunk. */
    size_t rows = 0;
    for (;;) {
        const char *data = NULL;
        size_t len = 0;
        if (pgtc_copy_read(copy, &data, &len, &err) != PGTC_STATUS_OK)
            return failed("copy read", err);
        if (data == NULL)
            break;
        rows++;
        if (rows == 1 && expect(len == 8 && memcmp(data, "1\trow 1\n", 8) == 0, "first row"))
            return 1;
    }
    if (pgtc_copy_end(copy, &res, &err) != PGTC_STATUS_OK)
        return failed("copy out end", err);
    ok = rows == ROWS && pgtc_result_affected(res) == ROWS;
    pgtc_result_free(res);
    const char *data = NULL;
    size_t len = 0;
    if (expect(ok, "20000 rows out") ||
        expect(pgtc_copy_read(copy, &data, &len, &err) == PGTC_STATUS_INVALID_STATE, "read after end"))
        return 1;
    pgtc_error_free(err);
    err = NULL;
    pgtc_copy_free(copy);

    /* A bad row: the server's SQLSTATE, and the connection stays usable. */
    if (pgtc_conn_copy(conn, "COPY pgtc_copy_example FROM STDIN", &copy, &err) != PGTC_STATUS_OK)
        return failed("copy in 2", err);
    pgtc_status st = pgtc_copy_write(copy, "x\tbad\n", 6, &err);
    if (st == PGTC_STATUS_OK)
        st = pgtc_copy_end(copy, NULL, &err);
    if (expect(st != PGTC_STATUS_OK && strcmp(pgtc_error_sqlstate(err), "22P02") == 0, "22P02"))
        return 1;
    pgtc_error_free(err);
    err = NULL;
    pgtc_copy_free(copy);

    /* A client abort copies nothing; a COPY freed while it runs is aborted. */
    if (pgtc_conn_copy(conn, "COPY pgtc_copy_example FROM STDIN", &copy, &err) != PGTC_STATUS_OK)
        return failed("copy in 3", err);
    if (pgtc_copy_write(copy, "99999\tnever\n", 12, &err) != PGTC_STATUS_OK ||
        pgtc_copy_abort(copy, "changed my mind", &err) != PGTC_STATUS_OK)
        return failed("abort", err);
    pgtc_copy_free(copy);
    if (pgtc_conn_copy(conn, "COPY pgtc_copy_example TO STDOUT", &copy, &err) != PGTC_STATUS_OK)
        return failed("copy out 2", err);
    pgtc_copy_free(copy);
    if (pgtc_conn_exec(conn, "SELECT count(*) FROM pgtc_copy_example", &res, &err) != PGTC_STATUS_OK)
        return failed("count", err);
    ok = strcmp(pgtc_result_value(res, 0, 0), "20000") == 0;
    pgtc_result_free(res);
    if (expect(ok, "20000 rows after the abort"))
        return 1;

    /* NULL and a text that is not one COPY statement. */
    if (expect(pgtc_conn_copy(conn, NULL, &copy, &err) == PGTC_STATUS_NULL_ARGUMENT, "NULL sql"))
        return 1;
    pgtc_error_free(err);
    err = NULL;
    if (expect(pgtc_conn_copy(conn, "SELECT 1", &copy, &err) != PGTC_STATUS_OK, "not a COPY"))
        return 1;
    pgtc_error_free(err);
    err = NULL;
    pgtc_copy_free(NULL);

    if (run(conn, "DROP TABLE pgtc_copy_example"))
        return 1;
    pgtc_conn_free(conn);
    printf("copy: %d rows in and out\n", ROWS);
    return 0;
}
