"""What postgresql+pgtc adds to PostgreSQL's dialect, against the pair the
suite runs on (``--dburi``, READ_MOSTLY, the standby replaying 300 ms late)."""

from __future__ import annotations

import threading
import time
from importlib.metadata import entry_points
from typing import Any, Callable, List

import pytest
import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool, QueuePool
from sqlalchemy.testing import config, fixtures

import pgtc
from pgtc.sqlalchemy import LIBPQ_KEYS, PGDialect_pgtc, conninfo_from_url

DEADLINE_S = 20.0


def wait_for(what: str, cond: Callable[[], bool]) -> None:
    end = time.monotonic() + DEADLINE_S
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {DEADLINE_S} s")
        time.sleep(0.02)


def engine(**kw: Any) -> sa.Engine:
    return sa.create_engine(config.db.url, **kw)


def raw(conn: sa.Connection) -> Any:
    return conn.connection.dbapi_connection


class UrlTest(fixtures.TestBase):
    def conninfo(self, url: str) -> str:
        return conninfo_from_url(make_url(url))

    def test_several_host_values(self):
        got = self.conninfo(
            "postgresql+pgtc://app:s%40cret@/app?host=h1:5432&host=h2:5433&PREFERRED_ACCESS=READ_MOSTLY"
        )
        assert got == (
            "user='app' password='s@cret' dbname='app' host='h1,h2' port='5432,5433' "
            "PREFERRED_ACCESS='READ_MOSTLY'"
        )

    def test_host_in_the_authority(self):
        assert self.conninfo("postgresql+pgtc://app@db.example:6000/app") == (
            "user='app' dbname='app' host='db.example' port='6000'"
        )

    def test_comma_lists_and_keys_in_any_case(self):
        got = self.conninfo(
            "postgresql+pgtc:///app?host=a,b&port=1,2&autocommit=on&sslmode=disable&consistency_scope=session"
        )
        assert got == (
            "dbname='app' host='a,b' port='1,2' AUTOCOMMIT='on' sslmode='disable' CONSISTENCY_SCOPE='session'"
        )

    def test_unix_socket_directory(self):
        assert self.conninfo("postgresql+pgtc:///app?host=/run/postgresql") == (
            "dbname='app' host='/run/postgresql'"
        )

    def test_unknown_key_is_named(self):
        with pytest.raises(exc.ArgumentError, match="'prefered_access'"):
            self.conninfo("postgresql+pgtc:///app?prefered_access=READ_MOSTLY")

    def test_key_twice(self):
        with pytest.raises(exc.ArgumentError, match="'sslmode' is given more than once"):
            self.conninfo("postgresql+pgtc:///app?host=a&sslmode=disable&sslmode=require")

    def test_hosts_in_both_places(self):
        with pytest.raises(exc.ArgumentError, match="not both"):
            self.conninfo("postgresql+pgtc://u@a:1/app?host=b:2")

    def test_ports_must_cover_every_host_or_none(self):
        with pytest.raises(exc.ArgumentError, match="a port for every host"):
            self.conninfo("postgresql+pgtc:///app?host=a:1&host=b")

    def test_quotes_values(self):
        got = self.conninfo("postgresql+pgtc://u:it's@/app?host=a&application_name=x%20y")
        assert "password='it\\'s'" in got and "application_name='x y'" in got

    def test_every_libpq_key_is_one_libpgtc_knows(self):
        # A key libpgtc does not know fails with PGTC_STATUS_UNKNOWN_ATTRIBUTE
        # before anything connects; a known key with an odd value fails
        # otherwise (bad value, or no server at that socket directory).
        for key in sorted(LIBPQ_KEYS):
            with pytest.raises(pgtc.Error) as info:
                pgtc.connect(f"host=/nonexistent-pgtc-dir connect_timeout=1 {key}=1")
            assert info.value.pgstatus != "PGTC_STATUS_UNKNOWN_ATTRIBUTE", (key, info.value)
        with pytest.raises(pgtc.Error) as info:
            pgtc.connect("host=/nonexistent-pgtc-dir no_such_key=1")
        assert info.value.pgstatus == "PGTC_STATUS_UNKNOWN_ATTRIBUTE"

    def test_entry_point(self):
        names = {ep.name: ep.value for ep in entry_points(group="sqlalchemy.dialects")}
        assert names.get("postgresql.pgtc") == "pgtc.sqlalchemy:PGDialect_pgtc"
        assert isinstance(sa.create_engine("postgresql+pgtc:///x?host=a").dialect, PGDialect_pgtc)

    def test_the_suite_url_reads_mostly(self):
        e = engine()
        with e.connect() as conn:
            assert raw(conn).get_attribute("PREFERRED_ACCESS") == "READ_MOSTLY"
            assert raw(conn).connected == "both"
        e.dispose()


class IsolationTest(fixtures.TestBase):
    def test_levels_are_pgtc_attributes(self):
        e = engine(isolation_level="REPEATABLE READ")
        with e.connect() as conn:
            assert raw(conn).get_attribute("TXN_ISOLATION") == "REPEATABLE_READ"
            assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
            conn.rollback()
            conn.execution_options(isolation_level="SERIALIZABLE")
            assert raw(conn).get_attribute("TXN_ISOLATION") == "SERIALIZABLE"
        with e.connect() as conn:  # given back at the engine's level
            assert raw(conn).get_attribute("TXN_ISOLATION") == "REPEATABLE_READ"
        e.dispose()

    def test_autocommit(self):
        e = engine()
        with e.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            assert raw(conn).autocommit is True
            assert raw(conn).get_attribute("AUTOCOMMIT") == "ON"
            conn.exec_driver_sql("SELECT 1")
            assert not raw(conn).in_transaction
        with e.connect() as conn:
            assert raw(conn).autocommit is False
        e.dispose()

    def test_readonly(self):
        e = engine()
        with e.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS pgtc_ro (id int)")
            conn.commit()
        with e.connect().execution_options(postgresql_readonly=True) as conn:
            assert raw(conn).get_attribute("READ_ONLY") == "ON"
            with pytest.raises(exc.DBAPIError) as info:
                conn.exec_driver_sql("INSERT INTO pgtc_ro VALUES (1)")
            assert info.value.orig.pgcode == "25006"
            conn.rollback()
        with e.connect() as conn:
            assert raw(conn).get_attribute("READ_ONLY") == "OFF"
            conn.exec_driver_sql("DROP TABLE pgtc_ro")
            conn.commit()
        e.dispose()

    def test_deferrable(self):
        e = engine(pool_size=1, max_overflow=0)
        with e.connect().execution_options(postgresql_deferrable=True) as conn:
            assert e.dialect.get_deferrable(raw(conn)) is True
            assert conn.exec_driver_sql("SHOW transaction_deferrable").scalar() == "on"
            conn.rollback()
        with e.connect() as conn:  # the same connection, given back NOT DEFERRABLE
            assert e.dialect.get_deferrable(raw(conn)) is False
        e.dispose()


class TypesTest(fixtures.TestBase):
    def test_bind_casts_are_rendered(self):
        e = engine()
        stmt = sa.select(sa.literal(5, sa.Integer) + sa.literal(3, sa.Integer))
        assert "::INTEGER" in str(stmt.compile(dialect=e.dialect))
        with e.connect() as conn:
            assert conn.scalar(stmt) == 8
            assert conn.scalar(sa.select(sa.func.coalesce(sa.bindparam("d", 2.5, sa.Numeric)))) == 2.5
        e.dispose()

    def test_json_arrives_as_text_for_the_deserializer(self):
        seen: List[str] = []

        def loads(text: str) -> Any:
            seen.append(text)
            return {"raw": text}

        e = engine(json_deserializer=loads)
        for typ in (sa.JSON, sa.dialects.postgresql.JSONB):
            with e.connect() as conn:
                got = conn.scalar(sa.select(sa.cast(sa.literal('{"a": [1, 2]}'), typ)))
            assert got == {"raw": '{"a": [1, 2]}'}
        assert seen == ['{"a": [1, 2]}', '{"a": [1, 2]}']
        e.dispose()


class StreamTest(fixtures.TestBase):
    def test_stream_results(self):
        e = engine()
        with e.connect() as conn:
            result = conn.execution_options(stream_results=True, max_row_buffer=100).execute(
                sa.text("SELECT g FROM generate_series(1, 5000) g")
            )
            cursor = result.cursor
            assert getattr(cursor, "server_side", False) or getattr(cursor, "name", None)
            first = result.fetchmany(10)
            assert [r[0] for r in first] == list(range(1, 11))
            rest = [r[0] for r in result]
            assert rest == list(range(11, 5001))
        e.dispose()


class PingAndDisconnectTest(fixtures.TestBase):
    def kill(self, e: sa.Engine, pid: int) -> None:
        with e.connect() as conn:
            conn.exec_driver_sql(f"/* pgtc:primary */ SELECT pg_terminate_backend({pid})")
            conn.commit()

    def test_ping_sends_nothing_while_both_servers_are_up(self):
        e = engine()
        with e.connect() as conn:
            dbapi = raw(conn)
            conn.exec_driver_sql("SELECT 1")
            conn.rollback()
            before = dbapi.counters()
            assert e.dialect.do_ping(dbapi) is True
            assert dbapi.counters() == before
        e.dispose()

    def test_ping_sees_a_terminated_backend(self):
        e = engine()
        other = engine(poolclass=NullPool)
        with e.connect() as conn:
            dbapi = raw(conn)
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            conn.rollback()
            self.kill(other, pid)
            wait_for("do_ping to fail", lambda: e.dialect.do_ping(dbapi) is False)
            conn.invalidate()
        e.dispose()
        other.dispose()

    def test_pre_ping_replaces_a_terminated_connection(self):
        e = engine(pool_pre_ping=True, pool_size=1, max_overflow=0)
        other = engine(poolclass=NullPool)
        with e.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        self.kill(other, pid)
        # Pre-ping finds the dead backend (once its termination arrives) and
        # opens a new connection; nothing fails.
        wait_for(
            "a new backend",
            lambda: self._pid(e) != pid,
        )
        e.dispose()
        other.dispose()

    def _pid(self, e: sa.Engine) -> int:
        with e.connect() as conn:
            value = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            conn.rollback()
            return int(value)

    def test_a_lost_connection_is_invalidated(self):
        e = engine(pool_size=1, max_overflow=0)
        other = engine(poolclass=NullPool)
        with e.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            conn.rollback()
            self.kill(other, pid)
            wait_for("the backend to end", lambda: not self._alive(other, pid))
            with pytest.raises(exc.DBAPIError) as info:
                conn.exec_driver_sql("/* pgtc:primary */ SELECT 1")
            assert info.value.connection_invalidated, info.value
        assert self._pid(e) != pid
        e.dispose()
        other.dispose()

    def _alive(self, e: sa.Engine, pid: int) -> bool:
        with e.connect() as conn:
            n = conn.exec_driver_sql(
                f"/* pgtc:primary */ SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}"
            ).scalar()
            conn.rollback()
            return bool(n)


class ReadYourWritesTest(fixtures.TestBase):
    def _cycles(self, e: sa.Engine, table: str, threads: int, per_thread: int) -> List[str]:
        stale: List[str] = []
        errors: List[BaseException] = []

        def work(t: int) -> None:
            try:
                for i in range(per_thread):
                    key = t * 1000 + i
                    with e.begin() as conn:  # one pooled connection writes ...
                        conn.exec_driver_sql(f"INSERT INTO {table} VALUES ({key}, 'v{key}')")
                    with e.connect() as conn:  # ... the next one reads at once
                        got = conn.exec_driver_sql(f"SELECT v FROM {table} WHERE id = {key}").scalar()
                        conn.rollback()
                    if got != f"v{key}":
                        stale.append(f"{key}: {got!r}")
            except BaseException as err:  # noqa: BLE001 - reported below
                errors.append(err)

        ts = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert not errors, errors
        return stale

    def _standby_serves(self, e: sa.Engine, table: str) -> None:
        def on_standby() -> bool:
            with e.connect() as conn:
                result = conn.exec_driver_sql(f"SELECT count(*) FROM {table}")
                server = result.cursor.server
                result.all()
                conn.rollback()
                return server == "standby"

        wait_for("a read served by the standby", on_standby)

    @pytest.mark.parametrize("pool", ["queue", "pgtc"])
    def test_writes_are_read_through_other_connections(self, pool: str):
        table = f"pgtc_ryw_{pool}"
        setup = engine(poolclass=NullPool)
        with setup.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
            conn.exec_driver_sql(f"CREATE TABLE {table} (id int PRIMARY KEY, v text)")
        if pool == "queue":
            e = engine(pool_size=4, max_overflow=0)
            assert isinstance(e.pool, QueuePool)
            owner = None
        else:
            url = config.db.url
            dialect = PGDialect_pgtc()
            owner = pgtc.Pool(conninfo_from_url(url, dialect), max_size=4)
            e = sa.create_engine("postgresql+pgtc://", poolclass=NullPool, creator=owner.getconn)
        try:
            stale = self._cycles(e, table, threads=4, per_thread=25)
            assert stale == [], stale
            self._standby_serves(e, table)
            if owner is not None:
                stats = owner.stats()
                assert stats["total"] <= 4 and stats["acquired"] >= 200, stats
                assert stats["in_use"] == 0, stats
        finally:
            e.dispose()
            if owner is not None:
                owner.close()
            with setup.begin() as conn:
                conn.exec_driver_sql(f"DROP TABLE {table}")
            setup.dispose()
