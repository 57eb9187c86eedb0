"""The DB-API 2.0 exception hierarchy, and how pgtc errors map onto it.

::

    Exception
    ├── Warning
    └── Error
        ├── InterfaceError
        └── DatabaseError
            ├── DataError
            ├── OperationalError
            │   ├── TransactionRollbackError   (SQLSTATE class 40)
            │   ├── QueryCanceledError         (SQLSTATE 57014)
            │   └── PoolTimeout                (PGTC_STATUS_POOL_TIMEOUT)
            ├── IntegrityError
            ├── InternalError
            ├── ProgrammingError
            └── NotSupportedError

An error that pgtc reported carries ``pgcode`` (the SQLSTATE: the server's,
or the one pgtc gives its own errors), ``pgerror`` (the message),
``pgstatus`` (the pgtc status name, e.g. ``'PGTC_STATUS_SQL'``), ``status``
(its number) and ``diag`` (every field of the server's error, as psycopg2's
``Diagnostics``: ``diag.table_name``, ``diag.constraint_name``,
``diag.statement_position``, …). For a text of several statements that
failed in statement k, ``results`` lists what statements 1 … k-1 returned
(each a dict with ``statusmessage``, ``rowcount``, ``description`` and
``rows``). Errors raised by the binding itself (closed objects, bad
parameters) have those set to None (``diag`` has every field None, and
``results`` is empty).

The class is chosen from the SQLSTATE for statuses a server or a connection
reports (3xx, 4xx, 5xx), as psycopg2 does, and from the status band for
misuse of the API and bad connection strings (1xx, 2xx), whose SQLSTATEs
are pgtc's own:

==============================  =======================================
SQLSTATE class                  exception
==============================  =======================================
08, 53, 54, 55, 57, 58, 28, F0,  OperationalError
HV, 34 (and 3xx statuses)
40                              TransactionRollbackError
57014                           QueryCanceledError
0A                              NotSupportedError
20, 21, 42, 26, 3D, 3F, 44, 2F   ProgrammingError
22                              DataError
23                              IntegrityError
24, 25, 2B, 2D, 38, 39, 3B,     InternalError
P0, XX
other                           DatabaseError
==============================  =======================================

Without a SQLSTATE: 100–102 and 104 (bad arguments) → InterfaceError; 103 (wrong
state) and 2xx (bad connection string or attribute) → ProgrammingError; 3xx
(connections) → OperationalError; 500 (protocol) → InterfaceError; 501 →
NotSupportedError; 502 → InternalError; anything else → DatabaseError.
"""

from __future__ import annotations

from typing import Optional

from . import _ffi
from ._diag import Diagnostics

__all__ = [
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
]


class Warning(Exception):  # noqa: A001 - the DB-API name
    """Important warnings (DB-API). Never raised: the servers' notices and
    warnings go to ``Connection.notices`` and the notice handlers."""


class Error(Exception):
    """Base class of all pgtc errors."""

    pgcode: Optional[str] = None
    pgerror: Optional[str] = None
    pgstatus: Optional[str] = None
    status: Optional[int] = None

    def __init__(
        self,
        message: str = "",
        *,
        pgcode: Optional[str] = None,
        pgstatus: Optional[str] = None,
        status: Optional[int] = None,
        diag: Optional[Diagnostics] = None,
        results: Optional[list] = None,
    ) -> None:
        super().__init__(message)
        self.pgerror = message
        self.pgcode = pgcode or None
        self.pgstatus = pgstatus
        self.status = status
        self.diag = diag if diag is not None else Diagnostics()
        self.results = results or []

    @property
    def sqlstate(self) -> Optional[str]:
        """The SQLSTATE (psycopg 3's name for ``pgcode``)."""
        return self.pgcode


class InterfaceError(Error):
    """An error of the interface (binding, library) rather than the database."""


class DatabaseError(Error):
    """An error reported by, or about, the database."""


class DataError(DatabaseError):
    """Bad data: division by zero, value out of range, … (SQLSTATE 22)."""


class OperationalError(DatabaseError):
    """Connections, resources and the server's operation (08, 53, 57, 3xx …)."""


class IntegrityError(DatabaseError):
    """Integrity constraint violations (SQLSTATE 23)."""


class InternalError(DatabaseError):
    """Invalid transaction state, internal errors (25, XX, …)."""


class ProgrammingError(DatabaseError):
    """Syntax errors, missing tables, wrong number of parameters (42, …)."""


class NotSupportedError(DatabaseError):
    """A feature that the database or pgtc does not support (0A, 501)."""


class TransactionRollbackError(OperationalError):
    """The transaction was rolled back: serialization failure, deadlock (40)."""


class QueryCanceledError(OperationalError):
    """The statement was canceled, e.g. by statement_timeout (57014)."""


class PoolTimeout(OperationalError):
    """A pool had no connection to give within POOL_ACQUIRE_TIMEOUT_MS
    (PGTC_STATUS_POOL_TIMEOUT, SQLSTATE 53300)."""


_BY_CLASS = {
    "08": OperationalError,
    "28": OperationalError,
    "34": OperationalError,
    "53": OperationalError,
    "54": OperationalError,
    "55": OperationalError,
    "57": OperationalError,
    "58": OperationalError,
    "F0": OperationalError,
    "HV": OperationalError,
    "40": TransactionRollbackError,
    "0A": NotSupportedError,
    "20": ProgrammingError,
    "21": ProgrammingError,
    "26": ProgrammingError,
    "2F": ProgrammingError,
    "3D": ProgrammingError,
    "3F": ProgrammingError,
    "42": ProgrammingError,
    "44": ProgrammingError,
    "22": DataError,
    "23": IntegrityError,
    "24": InternalError,
    "25": InternalError,
    "2B": InternalError,
    "2D": InternalError,
    "38": InternalError,
    "39": InternalError,
    "3B": InternalError,
    "P0": InternalError,
    "XX": InternalError,
}


def class_for(status: int, sqlstate: Optional[str]) -> type:
    """The exception class for a pgtc status code and SQLSTATE."""
    if status == _ffi.POOL_TIMEOUT:
        return PoolTimeout
    if sqlstate and status >= 300:
        if sqlstate == "57014":
            return QueryCanceledError
        cls = _BY_CLASS.get(sqlstate[:2].upper())
        if cls is not None:
            return cls
        if 300 <= status < 400:
            return OperationalError
        return DatabaseError
    if status in (
        _ffi.NULL_ARGUMENT,
        _ffi.INVALID_UTF8,
        _ffi.INVALID_ARGUMENT,
        _ffi.BUFFER_TOO_SMALL,
    ):
        return InterfaceError
    if status == _ffi.INVALID_STATE or 200 <= status < 300:
        return ProgrammingError
    if 300 <= status < 400:
        return OperationalError
    if status == _ffi.PROTOCOL:
        return InterfaceError
    if status == _ffi.UNSUPPORTED:
        return NotSupportedError
    if status == _ffi.INTERNAL:
        return InternalError
    return DatabaseError
