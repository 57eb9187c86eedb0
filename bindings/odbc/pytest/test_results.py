"""Results: column types and sizes in cursor.description, long values,
fetchone/fetchmany/fetchall, arraysize, rowcount, several results, a large
result iterated in batches."""

import datetime
from decimal import Decimal

import pyodbc
import pytest

# cursor.description: (name, type_code, display_size, internal_size,
# precision, scale, null_ok).
NAME, TYPE, _, SIZE, PREC, SCALE, _ = range(7)


def describe(cur, sql):
    cur.execute(sql)
    return cur.description


COLUMNS = [
    # expression, type code, column size (None: not checked here), scale
    ("1::int2", int, 5, 0),
    ("1::int4", int, 10, 0),
    ("1::int8", int, 19, 0),
    ("1.5::float8", float, None, None),
    ("1.5::numeric(10,3)", Decimal, 10, 3),
    ("'x'::varchar(17)", str, 17, 0),
    ("'x'::char(3)", str, 3, 0),
    ("'\\x00'::bytea", bytearray, None, 0),
    ("current_date", datetime.date, 10, 0),
    ("'2024-01-02 03:04:05'::timestamp", datetime.datetime, 26, 6),
    ("'12:00'::time", datetime.time, None, None),
]


@pytest.mark.parametrize("expr,code,size,scale", COLUMNS, ids=[c[0] for c in COLUMNS])
def test_description(cur, expr, code, size, scale):
    d = describe(cur, "SELECT %s AS c" % expr)[0]
    assert d[NAME] == "c"
    assert d[TYPE] is code
    if size is not None:
        assert d[SIZE] == size
    if scale is not None:
        assert d[SCALE] == scale


def test_bool(drv, cur):
    d = describe(cur, "SELECT true AS b")[0]
    v = cur.execute("SELECT true, false").fetchone()
    if drv.is_pgtc:
        # bool is SQL_BIT.
        assert d[TYPE] is bool
        assert list(v) == [True, False]
    else:
        # psqlODBC's default BoolsAsChar=1 makes bool a character column.
        assert d[TYPE] is str
        assert list(v) == ["1", "0"]


def test_bool_as_bit(drv):
    c = drv.connect("BoolsAsChar=0")
    cur = c.cursor()
    assert describe(cur, "SELECT true AS b")[0][TYPE] is bool
    assert list(cur.execute("SELECT true, false").fetchone()) == [True, False]
    c.close()


def test_text_size(drv, cur):
    size = describe(cur, "SELECT 'y'::text")[0][SIZE]
    if drv.is_pgtc:
        # PostgreSQL's limit, not an invented 255 or 8190.
        assert size == 1073741823
    else:
        # psqlODBC reports MaxLongVarcharSize (8190 by default).
        assert size == 8190


def test_numeric_values(cur):
    row = cur.execute("SELECT 123.456::numeric(10,3), -0.5::numeric(4,2), "
                      "12345678901234567890.123456789::numeric").fetchone()
    assert row[0] == Decimal("123.456")
    assert row[1] == Decimal("-0.50")
    assert row[2] == Decimal("12345678901234567890.123456789")


def test_long_text_round_trips(cur):
    # 100,000 characters, non-ASCII at both ends and a surrogate pair in
    # the middle: fetched in pieces, exact at every boundary.
    n = 100000
    v = cur.execute(
        "SELECT chr(233) || repeat('ab', 24999) || chr(119070) || repeat('c', 49999) || chr(8364)"
    ).fetchone()[0]
    assert len(v) == n
    assert v[0] == "\u00e9" and v[-1] == "\u20ac"
    assert v[1:49999] == "ab" * 24999
    assert v[49999] == "\U0001d11e"
    assert v[50000:-1] == "c" * 49999


def test_long_bytea_in_pieces(cur):
    v = cur.execute("SELECT decode(repeat('00ff10', 100000), 'hex')").fetchone()[0]
    assert bytes(v) == b"\x00\xff\x10" * 100000


def test_values_of_each_type(drv):
    c = drv.connect("" if drv.is_pgtc else "BoolsAsChar=0")
    row = c.cursor().execute(
        "SELECT 7::int2, -8::int4, 9000000000::int8, 0.25::float4, 1e300::float8, "
        "'t\u00e9xt'::text, '\\x00ff'::bytea, true, DATE '2024-01-02', "
        "TIMESTAMP '2024-01-02 03:04:05.25', TIME '13:14:15', NULL::int").fetchone()
    assert list(row) == [7, -8, 9000000000, 0.25, 1e300, "t\u00e9xt", b"\x00\xff", True,
                         datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, 5, 250000),
                         datetime.time(13, 14, 15), None]
    c.close()


def test_fetchone_fetchmany_fetchall(cur):
    cur.execute("SELECT g FROM generate_series(1, 10) g ORDER BY g")
    assert cur.fetchone()[0] == 1
    assert [r[0] for r in cur.fetchmany(3)] == [2, 3, 4]
    assert [r[0] for r in cur.fetchall()] == [5, 6, 7, 8, 9, 10]
    assert cur.fetchone() is None
    assert cur.fetchmany(5) == []


def test_arraysize(cur):
    assert cur.arraysize == 1
    cur.arraysize = 4
    cur.execute("SELECT g FROM generate_series(1, 10) g ORDER BY g")
    assert [r[0] for r in cur.fetchmany()] == [1, 2, 3, 4]
    assert len(cur.fetchmany()) == 4
    assert len(cur.fetchmany()) == 2
    assert cur.fetchmany() == []


def test_iteration_and_fetchval(cur):
    assert [r[0] for r in cur.execute("SELECT g FROM generate_series(1, 3) g")] == [1, 2, 3]
    assert cur.execute("SELECT 'v'").fetchval() == "v"


def test_rows_by_name(cur):
    row = cur.execute("SELECT 1 AS a, 'b' AS b").fetchone()
    assert row.a == 1 and row.b == "b"
    assert [d[0] for d in cur.description] == ["a", "b"]


def test_non_ascii_text_and_names(cur):
    row = cur.execute('SELECT \'h\u00e9llo \u2603 \U0001d11e\' AS "n\u00e4me"').fetchone()
    assert row[0] == "h\u00e9llo \u2603 \U0001d11e"
    assert cur.description[0][0] == "n\u00e4me"


def test_empty_result(cur):
    cur.execute("SELECT 1 AS x WHERE false")
    assert cur.description[0][0] == "x"
    assert cur.fetchall() == []


def test_rowcount(cur, table):
    cur.execute("CREATE TABLE %s (id int)" % table)
    assert cur.rowcount == -1 or cur.rowcount == 0
    cur.execute("INSERT INTO %s SELECT generate_series(1, 7)" % table)
    assert cur.rowcount == 7
    cur.execute("UPDATE %s SET id = id + 1 WHERE id > 4" % table)
    assert cur.rowcount == 3
    cur.execute("DELETE FROM %s WHERE id < 3" % table)
    assert cur.rowcount == 2
    cur.execute("DELETE FROM %s WHERE false" % table)
    assert cur.rowcount == 0


def test_rowcount_after_select(cur):
    # SQLRowCount after a SELECT: both drivers give the number of rows.
    cur.execute("SELECT g FROM generate_series(1, 5) g")
    assert cur.rowcount == 5
    cur.fetchall()


def test_nextset(cur):
    cur.execute("SELECT 1; SELECT 'two', 2; SELECT 3 WHERE false")
    assert [tuple(r) for r in cur.fetchall()] == [(1,)]
    assert cur.nextset()
    assert [tuple(r) for r in cur.fetchall()] == [("two", 2)]
    assert cur.nextset()
    assert cur.fetchall() == []
    assert not cur.nextset()


def test_nextset_with_dml(cur, table):
    cur.execute("CREATE TABLE %s (id int)" % table)
    cur.execute("INSERT INTO %s VALUES (1), (2); SELECT count(*) FROM %s" % (table, table))
    assert cur.rowcount == 2
    assert cur.nextset()
    assert cur.fetchone()[0] == 2
    assert not cur.nextset()


def test_nextset_error_in_second(cur):
    with pytest.raises(pyodbc.Error) as e:
        cur.execute("SELECT 1; SELECT * FROM pyodbc_nope_table")
        cur.fetchall()
        cur.nextset()
    assert e.value.args[0] == "42P01"


def test_a_million_rows(cur):
    # Iterated in batches, not loaded at once by the application; memory is
    # measured by `tools/bench odbc`, not asserted here.
    cur.execute("SELECT g, g::text FROM generate_series(1, 1000000) g")
    n = total = 0
    while True:
        rows = cur.fetchmany(10000)
        if not rows:
            break
        n += len(rows)
        total += sum(r[0] for r in rows)
        assert rows[-1][1] == str(rows[-1][0])
    assert n == 1000000
    assert total == 1000000 * 1000001 // 2


def test_cursor_reuse_after_partial_fetch(cur):
    cur.execute("SELECT g FROM generate_series(1, 1000) g")
    assert cur.fetchone()[0] == 1
    assert cur.execute("SELECT 'next'").fetchval() == "next"
