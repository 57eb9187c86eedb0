#!/usr/bin/env python3
"""One "web request" through pgtc's Python binding.

The request writes a row (a new order), reads it straight back, as a page
that shows "your order was saved" would, then serves a burst of reads (a
product list). pgtc runs the write on the primary, keeps the read-back on
the primary while the standby has not replayed the write, and sends the
later reads to the standby once it has. Every statement prints where it ran.

    PGTC_LIBRARY=target/release/libpgtc.so \\
    python3 examples/python/web_request.py "host=… port=…,… user=… dbname=…"

The connection string comes from argv[1] or PGTC_CONNINFO. Exit status 0
when the read-back saw the write, 1 when it missed it, 2 on an error.
"""

from __future__ import annotations

import os
import sys
import time
import uuid

import pgtc


def log(cur: pgtc.Cursor, what: str) -> None:
    print(f"  {cur.server or 'none':8} {what}")


def handle_request(conn: pgtc.Connection, customer: str, reads: int) -> bool:
    """Write an order, read it back, then a burst of reads. True if the
    read-back saw the write."""
    cur = conn.cursor()
    order_id = str(uuid.uuid4())

    # POST /orders: the write, committed (the `with` block commits).
    with conn:
        cur.execute(
            "INSERT INTO web_orders (id, customer, total) VALUES (%(id)s, %(customer)s, %(total)s)",
            {"id": order_id, "customer": customer, "total": "42.50"},
        )
        log(cur, f"INSERT order {order_id[:8]}")

    # The page that follows: read the order straight back.
    with conn:
        cur.execute("SELECT customer, total FROM web_orders WHERE id = %s", (order_id,))
        row = cur.fetchone()
        log(cur, f"SELECT the new order -> {row}")
    seen = row is not None and row[0] == customer

    # A burst of reads (the rest of the page, and the next pages).
    where = {}
    for i in range(reads):
        with conn:
            cur.execute("SELECT count(*), coalesce(sum(total), 0) FROM web_orders WHERE customer = %s", (customer,))
            count, total = cur.fetchone()
        where[cur.server] = where.get(cur.server, 0) + 1
        log(cur, f"SELECT orders of {customer}: {count}, total {total}")
        time.sleep(0.05)
    print("where the reads ran: " + ", ".join(f"{k}: {v}" for k, v in sorted(where.items(), key=str)))
    return seen


def main() -> int:
    conninfo = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PGTC_CONNINFO")
    if not conninfo:
        print(__doc__, file=sys.stderr)
        print("usage: web_request.py CONNINFO (or set PGTC_CONNINFO)", file=sys.stderr)
        return 2
    try:
        conn = pgtc.connect(conninfo, preferred_access="READ_MOSTLY", application_name="web_request.py")
    except pgtc.Error as e:
        print(f"cannot connect: {e} [{e.pgstatus}]", file=sys.stderr)
        return 2
    try:
        print(f"pgtc {pgtc.library_version()}, connected to: {conn.connected}")
        with conn:
            conn.cursor().execute(
                "CREATE TABLE IF NOT EXISTS web_orders ("
                " id uuid PRIMARY KEY, customer text NOT NULL, total numeric(10,2) NOT NULL,"
                " created timestamptz NOT NULL DEFAULT now())"
            )
        print("request:")
        ok = handle_request(conn, customer=f"customer-{os.getpid()}", reads=10)
        c = conn.counters()
        print(
            f"statements: primary {c['primary']}, standby {c['standby']}, both {c['both']}; "
            f"reads kept on the primary by the session's LSN floor: {c['floor_kept']}"
        )
    except pgtc.Error as e:
        print(f"error: {e} [{e.pgstatus}, SQLSTATE {e.pgcode}]", file=sys.stderr)
        return 2
    finally:
        conn.close()
    if not ok:
        print("FAILED: the read right after the write did not see it", file=sys.stderr)
        return 1
    print("read-your-writes held: the read-back saw the write")
    return 0


if __name__ == "__main__":
    sys.exit(main())
