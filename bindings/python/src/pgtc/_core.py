"""Connection and Cursor: the DB-API 2.0 objects over libpgtc."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from ctypes import byref, c_char_p, c_int64, c_void_p, cast, create_string_buffer, sizeof, string_at
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

from . import _ffi, _sql, errors
from ._adapt import adapt
from ._diag import Diagnostics
from ._managed import ErrorHandle, Managed, ResultHandle, RouteHandle
from ._notify import NotifyMixin
from ._casters import CasterMap, Caster
from ._casters import casters as module_casters
from ._session import SessionMixin
from ._stream import DEFAULT_ITERSIZE, StreamHandle, StreamMixin, _check_options, free_conn
from .errors import (
    DataError,
    Error,
    InterfaceError,
    NotSupportedError,
    ProgrammingError,
)

lib = _ffi.lib
# The statement and fetch paths call these (handles as int addresses; see
# _ffi.Addresses): bound once here, not looked up per call.
_A = _ffi.addr
_conn_exec = _A.pgtc_conn_exec
_conn_exec_params = _A.pgtc_conn_exec_params
_notifications_queued = _A.pgtc_conn_notifications_queued
_result_cols = _A.pgtc_result_cols
_result_rows = _A.pgtc_result_rows
_result_col_name = _A.pgtc_result_col_name
_result_col_type = _A.pgtc_result_col_type
_result_col_typmod = _A.pgtc_result_col_typmod
_result_col_table = _A.pgtc_result_col_table
_result_col_number = _A.pgtc_result_col_number
_result_value = _A.pgtc_result_value
_result_block = _A.pgtc_result_block
_result_affected = _A.pgtc_result_affected
_result_command = _A.pgtc_result_command
_result_server = _A.pgtc_result_server
_result_next = _A.pgtc_result_next
_OK = _ffi.OK

#: pgtc_server value → the name this binding uses.
SERVER_NAMES: Dict[int, Optional[str]] = {
    _ffi.SERVER_NONE: None,
    _ffi.SERVER_PRIMARY: "primary",
    _ffi.SERVER_SECONDARY: "standby",
    _ffi.SERVER_BOTH: "both",
}


def _server_name(value: int) -> Optional[str]:
    return SERVER_NAMES.get(value)


def status_name(status: int) -> str:
    """pgtc's name for a status code, e.g. ``'PGTC_STATUS_SQL'``."""
    return lib.pgtc_status_name(status).decode("ascii", "replace")


def _raise(status: int, err: Any, casters: Optional[CasterMap] = None) -> None:
    """Raise the DB-API exception for a failed call (and free its error)."""
    message, code, diag, results = "", None, None, []
    if isinstance(err, int):  # from the address-typed calls
        err = cast(err, _ffi.ErrorP)
    if err:
        with ErrorHandle(err) as handle:
            p = handle._ptr()
            message = (lib.pgtc_error_message(p) or b"").decode("utf-8", "replace")
            code = (lib.pgtc_error_sqlstate(p) or b"").decode("ascii", "replace") or None
            diag = Diagnostics.from_error(p)
            r = lib.pgtc_error_results(p)
            while r:
                results.append(_summary(r, casters or module_casters))
                r = _result_next(r)
    name = status_name(status)
    cls = errors.class_for(status, code)
    raise cls(message or name, pgcode=code, pgstatus=name, status=status, diag=diag, results=results)


def _summary(p: Any, casters: CasterMap) -> Dict[str, Any]:
    """One statement's result, copied: its tag, row count, description and
    rows (for the results before a failing statement)."""
    cur = Cursor.__new__(Cursor)
    cur._result = None
    cur._stream = cur._batch = None
    cur._cmap = casters
    cur._reset()
    cur._show(p)
    rows = [cur._row(p, i) for i in range(cur._nrows)] if cur.description else []
    return {
        "statusmessage": cur.statusmessage,
        "rowcount": cur.rowcount,
        "description": cur.description,
        "rows": rows,
    }


def _encode(text: str, what: str, exc: type = ProgrammingError) -> bytes:
    if "\x00" in text:
        raise exc(f"{what} cannot contain NUL (0x00) characters")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise exc(f"{what} is not valid Unicode text: {e}") from e


class _ColumnTuple(NamedTuple):
    name: str
    type_code: int  # the PostgreSQL type OID
    display_size: Optional[int] = None
    internal_size: Optional[int] = None
    precision: Optional[int] = None
    scale: Optional[int] = None
    null_ok: Optional[bool] = None


class Column(_ColumnTuple):
    """One entry of ``cursor.description`` (a 7-tuple; for numeric(p,s)
    columns ``precision`` and ``scale`` are p and s). Like psycopg2's, it
    also has ``table_oid`` (the OID of the table the column comes from, None
    for an expression), ``table_column`` (its attribute number there) and
    ``type_modifier`` (the server's typmod, -1 for none)."""

    table_oid: Optional[int] = None
    table_column: Optional[int] = None
    type_modifier: int = -1


#: What the server says of a column: (name as bytes, type OID, typmod,
#: table OID, attribute number or None).
ColumnKey = Tuple[Optional[bytes], int, int, int, Optional[int]]


def _column_key(p: Any, c: int) -> ColumnKey:
    table = _result_col_table(p, c)
    return (
        _result_col_name(p, c),
        _result_col_type(p, c),
        _result_col_typmod(p, c),
        table,
        _result_col_number(p, c) if table else None,
    )


def _new_column(key: ColumnKey) -> Column:
    raw, oid, typmod, table, number = key
    name = (raw or b"").decode("utf-8", "replace")
    precision = scale = None
    if oid == 1700 and typmod >= 4:  # numeric(p,s)
        precision, scale = ((typmod - 4) >> 16) & 0xFFFF, (typmod - 4) & 0xFFFF
    col = Column(name, oid, None, None, precision, scale)
    if table:
        col.table_oid = table
        col.table_column = number
    col.type_modifier = typmod
    return col


#: Descriptions by the keys of their columns, with their type OIDs: a
#: statement run again is described by reading its columns' facts (no
#: Column objects built). Cleared when it grows past _SHAPES_MAX.
_SHAPES: Dict[Tuple[ColumnKey, ...], Tuple[Tuple[Column, ...], Tuple[int, ...]]] = {}
_SHAPES_MAX = 1024


#: Per thread, the ``pgtc_block`` that ``Cursor._show`` fills (read at once,
#: before the thread's next one).
_scratch = threading.local()

#: Shapes by the bytes of a block's ``pgtc_column`` array (20 bytes each:
#: name offset, type OID, typmod, table OID, attribute number and a zero)
#: followed by its names: equal bytes, equal columns.
_RAW_SHAPES: Dict[bytes, Tuple[Tuple[Column, ...], Tuple[int, ...]]] = {}
_COLUMN_SIZE = sizeof(_ffi.Column)


def _block_keys(b: "_ffi.Block") -> Tuple[ColumnKey, ...]:
    """The keys of the columns a ``pgtc_block`` describes (as ``_column_key``
    reads them one call each)."""
    names = b.names
    keys = []
    for c in range(b.cols):
        col = b.columns[c]
        table = col.table_oid
        keys.append(
            (
                string_at(names + col.name),
                col.type_oid,
                col.typmod,
                table,
                col.table_column if table else None,
            )
        )
    return tuple(keys)


def _shape(keys: Tuple[ColumnKey, ...]) -> Tuple[Tuple[Column, ...], Tuple[int, ...]]:
    shape = _SHAPES.get(keys)
    if shape is None:
        cols = tuple([_new_column(k) for k in keys])
        shape = cols, tuple([k[1] for k in keys])
        if len(_SHAPES) >= _SHAPES_MAX:
            _SHAPES.clear()
        _SHAPES[keys] = shape
    return shape


def _description(p: Any, ncols: int) -> Tuple[Tuple[Column, ...], Tuple[int, ...]]:
    """``p``'s description and its columns' type OIDs."""
    if ncols == 1:
        keys: Tuple[ColumnKey, ...] = (_column_key(p, 0),)
    else:
        keys = tuple([_column_key(p, c) for c in range(ncols)])
    return _shape(keys)


class Route(NamedTuple):
    """Where a statement would run (``Connection.explain``).

    ``server``: 'primary', 'standby', 'both' or None (nowhere to run it);
    ``eligible``: 'primary' when it must run there, 'both' when either
    server may; ``reason``: pgtc's sentence naming the rule.
    """

    server: Optional[str]
    eligible: Optional[str]
    reason: str


def counters_of(get: Callable[[int], int]) -> Dict[str, int]:
    return {name: int(get(value)) for name, value in _ffi.COUNTERS.items()}


def process_counters() -> Dict[str, int]:
    """pgtc's counters summed over every connection of this process:
    statements run on 'primary', 'standby', 'both', 'misroutes' (re-run on
    the primary by the safety net) and 'floor_kept' (reads kept on the
    primary by the LSN floor)."""
    return counters_of(lib.pgtc_process_counter)


class Attribute(NamedTuple):
    """One of libpgtc's attributes, as the library lists it
    (``pgtc_attr_name``, ``pgtc_attr_default``, ``pgtc_attr_doc``)."""

    name: str
    default: str
    doc: str


def attributes() -> Tuple[Attribute, ...]:
    """libpgtc's attributes (PREFERRED_ACCESS, AUTOCOMMIT, …), asked of the
    library, in its order."""
    return tuple(
        Attribute(
            lib.pgtc_attr_name(i).decode("utf-8"),
            lib.pgtc_attr_default(i).decode("utf-8"),
            lib.pgtc_attr_doc(i).decode("utf-8"),
        )
        for i in range(lib.pgtc_attr_count())
    )


def _attr_value(value: Any) -> str:
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    return str(value)


class Connection(SessionMixin, NotifyMixin, Managed[Any]):
    """A pgtc logical connection (a primary and a hot standby).

    Not to be shared between threads (``threadsafety = 1``): use one
    connection per thread. Calls on one connection are serialized by a lock,
    so misuse cannot corrupt memory, but interleaved transactions from
    several threads would still mix.
    """

    _free_fn = staticmethod(free_conn)  # type: ignore[assignment]

    #: A weak reference to the COPY running on this connection (see
    #: ``Cursor.copy``), released before the connection is.
    _copy: Any = None

    Warning = errors.Warning
    Error = errors.Error
    InterfaceError = errors.InterfaceError
    DatabaseError = errors.DatabaseError
    DataError = errors.DataError
    OperationalError = errors.OperationalError
    IntegrityError = errors.IntegrityError
    InternalError = errors.InternalError
    ProgrammingError = errors.ProgrammingError
    NotSupportedError = errors.NotSupportedError

    def __init__(self, conninfo: str, autocommit: Optional[bool] = None) -> None:
        """Open ``conninfo`` as it is (``pgtc.connect`` builds it). With
        ``autocommit`` given, the AUTOCOMMIT attribute is set to it after
        opening; otherwise the string's AUTOCOMMIT (pgtc's default: ON)
        stays. Either way the mode in force is read back from libpgtc."""
        self._lock = threading.RLock()
        # Held by cancel() (which must not wait for _lock: a statement holds
        # it) and by close(), so the handle is never freed under a cancel.
        self._cancel_lock = threading.Lock()
        self._init_session()
        ptr = _ffi.ConnP()
        err = _ffi.ErrorP()
        status = lib.pgtc_conn_open(
            _encode(conninfo, "the connection string"), byref(ptr), byref(err)
        )
        if status != _ffi.OK:
            _raise(status, err)
        self._own(ptr)
        try:
            self._init_notify()
            if autocommit is not None:
                self.set_attribute("AUTOCOMMIT", autocommit)
            self._autocommit = self.get_attribute("AUTOCOMMIT") == "ON"
        except BaseException:
            self.close()
            raise

    @classmethod
    def _adopt(cls, ptr: Any, pool: Any) -> "Connection":
        """A Connection for a handle from ``pgtc_pool_acquire``: closing it
        (or its collection) gives it back to ``pool`` (pgtc_conn_free does
        that for a pooled handle)."""
        self = cls.__new__(cls)
        self._lock = threading.RLock()
        self._cancel_lock = threading.Lock()
        self._init_session()
        self._pool = pool
        self._own(ptr)
        try:
            self._init_notify()
            self._autocommit = self.get_attribute("AUTOCOMMIT") == "ON"
        except BaseException:
            self.close()
            raise
        return self

    #: The ``Pool`` this connection came from (None for ``connect``'s).
    _pool: Any = None

    #: The handle's address while the connection is open (None after
    #: close), for the address-typed calls of the statement path.
    _addr: Optional[int] = None

    def _own(self, ptr: Any) -> None:
        """Own the handle ``ptr``, and make the out-parameters the
        statement path reuses (under ``_lock``) instead of allocating two
        per statement."""
        self._set_ptr(ptr, self._stream_ptrs, self._lock)
        self._res_out = c_void_p()
        self._res_ref = byref(self._res_out)
        self._err_out = c_void_p()
        self._err_ref = byref(self._err_out)
        self._addr = cast(ptr, c_void_p).value

    def _init_session(self) -> None:
        #: This connection's casters (``register_caster``), falling back on
        #: the module's (``pgtc.casters``).
        self.casters = CasterMap(module_casters)
        # The open streams of named cursors (address → pointer), freed
        # before the connection by whichever comes first: the stream's
        # finalizer or the connection's (_free_conn).
        self._stream_ptrs: Dict[int, Any] = {}

    def _closed_error(self) -> None:
        raise InterfaceError("connection already closed")

    def __repr__(self) -> str:
        if self.closed:
            return "<pgtc.Connection closed>"
        return f"<pgtc.Connection connected={self.connected!r} autocommit={self._autocommit}>"

    # -- DB-API -----------------------------------------------------------

    def close(self) -> None:
        """Close both physical connections; an open transaction is rolled
        back by the servers. A connection from a ``Pool`` goes back to it
        instead (rolled back and reset there). Closing again does nothing."""
        with self._lock, self._cancel_lock:
            if self._copy is not None:
                from ._copy import close_running

                close_running(self)
            self._addr = None
            super().close()  # _free_conn: the streams first

    @property
    def closed(self) -> bool:
        return not self._alive

    def cursor(self, name: Optional[str] = None, *, scrollable: Optional[bool] = None,
               withhold: bool = False) -> "Cursor":
        """A cursor. With a ``name`` (psycopg2's named cursor, what
        SQLAlchemy's ``stream_results`` asks for) it streams a read in
        batches of ``itersize`` rows instead of reading it whole (see
        ``pgtc._stream``); ``scrollable=True`` and ``withhold=True`` are
        refused with NotSupportedError."""
        if self._addr is None:
            self._closed_error()
        if name is not None:
            if not isinstance(name, str) or not name:
                raise ProgrammingError(f"a cursor name is a non-empty str, not {name!r}")
            _check_options(scrollable, withhold)
        return Cursor(self, name)

    def register_caster(self, oid: int, fn: Caster) -> None:
        """Convert values of type ``oid`` with ``fn`` (text → value) on this
        connection; None returns them as the server's text (e.g. raw JSON
        with ``pgtc.types.JSONB``). See ``pgtc._casters``."""
        self.casters.register(oid, fn)

    def unregister_caster(self, oid: int) -> None:
        """Undo this connection's ``register_caster(oid, …)``: the module's
        or the built-in caster applies again."""
        self.casters.unregister(oid)

    def commit(self) -> None:
        """Send COMMIT (pgtc answers it alone when no transaction is open)."""
        self._exec("COMMIT", None)

    def rollback(self) -> None:
        """Send ROLLBACK (pgtc answers it alone when no transaction is open)."""
        self._exec("ROLLBACK", None)

    def __enter__(self) -> "Connection":
        """``with conn:`` wraps a transaction, as in psycopg2 ≥ 2.9: on
        entry BEGIN is sent if the connection is in autocommit mode; on a
        normal exit the transaction is committed, on an exception rolled
        back. The connection stays open."""
        self._ptr()
        if self._autocommit and not self.in_transaction:
            self._exec("BEGIN", None)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.closed:
            return
        if not exc_info or exc_info[0] is None:
            self.commit()
        else:
            try:
                self.rollback()
            except Error:
                pass  # the original exception matters more

    # -- pgtc extras --------------------------------------------------------

    def set_attribute(self, name: str, value: Any) -> None:
        """Set a pgtc attribute (``pgtc_conn_set_attr``; the names are in
        ``pgtc.PGTC_ATTRIBUTES``). A bool value is sent as ON/OFF."""
        text = _attr_value(value)
        with self._lock:
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_set_attr(
                self._ptr(), _encode(name, "the attribute name"), _encode(text, "the value"), byref(err)
            )
            if status != _ffi.OK:
                _raise(status, err)
            self._autocommit = self.get_attribute("AUTOCOMMIT") == "ON"

    def get_attribute(self, name: str) -> str:
        """The current value of a pgtc attribute (``pgtc_conn_get_attr``) in
        libpgtc's spelling, e.g. ``'READ_MOSTLY'``, ``'ON'``, ``'1000'``."""
        with self._lock:
            buf = create_string_buffer(64)
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_get_attr(
                self._ptr(), _encode(name, "the attribute name"), buf, len(buf), byref(err)
            )
            if status != _ffi.OK:
                _raise(status, err)
            return buf.value.decode("utf-8")

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open (after BEGIN, or after the first
        statement with autocommit off, until COMMIT or ROLLBACK)."""
        with self._lock:
            return self._alive and bool(lib.pgtc_conn_in_transaction(self._ptr()))

    @property
    def pinned(self) -> bool:
        """True when the session is pinned to the primary (temporary tables,
        LISTEN, session advisory locks, prepared statements, …)."""
        with self._lock:
            return self._alive and bool(lib.pgtc_conn_pinned(self._ptr()))

    @property
    def connected(self) -> Optional[str]:
        """Which servers are open: 'both', 'primary' or 'standby' (degraded),
        None when neither (or the connection is closed)."""
        with self._lock:
            if not self._alive:
                return None
            return _server_name(lib.pgtc_conn_connected(self._ptr()))

    def explain(self, sql: str) -> Route:
        """Where ``sql`` would run now and why, without running it."""
        with self._lock:
            route = _ffi.RouteP()
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_explain(self._ptr(), _encode(sql, "the SQL text"), byref(route), byref(err))
            if status != _ffi.OK:
                _raise(status, err)
        with RouteHandle(route) as handle:
            p = handle._ptr()
            return Route(
                _server_name(lib.pgtc_route_server(p)),
                _server_name(lib.pgtc_route_eligible(p)),
                (lib.pgtc_route_reason(p) or b"").decode("utf-8", "replace"),
            )

    def counters(self) -> Dict[str, int]:
        """This connection's counters: statements run on 'primary', 'standby',
        'both'; 'misroutes'; 'floor_kept'."""
        with self._lock:
            p = self._ptr()
            return counters_of(lambda c: lib.pgtc_conn_counter(p, c))

    @property
    def lsn_floor(self) -> str:
        """The LSN floor this connection's reads go by, as text ("0/3015FF0"):
        under CONSISTENCY_SCOPE=PROCESS (the default) the process's floor for
        the cluster, under SESSION the connection's own ("0/0" before its
        first write). A token for ``raise_lsn_floor`` on a connection of
        another process."""
        with self._lock:
            buf = create_string_buffer(64)
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_lsn_floor(self._ptr(), buf, len(buf), byref(err))
            if status != _ffi.OK:
                _raise(status, err)
            return buf.value.decode("ascii")

    def raise_lsn_floor(self, lsn: str) -> None:
        """Read another session's writes: raise this connection's LSN floor
        to ``lsn`` (from that session's ``lsn_floor``); never lowers it."""
        with self._lock:
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_raise_lsn_floor(self._ptr(), _encode(lsn, "the LSN"), byref(err))
            if status != _ffi.OK:
                _raise(status, err)

    @property
    def standby_lag_ms(self) -> Optional[int]:
        """The replay lag of the standby this connection reads from, in
        milliseconds, as pgtc's monitor last measured it (an upper bound;
        see MAX_STANDBY_LAG_MS); ``None`` while it is unknown. Raises
        ``InterfaceError``-class errors when the connection has no standby."""
        with self._lock:
            out = c_int64(-1)
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_standby_lag_ms(self._ptr(), byref(out), byref(err))
            if status != _ffi.OK:
                _raise(status, err)
            return None if out.value < 0 else out.value

    def cancel(self) -> None:
        """Cancel the statement this connection is running, from another
        thread (the one call that may be made while a thread is inside
        ``execute`` on this connection). The blocked ``execute`` raises
        ``pgtc.errors.QueryCanceledError`` (SQLSTATE 57014, an
        ``OperationalError``); the connection stays usable. Does nothing
        when no statement runs."""
        with self._cancel_lock:
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_cancel(self._ptr(), byref(err))
            if status != _ffi.OK:
                _raise(status, err)

    # -- internals ------------------------------------------------------------

    def _exec(self, sql: str, params: Optional[List[Optional[str]]]) -> ResultHandle:
        """Run SQL (with text parameters, if any) and return the owned result."""
        q = _encode(sql, "the SQL text")
        if params:
            return self._run(q, _argv(params), len(params))
        return self._run(q, None, 0)

    def _run(self, q: bytes, args: Any, n: int) -> ResultHandle:
        """Run the encoded SQL ``q`` with the ``n`` parameters ``args`` (a
        ``c_char_p`` array; None for none) and return the owned result."""
        with self._lock:
            if self._in_notice:
                self._check_reentry()
            addr = self._addr
            if addr is None:
                self._closed_error()
            res = self._res_out
            err = self._err_out
            res.value = err.value = None
            if args is None:
                status = _conn_exec(addr, q, self._res_ref, self._err_ref)
            else:
                status = _conn_exec_params(addr, q, n, args, self._res_ref, self._err_ref)
            handle = ResultHandle(res.value) if status == _OK else None
            try:
                # _after_call, inline: what a notice handler raised, and the
                # notifications that came with the answer.
                failure = self._notice_failure
                if failure is not None or _notifications_queued(addr):
                    self._after_call()
            finally:
                if status != _OK:
                    _raise(status, err.value, self.casters)  # the statement's error wins
            return handle  # type: ignore[return-value]


#: ``c_char_p`` array types by length.
_ARGV_TYPES: Dict[int, Any] = {}


def _argv(params: List[Optional[str]]) -> Any:
    """The parameters as the C array of NUL-terminated UTF-8 strings
    (NULL for None) that exec_params takes."""
    n = len(params)
    t = _ARGV_TYPES.get(n)
    if t is None:
        t = _ARGV_TYPES[n] = c_char_p * n
    out: List[Optional[bytes]] = []
    append = out.append
    for v in params:
        if v is None:
            append(None)
        elif "\x00" in v:
            _encode(v, "a parameter", DataError)  # raises
        else:
            try:
                append(v.encode("utf-8"))
            except UnicodeEncodeError:
                _encode(v, "a parameter", DataError)  # raises
    return t(*out)


#: What executing a text with parameters needs of it, parsed once:
#: (converted text, mode, names, count, the converted text encoded).
Statement = Tuple[str, int, Tuple[str, ...], int, bytes]

#: Statements by their text (cleared when it grows past _STATEMENTS_MAX).
_STATEMENTS: Dict[str, Statement] = {}
_STATEMENTS_MAX = 512


def _statement(sql: str) -> Statement:
    """``sql`` with its placeholders converted (``_sql.parse``) and encoded."""
    st = _STATEMENTS.get(sql)
    if st is None:
        converted, mode, names, count = _sql.parse(sql)
        st = (converted, mode, names, count, _encode(converted, "the SQL text"))
        if len(_STATEMENTS) >= _STATEMENTS_MAX:
            _STATEMENTS.clear()
        _STATEMENTS[sql] = st
    return st


def _values(st: Statement, params: Any) -> List[Optional[str]]:
    """The parameter texts for statement ``st`` from ``params`` (a mapping
    for ``%(name)s``, a sequence for ``%s``), in placeholder order."""
    mode = st[1]
    kind = type(params)
    if kind is dict or (kind is not tuple and kind is not list and isinstance(params, Mapping)):
        if mode == _sql.POSITIONAL:
            raise ProgrammingError("the query uses %s placeholders but the parameters are a mapping")
        try:
            values = list(map(params.__getitem__, st[2]))
        except KeyError:
            for name in st[2]:
                try:
                    params[name]
                except KeyError:
                    raise ProgrammingError(f"no value for the parameter %({name})s") from None
            raise
        return list(map(adapt, values))
    if kind is tuple or kind is list or (
        isinstance(params, Sequence) and not isinstance(params, (str, bytes, bytearray))
    ):
        if mode == _sql.NAMED:
            raise ProgrammingError("the query uses %(name)s placeholders but the parameters are a sequence")
        if len(params) != st[3]:
            raise ProgrammingError(
                f"the query has {st[3]} placeholder(s) but {len(params)} parameter(s) were given"
            )
        return list(map(adapt, params))
    raise ProgrammingError(
        f"parameters must be a sequence or a mapping, not {type(params).__name__}"
    )


def _several(sql: str) -> bool:
    """Whether a text without parameters may hold several statements (a
    ';' before its end): a named cursor runs such a text whole."""
    return ";" in sql.strip().rstrip(";")


_IDENT_PART = r'(?:[A-Za-z_\x80-\uffff][A-Za-z0-9_$\x80-\uffff]*|"(?:[^"]|"")+")'


#: A cursor's ``server`` or ``statusmessage`` not read yet from its result.
_UNREAD: Any = object()


def _tag(p: Any) -> str:
    """Result set ``p``'s command tag ("" for none)."""
    raw = _result_command(p)
    return raw.decode("utf-8", "replace") if raw else ""


class Cursor(StreamMixin):
    """A DB-API cursor. Rows are read from the current result set, which
    the cursor owns until the next ``execute`` or ``close``; for a text of
    several statements that is the first statement's, and ``nextset()``
    moves to the next one. A named cursor (``conn.cursor("name")``)
    streams instead, ``itersize`` rows per batch (see ``pgtc._stream``)."""

    def __init__(self, connection: Connection, name: Optional[str] = None) -> None:
        self.connection = connection
        #: The name of a named (streaming) cursor; None for a plain one.
        self.name = name
        #: Rows per batch of a named cursor's stream, read at ``execute``.
        self.itersize = DEFAULT_ITERSIZE
        self.arraysize = 1
        self._closed = False
        self._cmap = connection.casters
        # The rest starts as the class attributes below (what _reset restores).

    #: Named cursors are never scrollable nor WITH HOLD (psycopg2's names).
    scrollable = False
    withhold = False

    # The state of a cursor without a result; _reset sets it back.
    _result: Optional[ResultHandle] = None
    _stream: Optional[StreamHandle] = None
    _batch: Optional[ResultHandle] = None
    _fetched = 0
    _streaming = False
    description: Optional[Tuple[Column, ...]] = None
    rowcount = -1
    _server: Any = None  # _UNREAD: ask the result set shown
    _status: Any = None  # likewise
    query: Optional[str] = None
    lastrowid = None
    _casters: Sequence[Any] = ()
    _nrows = 0
    _pos = 0
    _current: Any = None  # the result set rows are read from
    _shown: Any = None  # the result set described now

    def _reset(self) -> None:
        if self._result is not None:
            self._result.close()
            self._result = None
        if self._stream is not None or self._batch is not None:
            self._close_stream()
        self._fetched = 0
        self._streaming = False
        self.description = None
        self.rowcount = -1
        self._server = None
        self._status = None
        self.query = None
        self.lastrowid = None
        self._casters = ()
        self._nrows = 0
        self._pos = 0
        self._current = None
        self._shown = None

    @property
    def server(self) -> Optional[str]:
        """Where the last statement ran: 'primary', 'standby', 'both'
        (session settings) or None (answered by pgtc alone, or none ran)."""
        s = self._server
        if s is _UNREAD:  # read once, when asked
            s = self._server = SERVER_NAMES.get(_result_server(self._shown))
        return s

    @server.setter
    def server(self, value: Optional[str]) -> None:
        self._server = value

    @property
    def statusmessage(self) -> Optional[str]:
        """The last statement's command tag, e.g. ``'SELECT 1'``."""
        s = self._status
        if s is _UNREAD:
            s = self._status = _tag(self._shown) or None
        return s

    @statusmessage.setter
    def statusmessage(self, value: Optional[str]) -> None:
        self._status = value

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"rowcount={self.rowcount} server={self.server!r}"
        return f"<pgtc.Cursor {state}>"

    # -- state ------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed or self.connection.closed

    def _check(self) -> Connection:
        if self._closed:
            raise InterfaceError("cursor already closed")
        if self.connection.closed:
            raise InterfaceError("connection already closed")
        return self.connection

    def close(self) -> None:
        """Release the cursor's result (a named cursor's stream is closed:
        the server drops the rows not read); closing again does nothing."""
        self._reset()
        self._closed = True

    def __enter__(self) -> "Cursor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- execution --------------------------------------------------------------

    def execute(self, operation: str, parameters: Any = None) -> "Cursor":
        """Run one statement. With parameters (a sequence for ``%s``, a
        mapping for ``%(name)s``) the placeholders become ``$1 … $n`` and the
        values are sent separately; without, the text runs as is (several
        statements separated by ';' are allowed: the cursor shows the first
        one's result, ``nextset()`` the next ones'). Returns the cursor."""
        return self._execute_parsed(operation, None, parameters)

    def _execute_parsed(self, operation: Any, st: Optional[Statement], parameters: Any) -> "Cursor":
        conn = self.connection
        if self._closed or conn._addr is None:
            self._check()
        if type(operation) is not str and isinstance(operation, (bytes, bytearray)):
            operation = bytes(operation).decode("utf-8")
        self._reset()
        if parameters is None:
            sql, values = operation, None
        else:
            if st is None:
                st = _statement(operation)
            sql, values = st[0], _values(st, parameters)
        self.query = sql
        if self.name is not None and not (values is None and _several(sql)):
            self._streaming = True
            self._open_stream(conn, sql, values)
        elif st is None:
            self._take(conn._exec(sql, None))
        elif values:
            self._take(conn._run(st[4], _argv(values), len(values)))
        else:
            self._take(conn._run(st[4], None, 0))
        return self

    def copy_expert(self, sql: str, file: Any, size: int = 8192) -> None:
        """Run ``COPY … FROM STDIN`` reading ``file``, or ``COPY … TO
        STDOUT`` writing to ``file``, in chunks of ``size`` bytes, as
        psycopg2's ``copy_expert`` does (see ``pgtc._copy``)."""
        from ._copy import copy_expert

        self._refuse_named("copy_expert")
        copy_expert(self, sql, file, size)

    def copy(self, sql: str) -> Any:
        """Start a COPY and return it as a ``pgtc.Copy`` (``write``,
        ``read``, iteration, ``end``, ``abort``; a ``with`` block ends it, or
        aborts it on an exception)."""
        from ._copy import Copy

        self._refuse_named("copy")
        return Copy(self, sql)

    def _refuse_named(self, what: str) -> None:
        if self.name is not None:
            raise NotSupportedError(f"{what} is not available on a named cursor: use a cursor without a name")

    def executemany(self, operation: str, seq_of_parameters: Any) -> "Cursor":
        """Run ``operation`` once per parameter set; ``rowcount`` is the sum
        of the affected rows (-1 if one of them is unknown). The text is
        parsed once; each set is one round trip (pgtc keeps the statement
        prepared)."""
        self._check()
        self._refuse_named("executemany")
        if isinstance(operation, (bytes, bytearray)):
            operation = bytes(operation).decode("utf-8")
        total = 0
        st = None
        for params in seq_of_parameters:
            if st is None and params is not None:
                st = _statement(operation)
            self._execute_parsed(operation, st, params)
            if total >= 0:
                total = total + self.rowcount if self.rowcount >= 0 else -1
        self.rowcount = total
        return self

    def callproc(self, procname: str, parameters: Any = None) -> Any:
        """Call a function as ``SELECT * FROM procname($1, …)`` (a mapping
        passes named arguments); returns the parameters unchanged, the
        function's result rows are fetched as usual. ``procname`` must be a
        (possibly schema-qualified, possibly quoted) name."""
        self._check()
        if not re.fullmatch(rf"{_IDENT_PART}(?:\.{_IDENT_PART})?", procname):
            raise ProgrammingError(f"not a function name: {procname!r}")
        params = () if parameters is None else parameters
        if isinstance(params, Mapping):
            for key in params:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                    raise ProgrammingError(f"not an argument name: {key!r}")
            args = ", ".join(f"{k} => %({k})s" for k in params)
        else:
            args = ", ".join(["%s"] * len(params))
        self.execute(f"SELECT * FROM {procname}({args})", params)
        return parameters

    def nextset(self) -> Optional[bool]:
        """Move to the next statement's result of a text of several
        statements: True, or None when there is no further set (DB-API)."""
        self._check()
        if self._shown is None or self._streaming:
            return None
        nxt = _result_next(self._shown)
        if not nxt:
            return None
        self._show(nxt)
        return True

    def setinputsizes(self, sizes: Any) -> None:
        """Does nothing (DB-API)."""

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        """Does nothing (DB-API)."""

    def _take(self, result: ResultHandle) -> None:
        # The first result owns those of the text's later statements.
        self._result = result
        self._show(result._ptr())

    def _describe(self, p: Any) -> None:
        """Set ``description`` and the casters from ``p``'s columns."""
        ncols = _result_cols(p)
        if ncols:
            self.description, oids = _description(p, ncols)
            self._casters = self._cmap.for_types(oids)

    def _show(self, p: Any) -> None:
        """Describe result set ``p`` (one of the chain ``_result`` owns)."""
        self._shown = p
        self._pos = 0
        # Where it ran and (for rows) its tag are read from p when asked
        # (p lives as long as _shown is p): two calls into the library
        # fewer for a caller that wants the rows alone.
        self._server = _UNREAD
        # One call for the counts and the columns (pgtc_result_block)
        # instead of two, and five per column; into this thread's block.
        try:
            b, ref = _scratch.block
        except AttributeError:
            b = _ffi.Block()
            ref = byref(b)
            _scratch.block = b, ref
        _result_block(p, ref)
        ncols = b.cols
        if ncols:
            self._status = _UNREAD
            # The columns' raw facts and names, as bytes, find a shape seen
            # before without building its keys.
            raw = string_at(b.columns, _COLUMN_SIZE * ncols) + string_at(b.names, b.names_len)
            shape = _RAW_SHAPES.get(raw)
            if shape is None:
                shape = _shape(_block_keys(b))
                if len(_RAW_SHAPES) >= _SHAPES_MAX:
                    _RAW_SHAPES.clear()
                _RAW_SHAPES[raw] = shape
            self.description, oids = shape
            self._casters = self._cmap.for_types(oids)
            self._nrows = self.rowcount = b.rows
            self._current = p
        else:
            tag = _tag(p)
            self._status = tag or None
            self.description = None
            self._casters = ()
            self._nrows = 0
            self._current = None
            last = tag.rsplit(" ", 1)[-1]
            self.rowcount = _result_affected(p) if last.isdigit() else -1

    # -- fetching ---------------------------------------------------------------

    def _rows_source(self) -> Any:
        self._check()
        if self._current is None:
            raise ProgrammingError("no results to fetch")
        return self._current

    def _row(self, p: Any, i: int) -> Tuple[Any, ...]:
        row: List[Any] = []
        append = row.append
        c = 0
        s: Any = None
        try:
            for conv in self._casters:
                v = _result_value(p, i, c)
                c += 1
                if v is None:
                    append(None)
                elif conv is None:
                    append(v.decode("utf-8"))
                else:
                    s = v.decode("utf-8")
                    append(conv(s))
        except Error:
            raise
        except Exception as e:
            col = self.description[len(row)] if self.description else None
            what = f"column {col.name!r} (type OID {col.type_code})" if col else "a column"
            raise DataError(f"the caster of {what} failed on {s!r}: {e!r}") from e
        return tuple(row)

    def fetchone(self) -> Optional[Tuple[Any, ...]]:
        if self._streaming:
            self._check()
            rows = self._stream_rows(1)
            return rows[0] if rows else None
        p = self._current
        if p is None or self._closed or self.connection._addr is None:
            p = self._rows_source()  # raises
        pos = self._pos
        if pos >= self._nrows:
            return None
        row = self._row(p, pos)
        self._pos = pos + 1
        return row

    def fetchmany(self, size: Optional[int] = None) -> List[Tuple[Any, ...]]:
        n = self.arraysize if size is None else size
        if self._streaming:
            self._check()
            return self._stream_rows(max(n, 0))
        p = self._rows_source()
        end = min(self._nrows, self._pos + max(n, 0))
        rows = [self._row(p, i) for i in range(self._pos, end)]
        self._pos = end
        return rows

    def fetchall(self) -> List[Tuple[Any, ...]]:
        if self._streaming:
            self._check()
            return self._stream_rows(None)
        p = self._rows_source()
        rows = [self._row(p, i) for i in range(self._pos, self._nrows)]
        self._pos = self._nrows
        return rows

    def scroll(self, value: int, mode: str = "relative") -> None:
        """Move in the result set; IndexError when that leaves it. A named
        cursor moves forward only (it skips rows)."""
        if self._streaming:
            self._check()
            if mode != "relative" or value < 0:
                raise NotSupportedError("a named cursor scrolls forward only: scroll(n) with n >= 0")
            self._stream_rows(value)
            return
        self._rows_source()
        if mode == "relative":
            target = self._pos + value
        elif mode == "absolute":
            target = value
        else:
            raise ProgrammingError(f"scroll mode must be 'relative' or 'absolute', not {mode!r}")
        if not 0 <= target <= self._nrows:
            raise IndexError("scroll out of the result set")
        self._pos = target

    @property
    def rownumber(self) -> Optional[int]:
        """Index of the next row to fetch, None without a result set."""
        if self._streaming:
            return None if self.description is None else self._fetched - self._nrows + self._pos
        return None if self._current is None else self._pos

    def __iter__(self) -> Iterator[Tuple[Any, ...]]:
        if self._streaming:
            self._check()
            return self._stream_iter()
        return self

    def __next__(self) -> Tuple[Any, ...]:
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row


