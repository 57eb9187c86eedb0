"""Named (server-side) cursors that stream through pgtc_conn_stream:
batches of itersize rows, early close, description, errors in the middle,
non-reads run whole, cancel from another thread."""

from __future__ import annotations

import gc
import threading
import uuid
import weakref

import pytest

import pgtc
from conftest import wait_until


def test_a_million_rows_stream_in_batches(aconn):
    cur = aconn.cursor("million")
    cur.itersize = 10_000
    cur.execute("SELECT g, 'row ' || g FROM (SELECT generate_series(1, %s) AS g) s", (1_000_000,))
    assert [d.name for d in cur.description] == ["g", "?column?"]
    assert cur.description[0].type_code == pgtc.types.INT4 and cur.description[0][1] == pgtc.NUMBER
    # Only the first batch has been read from the server.
    assert cur.rowcount == 10_000 and cur.statusmessage is None
    expected = 1
    for g, text in cur:
        assert g == expected and text == f"row {g}"
        expected += 1
        if g == 10_001:
            # The next batch was read when the first ran out.
            assert cur.rowcount == 20_000
    assert expected == 1_000_001
    assert cur.rowcount == 1_000_000 and cur.statusmessage == "SELECT 1000000"
    assert cur.fetchone() is None and cur.fetchall() == []
    cur.close()


def test_fetch_methods_across_batches(conn):
    cur = conn.cursor("fetches")
    cur.itersize = 3
    assert cur.name == "fetches" and cur.scrollable is False and cur.withhold is False
    cur.execute("SELECT g FROM generate_series(1, 10) g")
    assert cur.rownumber == 0
    assert cur.fetchone() == (1,)
    assert cur.fetchmany() == [(2,)]  # arraysize 1
    cur.arraysize = 4
    assert cur.fetchmany() == [(3,), (4,), (5,), (6,)]
    assert cur.rownumber == 6
    cur.scroll(1)
    assert cur.fetchmany(2) == [(8,), (9,)]
    with pytest.raises(pgtc.NotSupportedError):
        cur.scroll(-1)
    with pytest.raises(pgtc.NotSupportedError):
        cur.scroll(0, "absolute")
    assert cur.fetchall() == [(10,)]
    assert cur.rowcount == 10 and cur.fetchmany(5) == []
    assert cur.nextset() is None
    conn.rollback()


def test_close_early_and_reuse(aconn):
    cur = aconn.cursor("early")
    cur.itersize = 100
    cur.execute("SELECT generate_series(1, 10000000) AS g")
    assert cur.fetchmany(150) == [(g,) for g in range(1, 151)]
    cur.close()
    with pytest.raises(pgtc.InterfaceError):
        cur.fetchone()
    # The connection goes on at once (the server dropped the rest).
    other = aconn.cursor()
    other.execute("SELECT 42")
    assert other.fetchone() == (42,)
    # A new execute on a named cursor closes its previous stream first.
    again = aconn.cursor("again")
    again.itersize = 10
    again.execute("SELECT generate_series(1, 10000000) AS g")
    assert again.fetchone() == (1,)
    again.execute("SELECT 'second'")
    assert again.fetchall() == [("second",)]
    with again:
        again.execute("SELECT generate_series(1, 10000000) AS g")
        again.fetchone()
    assert again.closed


def test_description_and_empty_results(conn):
    cur = conn.cursor("empty")
    cur.execute("SELECT 1::numeric(10, 2) AS price, 'x'::text AS label WHERE false")
    assert [(d.name, d.type_code, d.precision, d.scale) for d in cur.description] == [
        ("price", pgtc.types.NUMERIC, 10, 2),
        ("label", pgtc.types.TEXT, None, None),
    ]
    assert cur.fetchall() == [] and cur.rowcount == 0 and cur.statusmessage == "SELECT 0"
    conn.rollback()


def test_an_error_in_the_middle(aconn):
    cur = aconn.cursor("failing")
    cur.itersize = 1000
    cur.execute("SELECT 1 / (g - 5500) FROM generate_series(1, 10000) g")
    rows = []
    with pytest.raises(pgtc.DataError) as e:
        for row in cur:
            rows.append(row)
    assert e.value.sqlstate == "22012"
    # The batches before the one that reached the error were returned whole.
    assert len(rows) == 5000
    assert cur.fetchall() == []  # the stream ended
    cur.execute("SELECT 'usable'")
    assert cur.fetchone() == ("usable",)
    # An error in the first batch comes from execute.
    with pytest.raises(pgtc.DataError):
        cur.execute("SELECT 1 / (g - 5) FROM generate_series(1, 10000) g")
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT * FROM no_such_table_here")


def test_non_reads_run_whole_like_a_plain_cursor(aconn, table):
    t = table("id int, v text")
    cur = aconn.cursor("writer")
    cur.execute(f"INSERT INTO {t} SELECT g, 'v' || g FROM generate_series(1, 5) g")
    assert cur.description is None and cur.rowcount == 5 and cur.statusmessage == "INSERT 0 5"
    assert cur.server == "primary"
    with pytest.raises(pgtc.ProgrammingError):
        cur.fetchone()
    cur.execute(f"UPDATE {t} SET v = %s WHERE id > %s RETURNING id", ("w", 3))
    assert sorted(cur.fetchall()) == [(4,), (5,)] and cur.rowcount == 2
    # Several statements (no parameters) run whole as a plain cursor runs them.
    cur.execute(f"SELECT count(*) FROM {t}; SELECT max(id) FROM {t}")
    assert cur.fetchall() == [(5,)] and cur.nextset() and cur.fetchall() == [(5,)]
    with pytest.raises(pgtc.NotSupportedError):
        cur.executemany(f"INSERT INTO {t} VALUES (%s, %s)", [(6, "x")])
    with pytest.raises(pgtc.NotSupportedError):
        cur.copy(f"COPY {t} TO STDOUT")


def test_streams_from_the_standby(aconn):
    cur = aconn.cursor("reader")
    cur.itersize = 50

    def on_standby():
        cur.execute("SELECT g FROM generate_series(1, 200) g")
        rows = cur.fetchall()
        assert rows == [(g,) for g in range(1, 201)]
        return cur.server == "standby"

    assert wait_until(on_standby)


def test_commit_ends_the_stream(conn):
    cur = conn.cursor("txn")
    cur.itersize = 10
    cur.execute("SELECT g FROM generate_series(1, 1000) g")
    assert conn.in_transaction and cur.fetchone() == (1,)
    assert cur.fetchmany(9) == [(g,) for g in range(2, 11)]
    conn.commit()
    with pytest.raises(pgtc.Error) as e:
        cur.fetchall()
    assert e.value.sqlstate == "24000"


def test_refused_options_and_bad_arguments(conn):
    with pytest.raises(pgtc.NotSupportedError, match="scrollable"):
        conn.cursor("s", scrollable=True)
    with pytest.raises(pgtc.NotSupportedError, match="WITH HOLD"):
        conn.cursor("h", withhold=True)
    with pytest.raises(pgtc.ProgrammingError):
        conn.cursor("")
    conn.cursor("ok", scrollable=False, withhold=False).close()
    cur = conn.cursor("bad")
    cur.itersize = 0
    with pytest.raises(pgtc.ProgrammingError, match="itersize"):
        cur.execute("SELECT 1")
    with pytest.raises(pgtc.ProgrammingError):
        conn.cursor("nothing").fetchone()


def test_closing_the_connection_or_dropping_the_cursor_frees_the_stream(cluster):
    c = cluster.connect(autocommit=True)
    cur = c.cursor("dropped")
    cur.itersize = 10
    cur.execute("SELECT generate_series(1, 1000000) AS g")
    cur.fetchone()
    del cur
    gc.collect()
    kept = c.cursor("kept")
    kept.itersize = 10
    kept.execute("SELECT generate_series(1, 1000000) AS g")
    kept.fetchone()
    c.close()
    with pytest.raises(pgtc.InterfaceError):
        kept.fetchone()
    kept.close()
    # A cycle between a connection and its cursor is collected in any order.
    c = cluster.connect(autocommit=True)
    cyc = c.cursor("cycle")
    cyc.execute("SELECT g FROM generate_series(1, 100000) g")
    cyc.fetchone()
    c.keep = cyc
    ref = weakref.ref(c)
    del c, cyc
    gc.collect()
    # Nothing keeps them alive: the stream and the connection are released.
    assert ref() is None


def _cancel_when_sleeping(watcher, marker, conn, seen):
    cur = watcher.cursor()

    def sleeping():
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
            "AND query LIKE %s AND pid <> pg_backend_pid()",
            (f"%{marker}%",),
        )
        return cur.fetchone()[0] > 0

    seen.append(wait_until(sleeping, timeout=30))
    conn.cancel()


def test_cancel_a_named_cursor_fetch_from_another_thread(cluster):
    conn = cluster.connect(autocommit=True, preferred_access="WRITE_MOSTLY")
    watcher = cluster.connect(autocommit=True, preferred_access="WRITE_MOSTLY")
    marker = f"py_stream_cancel_{uuid.uuid4().hex}"
    seen = []
    try:
        cur = conn.cursor("slow")
        cur.itersize = 1000
        cur.execute(
            f"SELECT g, CASE WHEN g = 2500 THEN pg_sleep(60) END AS {marker} "
            "FROM generate_series(1, 5000) g"
        )
        assert len(cur.fetchmany(1500)) == 1500  # the second batch is in memory
        t = threading.Thread(target=_cancel_when_sleeping, args=(watcher, marker, conn, seen))
        t.start()
        with pytest.raises(pgtc.errors.QueryCanceledError) as e:
            cur.fetchall()  # blocks in the third batch until cancelled
        t.join()
        assert seen == [True] and e.value.sqlstate == "57014"
        plain = conn.cursor()
        plain.execute("SELECT 1")
        assert plain.fetchone() == (1,)
    finally:
        watcher.close()
        conn.close()


def test_a_pooled_connection_given_back_with_an_open_stream(cluster):
    with pgtc.Pool(cluster.conninfo, max_size=1, autocommit=True) as pool:
        for _ in range(3):
            with pool.connection() as conn:
                cur = conn.cursor("pooled")
                cur.itersize = 10
                cur.execute("SELECT generate_series(1, 1000000) AS g")
                assert cur.fetchone() == (1,)
            # given back with the stream open: freed first, then reset
        with pool.connection() as conn:
            cur = conn.cursor()
            cur.execute("SELECT 7")
            assert cur.fetchone() == (7,)
        assert pool.stats()["total"] == 1
