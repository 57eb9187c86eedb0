/*
 * pool.c — a pool of pgtc connections shared by several threads:
 *   - pgtc_pool_open with POOL_* attributes (and one out of range: an error
 *     naming the key);
 *   - threads acquire a connection, run a statement on it as on any
 *     pgtc_conn, and give it back with pgtc_pool_release or pgtc_conn_free;
 *   - a pool of POOL_MAX=2 never has more than 2 connections in use;
 *   - an acquire past POOL_MAX times out with PGTC_STATUS_POOL_TIMEOUT;
 *   - pgtc_pool_release of a foreign or unpooled connection does nothing;
 *   - pgtc_pool_free with a connection still out leaves it usable.
 *
 * Build:  cc -Wall -Wextra -Werror -pthread pool.c -I include -L target/release -lpgtc
 * Run:    ./pool "host=127.0.0.1,127.0.0.1 port=5433,5432 user=… password=… dbname=…"
 *
 * Exit status 0 when every check held, 1 otherwise.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtc.h"

#define THREADS 4
#define ROUNDS 10

static int failures = 0;
static pthread_mutex_t failures_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(int ok, const char *what)
{
    if (!ok) {
        pthread_mutex_lock(&failures_lock);
        fprintf(stderr, "CHECK FAILED: %s\n", what);
        failures++;
        pthread_mutex_unlock(&failures_lock);
    }
}

static void report(const char *what, pgtc_error *err)
{
    fprintf(stderr, "%s: %s (SQLSTATE %s)\n", what, err ? pgtc_error_message(err) : "?",
            err ? pgtc_error_sqlstate(err) : "?");
    pgtc_error_free(err);
}

/* Run `sql` on `conn` and return 1 when it succeeded. */
static int run(pgtc_conn *conn, const char *sql)
{
    pgtc_result *r = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_exec(conn, sql, &r, &err) != PGTC_STATUS_OK) {
        report(sql, err);
        return 0;
    }
    pgtc_result_free(r);
    return 1;
}

static void *worker(void *arg)
{
    pgtc_pool *pool = arg;
    for (int i = 0; i < ROUNDS; i++) {
        pgtc_conn *conn = NULL;
        pgtc_error *err = NULL;
        if (pgtc_pool_acquire(pool, &conn, &err) != PGTC_STATUS_OK) {
            report("pgtc_pool_acquire", err);
            check(0, "every acquire succeeds within the timeout");
            continue;
        }
        pgtc_pool_stats st;
        check(pgtc_pool_get_stats(pool, &st) == PGTC_STATUS_OK, "pgtc_pool_get_stats");
        check(st.in_use <= 2 && st.total <= 2, "never more than POOL_MAX=2 connections");
        check(run(conn, i % 2 ? "SELECT 1" : "SET work_mem = '2MB'"), "a statement on a pooled connection");
        /* Either call gives it back. */
        if (i % 2)
            pgtc_pool_release(pool, conn);
        else
            pgtc_conn_free(conn);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CONNINFO\n", argv[0]);
        return 2;
    }
    char conninfo[2048];
    pgtc_error *err = NULL;
    pgtc_pool *pool = NULL;

    /* A value out of range is an error naming the key. */
    snprintf(conninfo, sizeof conninfo, "%s POOL_MAX=0", argv[1]);
    check(pgtc_pool_open(conninfo, &pool, &err) == PGTC_STATUS_INVALID_ATTRIBUTE_VALUE,
          "POOL_MAX=0 is refused");
    check(pool == NULL, "no pool on failure");
    check(err && strstr(pgtc_error_message(err), "POOL_MAX") != NULL, "the error names POOL_MAX");
    pgtc_error_free(err);
    err = NULL;

    snprintf(conninfo, sizeof conninfo, "%s POOL_MAX=2 POOL_MIN=1 POOL_ACQUIRE_TIMEOUT_MS=120000",
             argv[1]);
    if (pgtc_pool_open(conninfo, &pool, &err) != PGTC_STATUS_OK) {
        report("pgtc_pool_open", err);
        return 1;
    }

    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, pool);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);

    pgtc_pool_stats st;
    pgtc_pool_get_stats(pool, &st);
    check(st.acquired == THREADS * ROUNDS, "every acquire counted");
    check(st.in_use == 0, "every connection given back");
    printf("acquired %llu, created %llu, resets %llu, waited %.1f ms in all\n",
           (unsigned long long)st.acquired, (unsigned long long)st.created,
           (unsigned long long)st.resets, st.wait_ns / 1e6);

    /* Past POOL_MAX: a clear timeout (a second pool with a short wait). */
    pgtc_pool *small = NULL;
    snprintf(conninfo, sizeof conninfo, "%s POOL_MAX=1 POOL_MIN=0 POOL_ACQUIRE_TIMEOUT_MS=100",
             argv[1]);
    if (pgtc_pool_open(conninfo, &small, &err) != PGTC_STATUS_OK) {
        report("pgtc_pool_open", err);
        return 1;
    }
    pgtc_conn *held = NULL, *none = NULL;
    check(pgtc_pool_acquire(small, &held, NULL) == PGTC_STATUS_OK, "the one connection");
    check(pgtc_pool_acquire(small, &none, &err) == PGTC_STATUS_POOL_TIMEOUT, "the second times out");
    check(none == NULL, "no connection on timeout");
    check(err && strcmp(pgtc_error_sqlstate(err), "53300") == 0, "SQLSTATE 53300");
    pgtc_error_free(err);
    err = NULL;

    /* Misuse does nothing to the connection. */
    pgtc_pool_release(pool, held); /* another pool's: a warning, nothing else */
    check(run(held, "SELECT 2"), "still usable after a foreign release");
    pgtc_conn *plain = NULL;
    if (pgtc_conn_open(argv[1], &plain, &err) == PGTC_STATUS_OK) {
        pgtc_pool_release(pool, plain); /* never pooled: likewise */
        check(run(plain, "SELECT 3"), "an unpooled connection is left alone");
        pgtc_conn_free(plain);
    } else {
        report("pgtc_conn_open", err);
        check(0, "pgtc_conn_open");
    }
    pgtc_pool_release(NULL, NULL);
    pgtc_pool_free(NULL);

    /* Freeing a pool with a connection out: the connection stays usable,
       and is closed when it is freed. */
    pgtc_pool_free(small);
    check(run(held, "SELECT 4"), "usable after its pool was freed");
    pgtc_conn_free(held);

    pgtc_pool_free(pool);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
