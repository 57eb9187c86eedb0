"""DB-API methods and attributes, errors, transactions, context managers."""

from __future__ import annotations

import pytest

import pgtc


# -- connect -------------------------------------------------------------------


def test_connect_with_keywords(cluster):
    # take the pieces of the pair's conninfo apart and pass them as keywords
    parts = dict(p.split("=", 1) for p in cluster.conninfo.split())
    conn = pgtc.connect(
        host=parts["host"].split(","),
        port=parts["port"],
        user=parts["user"],
        password=parts["password"],
        database=parts["dbname"],
        connect_timeout=5,
        application_name="pgtc py ' test",
        preferred_access="READ_MOSTLY",
        consistency="FAST",
        txn_isolation="READ_COMMITTED",
    )
    with conn:
        cur = conn.cursor()
        cur.execute("SELECT current_setting('application_name')")
        assert cur.fetchone() == ("pgtc py ' test",)
    conn.close()


def test_keywords_override_dsn(cluster):
    conn = pgtc.connect(cluster.conninfo + " application_name=from_dsn", application_name="from_kw")
    cur = conn.cursor()
    cur.execute("SELECT current_setting('application_name')")
    assert cur.fetchone() == ("from_kw",)
    conn.close()


def test_uri_dsn(cluster):
    parts = dict(p.split("=", 1) for p in cluster.conninfo.split())
    hosts = ",".join(f"{h}:{p}" for h, p in zip(parts["host"].split(","), parts["port"].split(",")))
    uri = f"postgresql://{parts['user']}:{parts['password']}@{hosts}/{parts['dbname']}?PREFERRED_ACCESS=READ_MOSTLY"
    conn = pgtc.connect(uri, application_name="uri app")
    assert conn.autocommit is False
    cur = conn.cursor()
    cur.execute("SELECT current_setting('application_name')")
    assert cur.fetchone() == ("uri app",)
    conn.close()


def test_bad_conninfo_is_programming_error():
    with pytest.raises(pgtc.ProgrammingError) as e:
        pgtc.connect("host=127.0.0.1 nosuchkey=1")
    assert e.value.pgstatus == "PGTC_STATUS_UNKNOWN_ATTRIBUTE" and e.value.status == 201
    with pytest.raises(pgtc.ProgrammingError) as e:
        pgtc.connect("host='unterminated")
    assert e.value.pgstatus == "PGTC_STATUS_CONNINFO_SYNTAX"
    with pytest.raises(pgtc.ProgrammingError) as e:
        pgtc.connect("host=127.0.0.1", preferred_access="SOMETIMES")
    assert e.value.pgstatus == "PGTC_STATUS_INVALID_ATTRIBUTE_VALUE"
    with pytest.raises(pgtc.ProgrammingError):
        pgtc.connect("host=127.0.0.1", autocommit="perhaps")


def test_unreachable_servers_are_operational_error():
    with pytest.raises(pgtc.OperationalError) as e:
        pgtc.connect("host=127.0.0.1,127.0.0.1 port=1,2 user=x connect_timeout=2")
    assert e.value.pgstatus == "PGTC_STATUS_CONNECT_FAILED"


def test_bad_password_is_operational_error(cluster):
    with pytest.raises(pgtc.OperationalError) as e:
        pgtc.connect(cluster.conninfo, password="wrong")
    assert e.value.pgcode == "28P01" or e.value.pgstatus in ("PGTC_STATUS_AUTH_FAILED", "PGTC_STATUS_CONNECT_FAILED")


# -- autocommit and transactions ------------------------------------------------


def test_autocommit_default_off(conn, table):
    t = table("x int")
    assert conn.autocommit is False
    cur = conn.cursor()
    assert not conn.in_transaction
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    assert conn.in_transaction
    conn.rollback()
    assert not conn.in_transaction
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)
    cur.execute(f"INSERT INTO {t} VALUES (2)")
    conn.commit()
    assert not conn.in_transaction
    cur.execute(f"SELECT x FROM {t}")
    assert cur.fetchall() == [(2,)]
    conn.commit()


def test_uncommitted_work_is_lost_on_close(cluster, table):
    t = table("x int")
    c = cluster.connect()
    c.cursor().execute(f"INSERT INTO {t} VALUES (1)")
    c.close()
    c = cluster.connect(autocommit=True)
    cur = c.cursor()
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)
    c.close()


def test_autocommit_on(aconn, cluster, table):
    t = table("x int")
    assert aconn.autocommit is True
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    assert not aconn.in_transaction
    aconn.rollback()  # nothing to roll back
    other = cluster.connect(autocommit=True)
    c2 = other.cursor()
    c2.execute(f"SELECT /* pgtc:primary */ count(*) FROM {t}")
    assert c2.fetchone() == (1,)
    other.close()


def test_autocommit_from_dsn(cluster):
    c = pgtc.connect(cluster.conninfo + " AUTOCOMMIT=on")
    assert c.autocommit is True
    c.close()
    c = pgtc.connect(cluster.conninfo + " AUTOCOMMIT=on", autocommit=False)
    assert c.autocommit is False
    c.cursor().execute("SELECT 1")
    assert c.in_transaction
    c.close()


def test_autocommit_from_a_uri_and_keywords(cluster, aconn):
    # The mode in force is libpgtc's, read back with pgtc_conn_get_attr.
    assert aconn.get_attribute("autocommit") == "ON"
    c = pgtc.connect(cluster.conninfo, autocommit="yes")
    assert c.autocommit is True and c.get_attribute("AUTOCOMMIT") == "ON"
    c.autocommit = False
    assert c.get_attribute("AUTOCOMMIT") == "OFF"
    c.close()


def test_get_attribute(aconn):
    for a in pgtc.attributes():
        assert aconn.get_attribute(a.name.lower()) in (a.default, "ON", "READ_MOSTLY")
    aconn.set_attribute("txn_isolation", "repeatable read")
    assert aconn.get_attribute("TXN_ISOLATION") == "REPEATABLE_READ"
    aconn.set_attribute("TXN_ISOLATION", "READ_COMMITTED")
    with pytest.raises(pgtc.ProgrammingError) as e:
        aconn.get_attribute("NO_SUCH_ATTRIBUTE")
    assert e.value.pgstatus == "PGTC_STATUS_UNKNOWN_ATTRIBUTE"


def test_autocommit_property_switch(conn, table):
    t = table("x int")
    cur = conn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    assert conn.in_transaction
    # As in psycopg: not inside a transaction (the same value is a no-op).
    conn.autocommit = False
    with pytest.raises(pgtc.ProgrammingError) as e:
        conn.autocommit = True
    assert e.value.sqlstate == "25001" and conn.in_transaction
    # pgtc's own attribute commits the implicit transaction, as ODBC does.
    conn.set_attribute("AUTOCOMMIT", True)
    assert conn.autocommit is True and not conn.in_transaction
    conn.autocommit = False
    assert conn.autocommit is False
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (1,)
    conn.set_attribute("autocommit", "on")
    assert conn.autocommit is True


def test_commit_and_rollback_without_transaction(conn):
    conn.commit()
    conn.rollback()
    assert not conn.in_transaction


def test_error_aborts_transaction_until_rollback(conn):
    cur = conn.cursor()
    cur.execute("SELECT 1")
    with pytest.raises(pgtc.DataError):
        cur.execute("SELECT 1/0")
    with pytest.raises(pgtc.InternalError) as e:
        cur.execute("SELECT 1")
    assert e.value.pgcode == "25P02"
    conn.rollback()
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)


def test_with_connection_commits_or_rolls_back(cluster, table):
    t = table("x int")
    conn = cluster.connect()
    with conn:
        conn.cursor().execute(f"INSERT INTO {t} VALUES (1)")
    assert not conn.in_transaction and not conn.closed
    with pytest.raises(ZeroDivisionError):
        with conn:
            conn.cursor().execute(f"INSERT INTO {t} VALUES (2)")
            1 / 0
    assert not conn.in_transaction
    cur = conn.cursor()
    cur.execute(f"SELECT x FROM {t}")
    assert cur.fetchall() == [(1,)]
    conn.close()


def test_with_connection_in_autocommit_begins_a_transaction(cluster, table):
    t = table("x int")
    conn = cluster.connect(autocommit=True)
    with pytest.raises(RuntimeError):
        with conn:
            assert conn.in_transaction
            conn.cursor().execute(f"INSERT INTO {t} VALUES (1)")
            raise RuntimeError
    with conn:
        conn.cursor().execute(f"INSERT INTO {t} VALUES (2)")
    assert not conn.in_transaction and conn.autocommit
    cur = conn.cursor()
    cur.execute(f"SELECT x FROM {t}")
    assert cur.fetchall() == [(2,)]
    conn.close()


# -- errors ---------------------------------------------------------------------


def test_unique_violation(aconn, table):
    t = table("id int PRIMARY KEY")
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (%s)", (1,))
    with pytest.raises(pgtc.IntegrityError) as e:
        cur.execute(f"INSERT INTO {t} VALUES (%s)", (1,))
    assert e.value.pgcode == "23505"
    assert e.value.pgstatus == "PGTC_STATUS_SQL"
    assert e.value.status == 400
    assert "duplicate key" in str(e.value) and e.value.pgerror == str(e.value)
    assert isinstance(e.value, aconn.IntegrityError)


def test_syntax_error_and_missing_table(aconn):
    cur = aconn.cursor()
    with pytest.raises(pgtc.ProgrammingError) as e:
        cur.execute("SELEC 1")
    assert e.value.pgcode == "42601"
    with pytest.raises(pgtc.ProgrammingError) as e:
        cur.execute("SELECT * FROM no_such_table_here")
    assert e.value.pgcode == "42P01"
    assert cur.description is None and cur.rowcount == -1


def test_data_error(aconn):
    cur = aconn.cursor()
    with pytest.raises(pgtc.DataError) as e:
        cur.execute("SELECT %s::int", ("abc",))
    assert e.value.pgcode == "22P02"


def test_raise_exception_is_internal_error(aconn):
    with pytest.raises(pgtc.InternalError) as e:
        aconn.cursor().execute("DO $$ BEGIN RAISE EXCEPTION 'boom'; END $$")
    assert e.value.pgcode == "P0001"


def test_query_canceled(aconn):
    cur = aconn.cursor()
    cur.execute("SET statement_timeout = 50")
    with pytest.raises(pgtc.QueryCanceledError) as e:
        cur.execute("SELECT pg_sleep(2)")
    assert e.value.pgcode == "57014"
    cur.execute("RESET statement_timeout")


def test_serialization_failure_is_transaction_rollback(cluster, table):
    t = table("id int PRIMARY KEY, v int")
    setup = cluster.connect(autocommit=True)
    setup.cursor().execute(f"INSERT INTO {t} VALUES (1, 0)")
    a = cluster.connect(txn_isolation="REPEATABLE_READ")
    b = cluster.connect(autocommit=True)
    try:
        ca = a.cursor()
        ca.execute(f"SELECT v FROM {t} WHERE id = 1")
        assert ca.server == "primary"  # rule 4: isolation above READ COMMITTED
        b.cursor().execute(f"UPDATE {t} SET v = 1 WHERE id = 1")
        with pytest.raises(pgtc.TransactionRollbackError) as e:
            ca.execute(f"UPDATE {t} SET v = 2 WHERE id = 1")
        assert e.value.pgcode == "40001"
        assert isinstance(e.value, pgtc.OperationalError)
        a.rollback()
    finally:
        for c in (setup, a, b):
            c.close()


def test_closed_connection_and_cursor(cluster):
    conn = cluster.connect()
    cur = conn.cursor()
    cur.close()
    cur.close()  # twice is fine
    assert cur.closed
    with pytest.raises(pgtc.InterfaceError):
        cur.execute("SELECT 1")
    with pytest.raises(pgtc.InterfaceError):
        cur.fetchone()
    cur2 = conn.cursor()
    conn.close()
    conn.close()  # twice is fine
    assert conn.closed and cur2.closed
    for call in (
        lambda: cur2.execute("SELECT 1"),
        lambda: cur2.fetchall(),
        conn.cursor,
        conn.commit,
        conn.rollback,
        lambda: conn.explain("SELECT 1"),
        conn.counters,
        lambda: conn.lsn_floor,
        lambda: conn.raise_lsn_floor("0/0"),
        lambda: conn.set_attribute("AUTOCOMMIT", "ON"),
        lambda: setattr(conn, "autocommit", True),
    ):
        with pytest.raises(pgtc.InterfaceError):
            call()
    assert conn.connected is None and conn.in_transaction is False and conn.pinned is False


def test_repr(cluster):
    conn = cluster.connect()
    cur = conn.cursor()
    assert repr(conn) == "<pgtc.Connection connected='both' autocommit=False>"
    assert repr(cur) == "<pgtc.Cursor rowcount=-1 server=None>"
    conn.close()
    assert repr(conn) == "<pgtc.Connection closed>" and repr(cur) == "<pgtc.Cursor closed>"


def test_exceptions_as_connection_attributes(conn):
    for name in (
        "Warning",
        "Error",
        "InterfaceError",
        "DatabaseError",
        "DataError",
        "OperationalError",
        "IntegrityError",
        "InternalError",
        "ProgrammingError",
        "NotSupportedError",
    ):
        assert getattr(conn, name) is getattr(pgtc, name)


# -- cursor ------------------------------------------------------------------------


def test_cursor_attributes_before_execute(conn):
    cur = conn.cursor()
    assert cur.description is None
    assert cur.rowcount == -1
    assert cur.arraysize == 1
    assert cur.server is None
    assert cur.connection is conn
    assert cur.rownumber is None
    assert cur.lastrowid is None
    assert cur.statusmessage is None and cur.query is None
    with pytest.raises(pgtc.ProgrammingError):
        cur.fetchone()
    with pytest.raises(pgtc.ProgrammingError):
        cur.fetchmany()
    with pytest.raises(pgtc.ProgrammingError):
        cur.fetchall()


def test_statement_facts_follow_the_result_shown(aconn, table):
    """server, statusmessage and description are those of the result set
    shown (read from it when asked, descriptions shared between results
    whose columns are the same): the next statement, nextset() and close()
    replace them."""
    t = table("id int, name text")
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1, 'a')")
    assert cur.statusmessage == "INSERT 0 1" and cur.description is None
    assert cur.server == "primary"
    cur.execute(f"SELECT id FROM {t}")
    first = cur.description
    assert cur.statusmessage == "SELECT 1" and cur.server in ("primary", "standby")
    cur.execute(f"SELECT id FROM {t} WHERE id = %s", (1,))
    assert cur.description == first and cur.fetchone() == (1,)
    assert cur.description[0].table_oid == first[0].table_oid is not None
    cur.execute("SELECT 1::int AS id")
    assert cur.description[0][:2] == ("id", 23) and cur.description[0].table_oid is None
    cur.execute("SELECT 'x'::text AS id")
    assert cur.description[0][:2] == ("id", 25) and cur.fetchone() == ("x",)
    cur.execute(f"SELECT 2 AS two; INSERT INTO {t} VALUES (2, 'b')")
    assert cur.statusmessage == "SELECT 1" and cur.description[0].name == "two"
    assert cur.nextset() is True
    assert cur.statusmessage == "INSERT 0 1" and cur.description is None and cur.rowcount == 1
    cur.close()
    assert cur.statusmessage is None and cur.server is None and cur.description is None


def test_description_and_rowcount(aconn, table):
    t = table("id int, name text")
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1, 'a'), (2, 'b'), (3, NULL)")
    assert cur.rowcount == 3 and cur.description is None
    assert cur.statusmessage == "INSERT 0 3"
    cur.execute(f"UPDATE {t} SET name = 'z' WHERE id >= %s", (2,))
    assert cur.rowcount == 2
    cur.execute(f"SELECT id, name FROM {t} ORDER BY id")
    assert cur.rowcount == 3
    assert len(cur.description) == 2
    assert all(len(d) == 7 for d in cur.description)
    assert cur.description[0][:2] == ("id", 23) and cur.description[1][:2] == ("name", 25)
    assert cur.description[0] == ("id", 23, None, None, None, None, None)
    assert cur.description[0][1] == pgtc.NUMBER and cur.description[1].type_code == pgtc.STRING
    cur.execute(f"DELETE FROM {t} WHERE id = 99")
    assert cur.rowcount == 0
    cur.execute("CREATE TEMP TABLE tmp_x (a int)")
    assert cur.rowcount == -1 and cur.description is None
    cur.execute("DROP TABLE tmp_x")
    cur.execute("DISCARD ALL")


def test_fetch_methods(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT g FROM generate_series(1, 10) g")
    assert cur.rownumber == 0
    assert cur.fetchone() == (1,)
    assert cur.fetchmany() == [(2,)]
    cur.arraysize = 3
    assert cur.fetchmany() == [(3,), (4,), (5,)]
    assert cur.fetchmany(2) == [(6,), (7,)]
    assert cur.rownumber == 7
    assert cur.fetchall() == [(8,), (9,), (10,)]
    assert cur.fetchone() is None
    assert cur.fetchmany(5) == []
    assert cur.fetchall() == []
    cur.scroll(-2)
    assert cur.fetchone() == (9,)
    cur.scroll(0, mode="absolute")
    assert cur.fetchone() == (1,)
    with pytest.raises(IndexError):
        cur.scroll(20)
    cur.execute("SELECT g FROM generate_series(1, 3) g")
    assert [r for r in cur] == [(1,), (2,), (3,)]
    cur.execute("SELECT 1 WHERE false")
    assert cur.fetchone() is None and cur.rowcount == 0 and cur.fetchall() == []


def test_fetch_after_statement_without_rows(aconn):
    cur = aconn.cursor()
    cur.execute("SET application_name = 'x'")
    with pytest.raises(pgtc.ProgrammingError):
        cur.fetchone()
    assert cur.description is None


def test_execute_returns_cursor_and_accepts_bytes(aconn):
    cur = aconn.cursor()
    assert cur.execute(b"SELECT 1").fetchone() == (1,)


def test_executemany(aconn, table):
    t = table("id int, name text")
    cur = aconn.cursor()
    cur.executemany(f"INSERT INTO {t} VALUES (%s, %s)", [(1, "a"), (2, "b"), (3, None)])
    assert cur.rowcount == 3
    cur.executemany(f"UPDATE {t} SET name = %(n)s WHERE id = %(id)s", ({"id": i, "n": str(i)} for i in (1, 2, 9)))
    assert cur.rowcount == 2
    cur.executemany(f"INSERT INTO {t} VALUES (%s, %s)", [])
    assert cur.rowcount == 0
    cur.execute(f"SELECT id, name FROM {t} ORDER BY id")
    assert cur.fetchall() == [(1, "1"), (2, "2"), (3, None)]


def test_executemany_in_a_transaction_is_atomic(conn, table):
    t = table("id int PRIMARY KEY")
    cur = conn.cursor()
    with pytest.raises(pgtc.IntegrityError):
        cur.executemany(f"INSERT INTO {t} VALUES (%s)", [(1,), (2,), (1,)])
    conn.rollback()
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)


def test_callproc(aconn):
    cur = aconn.cursor()
    assert cur.callproc("lower", ("FOO",)) == ("FOO",)
    assert cur.fetchall() == [("foo",)]
    assert cur.callproc("pg_catalog.repeat", ["ab", 3]) == ["ab", 3]
    assert cur.fetchall() == [("ababab",)]
    cur.execute(
        "CREATE OR REPLACE FUNCTION pg_temp.addx(a int, b int DEFAULT 10) RETURNS int "
        "LANGUAGE sql AS 'SELECT a + b'"
    )
    cur.callproc("pg_temp.addx", {"a": 1, "b": 2})
    assert cur.fetchone() == (3,)
    cur.callproc("pg_temp.addx", {"a": 5})
    assert cur.fetchone() == (15,)
    with pytest.raises(pgtc.ProgrammingError):
        cur.callproc("lower); DROP TABLE x; --", ("a",))
    with pytest.raises(pgtc.ProgrammingError):
        cur.callproc("lower", {"a) => 1; --": 1})
    cur.execute("DISCARD ALL")


def test_nextset_after_one_statement_is_none(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT 1")
    assert cur.nextset() is None
    assert cur.fetchall() == [(1,)]


def test_setinputsizes_setoutputsize_are_noops(aconn):
    cur = aconn.cursor()
    cur.setinputsizes((25, 4))
    cur.setoutputsize(1000)
    cur.setoutputsize(2000, 0)
    cur.execute("SELECT %s::text", ("x",))
    assert cur.fetchone() == ("x",)


def test_cursor_context_manager(aconn):
    with aconn.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    assert cur.closed
    with pytest.raises(pgtc.InterfaceError):
        cur.execute("SELECT 1")
    assert not aconn.closed


def test_cursors_share_the_connection(conn):
    a = conn.cursor()
    b = conn.cursor()
    a.execute("CREATE TEMP TABLE shared (x int)")
    a.execute("INSERT INTO shared VALUES (1)")
    b.execute("SELECT x FROM shared")
    assert b.fetchall() == [(1,)]
    conn.rollback()


def test_cursor_results_survive_other_executes(aconn):
    a = aconn.cursor()
    b = aconn.cursor()
    a.execute("SELECT g FROM generate_series(1, 3) g")
    b.execute("SELECT 42")
    assert a.fetchall() == [(1,), (2,), (3,)]
    assert b.fetchone() == (42,)


def test_query_attribute(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT %(a)s::int + %(a)s::int", {"a": 2})
    assert cur.query == "SELECT $1::int + $1::int"
    assert cur.fetchone() == (4,)
