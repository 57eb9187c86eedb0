"""pgtc — PostgreSQL Transparent Connectivity, as a DB-API 2.0 module.

One connection holds a connection to the primary and one to a hot standby;
with ``preferred_access='READ_MOSTLY'`` libpgtc routes each statement
(reads to the less loaded server, writes to the primary, and never a read
older than the session's own writes). This package is a thin ctypes
binding of libpgtc's C ABI: all routing happens in the library.

    import pgtc
    conn = pgtc.connect("host=a,b port=5432,5433 user=app dbname=app",
                        preferred_access="READ_MOSTLY")
    with conn:                       # commits, or rolls back on an exception
        cur = conn.cursor()
        cur.execute("INSERT INTO t (name) VALUES (%s)", ("x",))
    cur.execute("SELECT name FROM t WHERE id = %(id)s", {"id": 1})
    print(cur.fetchone(), cur.server)   # ('x',) 'standby' / 'primary'

Threads: ``threadsafety = 1``: threads may share the module, not
connections (a pgtc_conn is used by one thread at a time). Open one
connection per thread, or share a ``pgtc.Pool`` (which any number of
threads may use at once) and take a connection from it per task.
"""

from __future__ import annotations

import urllib.parse
from typing import Any, List, Optional, Tuple

from . import _ffi
from ._adapt import Json
from ._casters import CasterMap, casters, register_caster, set_json_loads, unregister_caster
from ._copy import Copy
from ._core import (
    Attribute,
    Column,
    Connection,
    Cursor,
    Route,
    attributes,
    process_counters,
    status_name,
)
from ._diag import Diagnostics
from ._session import ConnectionInfo
from ._notify import Notify
from ._pool import Pool
from .errors import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PoolTimeout,
    ProgrammingError,
    QueryCanceledError,
    TransactionRollbackError,
    Warning,
)
from . import types
from .types import (
    BINARY,
    DATETIME,
    NUMBER,
    ROWID,
    STRING,
    Binary,
    Date,
    DateFromTicks,
    Time,
    TimeFromTicks,
    Timestamp,
    TimestampFromTicks,
)

__version__ = "0.1.0"

apilevel = "2.0"
threadsafety = 1
paramstyle = "pyformat"  # %(name)s; the 'format' style %s is accepted too

__all__ = [
    "CasterMap",
    "casters",
    "register_caster",
    "unregister_caster",
    "set_json_loads",
    "ConnectionInfo",
    "types",
    "Diagnostics",
    "Notify",
    "Attribute",
    "attributes",
    "connect",
    "Connection",
    "Pool",
    "PoolTimeout",
    "Copy",
    "Cursor",
    "Column",
    "Route",
    "Json",
    "apilevel",
    "threadsafety",
    "paramstyle",
    "process_counters",
    "library_version",
    "status_name",
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
    "TransactionRollbackError",
    "QueryCanceledError",
    "Date",
    "Time",
    "Timestamp",
    "DateFromTicks",
    "TimeFromTicks",
    "TimestampFromTicks",
    "Binary",
    "STRING",
    "BINARY",
    "NUMBER",
    "DATETIME",
    "ROWID",
]

#: pgtc's own attributes, as libpgtc lists them (keyword arguments are
#: upper-cased for them).
PGTC_ATTRIBUTES: Tuple[str, ...] = tuple(a.name for a in attributes())


def library_version() -> str:
    """The version of the loaded libpgtc (``pgtc_version``)."""
    return _ffi.lib.pgtc_version().decode("ascii")


def library_path() -> Optional[str]:
    """Where libpgtc was loaded from."""
    return _ffi.library_path


def quote_conninfo_value(value: str) -> str:
    """A value quoted for a key=value connection string."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _is_uri(dsn: str) -> bool:
    return dsn.startswith(("postgresql://", "postgres://"))


def _with_first(dsn: str, key: str, value: str) -> str:
    """``dsn`` with ``key=value`` put before its own keys, so that the
    string's own ``key`` (the last one wins) overrides it."""
    if _is_uri(dsn):
        base, _, query = dsn.partition("?")
        return f"{base}?{key}={value}" + (f"&{query}" if query else "")
    return f"{key}={value} {dsn}" if dsn else f"{key}={value}"


def _kw_value(value: Any) -> str:
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def make_conninfo(dsn: Optional[str] = None, **kwargs: Any) -> str:
    """Join a connection string and keyword arguments into one string
    (keyword arguments win over the string's keys; None values are
    dropped; ``database`` means ``dbname``; pgtc attributes are upper-cased;
    lists such as ``host=['a', 'b']`` are joined with commas)."""
    pairs: List[Tuple[str, str]] = []
    for key, value in kwargs.items():
        if value is None:
            continue
        k = "dbname" if key == "database" else key
        if k.upper() in PGTC_ATTRIBUTES:
            k = k.upper()
        pairs.append((k, _kw_value(value)))
    dsn = (dsn or "").strip()
    if not pairs:
        return dsn
    if _is_uri(dsn):
        sep = "&" if "?" in dsn else "?"
        return dsn + sep + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
    extra = " ".join(f"{k}={quote_conninfo_value(v)}" for k, v in pairs)
    return f"{dsn} {extra}" if dsn else extra


def connect(dsn: Optional[str] = None, **kwargs: Any) -> Connection:
    """Open a pgtc connection.

    ``dsn`` is a libpq connection string (``key=value`` or ``postgresql://``
    URI) naming the primary and the standby (in any order); keyword
    arguments add or override keys: ``host``, ``port``, ``user``,
    ``password``, ``dbname``/``database``, ``connect_timeout``,
    ``application_name``, … and pgtc's attributes (``PGTC_ATTRIBUTES``, in
    any case: ``preferred_access``, ``autocommit``, …).

    Autocommit is off unless asked for (``autocommit=True``, or
    ``AUTOCOMMIT=ON`` in ``dsn``), as the DB-API and psycopg2 have it.

    A malformed string or unknown key raises ProgrammingError; servers
    that cannot be reached raise OperationalError.
    """
    if "database" in kwargs and "dbname" in kwargs:
        raise ProgrammingError("give dbname or database, not both")
    # The DB-API's default comes first: the string's AUTOCOMMIT and the
    # keyword argument, added after it, override it. libpgtc then says which
    # mode is in force.
    base = _with_first((dsn or "").strip(), "AUTOCOMMIT", "OFF")
    return Connection(make_conninfo(base, **kwargs))
