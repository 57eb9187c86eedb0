"""Conversions both ways: each type through a parameter and back."""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import math
import uuid
from decimal import Decimal

import pytest

import pgtc
from pgtc import _adapt, _typecast

UTC = dt.timezone.utc
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))

# (python value, SQL type, OID of the result column)
ROUND_TRIPS = [
    (True, "bool", 16),
    (False, "bool", 16),
    (0, "int2", 21),
    (-32768, "int2", 21),
    (2147483647, "int4", 23),
    (-(2**63), "int8", 20),
    (2**63 - 1, "int8", 20),
    (12345, "oid", 26),
    (1.5, "float4", 700),
    (0.1, "float8", 701),
    (-1e300, "float8", 701),
    (float("inf"), "float8", 701),
    (float("-inf"), "float4", 700),
    (Decimal("123.4500"), "numeric", 1700),
    (Decimal("-0.000000001"), "numeric", 1700),
    (Decimal("1" * 40 + ".5"), "numeric", 1700),
    (Decimal("Infinity"), "numeric", 1700),
    ("hello, world", "text", 25),
    ("", "text", 25),
    ("ünïcødé ✓ 𝄞", "text", 25),
    ("quote ' and \" and \\ and %s", "text", 25),
    ("abc", "varchar(10)", 1043),
    ("ab  ", "char(4)", 1042),
    ("pg_class", "name", 19),
    (b"", "bytea", 17),
    (b"\x00\x01\xff binary\\", "bytea", 17),
    (dt.date(2024, 2, 29), "date", 1082),
    (dt.date(1, 1, 1), "date", 1082),
    (dt.time(13, 45, 30, 123456), "time", 1083),
    (dt.time(0, 0), "time", 1083),
    (dt.time(1, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=-3))), "timetz", 1266),
    (dt.datetime(2024, 1, 2, 3, 4, 5, 6), "timestamp", 1114),
    (dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "timestamptz", 1184),
    (dt.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=IST), "timestamptz", 1184),
    (dt.timedelta(days=1, seconds=1, microseconds=500000), "interval", 1186),
    (dt.timedelta(seconds=-1.5), "interval", 1186),
    (dt.timedelta(days=-3, hours=5), "interval", 1186),
    (dt.timedelta(days=400, microseconds=1), "interval", 1186),
    (dt.timedelta(0), "interval", 1186),
    (uuid.UUID("12345678-1234-5678-1234-567812345678"), "uuid", 2950),
    ({"a": [1, 2, {"b": None}], "c": "d'e"}, "json", 114),
    ({"k": True, "n": 1.5}, "jsonb", 3802),
    ([1, 2, None, 4], "int4[]", 1007),
    ([[1, 2], [3, 4]], "int4[]", 1007),
    ([2**40, -1], "int8[]", 1016),
    ([1, 2], "int2[]", 1005),
    (["a", 'b"c', "d\\e", None, "NULL", "", "x,y", "{z}", " sp "], "text[]", 1009),
    (["v1", None], "varchar[]", 1015),
    ([True, False, None], "bool[]", 1000),
    ([1.5, float("inf"), None], "float8[]", 1022),
    ([2.5], "float4[]", 1021),
    ([Decimal("1.10"), Decimal("-7"), None], "numeric[]", 1231),
    ([dt.date(2020, 1, 1), None], "date[]", 1182),
    ([dt.datetime(2020, 1, 1, 1, 1, 1)], "timestamp[]", 1115),
    ([dt.datetime(2020, 1, 1, 1, 1, 1, tzinfo=UTC)], "timestamptz[]", 1185),
    ([uuid.UUID(int=5), None], "uuid[]", 2951),
    ([{"a": 1}, None], "json[]", 199),
    ([{"a": [1]}, None], "jsonb[]", 3807),
    ([b"\x00\x01", b"", None], "bytea[]", 1001),
    ([], "int4[]", 1007),
    ((1, 2, 3), "int4[]", 1007),
]


def _ids(case):
    return f"{case[1]}-{case[0]!r}"[:60]


@pytest.mark.parametrize("value,sqltype,oid", ROUND_TRIPS, ids=[_ids(c) for c in ROUND_TRIPS])
def test_round_trip_through_parameter(aconn, value, sqltype, oid):
    cur = aconn.cursor()
    cur.execute(f"SELECT %s::{sqltype} AS v", (value,))
    assert cur.description[0][1] == oid
    got = cur.fetchone()[0]
    expected = list(value) if isinstance(value, tuple) else value
    assert got == expected
    assert type(got) is type(expected)


def test_round_trip_through_table(aconn, table):
    t = table(
        "b bool, i int8, f float8, n numeric, s text, y bytea, d date, tm time, "
        "ts timestamp, tz timestamptz, iv interval, u uuid, j jsonb, a int4[], ta text[]"
    )
    row = (
        True,
        42,
        2.25,
        Decimal("3.14"),
        "text ' \"",
        b"\x00\xff",
        dt.date(2000, 2, 29),
        dt.time(23, 59, 59, 999999),
        dt.datetime(1999, 12, 31, 23, 59, 59),
        dt.datetime(2030, 6, 1, 12, 0, tzinfo=UTC),
        dt.timedelta(hours=36, minutes=1),
        uuid.uuid4(),
        {"nested": {"list": [1, "two", None]}},
        [1, None, 3],
        ["x", None, "y z"],
    )
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES ({', '.join(['%s'] * len(row))})", row)
    assert cur.rowcount == 1
    cur.execute(f"SELECT * FROM {t}")
    assert cur.fetchone() == row
    assert [d[1] for d in cur.description] == [16, 20, 701, 1700, 25, 17, 1082, 1083, 1114, 1184, 1186, 2950, 3802, 1007, 1009]


def test_none_is_null(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT %s::int IS NULL, %s::text", (None, None))
    assert cur.fetchone() == (True, None)


def test_json_wrapper(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT %s::jsonb, %s::json, %s::jsonb[]", (pgtc.Json([1, "a", None]), pgtc.Json("s"), [pgtc.Json([1, 2])]))
    assert cur.fetchone() == ([1, "a", None], "s", [[1, 2]])


def test_nan(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT %s::float8, %s::float4, %s::numeric", (float("nan"), float("nan"), Decimal("NaN")))
    a, b, c = cur.fetchone()
    assert math.isnan(a) and math.isnan(b) and c.is_nan()


def test_timestamptz_keeps_the_instant_and_offsets(aconn):
    cur = aconn.cursor()
    cur.execute("SET TimeZone = 'Asia/Kolkata'")
    value = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    cur.execute("SELECT %s::timestamptz", (value,))
    got = cur.fetchone()[0]
    assert got == value and got.utcoffset() == dt.timedelta(hours=5, minutes=30)
    # an offset with seconds (local mean time before 1900)
    cur.execute("SELECT '1850-01-01 00:00:00+00'::timestamptz")
    got = cur.fetchone()[0]
    assert got == dt.datetime(1850, 1, 1, tzinfo=UTC)
    assert got.utcoffset().seconds % 60 != 0
    cur.execute("SET TimeZone = 'UTC'")


def test_interval_months_and_years_are_approximated(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT '1 year 2 mons -3 days 04:05:06.7'::interval, '-1 mons'::interval")
    a, b = cur.fetchone()
    assert a == dt.timedelta(days=365 + 60 - 3, hours=4, minutes=5, seconds=6.7)
    assert b == dt.timedelta(days=-30)


def test_values_python_cannot_hold_are_strings(aconn):
    cur = aconn.cursor()
    cur.execute(
        "SELECT 'infinity'::date, '-infinity'::date, 'infinity'::timestamp, "
        "'-infinity'::timestamptz, '0044-03-15 BC'::date, '10000-01-01'::date"
    )
    assert cur.fetchone() == ("infinity", "-infinity", "infinity", "-infinity", "0044-03-15 BC", "10000-01-01")


def test_unknown_types_are_strings(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT '127.0.0.1'::inet, point(1,2), '12.5'::money, 'a b'::tsvector, %s::cidr", (ipaddress.ip_network("10.0.0.0/8"),))
    assert cur.fetchone() == ("127.0.0.1", "(1,2)", "$12.50", "'a' 'b'", "10.0.0.0/8")


def test_untyped_parameter_is_text(aconn):
    """Parameters are typed by the server from the context; alone, text."""
    cur = aconn.cursor()
    cur.execute("SELECT %s, %s + 1", (42, 41))
    assert cur.fetchone() == ("42", 42)
    assert [d.type_code for d in cur.description] == [25, 23]


def test_bytea_escape_output(aconn):
    cur = aconn.cursor()
    cur.execute("SET bytea_output = 'escape'")
    cur.execute("SELECT %s::bytea", (b"a\x00\\\xff",))
    assert cur.fetchone()[0] == b"a\x00\\\xff"
    cur.execute("RESET bytea_output")


def test_adapt_unit():
    a = _adapt.adapt
    assert a(None) is None
    assert a(True) == "true" and a(False) == "false"
    assert a(10**30) == "1" + "0" * 30
    assert a(float("inf")) == "Infinity" and a(float("-inf")) == "-Infinity" and a(float("nan")) == "NaN"
    assert a(0.1) == "0.1"
    assert a(Decimal("NaN")) == "NaN" and a(Decimal("-Infinity")) == "-Infinity"
    assert a(b"\x01\xab") == "\\x01ab" and a(bytearray(b"\x00")) == "\\x00" and a(memoryview(b"z")) == "\\x7a"
    assert a(dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=IST)) == "2020-01-02T03:04:05+05:30"
    assert a(dt.timedelta(days=1, seconds=1.5)) == "1 days 1.500000 seconds"
    assert a(dt.timedelta(seconds=-1.5)) == "-0 days -1.500000 seconds"
    assert a({"a": 1}) == '{"a": 1}'
    assert a([1, [2, None], "x\"y"]) == '{"1",{"2",NULL},"x\\"y"}'
    assert a(ipaddress.ip_address("::1")) == "::1"
    import enum

    class Color(enum.IntEnum):
        RED = 1

    assert a(Color.RED) == "1"
    with pytest.raises(pgtc.ProgrammingError):
        a(object())
    with pytest.raises(pgtc.DataError):
        a(Decimal("sNaN"))


def test_typecast_unit():
    c = _typecast.caster
    assert c(25) is None and c(99999) is None
    assert c(1007)('[0:2]={1,2,3}') == [1, 2, 3]
    assert c(1009)('{"a\\\\b","c\\"d",NULL,"NULL"}') == ["a\\b", 'c"d', None, "NULL"]
    assert c(1009)("{}") == []
    assert c(1186)("-1 days +02:03:00") == dt.timedelta(days=-1, hours=2, minutes=3)
    assert c(1186)("100:00:00") == dt.timedelta(hours=100)
    assert c(1186)("1 year") == dt.timedelta(days=365)
    assert c(1184)("2020-01-01 00:00:00+05:30:15") == dt.datetime(
        2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30, seconds=15))
    )
    assert c(1184)("2020-01-01 00:00:00.5-03") == dt.datetime(2020, 1, 1, 0, 0, 0, 500000, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    assert c(1083)("24:00:00") == dt.time.max
    assert c(1700)("NaN").is_nan()
    with pytest.raises(pgtc.DataError):
        c(1186)("P1Y2M")
    with pytest.raises(pgtc.DataError):
        c(1082)("12/31/2020")


def test_decimal_context_independent(aconn):
    cur = aconn.cursor()
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        cur.execute("SELECT %s::numeric", (Decimal("1.23456789"),))
        assert cur.fetchone()[0] == Decimal("1.23456789")
