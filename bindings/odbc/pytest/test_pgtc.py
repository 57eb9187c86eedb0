"""pgtc's own behaviour through pyodbc: reads reach the standby in
READ_MOSTLY, a connection reads its own writes (the standby applies 200 ms
late, so a stale read would fail), and the driver-specific attributes of
bindings/odbc/include/pgtc_odbc.h."""

import ctypes
import ctypes.util

import pyodbc
import pytest

from conftest import header_defines, wait_for

pytestmark = pytest.mark.pgtc_only


def in_recovery(cur):
    # pg_is_in_recovery() alone is answered by the primary (its answer
    # depends on the server); the hint asks for the standby where routing
    # allows it.
    return cur.execute("/* pgtc:standby */ SELECT pg_is_in_recovery()").fetchval() in (True, 1)


def test_reads_reach_the_standby(cnxn):
    cur = cnxn.cursor()
    # The standby is used once pgtc has seen it caught up: poll.
    wait_for(lambda: in_recovery(cur), "a read on the standby")


def test_server_dependent_answers_come_from_the_primary(cnxn):
    cur = cnxn.cursor()
    wait_for(lambda: in_recovery(cur), "a read on the standby")
    # Without the hint, the answer the application means: the primary's.
    assert cur.execute("SELECT pg_is_in_recovery()").fetchval() in (False, 0)


def test_isolation_above_read_committed_stays_on_the_primary(drv):
    c = drv.connect()
    cur = c.cursor()
    wait_for(lambda: in_recovery(cur), "a read on the standby")
    c.set_attr(pyodbc.SQL_ATTR_TXN_ISOLATION, pyodbc.SQL_TXN_SERIALIZABLE)
    # Even the hint cannot send a serializable read to a standby.
    for _ in range(5):
        assert not in_recovery(cur)
    c.set_attr(pyodbc.SQL_ATTR_TXN_ISOLATION, pyodbc.SQL_TXN_READ_COMMITTED)
    wait_for(lambda: in_recovery(cur), "a read on the standby again")
    c.close()


def test_writes_go_to_the_primary(cnxn, table):
    cur = cnxn.cursor()
    wait_for(lambda: in_recovery(cur), "a read on the standby")
    cur.execute("CREATE TABLE %s (id int, at_standby bool)" % table)
    # The INSERT's own expression runs where the INSERT runs.
    cur.execute("INSERT INTO %s VALUES (1, pg_is_in_recovery())" % table)
    assert cur.execute("SELECT at_standby FROM %s" % table).fetchval() in (False, 0)


def test_read_your_writes(cnxn, table):
    cur = cnxn.cursor()
    wait_for(lambda: in_recovery(cur), "a read on the standby")
    cur.execute("CREATE TABLE %s (id int)" % table)
    for i in range(1, 11):
        cur.execute("INSERT INTO %s VALUES (%d)" % (table, i))
        # At once, on the same connection: the standby is 200 ms behind.
        assert tuple(cur.execute("SELECT count(*), max(id) FROM %s" % table).fetchone()) == (i, i)


def test_read_your_writes_through_the_catalog(cnxn, table):
    cur = cnxn.cursor()
    wait_for(lambda: in_recovery(cur), "a read on the standby")
    for i in range(3):
        name = "%s_%d" % (table, i)
        cur.execute("CREATE TABLE %s (a int, b text)" % name)
        try:
            # SQLColumns at once after the CREATE, on the same connection.
            assert [r.column_name for r in cur.columns(table=name).fetchall()] == ["a", "b"]
            assert [r.table_name for r in cur.tables(table=name).fetchall()] == [name]
        finally:
            cur.execute("DROP TABLE %s" % name)


def test_transaction_reads_its_writes(drv, table):
    c = drv.connect(autocommit=False)
    cur = c.cursor()
    cur.execute("CREATE TABLE %s (id int)" % table)
    cur.execute("INSERT INTO %s VALUES (7)" % table)
    assert cur.execute("SELECT id FROM %s" % table).fetchval() == 7
    c.commit()
    c.close()


# -- driver-specific attributes ---------------------------------------------

def defines_or_skip(*names):
    d = header_defines()
    if d is None:
        pytest.skip("bindings/odbc/include/pgtc_odbc.h is missing: no driver-specific attribute numbers")
    missing = [n for n in names if n not in d]
    if missing:
        pytest.skip("pgtc_odbc.h does not define %s" % ", ".join(missing))
    return d


SQL_NTS = -3


def libodbc():
    lib = ctypes.CDLL(ctypes.util.find_library("odbc") or "libodbc.so.2")
    lib.SQLSetConnectAttrW.restype = ctypes.c_short
    lib.SQLSetConnectAttrW.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    for f in ("SQLGetStmtAttr", "SQLGetConnectAttr"):
        fn = getattr(lib, f)
        fn.restype = ctypes.c_short
        fn.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                       ctypes.POINTER(ctypes.c_int)]
    return lib


def str_attr(fn, handle, attr):
    # pyodbc gives its handles as ctypes.c_void_p.
    buf = ctypes.create_string_buffer(256)
    n = ctypes.c_int(0)
    rc = fn(handle, attr, ctypes.cast(buf, ctypes.c_void_p), 256, ctypes.byref(n))
    assert rc in (0, 1), "rc %d for attribute %#x" % (rc, attr)
    # unixODBC cannot know a driver-specific attribute is a string: on a
    # connection made through the wide functions (as pyodbc's are) it
    # calls the driver's wide function and passes the UTF-16 through.
    raw = buf.raw[: n.value]
    if len(raw) >= 2 and raw[1] == 0:
        return raw.decode("utf-16-le")
    return raw.decode()


def test_last_server(cnxn, table):
    d = defines_or_skip("SQL_ATTR_PGTC_LAST_SERVER")
    lib = libodbc()
    cur = cnxn.cursor()
    attr = d["SQL_ATTR_PGTC_LAST_SERVER"]

    def ran_on_standby():
        cur.execute("SELECT 1").fetchall()
        return str_attr(lib.SQLGetStmtAttr, cur.hstmt, attr) == "standby"

    wait_for(ran_on_standby, "a SELECT reported on the standby")
    assert in_recovery(cur)
    cur.execute("CREATE TABLE %s (id int)" % table)
    assert str_attr(lib.SQLGetStmtAttr, cur.hstmt, attr) == "primary"
    conn_attr = d["SQL_ATTR_PGTC_CONN_LAST_SERVER"]
    assert str_attr(lib.SQLGetConnectAttr, cnxn.hdbc, conn_attr) == "primary"


def test_preferred_access_attribute(drv):
    d = defines_or_skip("SQL_ATTR_PGTC_PREFERRED_ACCESS")
    attr = d["SQL_ATTR_PGTC_PREFERRED_ACCESS"]
    assert attr >= 0x4100, "connection attributes are numbered from 0x4100"
    c = drv.connect()
    lib = libodbc()
    assert str_attr(lib.SQLGetConnectAttr, c.hdbc, attr).upper() == "READ_MOSTLY"
    # The wide function, as pyodbc's connection is a wide one (see str_attr).
    rc = lib.SQLSetConnectAttrW(c.hdbc, attr, "WRITE_MOSTLY".encode("utf-16-le") + b"\0\0", SQL_NTS)
    assert rc == 0, "rc %d setting SQL_ATTR_PGTC_PREFERRED_ACCESS" % rc
    assert str_attr(lib.SQLGetConnectAttr, c.hdbc, attr).upper() == "WRITE_MOSTLY"
    cur = c.cursor()
    last = defines_or_skip("SQL_ATTR_PGTC_LAST_SERVER")["SQL_ATTR_PGTC_LAST_SERVER"]
    for _ in range(10):
        cur.execute("SELECT 1").fetchall()
        assert str_attr(lib.SQLGetStmtAttr, cur.hstmt, last) == "primary"
    c.close()


def test_unknown_driver_attribute(drv):
    d = defines_or_skip("SQL_ATTR_PGTC_PREFERRED_ACCESS")
    used = {v for k, v in d.items() if k.startswith("SQL_ATTR_PGTC_")}
    free = next(a for a in range(0x4100, 0x4200) if a not in used)
    c = drv.connect()
    with pytest.raises(pyodbc.Error) as e:
        c.set_attr(free, 1)
    assert e.value.args[0] in ("HY092", "HY024")
    c.close()
