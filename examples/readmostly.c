/*
 * readmostly.c — a short mixed workload through pgtc, printing where each
 * kind of statement ran and checking pgtc's promises:
 *   - writes run on the primary;
 *   - once the standby has caught up, reads run on it;
 *   - REPEATABLE READ transactions stay on the primary;
 *   - every read sees the write its session just committed, even while the
 *     standby lags behind.
 *
 * Build:  cc -Wall -Wextra -Werror readmostly.c -I include -L target/release -lpgtc
 * Run:    ./readmostly "host=127.0.0.1,127.0.0.1 port=5433,5432 user=… password=… dbname=…"
 *
 * Exit status 0 when every check held, 1 otherwise.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgtc.h"

static int failures = 0;
static unsigned long ran_on[4]; /* indexed by pgtc_server */

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "CHECK FAILED: %s\n", what);
        failures++;
    }
}

static const char *server_name(pgtc_server s)
{
    switch (s) {
    case PGTC_SERVER_PRIMARY: return "primary";
    case PGTC_SERVER_SECONDARY: return "standby";
    case PGTC_SERVER_BOTH: return "both";
    default: return "none";
    }
}

/* Run sql (with optional parameters); exit on error. The caller frees the result. */
static pgtc_result *run(pgtc_conn *conn, const char *sql, size_t n, const char *const *params)
{
    pgtc_result *res = NULL;
    pgtc_error *err = NULL;
    pgtc_status st = n ? pgtc_conn_exec_params(conn, sql, n, params, &res, &err)
                       : pgtc_conn_exec(conn, sql, &res, &err);
    if (st != PGTC_STATUS_OK) {
        fprintf(stderr, "%s failed: %s [%s] (SQLSTATE %s)\n", sql, pgtc_error_message(err),
                pgtc_status_name(st), pgtc_error_sqlstate(err));
        pgtc_error_free(err);
        pgtc_conn_free(conn);
        exit(2);
    }
    ran_on[pgtc_result_server(res) & 3]++;
    return res;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Poll with a read until it is served by the standby (at most ~10 s). */
static int wait_for_standby(pgtc_conn *conn, const char *sql)
{
    for (int i = 0; i < 500; i++) {
        pgtc_result *r = run(conn, sql, 0, NULL);
        pgtc_server s = pgtc_result_server(r);
        pgtc_result_free(r);
        if (s == PGTC_SERVER_SECONDARY)
            return 1;
        sleep_ms(20);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *base = argc > 1 ? argv[1] : getenv("PGTC_CONNINFO");
    if (base == NULL) {
        fprintf(stderr, "usage: %s CONNINFO  (or set PGTC_CONNINFO)\n", argv[0]);
        return 2;
    }
    char conninfo[1024];
    snprintf(conninfo, sizeof conninfo, "%s PREFERRED_ACCESS=READ_MOSTLY", base);

    pgtc_conn *conn = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_open(conninfo, &conn, &err) != PGTC_STATUS_OK) {
        fprintf(stderr, "cannot open: %s\n", pgtc_error_message(err));
        pgtc_error_free(err);
        return 2;
    }
    printf("pgtc %s, connected to: %s\n", pgtc_version(), server_name(pgtc_conn_connected(conn)));
    check(pgtc_conn_connected(conn) == PGTC_SERVER_BOTH, "both servers connected");

    pgtc_result_free(run(conn, "DROP TABLE IF EXISTS pgtc_demo", 0, NULL));
    pgtc_result *r = run(conn, "CREATE TABLE pgtc_demo (id serial PRIMARY KEY, note text, at timestamptz DEFAULT now())", 0, NULL);
    check(pgtc_result_server(r) == PGTC_SERVER_PRIMARY, "DDL runs on the primary");
    pgtc_result_free(r);

    check(wait_for_standby(conn, "SELECT count(*) FROM pgtc_demo"),
          "reads reach the standby once it has caught up");

    /*
     * Like a web application: a request writes a row and reads it straight
     * back (the standby lags, so pgtc serves that read from the primary);
     * later requests only read (by then the standby has replayed the write,
     * so they go to the standby).
     */
    int cycles = 10, missed = 0;
    unsigned long fresh_on_primary = 0, later_reads = 0, later_on_standby = 0, writes_on_primary = 0;
    for (int i = 0; i < cycles; i++) {
        char note[64];
        snprintf(note, sizeof note, "request %d", i);
        const char *wp[] = { note };
        r = run(conn, "INSERT INTO pgtc_demo (note) VALUES ($1) RETURNING id", 1, wp);
        writes_on_primary += pgtc_result_server(r) == PGTC_SERVER_PRIMARY;
        char id[32];
        snprintf(id, sizeof id, "%s", pgtc_result_value(r, 0, 0));
        pgtc_result_free(r);

        const char *rp[] = { id };
        r = run(conn, "SELECT note FROM pgtc_demo WHERE id = $1", 1, rp);
        fresh_on_primary += pgtc_result_server(r) == PGTC_SERVER_PRIMARY;
        if (pgtc_result_rows(r) != 1 || strcmp(pgtc_result_value(r, 0, 0), note) != 0)
            missed++;
        pgtc_result_free(r);

        sleep_ms(400); /* other requests come later */
        for (int k = 0; k < 5; k++) {
            r = run(conn, "SELECT count(*), max(at) FROM pgtc_demo", 0, NULL);
            later_reads++;
            later_on_standby += pgtc_result_server(r) == PGTC_SERVER_SECONDARY;
            pgtc_result_free(r);
        }
    }
    check(writes_on_primary == (unsigned long)cycles, "every write ran on the primary");
    check(missed == 0, "every read saw the write its session had just committed");
    check(later_on_standby > 0, "later reads were served by the standby");

    /* REPEATABLE READ stays on the primary. */
    pgtc_result_free(run(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL));
    r = run(conn, "SELECT count(*) FROM pgtc_demo", 0, NULL);
    check(pgtc_result_server(r) == PGTC_SERVER_PRIMARY, "REPEATABLE READ reads run on the primary");
    pgtc_result_free(r);
    pgtc_result_free(run(conn, "COMMIT", 0, NULL));

    /* Once the standby has replayed everything, reads are back on it. */
    check(wait_for_standby(conn, "SELECT count(*) FROM pgtc_demo"),
          "reads return to the standby after the last write is replayed");
    r = run(conn, "SELECT count(*) FROM pgtc_demo", 0, NULL);
    char want[16];
    snprintf(want, sizeof want, "%d", cycles);
    check(strcmp(pgtc_result_value(r, 0, 0), want) == 0, "the standby has every row");
    pgtc_result_free(r);

    pgtc_result_free(run(conn, "DROP TABLE pgtc_demo", 0, NULL));
    pgtc_conn_free(conn);

    printf("\nwhere statements ran:\n");
    printf("  primary   %lu\n", ran_on[PGTC_SERVER_PRIMARY]);
    printf("  standby   %lu\n", ran_on[PGTC_SERVER_SECONDARY]);
    printf("  both      %lu\n", ran_on[PGTC_SERVER_BOTH]);
    printf("write-then-read cycles: %d; reads that missed their own write: %d\n", cycles, missed);
    printf("reads right after a write served by the primary (standby not yet replayed): %lu of %d\n",
           fresh_on_primary, cycles);
    printf("later reads served by the standby: %lu of %lu\n", later_on_standby, later_reads);
    printf("%s\n", failures ? "SOME CHECKS FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
