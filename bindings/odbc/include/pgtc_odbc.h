/*
 * pgtc_odbc.h: the driver-specific attributes of pgtc's ODBC driver
 * (libpgtc_odbc.so), numbered in ODBC's driver-specific range. The numbers
 * never change; new ones are added at the end of their section.
 *
 * Connection attributes take and give strings: SQLSetConnectAttr(dbc,
 * PGTC_ATTR_PREFERRED_ACCESS, "READ_MOSTLY", SQL_NTS) (UTF-16 with the W
 * functions), SQLGetConnectAttr(dbc, PGTC_ATTR_PREFERRED_ACCESS, buf,
 * sizeof buf, &len). Their values are those of pgtc's attributes of the
 * same names (README, "Attributes"); a bad value is HY024.
 */
#ifndef PGTC_ODBC_H
#define PGTC_ODBC_H

/* connection attributes */

/* pgtc's attributes, set and read back (0x4100 onwards) */
#define PGTC_ATTR_PREFERRED_ACCESS 0x4100
#define PGTC_ATTR_AUTOCOMMIT 0x4101
#define PGTC_ATTR_TXN_ISOLATION 0x4102
#define PGTC_ATTR_CONSISTENCY 0x4103
#define PGTC_ATTR_CONSISTENCY_WAIT_MS 0x4104
#define PGTC_ATTR_PRIMARY_SHARE 0x4105
#define PGTC_ATTR_MONITOR_INTERVAL_MS 0x4106
#define PGTC_ATTR_STATEMENT_CACHE 0x4107
#define PGTC_ATTR_READ_ONLY 0x4108
#define PGTC_ATTR_CONSISTENCY_SCOPE 0x4109
#define PGTC_ATTR_MAX_STANDBY_LAG_MS 0x410a
#define PGTC_ATTR_ON_ERROR 0x410b
#define PGTC_ATTR_POOL_MAX 0x410c
#define PGTC_ATTR_POOL_MIN 0x410d
#define PGTC_ATTR_POOL_ACQUIRE_TIMEOUT_MS 0x410e
#define PGTC_ATTR_POOL_MAX_LIFETIME_MS 0x410f
#define PGTC_ATTR_POOL_IDLE_TIMEOUT_MS 0x4110

/* read-only facts of an open connection (0x4180 onwards), as strings */
/* the LSN floor, e.g. "0/3000148" (pgtc_conn_lsn_floor's token) */
#define PGTC_ATTR_LSN_FLOOR 0x4180
/* the standby's replay lag in milliseconds, "" while unknown */
#define PGTC_ATTR_STANDBY_LAG_MS 0x4181
/* where the connection's last statement ran: "primary", "standby", "both", "none" */
#define PGTC_ATTR_LAST_SERVER 0x4182

#endif /* PGTC_ODBC_H */
