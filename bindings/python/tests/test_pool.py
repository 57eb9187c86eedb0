"""pgtc.Pool against a real pair: the context managers, release and reset,
the timeout, stats, close, and threads."""

from __future__ import annotations

import threading

import pytest

import pgtc
from conftest import wait_until


def _pid(conn) -> int:
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    (pid,) = cur.fetchone()
    return pid


def test_with_pool_and_connection(cluster, table):
    t = table("id int")
    with pgtc.Pool(cluster.conninfo, max_size=2, min_size=0) as pool:
        with pool.connection() as conn:
            assert isinstance(conn, pgtc.Connection)
            assert conn.autocommit is False
            conn.cursor().execute(f"INSERT INTO {t} VALUES (1)")
            assert pool.stats()["in_use"] == 1
        # Leaving the block committed and released it.
        s = pool.stats()
        assert (s["in_use"], s["idle"]) == (0, 1)
        assert conn.closed
        with pool.connection() as conn:
            cur = conn.cursor()
            cur.execute(f"SELECT count(*) FROM {t}")
            assert cur.fetchone() == (1,)
    assert pool.closed
    with pytest.raises(pgtc.ProgrammingError):
        pool.getconn()


def test_an_exception_rolls_back_and_the_connection_is_reset(cluster, table):
    t = table("id int")
    with pgtc.Pool(cluster.conninfo, max_size=1, min_size=0) as pool:
        with pytest.raises(ZeroDivisionError):
            with pool.connection() as conn:
                first = _pid(conn)
                cur = conn.cursor()
                cur.execute("SET statement_timeout = '4321'")
                cur.execute(f"INSERT INTO {t} VALUES (1)")
                1 / 0
        with pool.connection() as conn:
            assert _pid(conn) == first, "the same connection, reset"
            cur = conn.cursor()
            cur.execute(f"SELECT count(*) FROM {t}")
            assert cur.fetchone() == (0,)
            cur.execute("SHOW statement_timeout")
            assert cur.fetchone() == ("0",)
        assert pool.stats()["resets"] >= 1


def test_closing_a_pooled_connection_returns_it(cluster):
    with pgtc.Pool(cluster.conninfo, max_size=1, min_size=0, timeout=0.2) as pool:
        conn = pool.getconn()
        pid = _pid(conn)
        with pytest.raises(pgtc.PoolTimeout) as info:
            pool.getconn()
        assert isinstance(info.value, pgtc.OperationalError)
        assert info.value.pgcode == "53300"
        assert "POOL_MAX=1" in str(info.value)
        assert pool.stats()["timeouts"] == 1
        conn.close()
        conn.close()  # again: nothing
        again = pool.getconn()
        assert _pid(again) == pid
        pool.putconn(again)
        assert pool.stats()["in_use"] == 0


def test_putconn_refuses_a_foreign_connection(cluster):
    with pgtc.Pool(cluster.conninfo, max_size=1, min_size=0) as a, pgtc.Pool(
        cluster.conninfo, max_size=1, min_size=0
    ) as b:
        conn = a.getconn()
        with pytest.raises(pgtc.ProgrammingError):
            b.putconn(conn)
        plain = cluster.connect()
        with pytest.raises(pgtc.ProgrammingError):
            a.putconn(plain)
        plain.close()
        assert not conn.closed
        a.putconn(conn)


def test_connections_out_outlive_the_pool(cluster):
    pool = pgtc.Pool(cluster.conninfo, max_size=2, min_size=0)
    conn = pool.getconn()
    pool.close()
    cur = conn.cursor()
    cur.execute("SELECT 5")
    assert cur.fetchone() == (5,)
    conn.close()


def test_bad_pool_values_raise(cluster):
    with pytest.raises(pgtc.ProgrammingError, match="POOL_MIN"):
        pgtc.Pool(cluster.conninfo, max_size=1, min_size=2)
    with pytest.raises(pgtc.ProgrammingError, match="POOL_MAX"):
        pgtc.Pool(cluster.conninfo, POOL_MAX=0)


def test_threads_share_a_pool(cluster):
    with pgtc.Pool(cluster.conninfo, max_size=3, min_size=1, preferred_access="READ_MOSTLY") as pool:
        errors = []

        def work(i):
            try:
                for _ in range(20):
                    with pool.connection() as conn:
                        cur = conn.cursor()
                        cur.execute("SELECT %s::int", (i,))
                        assert cur.fetchone() == (i,)
                        assert pool.stats()["in_use"] <= 3
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        s = pool.stats()
        assert s["acquired"] == 120 and s["total"] <= 3
        assert wait_until(lambda: pool.stats()["in_use"] == 0)
