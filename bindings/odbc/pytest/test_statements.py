"""executemany (with and without fast_executemany), cancel from another
thread, ODBC escape sequences, notices, errors."""

import datetime
import os
import threading
from decimal import Decimal

import pyodbc
import pytest

from conftest import parse_conninfo, sqlstate, wait_for


def rows_for(n):
    return [(i, "r\u00e9%d" % i, Decimal(i) / 4, None if i % 2 == 0 else float(i)) for i in range(n)]


@pytest.mark.parametrize("fast", [False, True], ids=["plain", "fast"])
def test_executemany(drv, cnxn, table, fast):
    n = 10000 if fast else 2000
    cur = cnxn.cursor()
    cur.execute("CREATE TABLE %s (id int, name text, q numeric(12,2), f float8)" % table)
    cur.fast_executemany = fast
    data = rows_for(n)
    cur.executemany("INSERT INTO %s VALUES (?, ?, ?, ?)" % table, data)
    # pyodbc sets rowcount to -1 after executemany, whatever the driver's
    # SQLRowCount says; the rows are counted below.
    assert cur.rowcount == -1
    got = cur.execute("SELECT count(*), sum(id), count(f), sum(q) FROM %s" % table).fetchone()
    assert list(got) == [n, n * (n - 1) // 2, n // 2, sum(Decimal(i) / 4 for i in range(n))]
    back = cur.execute("SELECT id, name, q, f FROM %s ORDER BY id" % table).fetchall()
    assert [tuple(r) for r in back] == data


def test_executemany_in_a_transaction_rolls_back(drv, cnxn, table):
    cnxn.cursor().execute("CREATE TABLE %s (id int)" % table)
    c = drv.connect(autocommit=False)
    cur = c.cursor()
    cur.fast_executemany = True
    cur.executemany("INSERT INTO %s VALUES (?)" % table, [(i,) for i in range(100)])
    c.rollback()
    assert cnxn.cursor().execute("SELECT count(*) FROM %s" % table).fetchval() == 0
    c.close()


def test_executemany_error_names_the_sqlstate(drv, cnxn, table):
    cur = cnxn.cursor()
    cur.execute("CREATE TABLE %s (id int PRIMARY KEY)" % table)
    cur.fast_executemany = True
    with pytest.raises(pyodbc.Error) as e:
        cur.executemany("INSERT INTO %s VALUES (?)" % table, [(1,), (2,), (1,)])
    assert sqlstate(e.value) == "23505"


def server_watchers(drv):
    """One psqlODBC connection to each server of the pair, to see the
    query running wherever it was sent (pg_stat_activity is per server)."""
    _, servers = parse_conninfo(os.environ["PGTC_ODBC_CONNINFO"])
    kv = drv.kv
    return [pyodbc.connect("Driver=psqlodbc;Server=%s;Port=%s;Database=%s;UID=%s;PWD={%s}" % (
        h, p, kv["dbname"], kv["user"], kv["password"]), autocommit=True) for h, p in servers]


def test_cancel_from_another_thread(drv):
    c = drv.connect()
    cur = c.cursor()
    watchers = server_watchers(drv)
    out = {}

    def run():
        try:
            cur.execute("SELECT pg_sleep(30) /* pyodbc cancel */")
            out["ok"] = cur.fetchall()
        except pyodbc.Error as e:
            out["err"] = e

    def running():
        return not t.is_alive() or any(w.cursor().execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
            "AND query = 'SELECT pg_sleep(30) /* pyodbc cancel */'").fetchval() for w in watchers)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    wait_for(running, "the query to start")
    cur.cancel()
    t.join(60)  # a liveness bound: uncancelled, the query takes 30 s
    assert not t.is_alive(), "the statement went on after SQLCancel"
    assert "err" in out, "the statement was not cancelled"
    assert sqlstate(out["err"]) in ("57014", "HY008")
    # The connection is usable afterwards.
    assert cur.execute("SELECT 5").fetchval() == 5
    for w in watchers:
        w.close()
    c.close()


ESCAPES = [
    ("SELECT {fn UCASE('abc')}", "ABC"),
    ("SELECT {fn LCASE('ABC')}", "abc"),
    ("SELECT {fn CONCAT('a', 'b')}", "ab"),
    ("SELECT {fn LENGTH('abcd')}", 4),
    ("SELECT {fn ABS(-3)}", 3),
    ("SELECT {d '2024-01-02'}", datetime.date(2024, 1, 2)),
    ("SELECT {ts '2024-01-02 03:04:05'}", datetime.datetime(2024, 1, 2, 3, 4, 5)),
    ("SELECT {t '03:04:05'}", datetime.time(3, 4, 5)),
    ("SELECT {fn CONVERT('42', SQL_INTEGER)} + 1", 43),
    ("SELECT 'x' LIKE 'x' {escape '\\'}", True),
    ("SELECT '{d ''2024-01-02''}'", "{d '2024-01-02'}"),  # inside a literal: kept
]


@pytest.mark.parametrize("sql,want", ESCAPES, ids=[e[0] for e in ESCAPES])
def test_escape(drv, sql, want):
    c = drv.connect("" if drv.is_pgtc else "BoolsAsChar=0")
    assert c.cursor().execute(sql).fetchval() == want
    c.close()


def test_escape_oj(cur, table):
    cur.execute("CREATE TABLE %s (id int, v text)" % table)
    cur.execute("INSERT INTO %s VALUES (1, 'a'), (2, 'b')" % table)
    rows = cur.execute(
        "SELECT x.id, y.v FROM {oj %s x LEFT OUTER JOIN %s y ON x.id = y.id AND y.v = 'a'} "
        "ORDER BY x.id" % (table, table)).fetchall()
    assert [tuple(r) for r in rows] == [(1, "a"), (2, None)]


def test_escape_call(cur, table):
    fn = table + "_f"
    cur.execute("CREATE FUNCTION %s(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a * b'" % fn)
    try:
        assert cur.execute("{call %s(6, 7)}" % fn).fetchval() == 42
        assert cur.execute("{call %s(?, ?)}" % fn, 3, 5).fetchval() == 15
    finally:
        cur.execute("DROP FUNCTION %s(int, int)" % fn)


def test_escape_with_parameter(cur):
    assert cur.execute("SELECT {fn UCASE(CAST(? AS text))}", "xy").fetchval() == "XY"


def test_notice_in_messages(drv, cur):
    cur.execute("DO $$BEGIN RAISE NOTICE 'hello %', 42; END$$")
    texts = [m[1] for m in cur.messages]
    assert any("hello 42" in t for t in texts), cur.messages
    states = [m[0] for m in cur.messages]
    if drv.is_pgtc:
        # pgtc: each notice is a 01000 record (ODBC's general warning).
        assert any(s.startswith("[01000]") for s in states), states
    else:
        # psqlODBC posts its notices with SQLSTATE 00000.
        assert any(s.startswith("[00000]") for s in states), states


def test_several_notices(drv, cur):
    cur.execute("DO $$BEGIN RAISE NOTICE 'one'; RAISE WARNING 'two'; END$$")
    texts = " ".join(m[1] for m in cur.messages)
    assert "one" in texts and "two" in texts


def test_notice_with_rows(cur):
    fn = "pyodbc_noisy_%d" % id(cur)
    cur.execute("CREATE FUNCTION %s() RETURNS int LANGUAGE plpgsql AS "
                "$$BEGIN RAISE NOTICE 'noisy'; RETURN 7; END$$" % fn)
    try:
        assert cur.execute("SELECT %s()" % fn).fetchval() == 7
        assert any("noisy" in m[1] for m in cur.messages), cur.messages
    finally:
        cur.execute("DROP FUNCTION %s()" % fn)


# -- errors ---------------------------------------------------------------

def test_undefined_table(cur):
    with pytest.raises(pyodbc.ProgrammingError) as e:
        cur.execute("SELECT * FROM pyodbc_no_such_table")
    assert sqlstate(e.value) == "42P01"
    assert "pyodbc_no_such_table" in str(e.value)


def test_unique_violation(cur, table):
    cur.execute("CREATE TABLE %s (id int PRIMARY KEY)" % table)
    cur.execute("INSERT INTO %s VALUES (1)" % table)
    with pytest.raises(pyodbc.IntegrityError) as e:
        cur.execute("INSERT INTO %s VALUES (1)" % table)
    assert sqlstate(e.value) == "23505"


def test_division_by_zero(cur):
    with pytest.raises(pyodbc.DataError) as e:
        cur.execute("SELECT 1/0").fetchall()
    assert sqlstate(e.value) == "22012"


def test_syntax_error(cur):
    with pytest.raises(pyodbc.ProgrammingError) as e:
        cur.execute("SELEC 1")
    assert sqlstate(e.value) == "42601"


def test_usable_after_error(cur):
    with pytest.raises(pyodbc.Error):
        cur.execute("SELECT 1/0").fetchall()
    assert cur.execute("SELECT 2").fetchval() == 2


def test_error_in_transaction_then_rollback(drv, table):
    c = drv.connect(autocommit=False)
    cur = c.cursor()
    cur.execute("CREATE TABLE %s (id int)" % table)
    c.commit()
    cur.execute("INSERT INTO %s VALUES (1)" % table)
    with pytest.raises(pyodbc.Error) as e:
        cur.execute("SELECT * FROM pyodbc_no_such_table")
    assert sqlstate(e.value) == "42P01"
    c.rollback()
    assert cur.execute("SELECT count(*) FROM %s" % table).fetchval() == 0
    c.close()
