"""Transaction characteristics and server facts of a Connection, as
psycopg has them: ``autocommit``, ``isolation_level``, ``readonly``
(``read_only``), ``deferrable``, ``server_version`` and ``info``.

Each maps onto pgtc's attributes where pgtc has one (AUTOCOMMIT,
TXN_ISOLATION, READ_ONLY), so the library applies it to both servers and
routes by it (READ_ONLY sessions may read from the standby; isolation
above READ COMMITTED runs on the primary). Like psycopg, none of them
changes inside a transaction: assigning a different value then raises
``ProgrammingError`` (SQLSTATE 25001); commit or roll back first.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from .errors import ProgrammingError

__all__ = ["SessionMixin", "ISOLATION_LEVELS", "ConnectionInfo"]

#: The names ``isolation_level`` takes (as SQL spells them) → pgtc's
#: TXN_ISOLATION value. READ UNCOMMITTED runs as READ COMMITTED, as in
#: PostgreSQL, and reads back as READ COMMITTED.
ISOLATION_LEVELS = {
    "READ UNCOMMITTED": "READ_COMMITTED",
    "READ COMMITTED": "READ_COMMITTED",
    "REPEATABLE READ": "REPEATABLE_READ",
    "SERIALIZABLE": "SERIALIZABLE",
}


class ConnectionInfo:
    """``conn.info``, after psycopg 3's: facts about the connection's
    server (the primary's, as pgtc answers node-identity questions)."""

    def __init__(self, conn: "SessionMixin") -> None:
        self._conn = conn

    @property
    def server_version(self) -> int:
        """The server's ``server_version_num``, e.g. 150004 for 15.4."""
        return self._conn.server_version

    @property
    def vendor(self) -> str:
        return "PostgreSQL"

    def __repr__(self) -> str:
        return "<pgtc.ConnectionInfo>"


class SessionMixin:
    """The transaction-characteristics part of ``Connection``."""

    # Provided by Connection.
    _lock: Any
    _autocommit: bool
    _server_version: Optional[int] = None
    get_attribute: Callable[[str], str]
    set_attribute: Callable[[str, Any], None]
    _exec: Callable[..., Any]

    @property
    def in_transaction(self) -> bool:  # pragma: no cover - Connection's
        raise NotImplementedError

    def _refuse_in_transaction(self, what: str) -> None:
        if self.in_transaction:
            raise ProgrammingError(
                f"cannot change {what} inside a transaction: commit or roll back first",
                pgcode="25001",
            )

    # -- autocommit -------------------------------------------------------

    @property
    def autocommit(self) -> bool:
        """pgtc's AUTOCOMMIT attribute. False by default (DB-API,
        psycopg): the first statement opens a transaction that ``commit()``
        or ``rollback()`` ends. As in psycopg, changing it inside a
        transaction raises ProgrammingError (pgtc's own
        ``set_attribute('AUTOCOMMIT', 'ON')`` commits instead, as ODBC)."""
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        value = bool(value)
        with self._lock:
            if value == self._autocommit:
                return
            self._refuse_in_transaction("autocommit")
            self.set_attribute("AUTOCOMMIT", value)

    # -- isolation --------------------------------------------------------

    @property
    def isolation_level(self) -> str:
        """The isolation level of the connection's transactions, as SQL
        names it: 'READ COMMITTED' (pgtc's default), 'REPEATABLE READ' or
        'SERIALIZABLE' (pgtc's TXN_ISOLATION, applied to both servers;
        above READ COMMITTED every statement runs on the primary).
        Assign one of those, 'READ UNCOMMITTED' (run, and read back, as
        READ COMMITTED, as PostgreSQL runs it) or None (READ COMMITTED);
        case and underscores for spaces do not matter."""
        return self.get_attribute("TXN_ISOLATION").replace("_", " ")

    @isolation_level.setter
    def isolation_level(self, value: Optional[str]) -> None:
        if value is None:
            attr = "READ_COMMITTED"
        elif isinstance(value, str) and value.replace("_", " ").upper() in ISOLATION_LEVELS:
            attr = ISOLATION_LEVELS[value.replace("_", " ").upper()]
        elif isinstance(value, str) and value.upper() == "AUTOCOMMIT":
            raise ProgrammingError("AUTOCOMMIT is not an isolation level here: set conn.autocommit = True")
        else:
            raise ProgrammingError(
                f"isolation_level must be one of {', '.join(ISOLATION_LEVELS)} or None, not {value!r}"
            )
        with self._lock:
            if self.get_attribute("TXN_ISOLATION") == attr:
                return
            self._refuse_in_transaction("isolation_level")
            self.set_attribute("TXN_ISOLATION", attr)

    # -- read only --------------------------------------------------------

    @property
    def readonly(self) -> bool:
        """pgtc's READ_ONLY attribute: every transaction begins READ ONLY
        on both servers (writes fail with SQLSTATE 25006); a read-only
        session's reads may still run on the standby. None sets False."""
        return self.get_attribute("READ_ONLY") == "ON"

    @readonly.setter
    def readonly(self, value: Optional[bool]) -> None:
        value = bool(value)
        with self._lock:
            if self.readonly == value:
                return
            self._refuse_in_transaction("readonly")
            self.set_attribute("READ_ONLY", value)

    #: psycopg 3's name for ``readonly``.
    read_only = readonly

    # -- deferrable -------------------------------------------------------

    @property
    def deferrable(self) -> bool:
        """Whether transactions begin DEFERRABLE (meaningful for
        SERIALIZABLE READ ONLY ones): the servers' session default
        ``default_transaction_deferrable``, read with one round trip.
        Assigning runs ``SET SESSION CHARACTERISTICS AS TRANSACTION
        [NOT] DEFERRABLE`` on both servers, outside any transaction (None
        means False). ``RESET ALL`` and ``DISCARD ALL`` reset it."""
        return self._show("default_transaction_deferrable") == "on"

    @deferrable.setter
    def deferrable(self, value: Optional[bool]) -> None:
        with self._lock:
            if self.deferrable == bool(value):
                return
            self._refuse_in_transaction("deferrable")
            sql = "SET SESSION CHARACTERISTICS AS TRANSACTION " + ("DEFERRABLE" if value else "NOT DEFERRABLE")
            self._outside_transaction(sql)

    def set_session(
        self,
        isolation_level: Optional[str] = None,
        readonly: Optional[bool] = None,
        deferrable: Optional[bool] = None,
        autocommit: Optional[bool] = None,
    ) -> None:
        """psycopg2's ``set_session``: change the given characteristics at
        once (None leaves one as it is; 'DEFAULT' resets the isolation
        level), in that order. Inside a transaction nothing changes:
        ProgrammingError (25001)."""
        with self._lock:
            changes = []
            if isolation_level is not None:
                level = None if str(isolation_level).upper() == "DEFAULT" else isolation_level
                changes.append(("isolation_level", level))
            if readonly is not None:
                changes.append(("readonly", readonly))
            if deferrable is not None:
                changes.append(("deferrable", deferrable))
            if autocommit is not None:
                changes.append(("autocommit", autocommit))
            if changes:
                self._refuse_in_transaction("the session's characteristics")
            for name, value in changes:
                setattr(self, name, value)

    # -- server facts -----------------------------------------------------

    @property
    def server_version(self) -> int:
        """The server's version as an int (``server_version_num``: 150004
        for 15.4), asked once and remembered."""
        with self._lock:
            if self._server_version is None:
                self._server_version = int(self._show("server_version_num"))
            return self._server_version

    @property
    def info(self) -> ConnectionInfo:
        """psycopg 3's ``conn.info``: ``info.server_version``, ``info.vendor``."""
        return ConnectionInfo(self)

    # -- internals --------------------------------------------------------

    def _show(self, name: str) -> str:
        """``SHOW name``'s answer, without opening a transaction."""
        from ._core import _result_value

        res = self._outside_transaction(f"SHOW {name}")
        with res:
            value = _result_value(res._ptr(), 0, 0)
        return (value or b"").decode("utf-8")

    def _outside_transaction(self, sql: str) -> Any:
        """Run ``sql`` without leaving a transaction open: inside one it
        runs there; with autocommit off and none open, with AUTOCOMMIT
        switched on for that statement alone (no round trip for the switch)."""
        with self._lock:
            if self._autocommit or self.in_transaction:
                return self._exec(sql, None)
            self.set_attribute("AUTOCOMMIT", True)
            try:
                return self._exec(sql, None)
            finally:
                self.set_attribute("AUTOCOMMIT", False)
