"""Type casters: registered and disabled per module and per connection,
raw JSON text for json/jsonb, arrays following their element type."""

from __future__ import annotations

import decimal
import json
import uuid

import pytest

import pgtc
from pgtc import types

ROW = (
    "SELECT '{\"a\": [1, 2]}'::jsonb AS jb, '{\"b\": null}'::json AS j, "
    "ARRAY['{\"c\": 3}'::jsonb, NULL] AS jba, 1.5::numeric AS n, "
    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, ARRAY[1, 2]::int8[] AS ia, "
    "int4range(1, 5) AS r, NULL::jsonb AS nj"
)


@pytest.fixture(autouse=True)
def _clean_module_casters():
    before = pgtc.casters.registered()
    yield
    for oid in pgtc.casters.registered():
        if oid not in before:
            pgtc.unregister_caster(oid)


def _row(conn):
    cur = conn.cursor()
    cur.execute(ROW)
    row = cur.fetchone()
    conn.rollback()
    return row


def test_built_in_casters(conn):
    jb, j, jba, n, u, ia, r, nj = _row(conn)
    assert jb == {"a": [1, 2]} and j == {"b": None} and jba == [{"c": 3}, None]
    assert n == decimal.Decimal("1.5") and isinstance(u, uuid.UUID) and ia == [1, 2]
    assert r == "[1,5)"  # ranges stay text
    assert nj is None


def test_raw_json_on_one_connection(cluster, conn):
    conn.register_caster(types.JSONB, None)
    conn.register_caster(types.JSON, None)
    jb, j, jba, *_ = _row(conn)
    # The server's text, as SQLAlchemy wants to decode it itself.
    assert jb == '{"a": [1, 2]}' and j == '{"b": null}'
    # jsonb[] follows jsonb: a list of texts.
    assert jba == ['{"c": 3}', None]
    assert json.loads(jb) == {"a": [1, 2]}
    # Another connection is not affected.
    other = cluster.connect()
    try:
        assert _row(other)[0] == {"a": [1, 2]}
    finally:
        other.close()
    conn.unregister_caster(types.JSONB)
    assert _row(conn)[0] == {"a": [1, 2]}


def test_module_casters_and_connection_overrides(cluster, conn):
    pgtc.register_caster(types.NUMERIC, float)
    pgtc.register_caster(types.UUID, None)
    assert pgtc.casters[types.NUMERIC] is float and types.UUID in pgtc.casters
    _, _, _, n, u, *_ = _row(conn)  # an open connection sees the module's map
    assert n == 1.5 and isinstance(n, float) and u == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
    conn.register_caster(types.NUMERIC, decimal.Decimal)  # the connection's wins
    assert _row(conn)[3] == decimal.Decimal("1.5")
    conn.unregister_caster(types.NUMERIC)
    assert _row(conn)[3] == 1.5
    pgtc.unregister_caster(types.NUMERIC)
    pgtc.unregister_caster(types.UUID)
    _, _, _, n, u, *_ = _row(conn)
    assert isinstance(n, decimal.Decimal) and isinstance(u, uuid.UUID)


def test_raw_array_and_range_casters(conn):
    conn.register_caster(types.INT8_ARRAY, None)  # the array's own text
    conn.register_caster(types.INT4RANGE, lambda s: tuple(int(x) for x in s[1:-1].split(",")))
    *_, ia, r, _ = _row(conn)
    assert ia == "{1,2}" and r == (1, 5)


def test_set_json_loads(conn):
    pgtc.set_json_loads(lambda s: ("loaded", s), conn)
    assert _row(conn)[0] == ("loaded", '{"a": [1, 2]}')
    pgtc.set_json_loads(None, conn)
    assert _row(conn)[1] == '{"b": null}'
    pgtc.set_json_loads(context=conn)  # json.loads again
    assert _row(conn)[0] == {"a": [1, 2]}


def test_casters_in_named_cursors_and_error_results(conn):
    conn.register_caster(types.INT4, lambda s: int(s) * 10)
    cur = conn.cursor("casted")
    cur.execute("SELECT g FROM generate_series(1, 3) g")
    assert cur.fetchall() == [(10,), (20,), (30,)]
    with pytest.raises(pgtc.DataError) as e:
        conn.cursor().execute("SELECT 1::int4; SELECT 1/0")
    assert e.value.results[0]["rows"] == [(10,)]
    conn.rollback()


def test_a_failing_caster_is_a_data_error(conn):
    conn.register_caster(types.INT4, lambda s: 1 / 0)
    cur = conn.cursor()
    cur.execute("SELECT 7::int4 AS seven")
    with pytest.raises(pgtc.DataError, match="seven.*OID 23.*'7'"):
        cur.fetchone()
    conn.rollback()


def test_bad_registrations(conn):
    with pytest.raises(pgtc.ProgrammingError):
        conn.register_caster("jsonb", None)
    with pytest.raises(pgtc.ProgrammingError):
        conn.register_caster(0, None)
    with pytest.raises(pgtc.ProgrammingError):
        pgtc.register_caster(types.JSONB, "not callable")
    with pytest.raises(pgtc.ProgrammingError):
        pgtc.set_json_loads(None, context=object())
    conn.unregister_caster(types.JSONB)  # nothing registered: no error
