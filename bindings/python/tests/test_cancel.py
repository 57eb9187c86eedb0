"""Connection.cancel(): cancelling a running statement from another thread."""

from __future__ import annotations

import threading
import uuid

import pytest

import pgtc
from conftest import wait_until


def test_cancel_from_another_thread(cluster):
    conn = cluster.connect(autocommit=True, preferred_access="WRITE_MOSTLY")
    watcher = cluster.connect(autocommit=True, preferred_access="WRITE_MOSTLY")
    marker = f"py_cancel_{uuid.uuid4().hex}"
    seen = []

    def cancel_when_running():
        cur = watcher.cursor()

        def running():
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                "AND query LIKE %s AND pid <> pg_backend_pid()",
                (f"%{marker}%",),
            )
            return cur.fetchone()[0] > 0

        seen.append(wait_until(running))
        conn.cancel()

    try:
        conn.cancel()  # nothing runs: harmless
        t = threading.Thread(target=cancel_when_running)
        t.start()
        with pytest.raises(pgtc.errors.QueryCanceledError) as exc:
            conn.cursor().execute(f"SELECT pg_sleep(60) AS {marker}")
        t.join()
        assert seen == [True]
        assert exc.value.pgcode == "57014"
        # Still usable.
        cur = conn.cursor()
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    finally:
        watcher.close()
        conn.close()
    with pytest.raises(pgtc.InterfaceError):
        conn.cancel()
