"""Several results, error fields, notices and notifications through the
Python binding, against a real pair."""

from __future__ import annotations

import threading
import uuid

import pytest

import pgtc

from conftest import wait_until


def test_nextset_walks_every_statement_of_a_text(aconn, table):
    t = table("x int")
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1), (2); SELECT x FROM {t} ORDER BY x; SELECT 'end' AS w")
    assert cur.statusmessage == "INSERT 0 2"
    assert cur.rowcount == 2 and cur.description is None
    with pytest.raises(pgtc.ProgrammingError):
        cur.fetchall()
    assert cur.nextset() is True
    assert cur.fetchall() == [(1,), (2,)]
    assert cur.description[0].name == "x"
    assert cur.nextset() is True
    assert cur.fetchone() == ("end",)
    assert cur.nextset() is None
    assert cur.nextset() is None


def test_an_error_in_the_middle_keeps_the_results_before_it(aconn, table):
    t = table("x int")
    cur = aconn.cursor()
    with pytest.raises(pgtc.DataError) as info:
        cur.execute(f"INSERT INTO {t} VALUES (5); SELECT 41 + 1 AS n; SELECT 1/0; SELECT 2")
    e = info.value
    assert e.pgcode == "22012"
    assert [r["statusmessage"] for r in e.results] == ["INSERT 0 1", "SELECT 1"]
    assert e.results[1]["rows"] == [(42,)]
    assert e.results[1]["description"][0].name == "n"
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)  # the text's implicit transaction rolled back
    with pytest.raises(pgtc.DataError) as info:
        cur.execute("SELECT 1/0")
    assert info.value.results == []


def test_diag_of_a_constraint_violation_and_a_syntax_error(aconn, table):
    t = table(f"id int CONSTRAINT k_{uuid.uuid4().hex[:8]}_k UNIQUE")
    cur = aconn.cursor()
    cur.execute(f"INSERT INTO {t} VALUES (1)")
    with pytest.raises(pgtc.IntegrityError) as info:
        cur.execute(f"INSERT INTO {t} VALUES (1)")
    d = info.value.diag
    assert d.sqlstate == "23505"
    assert d.schema_name == "public"
    assert d.table_name == t
    assert d.constraint_name.endswith("_k")
    assert d.message_detail == "Key (id)=(1) already exists."
    assert d.severity_nonlocalized == "ERROR"
    assert d.source_file is not None
    sql = "SELECT 1 FROM WHERE"
    with pytest.raises(pgtc.ProgrammingError) as info:
        cur.execute(sql)
    assert info.value.diag.statement_position == str(sql.index("WHERE") + 1)
    # pgtc's own errors have a SQLSTATE and a diag too.
    with pytest.raises(pgtc.ProgrammingError) as info:
        aconn.set_attribute("NO_SUCH_ATTRIBUTE", "1")
    assert info.value.pgcode == "42704"
    assert info.value.diag.sqlstate == "42704"
    assert info.value.diag.table_name is None


def test_column_metadata(aconn, table):
    t = table("id int, name varchar(10), price numeric(10,2)")
    cur = aconn.cursor()
    cur.execute(f"SELECT id, name, price, 1 AS one FROM {t}")
    oid_cur = aconn.cursor()
    oid_cur.execute(f"SELECT '{t}'::regclass::oid::int")
    (oid,) = oid_cur.fetchone()
    d = cur.description
    assert [len(c) for c in d] == [7, 7, 7, 7]
    assert [(c.table_oid, c.table_column) for c in d] == [(oid, 1), (oid, 2), (oid, 3), (None, None)]
    assert [c.type_modifier for c in d] == [-1, 14, (10 << 16 | 2) + 4, -1]
    assert (d[2].precision, d[2].scale) == (10, 2)


def test_notices_from_both_servers(aconn):
    f = "f_" + uuid.uuid4().hex[:10]
    cur = aconn.cursor()
    cur.execute(
        f"CREATE FUNCTION {f}() RETURNS int STABLE LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE NOTICE 'recovery %', pg_is_in_recovery(); RETURN 1; END $$"
    )
    seen = []
    aconn.add_notice_handler(seen.append)
    try:
        assert wait_until(
            lambda: cur.execute(f"/* pgtc:standby */ SELECT {f}()") and cur.server == "standby"
        )
        d = seen[-1]
        assert (d.server, d.message_primary, d.severity_nonlocalized) == ("standby", "recovery t", "NOTICE")
        assert aconn.notices[-1] == "NOTICE:  recovery t\n"
        cur.execute(f"CREATE TABLE IF NOT EXISTS pg_temp.{f}_t(x int); CREATE TABLE IF NOT EXISTS pg_temp.{f}_t(x int)")
        assert seen[-1].server == "primary" and seen[-1].sqlstate == "42P07"
        assert len(aconn.notices) <= 50
        # A handler may not use its connection.
        def bad(_diag):
            aconn.cursor().execute("SELECT 1")

        aconn.add_notice_handler(bad)
        with pytest.raises(pgtc.InterfaceError):
            cur.execute("DO $$BEGIN RAISE NOTICE 'x'; END$$")
        aconn.remove_notice_handler(bad)
    finally:
        aconn.remove_notice_handler(seen.append)
        cur.execute(f"DROP FUNCTION {f}()")


def test_notifications_while_idle_and_during_statements(cluster, aconn):
    ch = "ch_" + uuid.uuid4().hex[:10]
    other = cluster.connect(autocommit=True, preferred_access="WRITE_MOSTLY")
    cur = aconn.cursor()
    cur.execute(f"LISTEN {ch}")
    assert aconn.pinned
    assert aconn.poll_notifies(0) == 0 and aconn.notifies == []
    ocur = other.cursor()
    ocur.execute("SELECT pg_backend_pid()")
    (pid,) = ocur.fetchone()
    # While idle.
    ocur.execute(f"NOTIFY {ch}, 'idle'")
    n = aconn.wait_notify(15)
    assert n == pgtc.Notify(pid, ch, "idle")
    assert (n.pid, n.channel, n.payload) == (pid, ch, "idle")
    # During a statement: held back in the transaction, sent at COMMIT.
    aconn.autocommit = False
    cur.execute("SELECT 1")
    ocur.execute(f"NOTIFY {ch}, 'a'")
    ocur.execute(f"NOTIFY {ch}, 'b'")
    assert aconn.poll_notifies(0.05) == 0
    aconn.commit()
    aconn.autocommit = True
    assert [x.payload for x in aconn.notifies] == ["a", "b"]
    assert aconn.wait_notify(0).payload == "a"
    assert aconn.wait_notify(0).payload == "b"
    assert aconn.wait_notify(0) is None
    # From another thread while waiting.
    t = threading.Thread(target=lambda: ocur.execute(f"NOTIFY {ch}, 'late'"))
    t.start()
    assert aconn.poll_notifies(15) >= 1
    t.join()
    assert aconn.notifies.pop().payload == "late"
    with pytest.raises(ValueError):
        aconn.poll_notifies(-1)
    cur.execute("UNLISTEN *")
    other.close()
