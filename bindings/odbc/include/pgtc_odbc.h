/* pgtc_odbc.h: the driver-specific attributes of pgtc's ODBC driver
 * (libpgtc_odbc.so), numbered in ODBC's driver-specific ranges. Include
 * it after sql.h / sqlext.h. The numbers never change once released. */
#ifndef PGTC_ODBC_H
#define PGTC_ODBC_H

/* statement attributes (SQLGetStmtAttr; from SQL_DRIVER_STMT_ATTR_BASE,
 * 0x4000, below 0x4100) */

/* Read-only, character data: where the statement's last execution ran:
 * "primary", "standby", "both" (session state such as SET, sent to
 * both servers) or "none" (nothing was sent, or nothing has run). */
#define SQL_ATTR_PGTC_LAST_SERVER 0x4001

#endif /* PGTC_ODBC_H */
