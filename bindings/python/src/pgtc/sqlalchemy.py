"""SQLAlchemy 2.0 dialect ``postgresql+pgtc``: SQLAlchemy over pgtc's DB-API module.

::

    from sqlalchemy import create_engine
    engine = create_engine(
        "postgresql+pgtc://app:secret@/app"
        "?host=10.0.0.1:5432&host=10.0.0.2:5432&PREFERRED_ACCESS=READ_MOSTLY"
    )

The dialect is PostgreSQL's (``PGDialect``: SQL, reflection, types) with
pgtc as its driver. What is pgtc's own:

* the URL becomes a libpq ``key=value`` string: servers from the URL's host
  part or from ``host=`` query values (``h:p``, several allowed, or
  ``host=h1,h2&port=p1,p2``), and every other query parameter a libpq key or
  a pgtc attribute, checked here so that a misspelt one is an
  ``ArgumentError`` naming it;
* isolation levels, ``AUTOCOMMIT`` and ``postgresql_readonly`` go through
  pgtc's attributes (``TXN_ISOLATION``, ``AUTOCOMMIT``, ``READ_ONLY``), which
  libpgtc applies to both servers;
* parameters travel as text typed by the server from their context, so the
  compiler renders a cast where the type matters
  (``BindTyping.RENDER_CASTS``, as the psycopg and asyncpg dialects do);
* ``do_ping`` asks libpgtc what it knows of the connection and sends no
  statement while both servers are known to be up;
* ``stream_results=True`` streams through a named cursor of the module when
  it has them, else through ``DECLARE … CURSOR`` / ``FETCH``;
* JSON is read as the server's text and decoded by SQLAlchemy
  (``json_deserializer=`` applies);
* ``is_disconnect`` knows SQLSTATE class 08 and pgtc's connection statuses.
"""

from __future__ import annotations

import decimal
import inspect
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import exc, util
from sqlalchemy.dialects.postgresql import ARRAY as PGARRAY
from sqlalchemy.dialects.postgresql import JSON, JSONB
from sqlalchemy.dialects.postgresql.base import (
    INTERVAL,
    PGCompiler,
    PGDialect,
    PGExecutionContext,
    PGIdentifierPreparer,
)
from sqlalchemy.dialects.postgresql.json import JSONPathType
from sqlalchemy.dialects.postgresql.pg_catalog import INT2VECTOR, OIDVECTOR, _SpaceVector
from sqlalchemy.engine import processors
from sqlalchemy.engine.interfaces import BindTyping
from sqlalchemy.sql import sqltypes

import pgtc
from pgtc import _ffi

__all__ = ["PGDialect_pgtc", "dialect", "conninfo_from_url", "LIBPQ_KEYS"]

#: The libpq keys libpgtc accepts besides ``host``/``port`` (see
#: src/conninfo/keys.rs and the README's table); pgtc's attributes come
#: from the library itself (``pgtc.PGTC_ATTRIBUTES``).
LIBPQ_KEYS = frozenset(
    {
        "hostaddr",
        "user",
        "password",
        "dbname",
        "connect_timeout",
        "application_name",
        "fallback_application_name",
        "options",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslnegotiation",
        "channel_binding",
        "client_encoding",
        "keepalives",
        "keepalives_idle",
        "keepalives_interval",
        "keepalives_count",
        "tcp_user_timeout",
        "target_session_attrs",
        "HOST_WEIGHTS",
    }
)

#: pgtc statuses after which the logical connection cannot be trusted:
#: SQLAlchemy's pool then discards it (``is_disconnect``).
_DISCONNECT_STATUSES = frozenset(
    {
        _ffi.CONNECT_FAILED,
        _ffi.CONNECTION_LOST,
        _ffi.NO_PRIMARY,
        _ffi.CONNECTION_SWITCHED,
        _ffi.INTERNAL,
    }
)

_JSON_OIDS = (114, 3802)


# -- the URL -------------------------------------------------------------------


def _attribute_name(key: str) -> Optional[str]:
    upper = key.upper()
    return upper if upper in pgtc.PGTC_ATTRIBUTES else None


def _servers(dialect: PGDialect, url: Any) -> Tuple[List[str], List[str]]:
    """The host and port lists of ``url``: its host part, or its ``host=``
    query values (``h:p`` each, or ``host=h1,h2&port=p1,p2``)."""
    hosts, ports = dialect._split_multihost_from_url(url)
    if hosts:
        if url.host or url.port:
            raise exc.ArgumentError(
                "give the servers either in the URL's host part or as host= query "
                "parameters, not both"
            )
        return [h or "" for h in hosts], [str(p) if p else "" for p in (ports or ())]
    if url.host:
        return [url.host], [str(url.port)] if url.port else []
    if url.port:
        return [], [str(url.port)]
    return [], []


def conninfo_from_url(url: Any, dialect: Optional[PGDialect] = None) -> str:
    """The libpq ``key=value`` string for a ``postgresql+pgtc://`` URL.

    Query parameters other than ``host``/``port`` must be libpq keys pgtc
    accepts or pgtc attributes (any case); anything else, and a key given
    twice, raises ``ArgumentError`` naming the key.
    """
    d = dialect if dialect is not None else PGDialect()
    pairs: List[Tuple[str, str]] = []
    if url.username:
        pairs.append(("user", url.username))
    if url.password is not None:
        pairs.append(("password", str(url.password)))
    if url.database:
        pairs.append(("dbname", url.database))
    hosts, ports = _servers(d, url)
    if hosts:
        pairs.append(("host", ",".join(hosts)))
    if any(ports):
        if hosts and len(ports) not in (1, len(hosts)):
            raise exc.ArgumentError(f"{len(hosts)} hosts but {len(ports)} ports in the URL")
        if not all(ports):
            raise exc.ArgumentError(
                "give a port for every host, or for none (the default port then applies)"
            )
        pairs.append(("port", ",".join(ports)))
    for key, value in url.query.items():
        if key in ("host", "port"):
            continue
        name = _attribute_name(key) or (key if key in LIBPQ_KEYS else None)
        if name is None:
            raise exc.ArgumentError(
                f"unknown connection parameter {key!r} in the URL: neither a libpq key "
                "pgtc accepts nor a pgtc attribute"
            )
        if isinstance(value, (list, tuple)):
            raise exc.ArgumentError(f"connection parameter {key!r} is given more than once")
        pairs.append((name, value))
    return " ".join(f"{k}={pgtc.quote_conninfo_value(v)}" for k, v in pairs)


# -- types -----------------------------------------------------------------------
#
# Every parameter is sent as text and typed by the server from its context;
# where there is no context (``SELECT %s``, a function argument, a CASE) the
# server would take text, so these types render ``::TYPE`` after their
# placeholder.


class _Cast:
    render_bind_cast = True


class _PGString(_Cast, sqltypes.String):
    pass


class _PGInteger(_Cast, sqltypes.Integer):
    pass


class _PGSmallInteger(_Cast, sqltypes.SmallInteger):
    pass


class _PGBigInteger(_Cast, sqltypes.BigInteger):
    pass


class _PGBoolean(_Cast, sqltypes.Boolean):
    pass


class _PGDate(_Cast, sqltypes.Date):
    pass


class _PGTime(_Cast, sqltypes.Time):
    pass


class _PGTimeStamp(_Cast, sqltypes.DateTime):
    pass


class _PGInterval(_Cast, INTERVAL):
    @classmethod
    def adapt_emulated_to_native(cls, interval: Any, **kw: Any) -> "_PGInterval":
        return _PGInterval(precision=interval.second_precision)


class _PGNumeric(_Cast, sqltypes.Numeric):
    """pgtc returns numeric as Decimal and float4/float8 as float: convert
    only where the column's type and ``asdecimal`` disagree."""

    def bind_processor(self, dialect: Any) -> Any:
        return None

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        floats = coltype in (700, 701)
        if self.asdecimal:
            if floats:
                return processors.to_decimal_processor_factory(
                    decimal.Decimal, self._effective_decimal_return_scale
                )
            return None
        return None if floats else processors.to_float


class _PGFloat(_PGNumeric, sqltypes.Float):
    __visit_name__ = "float"


class _PGJSON(_Cast, JSON):
    pass


class _PGJSONB(_Cast, JSONB):
    pass


class _PGJSONIntIndexType(_Cast, sqltypes.JSON.JSONIntIndexType):
    __visit_name__ = "json_int_index"


class _PGJSONStrIndexType(_Cast, sqltypes.JSON.JSONStrIndexType):
    __visit_name__ = "json_str_index"


class _PGJSONPathType(JSONPathType):
    pass


class _PGARRAY(_Cast, PGARRAY):
    pass


class _PGINT2VECTOR(_SpaceVector, INT2VECTOR):
    """int2vector arrives as the server's text, ``'1 3'``."""


class _PGOIDVECTOR(_SpaceVector, OIDVECTOR):
    """oidvector arrives as the server's text, ``'23 25'``."""


# -- cursors ---------------------------------------------------------------------


def _module_streams(dbapi_connection: Any) -> bool:
    """Whether the module's ``Connection.cursor`` takes ``name=`` (named,
    server-side cursors that stream)."""
    try:
        return "name" in inspect.signature(dbapi_connection.cursor).parameters
    except (TypeError, ValueError):
        return False


class _DeclaredCursor:
    """A server-side cursor over ``DECLARE name NO SCROLL CURSOR FOR …`` and
    ``FETCH FORWARD n``, for a module without named cursors. It needs a
    transaction (the connection is not in AUTOCOMMIT mode); pgtc runs a
    transaction that declared a cursor on the primary."""

    server_side = True

    def __init__(self, cursor: Any, name: str) -> None:
        self.cursor = cursor
        self.name = name
        self._declared = False

    @property
    def connection(self) -> Any:
        return self.cursor.connection

    @property
    def rowcount(self) -> int:
        return int(self.cursor.rowcount)

    @property
    def description(self) -> Any:
        return self.cursor.description

    @property
    def arraysize(self) -> int:
        return int(self.cursor.arraysize)

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self.cursor.arraysize = value

    def execute(self, operation: str, parameters: Any = None) -> "_DeclaredCursor":
        self.cursor.execute(f"DECLARE {self.name} NO SCROLL CURSOR FOR {operation}", parameters)
        self._declared = True
        # Describe the rows without fetching any.
        self.cursor.execute(f"FETCH FORWARD 0 FROM {self.name}")
        return self

    def executemany(self, operation: str, seq: Any) -> "_DeclaredCursor":
        self.cursor.executemany(operation, seq)
        return self

    def fetchone(self) -> Any:
        self.cursor.execute(f"FETCH FORWARD 1 FROM {self.name}")
        return self.cursor.fetchone()

    def fetchmany(self, size: Optional[int] = None) -> List[Any]:
        n = self.cursor.arraysize if size is None else int(size)
        self.cursor.execute(f"FETCH FORWARD {n} FROM {self.name}")
        return self.cursor.fetchall()

    def fetchall(self) -> List[Any]:
        self.cursor.execute(f"FETCH FORWARD ALL FROM {self.name}")
        return self.cursor.fetchall()

    def close(self) -> None:
        try:
            if self._declared and not self.cursor.closed and self.cursor.connection.in_transaction:
                self.cursor.execute(f"CLOSE {self.name}")
        finally:
            self._declared = False
            self.cursor.close()

    def setinputsizes(self, *sizes: Any) -> None:
        pass

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        pass


class _RawJsonCursor(pgtc.Cursor):
    """A module cursor that leaves json and jsonb values as the server's text,
    for SQLAlchemy's JSON types (and ``json_deserializer``) to decode. Used
    while the module has no caster registry to ask for raw JSON."""

    def _show(self, p: Any) -> None:
        super()._show(p)
        if self.description:
            self._casters = [
                None if col.type_code in _JSON_OIDS else cast
                for col, cast in zip(self.description, self._casters)
            ]


def _module_raw_json(dbapi_connection: Any) -> bool:
    """Ask the module's caster registry for raw JSON text on this
    connection, when the module has one (``Connection.casters``); False
    when it has none (the dialect's cursors then leave JSON as text)."""
    casters = getattr(dbapi_connection, "casters", None)
    if casters is None or not hasattr(casters, "register"):
        return False
    for oid in _JSON_OIDS:
        casters.register(oid, None)
    return True


_cursor_ids = util.counter()


class PGExecutionContext_pgtc(PGExecutionContext):
    def create_default_cursor(self) -> Any:
        conn = self._dbapi_connection
        raw = getattr(conn, "dbapi_connection", conn)
        if getattr(raw, "_pgtc_raw_json", False):
            return raw.cursor()  # what the pool's proxy would call
        return _RawJsonCursor(raw)

    def create_server_side_cursor(self) -> Any:
        name = f"pgtc_c_{id(self):x}_{_cursor_ids():x}"
        conn = self._dbapi_connection
        raw = conn.dbapi_connection if hasattr(conn, "dbapi_connection") else conn
        if _module_streams(raw):
            return conn.cursor(name=name)
        return _DeclaredCursor(self.create_default_cursor(), name)


class PGCompiler_pgtc(PGCompiler):
    pass


class PGIdentifierPreparer_pgtc(PGIdentifierPreparer):
    pass


# -- the dialect -------------------------------------------------------------------

_LEVELS = {
    "READ COMMITTED": "READ_COMMITTED",
    "READ UNCOMMITTED": "READ_UNCOMMITTED",
    "REPEATABLE READ": "REPEATABLE_READ",
    "SERIALIZABLE": "SERIALIZABLE",
}


class PGDialect_pgtc(PGDialect):
    """PostgreSQL through pgtc (``postgresql+pgtc://``)."""

    driver = "pgtc"
    supports_statement_cache = True
    default_paramstyle = "pyformat"
    supports_sane_multi_rowcount = True
    supports_server_side_cursors = True
    bind_typing = BindTyping.RENDER_CASTS
    execution_ctx_cls = PGExecutionContext_pgtc
    statement_compiler = PGCompiler_pgtc
    preparer = PGIdentifierPreparer_pgtc

    colspecs = util.update_copy(
        PGDialect.colspecs,
        {
            sqltypes.String: _PGString,
            sqltypes.Integer: _PGInteger,
            sqltypes.SmallInteger: _PGSmallInteger,
            sqltypes.BigInteger: _PGBigInteger,
            sqltypes.Boolean: _PGBoolean,
            sqltypes.Date: _PGDate,
            sqltypes.Time: _PGTime,
            sqltypes.DateTime: _PGTimeStamp,
            sqltypes.Interval: _PGInterval,
            INTERVAL: _PGInterval,
            sqltypes.Numeric: _PGNumeric,
            sqltypes.Float: _PGFloat,
            sqltypes.JSON: _PGJSON,
            JSON: _PGJSON,
            JSONB: _PGJSONB,
            sqltypes.JSON.JSONPathType: _PGJSONPathType,
            sqltypes.JSON.JSONIntIndexType: _PGJSONIntIndexType,
            sqltypes.JSON.JSONStrIndexType: _PGJSONStrIndexType,
            sqltypes.ARRAY: _PGARRAY,
            INT2VECTOR: _PGINT2VECTOR,
            OIDVECTOR: _PGOIDVECTOR,
        },
    )

    @classmethod
    def import_dbapi(cls) -> Any:
        return pgtc

    @classmethod
    def load_provisioning(cls) -> None:
        # SQLAlchemy's test suite provisions through the package of the
        # dialect's module; pgtc's is PostgreSQL's.
        __import__("sqlalchemy.dialects.postgresql.provision")

    def create_connect_args(self, url: Any) -> Tuple[List[Any], Dict[str, Any]]:
        return [conninfo_from_url(url, self)], {}

    # -- isolation, autocommit, read-only --------------------------------

    def get_isolation_level_values(self, dbapi_connection: Any) -> Sequence[str]:
        return ("AUTOCOMMIT", *_LEVELS)

    def get_isolation_level(self, dbapi_connection: Any) -> str:
        # pgtc's TXN_ISOLATION attribute, which libpgtc applies to both
        # servers: read without a round trip. libpgtc runs READ UNCOMMITTED
        # as READ COMMITTED (as PostgreSQL does) and reads it back so; the
        # level asked for is reported, as PostgreSQL's SHOW would.
        value = dbapi_connection.get_attribute("TXN_ISOLATION").replace("_", " ").upper()
        if value == "READ COMMITTED" and getattr(dbapi_connection, "_pgtc_read_uncommitted", False):
            return "READ UNCOMMITTED"
        return value

    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        level = level.replace("_", " ").upper()
        if level == "AUTOCOMMIT":
            dbapi_connection.autocommit = True
            return
        if level not in _LEVELS:
            raise exc.ArgumentError(f"isolation level {level!r} is not one of {sorted(_LEVELS)}")
        dbapi_connection.autocommit = False
        if hasattr(dbapi_connection, "isolation_level"):
            # Modules with psycopg's transaction characteristics: the same
            # TXN_ISOLATION attribute, refused inside a transaction.
            dbapi_connection.isolation_level = level
        else:
            dbapi_connection.set_attribute("TXN_ISOLATION", _LEVELS[level])
        dbapi_connection._pgtc_read_uncommitted = level == "READ UNCOMMITTED"

    def detect_autocommit_setting(self, dbapi_connection: Any) -> bool:
        return bool(dbapi_connection.autocommit)

    def set_readonly(self, connection: Any, value: bool) -> None:
        # pgtc's READ_ONLY attribute; ``readonly`` where the module has it
        # (the same attribute, refused inside a transaction as in psycopg).
        if hasattr(connection, "readonly"):
            connection.readonly = bool(value)
        else:
            connection.set_attribute("READ_ONLY", bool(value))

    def get_readonly(self, connection: Any) -> bool:
        return connection.get_attribute("READ_ONLY") == "ON"

    def _session_characteristic(self, dbapi_connection: Any, sql: str, keep: bool = False) -> Any:
        """Run ``sql`` and end the transaction it opened, if it opened one:
        committed when ``keep`` (a SET rolled back would be undone), else
        rolled back."""
        was_open = dbapi_connection.in_transaction
        cur = dbapi_connection.cursor()
        try:
            cur.execute(sql)
            row = cur.fetchone() if cur.description else None
        finally:
            cur.close()
        if not was_open and dbapi_connection.in_transaction:
            if keep:
                dbapi_connection.commit()
            else:
                dbapi_connection.rollback()
        return row

    def set_deferrable(self, connection: Any, value: bool) -> None:
        if hasattr(connection, "deferrable"):
            connection.deferrable = bool(value)
            return
        self._session_characteristic(
            connection,
            "SET SESSION CHARACTERISTICS AS TRANSACTION "
            + ("DEFERRABLE" if value else "NOT DEFERRABLE"),
            keep=True,
        )

    def get_deferrable(self, connection: Any) -> bool:
        if hasattr(connection, "deferrable"):
            return bool(connection.deferrable)
        row = self._session_characteristic(connection, "SHOW transaction_deferrable")
        return bool(row) and row[0] == "on"

    # -- connections --------------------------------------------------------

    def on_connect(self) -> Any:
        level = self.isolation_level

        def prepare(conn: Any) -> None:
            conn._pgtc_raw_json = _module_raw_json(conn)
            if level is not None:
                self.set_isolation_level(conn, level)

        return prepare

    def do_ping(self, dbapi_connection: Any) -> bool:
        """True when the connection can run statements. libpgtc knows when a
        server connection broke (the monitor samples both servers, and every
        statement reports a lost connection); taking in what the primary
        sent unasked (``poll_notifies(0)``: no round trip) also catches a
        backend terminated since the last statement. A statement is sent only
        when the connection is degraded to one server."""
        if dbapi_connection.closed:
            return False
        try:
            dbapi_connection.poll_notifies(0)
        except pgtc.Error as e:
            if self.is_disconnect(e, dbapi_connection, None):
                return False
            raise
        state = dbapi_connection.connected
        if state is None:
            return False
        if state == "both":
            return True
        cur = dbapi_connection.cursor()
        try:
            cur.execute("SELECT 1")
        finally:
            cur.close()
        return True

    def is_disconnect(self, e: Any, connection: Any, cursor: Any) -> bool:
        if not isinstance(e, pgtc.Error):
            return False
        if isinstance(e, pgtc.InterfaceError) and "already closed" in str(e):
            return True
        if e.status in _DISCONNECT_STATUSES:
            return True
        code = e.pgcode or ""
        if code.startswith("08"):
            return True
        if connection is not None and not getattr(connection, "closed", True):
            try:
                return connection.connected is None
            except pgtc.Error:
                return True
        return False

    @util.memoized_property
    def _dialect_specific_select_one(self) -> str:
        return "SELECT 1"


dialect = PGDialect_pgtc
