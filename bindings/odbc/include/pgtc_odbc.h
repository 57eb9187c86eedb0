/*
 * pgtc_odbc.h: the driver-specific attributes of pgtc's ODBC driver
 * (libpgtc_odbc.so), numbered in ODBC's driver-specific ranges. Include
 * it after sql.h / sqlext.h. The numbers never change; new ones are added
 * at the end of their section.
 *
 * Connection attributes take and give strings: SQLSetConnectAttr(dbc,
 * SQL_ATTR_PGTC_PREFERRED_ACCESS, "READ_MOSTLY", SQL_NTS) (UTF-16 with the
 * W functions), SQLGetConnectAttr(dbc, SQL_ATTR_PGTC_PREFERRED_ACCESS, buf,
 * sizeof buf, &len). Their values are those of pgtc's attributes of the
 * same names (README, "Attributes"); a bad value is HY024.
 */
#ifndef PGTC_ODBC_H
#define PGTC_ODBC_H

/* statement attributes (SQLGetStmtAttr; from SQL_DRIVER_STMT_ATTR_BASE,
 * 0x4000, below 0x4100) */

/* Read-only, character data: where the statement's last execution ran:
 * "primary", "standby", "both" (session state such as SET, sent to
 * both servers) or "none" (nothing was sent, or nothing has run). */
#define SQL_ATTR_PGTC_LAST_SERVER 0x4001

/* connection attributes */

/* pgtc's attributes, set and read back (0x4100 onwards) */
#define SQL_ATTR_PGTC_PREFERRED_ACCESS 0x4100
#define SQL_ATTR_PGTC_AUTOCOMMIT 0x4101
#define SQL_ATTR_PGTC_TXN_ISOLATION 0x4102
#define SQL_ATTR_PGTC_CONSISTENCY 0x4103
#define SQL_ATTR_PGTC_CONSISTENCY_WAIT_MS 0x4104
#define SQL_ATTR_PGTC_PRIMARY_SHARE 0x4105
#define SQL_ATTR_PGTC_MONITOR_INTERVAL_MS 0x4106
#define SQL_ATTR_PGTC_STATEMENT_CACHE 0x4107
#define SQL_ATTR_PGTC_READ_ONLY 0x4108
#define SQL_ATTR_PGTC_CONSISTENCY_SCOPE 0x4109
#define SQL_ATTR_PGTC_MAX_STANDBY_LAG_MS 0x410a
#define SQL_ATTR_PGTC_ON_ERROR 0x410b
#define SQL_ATTR_PGTC_POOL_MAX 0x410c
#define SQL_ATTR_PGTC_POOL_MIN 0x410d
#define SQL_ATTR_PGTC_POOL_ACQUIRE_TIMEOUT_MS 0x410e
#define SQL_ATTR_PGTC_POOL_MAX_LIFETIME_MS 0x410f
#define SQL_ATTR_PGTC_POOL_IDLE_TIMEOUT_MS 0x4110

/* read-only facts of an open connection (0x4180 onwards), as strings */
/* the LSN floor, e.g. "0/3000148" (pgtc_conn_lsn_floor's token) */
#define SQL_ATTR_PGTC_LSN_FLOOR 0x4180
/* the standby's replay lag in milliseconds, "" while unknown */
#define SQL_ATTR_PGTC_STANDBY_LAG_MS 0x4181
/* where the connection's last statement (of any of its statements) ran: "primary", "standby", "both", "none" */
#define SQL_ATTR_PGTC_CONN_LAST_SERVER 0x4182

#endif /* PGTC_ODBC_H */
