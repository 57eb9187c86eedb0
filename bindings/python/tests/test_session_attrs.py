"""isolation_level, readonly, deferrable, autocommit, server_version:
what the servers SHOW, where statements run, and changes refused inside
a transaction."""

from __future__ import annotations

import pytest

import pgtc
from conftest import wait_until

STANDBY = "/* pgtc:standby */ "


def _show(conn, setting, hint=""):
    cur = conn.cursor()
    cur.execute(f"{hint}SELECT current_setting('{setting}')")
    (value,) = cur.fetchone()
    server = cur.server
    if not conn.autocommit:
        conn.rollback()
    return value, server


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


def test_isolation_level_values_and_show(conn):
    assert conn.isolation_level == "READ COMMITTED"
    for level, shown in [
        ("REPEATABLE READ", "repeatable read"),
        ("serializable", "serializable"),
        ("read_committed", "read committed"),
        ("READ UNCOMMITTED", "read committed"),  # run as READ COMMITTED, as PostgreSQL does
    ]:
        conn.isolation_level = level
        expected = "READ COMMITTED" if level == "READ UNCOMMITTED" else level.replace("_", " ").upper()
        assert conn.isolation_level == expected
        assert conn.get_attribute("TXN_ISOLATION") == expected.replace(" ", "_")
        cur = conn.cursor()
        cur.execute("SHOW transaction_isolation")
        assert cur.fetchone() == (shown,)
        conn.rollback()
    conn.isolation_level = None
    assert conn.isolation_level == "READ COMMITTED"
    for bad in ("AUTOCOMMIT", "SNAPSHOT", 3):
        with pytest.raises(pgtc.ProgrammingError):
            conn.isolation_level = bad


def test_isolation_is_applied_to_both_servers_and_routes_to_the_primary(aconn):
    assert _reaches_standby(aconn)
    aconn.isolation_level = "SERIALIZABLE"
    assert _show(aconn, "default_transaction_isolation", STANDBY) == ("serializable", "primary")
    route = aconn.explain("SELECT 1")
    assert route.server == "primary" and route.eligible == "primary" and "rule 4" in route.reason
    cur = aconn.cursor()
    cur.execute("SELECT 1")
    assert cur.server == "primary"
    aconn.isolation_level = "READ COMMITTED"
    # Back at READ COMMITTED the standby serves reads again, and has the setting.
    assert _reaches_standby(aconn)
    assert _show(aconn, "default_transaction_isolation", STANDBY) == ("read committed", "standby")


def test_readonly_sets_both_servers_and_keeps_the_standby_eligible(aconn, table):
    t = table("x int")
    assert aconn.readonly is False and aconn.read_only is False
    aconn.readonly = True
    assert aconn.readonly is True and aconn.get_attribute("READ_ONLY") == "ON"
    assert _show(aconn, "default_transaction_read_only") == ("on", "primary")
    assert wait_until(lambda: _show(aconn, "default_transaction_read_only", STANDBY) == ("on", "standby"))
    assert aconn.explain(f"SELECT * FROM {t}").eligible == "both"
    assert _reaches_standby(aconn, f"SELECT * FROM {t}")
    with pytest.raises(pgtc.InternalError) as e:
        aconn.cursor().execute(f"INSERT INTO {t} VALUES (1)")
    assert e.value.sqlstate == "25006"
    aconn.read_only = None
    assert aconn.readonly is False
    aconn.cursor().execute(f"INSERT INTO {t} VALUES (1)")


def test_deferrable(aconn):
    assert aconn.deferrable is False
    aconn.deferrable = True
    assert aconn.deferrable is True
    assert _show(aconn, "default_transaction_deferrable")[0] == "on"
    # Both servers have it (the hint reaches the standby once it is eligible).
    assert wait_until(lambda: _show(aconn, "default_transaction_deferrable", STANDBY) == ("on", "standby"))
    aconn.deferrable = False
    assert aconn.deferrable is False


def test_deferrable_opens_no_transaction(conn):
    conn.deferrable = True
    assert not conn.in_transaction
    conn.rollback()  # would undo a SET made inside a transaction
    assert conn.deferrable is True and not conn.in_transaction
    conn.deferrable = None
    assert conn.deferrable is False


def test_changes_refused_inside_a_transaction(conn):
    conn.cursor().execute("SELECT 1")
    assert conn.in_transaction
    for attr, value in [
        ("isolation_level", "SERIALIZABLE"),
        ("readonly", True),
        ("deferrable", True),
        ("autocommit", True),
    ]:
        with pytest.raises(pgtc.ProgrammingError) as e:
            setattr(conn, attr, value)
        assert e.value.sqlstate == "25001" and attr in str(e.value)
        assert conn.in_transaction
    # The same value is no change, so it is accepted.
    conn.isolation_level = "READ COMMITTED"
    conn.readonly = False
    conn.autocommit = False
    conn.rollback()
    conn.isolation_level = "SERIALIZABLE"
    conn.readonly = True
    conn.autocommit = True
    assert conn.autocommit and conn.readonly and conn.isolation_level == "SERIALIZABLE"


def test_autocommit_inside_an_explicit_begin(aconn):
    aconn.cursor().execute("BEGIN")
    with pytest.raises(pgtc.ProgrammingError):
        aconn.autocommit = False
    aconn.rollback()
    aconn.autocommit = False
    assert aconn.get_attribute("AUTOCOMMIT") == "OFF"


def test_server_version(conn):
    v = conn.server_version
    assert isinstance(v, int) and v >= 100000
    assert conn.info.server_version == v and conn.info.vendor == "PostgreSQL"
    assert not conn.in_transaction  # asked without opening one
    cur = conn.cursor()
    cur.execute("SHOW server_version_num")
    assert int(cur.fetchone()[0]) == v
    conn.rollback()


def test_error_sqlstate_alias(conn):
    with pytest.raises(pgtc.ProgrammingError) as e:
        conn.cursor().execute("SELECT * FROM no_such_table_here")
    assert e.value.sqlstate == e.value.pgcode == "42P01"
    conn.rollback()


def test_set_session(conn):
    conn.set_session(isolation_level="REPEATABLE READ", readonly=True, deferrable=True)
    assert (conn.isolation_level, conn.readonly, conn.deferrable) == ("REPEATABLE READ", True, True)
    cur = conn.cursor()
    cur.execute("SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')")
    assert cur.fetchone() == ("repeatable read", "on")
    with pytest.raises(pgtc.ProgrammingError):
        conn.set_session(readonly=False)  # inside the transaction just opened
    conn.rollback()
    conn.set_session(isolation_level="DEFAULT", readonly=False, deferrable=False, autocommit=True)
    assert (conn.isolation_level, conn.readonly, conn.deferrable, conn.autocommit) == (
        "READ COMMITTED", False, False, True)
    conn.set_session()  # nothing to change
    with pytest.raises(pgtc.ProgrammingError):
        conn.set_session(isolation_level="NONSENSE")
