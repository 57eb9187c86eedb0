/* Error fields, notices, notifications, several results and column
 * metadata through the C ABI, as a C program uses them; run under valgrind
 * by tests/c_diagnostics.rs against a real pair. Exits non-zero on the first
 * check that fails. */
#include "pgtc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                     \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                 \
        }                                                               \
    } while (0)

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static pgtc_result *run(pgtc_conn *conn, const char *sql) {
    pgtc_result *res = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_exec(conn, sql, &res, &err) != PGTC_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", sql, pgtc_error_message(err));
        pgtc_error_free(err);
        exit(2);
    }
    return res;
}

struct notices {
    int count;
    int from_standby;
    char last[128];
};

static void on_notice(void *user_data, const pgtc_error *notice, pgtc_server server) {
    struct notices *n = user_data;
    n->count++;
    if (server == PGTC_SERVER_SECONDARY)
        n->from_standby++;
    const char *m = pgtc_error_field(notice, 'M');
    snprintf(n->last, sizeof n->last, "%s:%s", pgtc_error_field(notice, 'V'), m ? m : "");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CONNINFO\n", argv[0]);
        return 2;
    }
    pgtc_conn *conn = NULL;
    pgtc_error *err = NULL;
    if (pgtc_conn_open(argv[1], &conn, &err) != PGTC_STATUS_OK) {
        fprintf(stderr, "open: %s\n", pgtc_error_message(err));
        pgtc_error_free(err);
        return 2;
    }
    struct notices notices = {0, 0, ""};
    CHECK(pgtc_conn_set_notice_handler(conn, on_notice, &notices, NULL) == PGTC_STATUS_OK);

    /* Error fields of a constraint violation, and of pgtc's own errors. */
    pgtc_result_free(run(conn, "DROP TABLE IF EXISTS c_diag; "
                               "CREATE TABLE c_diag(id int CONSTRAINT c_diag_pk PRIMARY KEY, "
                               "name varchar(10)); INSERT INTO c_diag VALUES (1, 'héllo')"));
    CHECK(notices.count == 1 && strstr(notices.last, "NOTICE:") == notices.last); /* DROP … IF EXISTS */
    pgtc_result *res = NULL;
    CHECK(pgtc_conn_exec(conn, "INSERT INTO c_diag VALUES (1, 'x')", &res, &err) == PGTC_STATUS_SQL);
    CHECK(res == NULL);
    CHECK(streq(pgtc_error_field(err, 'C'), "23505"));
    CHECK(streq(pgtc_error_field(err, 's'), "public"));
    CHECK(streq(pgtc_error_field(err, 't'), "c_diag"));
    CHECK(streq(pgtc_error_field(err, 'n'), "c_diag_pk"));
    CHECK(pgtc_error_field(err, 'H') == NULL);
    CHECK(pgtc_error_results(err) == NULL);
    pgtc_error_free(err);
    CHECK(pgtc_conn_exec(conn, "SELECT 1 FROM WHERE", &res, &err) == PGTC_STATUS_SQL);
    CHECK(streq(pgtc_error_field(err, 'P'), "15"));
    pgtc_error_free(err);
    CHECK(pgtc_conn_exec(conn, NULL, &res, &err) == PGTC_STATUS_NULL_ARGUMENT);
    CHECK(streq(pgtc_error_sqlstate(err), "HY009") && streq(pgtc_error_field(err, 'C'), "HY009"));
    pgtc_error_free(err);

    /* Several results, and the results before an error. */
    res = run(conn, "SELECT 1 AS a; UPDATE c_diag SET name = name; SELECT name FROM c_diag");
    const pgtc_result *second = pgtc_result_next(res);
    const pgtc_result *third = pgtc_result_next(second);
    CHECK(streq(pgtc_result_value(res, 0, 0), "1"));
    CHECK(streq(pgtc_result_command(second), "UPDATE 1") && pgtc_result_affected(second) == 1);
    CHECK(streq(pgtc_result_value(third, 0, 0), "héllo"));
    CHECK(pgtc_result_next(third) == NULL);
    /* Column metadata. */
    CHECK(pgtc_result_value_len(third, 0, 0) == 6);
    CHECK(pgtc_result_col_typmod(third, 0) == 14);
    CHECK(pgtc_result_col_table(third, 0) != 0 && pgtc_result_col_number(third, 0) == 2);
    CHECK(pgtc_result_col_table(res, 0) == 0 && pgtc_result_col_typmod(res, 0) == -1);
    pgtc_result_free(res);
    CHECK(pgtc_conn_exec(conn, "SELECT 7; SELECT 1/0; SELECT 8", &res, &err) == PGTC_STATUS_SQL);
    const pgtc_result *before = pgtc_error_results(err);
    CHECK(streq(pgtc_error_sqlstate(err), "22012"));
    CHECK(streq(pgtc_result_value(before, 0, 0), "7") && pgtc_result_next(before) == NULL);
    pgtc_error_free(err);

    /* Notifications: sent by another connection, received while idle. */
    pgtc_conn *other = NULL;
    CHECK(pgtc_conn_open(argv[1], &other, NULL) == PGTC_STATUS_OK);
    pgtc_result_free(run(conn, "LISTEN c_diag_chan"));
    pgtc_notification *note = NULL;
    CHECK(pgtc_conn_notification(conn, 0, &note, &err) == PGTC_STATUS_OK && note == NULL);
    pgtc_result_free(run(other, "NOTIFY c_diag_chan, 'payload'"));
    CHECK(pgtc_conn_notification(conn, 15000, &note, &err) == PGTC_STATUS_OK);
    CHECK(note != NULL);
    if (note) {
        CHECK(streq(pgtc_notification_channel(note), "c_diag_chan"));
        CHECK(streq(pgtc_notification_payload(note), "payload"));
        CHECK(pgtc_notification_pid(note) > 0);
        pgtc_notification_free(note);
    }
    CHECK(pgtc_conn_notification(conn, 0, NULL, &err) == PGTC_STATUS_NULL_ARGUMENT);
    pgtc_error_free(err);
    pgtc_conn_free(other);

    /* Back to the default notice handling. */
    CHECK(pgtc_conn_set_notice_handler(conn, NULL, NULL, NULL) == PGTC_STATUS_OK);
    int before_count = notices.count;
    pgtc_result_free(run(conn, "DROP TABLE c_diag; DROP TABLE IF EXISTS c_diag"));
    CHECK(notices.count == before_count);
    pgtc_conn_free(conn);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("diagnostics: all checks passed\n");
    return 0;
}
