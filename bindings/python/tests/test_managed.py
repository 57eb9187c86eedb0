"""Handle ownership: every C object is freed exactly once, however it goes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading

import pytest

import pgtc
from pgtc import _core, _managed


@pytest.fixture
def frees(monkeypatch):
    """Count handle creations and _free calls per handle class."""
    created = {}
    freed = {}
    classes = [_core.Connection, _managed.ResultHandle, _managed.ErrorHandle, _managed.RouteHandle]
    for cls in classes:
        original = cls._free_fn

        def counting(ptr, *extra, _original=original, _name=cls.__name__):
            freed[_name] = freed.get(_name, 0) + 1
            _original(ptr, *extra)

        monkeypatch.setattr(cls, "_free_fn", counting)
    original_set = _managed.Managed._set_ptr

    def counting_set(self, ptr, *extra):
        name = type(self).__name__
        created[name] = created.get(name, 0) + 1
        original_set(self, ptr, *extra)

    monkeypatch.setattr(_managed.Managed, "_set_ptr", counting_set)
    original_result_set = _managed.ResultHandle._set_ptr

    def counting_result_set(self, ptr):
        created["ResultHandle"] = created.get("ResultHandle", 0) + 1
        original_result_set(self, ptr)

    # Not a Managed (no finalizer per statement): counted on its own.
    monkeypatch.setattr(_managed.ResultHandle, "_set_ptr", counting_result_set)
    return created, freed


def test_every_handle_freed_exactly_once(cluster, frees):
    created, freed = frees
    for i in range(30):
        conn = cluster.connect(autocommit=True)
        cur = conn.cursor()
        cur.execute("SELECT %s::int", (i,))  # a result kept by the cursor
        conn.explain("SELECT 1")  # a route
        try:
            cur.execute("SELEC")  # an error
        except pgtc.ProgrammingError:
            pass
        if i % 3 == 0:
            conn.close()
            conn.close()
            cur.close()
        elif i % 3 == 1:
            with conn:
                pass
            cur.close()
        # otherwise: just dropped
        del conn, cur
    gc.collect()
    assert created["Connection"] == 30
    assert created["ResultHandle"] >= 30 and created["RouteHandle"] == 30 and created["ErrorHandle"] == 30
    assert freed == created


def test_result_outlives_connection_close(cluster, frees):
    created, freed = frees
    conn = cluster.connect(autocommit=True)
    cur = conn.cursor()
    cur.execute("SELECT 1")
    conn.close()
    # the cursor's result is its own object: closing the connection does not
    # free it, and it is released once when the cursor goes away
    assert freed.get("ResultHandle", 0) == 0
    with pytest.raises(pgtc.InterfaceError):
        cur.fetchone()
    del cur
    gc.collect()
    assert freed == created


def test_many_objects_dropped_without_close(cluster):
    conn = cluster.connect(autocommit=True)
    for _ in range(2000):
        cur = conn.cursor()
        cur.execute("SELECT g, g::text FROM generate_series(1, 5) g")
        cur.fetchone()
    routes = [conn.explain("SELECT 1") for _ in range(200)]
    assert all(r.server in ("primary", "standby") for r in routes)
    del cur, routes
    gc.collect()
    conn.close()


def test_close_twice_everywhere(cluster):
    conn = cluster.connect()
    cur = conn.cursor()
    cur.execute("SELECT 1")
    for _ in range(2):
        cur.close()
        conn.close()
    handle = _managed.ResultHandle(conn_result(cluster))
    handle.close()
    handle.close()
    with pytest.raises(ValueError):
        handle._ptr()


def conn_result(cluster):
    """A raw pgtc_result pointer (from a connection that is then closed)."""
    conn = cluster.connect(autocommit=True)
    res = conn._exec("SELECT 1", None)
    ptr = res._ptr()
    # hand the pointer over without freeing it
    res._p = None
    conn.close()
    return ptr


def test_exit_with_open_objects(cluster):
    code = (
        "import pgtc\n"
        f"c = pgtc.connect({cluster.conninfo!r}, preferred_access='READ_MOSTLY')\n"
        "cur = c.cursor(); cur.execute('SELECT 1'); c.cursor().execute('SELECT 2')\n"
        "r = c.explain('SELECT 1')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=os.environ.copy())
    assert out.returncode == 0, out.stderr


def test_connection_calls_are_serialized_across_threads(cluster):
    """threadsafety = 1: do not share connections; if it happens anyway, the
    per-connection lock keeps libpgtc's one-thread-at-a-time rule."""
    conn = cluster.connect(autocommit=True)
    errors = []

    def work():
        try:
            cur = conn.cursor()
            for i in range(100):
                cur.execute("SELECT %s::int", (i,))
                assert cur.fetchone() == (i,)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn.close()
    assert errors == []
