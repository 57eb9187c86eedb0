"""Catalog functions through pyodbc's cursor methods, on tables the test
creates."""

import pyodbc
import pytest


@pytest.fixture
def schema(cur, table):
    """A parent table with a primary key, a unique index and a child table
    referencing it; returns (parent, child)."""
    child = table + "_c"
    cur.execute("CREATE TABLE %s (id int PRIMARY KEY, code varchar(12) NOT NULL UNIQUE, "
                "note text, amount numeric(9,2))" % table)
    cur.execute("CREATE TABLE %s (id serial PRIMARY KEY, parent int REFERENCES %s(id))" % (child, table))
    yield table, child
    cur.execute("DROP TABLE IF EXISTS %s" % child)


def test_tables(cur, schema):
    parent, child = schema
    rows = cur.tables(table=parent).fetchall()
    assert len(rows) == 1
    r = rows[0]
    assert r.table_name == parent
    assert r.table_schem == "public"
    assert r.table_type == "TABLE"


def test_tables_pattern(cur, schema):
    parent, child = schema
    names = sorted(r.table_name for r in cur.tables(table=parent + "%").fetchall())
    assert names == sorted([parent, child])


def test_tables_types(cur, schema):
    parent, _ = schema
    cur.execute("CREATE VIEW %s_v AS SELECT id FROM %s" % (parent, parent))
    try:
        views = [r.table_name for r in cur.tables(table=parent + "%", tableType="VIEW").fetchall()]
        assert views == [parent + "_v"]
    finally:
        cur.execute("DROP VIEW %s_v" % parent)


def test_columns(cur, schema):
    parent, _ = schema
    rows = cur.columns(table=parent).fetchall()
    assert [r.column_name for r in rows] == ["id", "code", "note", "amount"]
    assert [r.ordinal_position for r in rows] == [1, 2, 3, 4]
    by = {r.column_name: r for r in rows}
    assert by["id"].data_type == pyodbc.SQL_INTEGER
    assert by["id"].type_name == "int4"
    assert by["code"].data_type in (pyodbc.SQL_VARCHAR, pyodbc.SQL_WVARCHAR)
    assert by["code"].column_size == 12
    assert by["code"].nullable == 0
    assert by["note"].nullable == 1
    assert by["amount"].data_type == pyodbc.SQL_NUMERIC
    assert by["amount"].column_size == 9
    assert by["amount"].decimal_digits == 2


def test_columns_is_nullable(drv, cur, schema):
    parent, _ = schema
    by = {r.column_name: r for r in cur.columns(table=parent).fetchall()}
    if drv.is_pgtc:
        assert (by["code"].is_nullable, by["note"].is_nullable) == ("NO", "YES")
    else:
        # psqlODBC leaves IS_NULLABLE NULL.
        assert (by["code"].is_nullable, by["note"].is_nullable) == (None, None)


def test_columns_of_one_column(cur, schema):
    parent, _ = schema
    rows = cur.columns(table=parent, column="note").fetchall()
    assert [r.column_name for r in rows] == ["note"]


def test_primary_keys(cur, schema):
    parent, child = schema
    rows = cur.primaryKeys(parent).fetchall()
    assert [(r.column_name, r.key_seq) for r in rows] == [("id", 1)]
    assert rows[0].pk_name == parent + "_pkey"


def test_foreign_keys(cur, schema):
    parent, child = schema
    # Keys in other tables that reference parent.
    rows = cur.foreignKeys(table=parent).fetchall()
    assert [(r.pktable_name, r.pkcolumn_name, r.fktable_name, r.fkcolumn_name) for r in rows] == \
        [(parent, "id", child, "parent")]
    # Keys of child that reference other tables.
    rows = cur.foreignKeys(foreignTable=child).fetchall()
    assert [(r.pktable_name, r.fktable_name) for r in rows] == [(parent, child)]


def test_statistics(cur, schema):
    parent, _ = schema
    rows = [r for r in cur.statistics(parent).fetchall() if r.index_name]
    cols = sorted((r.index_name, r.column_name, r.non_unique) for r in rows)
    assert (parent + "_pkey", "id", 0) in cols
    assert (parent + "_code_key", "code", 0) in cols


def test_statistics_unique_only(cur, schema):
    parent, _ = schema
    cur.execute("CREATE INDEX %s_note ON %s (note)" % (parent, parent))
    every = {r.index_name for r in cur.statistics(parent).fetchall() if r.index_name}
    unique = {r.index_name for r in cur.statistics(parent, unique=True).fetchall() if r.index_name}
    assert parent + "_note" in every
    assert parent + "_note" not in unique
    assert parent + "_pkey" in unique


def test_procedures(cur, table):
    fn = table + "_p"
    cur.execute("CREATE FUNCTION %s(a int, b text) RETURNS text LANGUAGE sql AS 'SELECT b'" % fn)
    try:
        rows = cur.procedures(procedure=fn).fetchall()
        assert [r.procedure_name for r in rows] == [fn]
        cols = cur.procedureColumns(procedure=fn).fetchall()
        names = [r.column_name for r in cols]
        assert "a" in names and "b" in names
        types = {r.column_name: r.data_type for r in cols}
        assert types["a"] == pyodbc.SQL_INTEGER
    finally:
        cur.execute("DROP FUNCTION %s(int, text)" % fn)


def test_get_type_info(cur):
    rows = cur.getTypeInfo(pyodbc.SQL_INTEGER).fetchall()
    assert "int4" in [r.type_name for r in rows]
    assert all(r.data_type == pyodbc.SQL_INTEGER for r in rows)
    every = cur.getTypeInfo().fetchall()
    names = {r.type_name for r in every}
    assert {"int4", "int8", "text", "bool", "numeric", "bytea", "varchar"} <= names
    assert any(n.startswith("timestamp") for n in names)


def test_row_id_columns(drv, cur, schema):
    parent, _ = schema
    names = [r.column_name for r in cur.rowIdColumns(parent).fetchall()]
    if drv.is_pgtc:
        # The best row identifier: the primary key, or the row's ctid.
        assert names in (["id"], ["ctid"])
    else:
        # psqlODBC answers SQL_BEST_ROWID with no rows for such a table.
        assert names == []


def test_row_ver_columns(drv, cur, schema):
    parent, _ = schema
    rows = cur.rowVerColumns(parent).fetchall()
    # xmin changes with every update of a row.
    assert [r.column_name for r in rows] == ["xmin"]


def test_catalog_sees_its_own_create(drv, cur, table):
    # A CREATE TABLE and at once SQLColumns on the same connection.
    cur.execute("CREATE TABLE %s (a int, b text)" % table)
    assert [r.column_name for r in cur.columns(table=table).fetchall()] == ["a", "b"]
    cur.execute("ALTER TABLE %s ADD COLUMN c bool" % table)
    assert [r.column_name for r in cur.columns(table=table).fetchall()] == ["a", "b", "c"]
