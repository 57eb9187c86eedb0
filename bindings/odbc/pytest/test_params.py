"""Parameters of every Python type pyodbc binds, sent as bind values and
read back from a column of the matching PostgreSQL type."""

import datetime
import uuid
from decimal import Decimal

import pyodbc
import pytest

VALUES = [
    ("int", "int4", 42),
    ("negative", "int4", -7),
    ("bigint", "int8", 2 ** 62 + 3),
    ("bigint-negative", "int8", -(2 ** 62)),
    ("float", "float8", 3.25),
    ("float-small", "float8", 1.5e-300),
    ("decimal", "numeric(14,4)", Decimal("12345678.9012")),
    ("decimal-negative", "numeric(14,4)", Decimal("-0.0001")),
    ("str", "text", "plain"),
    ("str-non-ascii", "text", "h\u00e9llo w\u00f6rld \u2603 \U0001d11e \u4e2d\u6587"),
    ("str-empty", "text", ""),
    ("varchar", "varchar(20)", "short \u00e9"),
    ("bytes", "bytea", b"\x00\x01\x02\xff\x00\x7f\x00"),
    ("bytes-empty", "bytea", b""),
    ("bool-true", "bool", True),
    ("bool-false", "bool", False),
    ("date", "date", datetime.date(2024, 1, 2)),
    ("time", "time", datetime.time(12, 34, 56)),
    ("datetime", "timestamp", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456)),
    ("uuid", "uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
]


def normal(v):
    """What a fetched value is compared as: pyodbc returns a uuid column as
    str unless pyodbc.native_uuid is set; psqlODBC returns bool as '1'/'0'
    (BoolsAsChar) — the tests connect with BoolsAsChar=0 there."""
    if isinstance(v, uuid.UUID):
        return str(v).lower()
    if isinstance(v, str):
        try:
            return str(uuid.UUID(v)).lower()
        except ValueError:
            return v
    return v


def bools(drv):
    return "" if drv.is_pgtc else "BoolsAsChar=0"


@pytest.mark.parametrize("name,pgtype,value", VALUES, ids=[v[0] for v in VALUES])
def test_round_trip(drv, table, name, pgtype, value):
    c = drv.connect(bools(drv))
    cur = c.cursor()
    cur.execute("CREATE TABLE %s (id int, v %s)" % (table, pgtype))
    cur.execute("INSERT INTO %s VALUES (?, ?)" % table, 1, value)
    assert cur.rowcount == 1
    row = cur.execute("SELECT v, v IS NULL FROM %s WHERE id = ?" % table, 1).fetchone()
    assert row[1] in (False, 0)
    assert normal(row[0]) == normal(value)
    assert type(row[0]) is (str if isinstance(value, uuid.UUID) else type(value))
    c.close()


@pytest.mark.parametrize("pgtype", ["int4", "text", "bytea", "timestamp", "bool", "numeric"])
def test_none_is_null(drv, table, pgtype):
    c = drv.connect(bools(drv))
    cur = c.cursor()
    cur.execute("CREATE TABLE %s (id int, v %s)" % (table, pgtype))
    cur.execute("INSERT INTO %s VALUES (?, ?)" % table, 1, None)
    row = cur.execute("SELECT v, v IS NULL FROM %s" % table).fetchone()
    assert row[0] is None
    assert row[1] in (True, 1)
    c.close()


def test_parameter_in_a_select(cur):
    assert cur.execute("SELECT CAST(? AS int) + CAST(? AS int)", 40, 2).fetchone()[0] == 42
    assert cur.execute("SELECT CAST(? AS text) || '!'", "\u00e9t\u00e9").fetchone()[0] == "\u00e9t\u00e9!"


def test_parameter_in_a_where(cur):
    rows = cur.execute(
        "SELECT g FROM generate_series(1, 10) g WHERE g > ? AND g <= ? ORDER BY g", 7, 9).fetchall()
    assert [r[0] for r in rows] == [8, 9]


EVIL = [
    "O'Brien",
    "''; DROP TABLE victim; --",
    "$1",
    "$1 $2 $$dollar$$",
    "?",
    "what? ?? ?",
    "back\\slash\\' ",
    "{fn UCASE('x')}",
    "-- not a comment",
    "/* not a comment */",
    "\u00e9\u0000"[:1],  # non-ASCII (a NUL cannot be in a PostgreSQL text)
]


@pytest.mark.parametrize("value", EVIL, ids=range(len(EVIL)))
def test_value_is_never_interpolated(drv, cnxn, table, value):
    cur = cnxn.cursor()
    cur.execute("CREATE TABLE %s (id int, v text)" % table)
    cur.execute("CREATE TABLE IF NOT EXISTS victim_%s (x int)" % table)
    cur.execute("INSERT INTO %s (id, v) VALUES (?, ?)" % table, 1, value)
    got = cur.execute("SELECT v, length(v) FROM %s" % table).fetchone()
    assert got[0] == value
    assert got[1] == len(value)
    # A parameter next to text that looks like a marker stays a value.
    got = cur.execute("SELECT '?' || CAST(? AS text) || '$1'", value).fetchone()[0]
    assert got == "?" + value + "$1"
    cur.execute("DROP TABLE victim_%s" % table)


MARKERS = [
    # SQL text with '?' or '$1' that are not parameters, and one that is.
    ("SELECT '?', CAST(? AS int)", ["?", 5]),
    ("SELECT '$1', CAST(? AS int)", ["$1", 5]),
    ("SELECT $$a?b$$, CAST(? AS int)", ["a?b", 5]),
    ("SELECT $q$?$q$, CAST(? AS int)", ["?", 5]),
    ("SELECT \"?column?\" FROM (SELECT CAST(? AS int) + 0) s", [5]),
    ("SELECT /* ? */ CAST(? AS int) -- ?\n", [5]),
    ("SELECT E'\\'?', CAST(? AS int)", ["'?", 5]),
]


@pytest.mark.parametrize("sql,want", MARKERS, ids=range(len(MARKERS)))
def test_markers_in_literals_and_comments(cur, sql, want):
    assert list(cur.execute(sql, 5).fetchone()) == want


def test_question_mark_without_parameters(cur):
    # No parameters: the text goes as it is.
    assert list(cur.execute("SELECT '?', '$1'").fetchone()) == ["?", "$1"]


def test_many_parameters(cur):
    n = 200
    sql = "SELECT " + " + ".join(["CAST(? AS int)"] * n)
    assert cur.execute(sql, *range(n)).fetchone()[0] == sum(range(n))


def test_long_text_parameter(drv, cnxn, table):
    # Longer than pyodbc's inline buffer: sent as data at execution.
    value = "\u00e9" + "x" * 100000 + "\U0001d11e"
    cur = cnxn.cursor()
    cur.execute("CREATE TABLE %s (v text)" % table)
    cur.execute("INSERT INTO %s VALUES (?)" % table, value)
    assert cur.execute("SELECT v FROM %s" % table).fetchone()[0] == value


def test_long_bytes_parameter(drv, cnxn, table):
    value = bytes(range(256)) * 1000
    cur = cnxn.cursor()
    cur.execute("CREATE TABLE %s (v bytea)" % table)
    cur.execute("INSERT INTO %s VALUES (?)" % table, value)
    assert cur.execute("SELECT v FROM %s" % table).fetchone()[0] == value


def test_prepared_statement_reused(cur):
    # pyodbc prepares once and executes again when the SQL text repeats.
    for i in range(5):
        assert cur.execute("SELECT CAST(? AS int) * 2", i).fetchone()[0] == i * 2


def test_wrong_parameter_count(cur):
    with pytest.raises(pyodbc.Error):
        cur.execute("SELECT CAST(? AS int)", 1, 2)
