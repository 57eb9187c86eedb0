/*
 * cancel.c — cancelling a running statement from another thread with
 * pgtc_conn_cancel, the one call that may run while another thread is
 * inside pgtc_conn_exec on the same connection:
 *   - a cancel when nothing runs does nothing;
 *   - a statement cancelled from another thread fails with SQLSTATE 57014;
 *   - the connection stays usable afterwards;
 *   - NULL is an error, not a crash.
 *
 * Build:  cc -Wall -Wextra -Werror -pthread cancel.c -I include -L target/release -lpgtc
 * Run:    ./cancel "host=127.0.0.1,127.0.0.1 port=5433,5432 user=… password=… dbname=…"
 *
 * Exit status 0 when every check held, 1 otherwise.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgtc.h"

static int failures = 0;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "CHECK FAILED: %s\n", what);
        failures++;
    }
}

struct canceller {
    pgtc_conn *conn;    /* the connection running the statement */
    pgtc_conn *watcher; /* another connection, to see it run */
    pgtc_status status;
};

/* Wait (up to 10 s) until the marked statement runs, then cancel it. */
static void *cancel_when_running(void *arg)
{
    struct canceller *c = arg;
    const char *sql = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                      "AND query LIKE '%cancel_c_marker%' AND query NOT LIKE '%pg_stat_activity%'";
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 500; i++) {
        pgtc_result *r = NULL;
        if (pgtc_conn_exec(c->watcher, sql, &r, NULL) != PGTC_STATUS_OK)
            break;
        int running = strcmp(pgtc_result_value(r, 0, 0), "0") != 0;
        pgtc_result_free(r);
        if (running) {
            pgtc_error *err = NULL;
            c->status = pgtc_conn_cancel(c->conn, &err);
            pgtc_error_free(err);
            return NULL;
        }
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "the statement never showed up in pg_stat_activity\n");
    c->status = PGTC_STATUS_INTERNAL;
    /* Unblock the main thread anyway. */
    pgtc_conn_cancel(c->conn, NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CONNINFO\n", argv[0]);
        return 2;
    }
    pgtc_conn *conn = NULL, *watcher = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_open(argv[1], &conn, &err) != PGTC_STATUS_OK ||
        pgtc_conn_open(argv[1], &watcher, &err) != PGTC_STATUS_OK) {
        fprintf(stderr, "open: %s\n", pgtc_error_message(err));
        pgtc_error_free(err);
        pgtc_conn_free(conn);
        return 1;
    }

    check(pgtc_conn_cancel(conn, NULL) == PGTC_STATUS_OK, "a cancel with nothing running succeeds");
    check(pgtc_conn_cancel(NULL, &err) == PGTC_STATUS_NULL_ARGUMENT, "NULL conn is an error");
    check(err != NULL, "NULL conn reports an error object");
    pgtc_error_free(err);
    err = NULL;

    struct canceller c = {conn, watcher, PGTC_STATUS_OK};
    pthread_t t;
    if (pthread_create(&t, NULL, cancel_when_running, &c) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        return 1;
    }
    pgtc_result *res = NULL;
    pgtc_status st = pgtc_conn_exec(conn, "SELECT pg_sleep(60) AS cancel_c_marker", &res, &err);
    pthread_join(t, NULL);
    check(c.status == PGTC_STATUS_OK, "pgtc_conn_cancel from the other thread succeeds");
    check(st == PGTC_STATUS_SQL, "the cancelled statement fails");
    check(res == NULL, "no result for the cancelled statement");
    check(err != NULL && strcmp(pgtc_error_sqlstate(err), "57014") == 0,
          "the cancelled statement reports SQLSTATE 57014");
    if (err)
        printf("cancelled: %s (SQLSTATE %s)\n", pgtc_error_message(err), pgtc_error_sqlstate(err));
    pgtc_error_free(err);

    st = pgtc_conn_exec(conn, "SELECT 1", &res, NULL);
    check(st == PGTC_STATUS_OK && strcmp(pgtc_result_value(res, 0, 0), "1") == 0,
          "the connection is usable after the cancel");
    pgtc_result_free(res);

    pgtc_conn_free(watcher);
    pgtc_conn_free(conn);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
