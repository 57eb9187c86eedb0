"""Where statements run, read-your-writes, explain, counters, the LSN floor."""

from __future__ import annotations

import time
import uuid

import pytest

import pgtc
from conftest import wait_until


def _reaches_standby(conn, sql="SELECT 1"):
    cur = conn.cursor()

    def attempt():
        cur.execute(sql)
        cur.fetchall()
        server = cur.server
        if not conn.autocommit:
            conn.commit()
        return server == "standby"

    return wait_until(attempt)


def test_connected_to_both(conn):
    assert conn.connected == "both"
    assert conn.pinned is False


def test_writes_run_on_the_primary(aconn, table):
    t = table("id int, v text")
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (%s, %s)", (1, "a"))
    assert cur.server == "primary"
    cur.execute(f"UPDATE {t} SET v = 'b'")
    assert cur.server == "primary"
    cur.execute(f"SELECT * FROM {t} FOR UPDATE")
    assert cur.server == "primary"
    cur.execute(f"DELETE FROM {t}")
    assert cur.server == "primary"


def test_reads_reach_the_standby(aconn, table):
    t = table("id int")
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    assert _reaches_standby(aconn, f"SELECT id FROM {t}")
    cur.execute(f"SELECT id FROM {t}")
    assert cur.fetchall() == [(1,)]


def test_reads_in_a_dbapi_transaction_reach_the_standby(conn):
    assert _reaches_standby(conn)


def test_session_settings_run_on_both(aconn):
    cur = aconn.cursor()
    cur.execute("SET application_name = 'both'")
    assert cur.server == "both"
    cur.execute("RESET application_name")


def test_transaction_that_wrote_stays_on_primary(conn, table):
    t = table("id int")
    cur = conn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    cur.execute(f"SELECT id FROM {t}")
    assert cur.server == "primary" and cur.fetchall() == [(1,)]
    conn.commit()


def test_pinned_by_temp_table(aconn):
    cur = aconn.cursor()
    cur.execute("CREATE TEMP TABLE pin_me (x int)")
    assert aconn.pinned
    cur.execute("SELECT * FROM pin_me")
    assert cur.server == "primary"
    assert "rule 3" in aconn.explain("SELECT 1").reason
    cur.execute("DISCARD ALL")
    assert not aconn.pinned


def test_explain(aconn):
    route = aconn.explain("SELECT * FROM pg_class FOR UPDATE")
    assert isinstance(route, pgtc.Route)
    assert route.server == "primary" and route.eligible == "primary"
    assert route.reason.startswith("rule 5")
    route = aconn.explain("SELECT 1")
    assert route.eligible == "both" and route.server in ("primary", "standby")
    assert aconn.explain("/* pgtc:primary */ SELECT 1").server == "primary"
    # explain runs nothing
    before = aconn.counters()
    aconn.explain("INSERT INTO nowhere VALUES (1)")
    assert aconn.counters() == before


def test_explain_with_write_mostly(cluster):
    c = cluster.connect(preferred_access="WRITE_MOSTLY", autocommit=True)
    route = c.explain("SELECT 1")
    assert route.server == "primary" and "rule 1" in route.reason
    c.set_attribute("PREFERRED_ACCESS", "READ_MOSTLY")
    assert c.explain("SELECT 1").eligible == "both"
    c.close()


def test_counters(aconn, table):
    t = table("id int")
    start = aconn.counters()
    assert set(start) == {"primary", "standby", "both", "misroutes", "floor_kept"}
    proc_start = pgtc.process_counters()
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    cur.execute("SET application_name = 'c'")
    after = aconn.counters()
    assert after["primary"] == start["primary"] + 1
    assert after["both"] == start["both"] + 1
    proc = pgtc.process_counters()
    assert proc["primary"] >= proc_start["primary"] + 1
    assert all(proc[k] >= after[k] for k in proc)
    assert _reaches_standby(aconn)
    assert aconn.counters()["standby"] >= 1


def test_set_attribute_errors(aconn):
    with pytest.raises(pgtc.ProgrammingError) as e:
        aconn.set_attribute("NO_SUCH_ATTRIBUTE", "x")
    assert e.value.pgstatus == "PGTC_STATUS_UNKNOWN_ATTRIBUTE"
    with pytest.raises(pgtc.ProgrammingError) as e:
        aconn.set_attribute("CONSISTENCY", "SOMETIMES")
    assert e.value.pgstatus == "PGTC_STATUS_INVALID_ATTRIBUTE_VALUE"
    aconn.set_attribute("consistency", "wait")
    aconn.set_attribute("CONSISTENCY_WAIT_MS", 500)
    aconn.set_attribute("PRIMARY_SHARE", 50)
    aconn.cursor().execute("BEGIN")
    with pytest.raises(pgtc.ProgrammingError) as e:
        aconn.set_attribute("TXN_ISOLATION", "SERIALIZABLE")
    assert e.value.pgstatus == "PGTC_STATUS_INVALID_STATE"
    aconn.rollback()


@pytest.mark.parametrize("autocommit", [True, False])
def test_txn_isolation_keeps_reads_on_the_primary(cluster, autocommit):
    c = cluster.connect(autocommit=autocommit, txn_isolation="REPEATABLE_READ")
    assert not c.in_transaction
    cur = c.cursor()
    cur.execute("SELECT 1")
    assert cur.server == "primary"
    cur.execute("SHOW transaction_isolation")
    assert cur.fetchone() == ("repeatable read",)
    c.rollback()
    c.set_attribute("TXN_ISOLATION", "READ_COMMITTED")
    assert not c.in_transaction
    assert c.explain("SELECT 1").eligible == "both"
    c.set_attribute("TXN_ISOLATION", "SERIALIZABLE")
    assert c.explain("SELECT 1").eligible == "primary"
    c.close()


def test_raw_autocommit_off_with_isolation_in_conninfo(cluster):
    c = pgtc.Connection(
        cluster.conninfo + " PREFERRED_ACCESS=READ_MOSTLY AUTOCOMMIT=OFF TXN_ISOLATION=REPEATABLE_READ"
    )
    try:
        assert c.autocommit is False
        assert not c.in_transaction
        assert c.explain("SELECT 1").eligible == "primary"
    finally:
        c.close()


def test_lsn_floor(aconn, table):
    t = table("id int")
    # CONSISTENCY_SCOPE=PROCESS: the floor is the process's, raised by
    # every earlier write of this test run.
    before = _lsn(aconn.lsn_floor)
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    floor = aconn.lsn_floor
    assert _lsn(floor) > before
    cur.execute(f"INSERT INTO {t} VALUES (2)")
    assert _lsn(aconn.lsn_floor) >= _lsn(floor)


def _unique(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def _lsn(text):
    hi, lo = text.split("/")
    return int(hi, 16) << 32 | int(lo, 16)


def test_raise_lsn_floor(cluster, aconn):
    # SESSION: under PROCESS a far-ahead floor would hold every connection
    # of this process to the cluster on the primary
    other = cluster.connect(autocommit=True, consistency_scope="SESSION")
    try:
        assert other.lsn_floor == "0/0"
        other.raise_lsn_floor("5/10")
        assert other.lsn_floor == "5/10"
        other.raise_lsn_floor("0/1")  # never lowers
        assert other.lsn_floor == "5/10"
        # a floor far ahead keeps reads on the primary
        cur = other.cursor()
        cur.execute("SELECT 1")
        assert cur.server == "primary"
        assert "rule 6" in other.explain("SELECT 1").reason
        with pytest.raises(pgtc.InterfaceError) as e:
            other.raise_lsn_floor("not an lsn")
        assert e.value.pgstatus == "PGTC_STATUS_INVALID_ARGUMENT"
    finally:
        other.close()


# -- read-your-writes under replication lag (standby 300 ms behind) -----------


def test_read_your_writes_under_lag(delayed_cluster, table):
    conn = delayed_cluster.connect(autocommit=True)
    try:
        cur = conn.cursor()
        t = _unique("ryw")
        cur.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, v text)")
        assert _reaches_standby(conn, f"SELECT count(*) FROM {t}")
        kept_on_primary = 0
        for i in range(10):
            cur.execute(f"INSERT INTO {t} VALUES (%s, %s)", (i, f"v{i}"))
            assert cur.server == "primary"
            cur.execute(f"SELECT v FROM {t} WHERE id = %s", (i,))
            assert cur.fetchall() == [(f"v{i}",)], "the read missed the session's own write"
            kept_on_primary += cur.server == "primary"
        # the standby is 300 ms behind: right after a write, reads stay on the
        # primary (all of them, unless this process stalled for 300 ms)
        assert kept_on_primary >= 5
        assert conn.counters()["floor_kept"] >= 10
        # and once it has replayed, reads go back to the standby
        assert _reaches_standby(conn, f"SELECT count(*) FROM {t}")
        cur.execute(f"SELECT count(*) FROM {t}")
        assert cur.fetchone() == (10,)
        cur.execute(f"DROP TABLE {t}")
    finally:
        conn.close()


def test_read_your_writes_in_dbapi_transactions_under_lag(delayed_cluster):
    conn = delayed_cluster.connect()  # autocommit off
    try:
        cur = conn.cursor()
        t = _unique("ryw_tx")
        cur.execute(f"CREATE TABLE {t} (id int PRIMARY KEY)")
        conn.commit()
        for i in range(5):
            cur.execute(f"INSERT INTO {t} VALUES (%s)", (i,))
            conn.commit()
            cur.execute(f"SELECT count(*) FROM {t} WHERE id = %s", (i,))
            assert cur.fetchone() == (1,), "the read missed the committed write"
            conn.commit()
        cur.execute(f"DROP TABLE {t}")
        conn.commit()
    finally:
        conn.close()


def test_lsn_floor_token_across_connections_under_lag(delayed_cluster):
    writer = delayed_cluster.connect(autocommit=True)
    reader = delayed_cluster.connect(autocommit=True)
    try:
        w = writer.cursor()
        t = _unique("ryw_token")
        w.execute(f"CREATE TABLE {t} (id int PRIMARY KEY)")
        r = reader.cursor()
        # without the writer's token the reader may see the standby's past,
        # where the table does not exist yet
        reader.raise_lsn_floor(writer.lsn_floor)
        assert _reaches_standby(reader, f"SELECT count(*) FROM {t}")
        w.execute(f"INSERT INTO {t} VALUES (1)")
        reader.raise_lsn_floor(writer.lsn_floor)
        r.execute(f"SELECT count(*) FROM {t} WHERE id = 1")
        assert r.fetchone() == (1,)  # on the primary, or on a standby that replayed it
        w.execute(f"DROP TABLE {t}")
    finally:
        writer.close()
        reader.close()


def test_consistency_wait_reads_from_standby_after_waiting(delayed_cluster):
    conn = delayed_cluster.connect(autocommit=True, consistency="WAIT", consistency_wait_ms=5000)
    try:
        cur = conn.cursor()
        t = _unique("ryw_wait")
        cur.execute(f"CREATE TABLE {t} (id int PRIMARY KEY)")
        assert _reaches_standby(conn, f"SELECT count(*) FROM {t}")
        cur.execute(f"INSERT INTO {t} VALUES (1)")
        start = time.monotonic()
        cur.execute(f"SELECT count(*) FROM {t} WHERE id = 1")
        assert cur.fetchone() == (1,)
        assert cur.server == "standby"
        assert time.monotonic() - start < 5
        cur.execute(f"DROP TABLE {t}")
    finally:
        conn.close()


def test_standby_lag_ms(aconn):
    # The pair's standby applies WAL at once: once the monitor has sampled
    # both servers its lag is known, and small.
    deadline = time.monotonic() + 15
    lag = aconn.standby_lag_ms
    while lag is None and time.monotonic() < deadline:
        time.sleep(0.05)
        lag = aconn.standby_lag_ms
    assert lag is not None and lag >= 0
