"""Named (server-side) cursors: ``conn.cursor("name")`` streams a read in
batches through libpgtc's streaming C ABI (``pgtc_conn_stream``,
``pgtc_stream_next``, ``pgtc_stream_close``, ``pgtc_stream_free``), so
fetching a result of any size holds one batch of ``itersize`` rows.

    cur = conn.cursor("big")
    cur.itersize = 5000                 # rows per batch (default 2000)
    cur.execute("SELECT * FROM events WHERE day = %s", (day,))
    for row in cur:                     # or fetchone / fetchmany / fetchall
        ...
    cur.close()                         # the server drops the rows not read

No DECLARE is sent: pgtc binds the statement to a protocol-level portal
and executes it ``itersize`` rows at a time; the name only labels the
cursor (``FETCH … FROM name`` in SQL finds nothing). A statement that is
not a single read (a write, DDL) runs whole as with a plain cursor; so
does a text without parameters that holds a ';' before its end (several
statements, which the extended protocol cannot take). Where a stream runs, what else may run beside it and when a
COMMIT closes it are libpgtc's rules (README, "Streaming large results").
"""

from __future__ import annotations

import ctypes
import weakref
from ctypes import byref, c_char_p
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple

from . import _ffi
from ._managed import ResultHandle
from .errors import InterfaceError, NotSupportedError, ProgrammingError

if TYPE_CHECKING:  # pragma: no cover
    from ._core import Connection

lib = _ffi.lib

#: Rows per batch of a named cursor unless ``itersize`` says otherwise
#: (psycopg2's default).
DEFAULT_ITERSIZE = 2000


def _key(ptr: Any) -> int:
    return ctypes.cast(ptr, ctypes.c_void_p).value or 0


def _free_stream(key: int, registry: Dict[int, Any], lock: Any) -> None:
    # The connection's lock serializes this with its calls; a stream the
    # connection's own release freed already is no longer registered.
    with lock:
        ptr = registry.pop(key, None)
        if ptr is not None:
            lib.pgtc_stream_free(ptr)


def free_conn(ptr: Any, registry: Optional[Dict[int, Any]] = None, lock: Any = None) -> None:
    """Release a connection (``Connection``'s finalizer): the streams still
    registered first, as the C ABI requires, then the connection. Neither
    finalizer holds a Python object that could keep the other alive."""
    if registry is None or lock is None:
        lib.pgtc_conn_free(ptr)
        return
    with lock:
        for key in list(registry):
            lib.pgtc_stream_free(registry.pop(key))
        lib.pgtc_conn_free(ptr)


class StreamHandle:
    """Owns one ``pgtc_stream``, registered with its connection so that
    whichever of the two is released first frees it, exactly once."""

    def __init__(self, ptr: Any, conn: "Connection") -> None:
        self._p: Any = ptr
        key = _key(ptr)
        conn._stream_ptrs[key] = ptr
        self._finalizer = weakref.finalize(self, _free_stream, key, conn._stream_ptrs, conn._lock)

    def _ptr(self) -> Any:
        if self._p is None:
            raise InterfaceError("the cursor's stream is closed")
        return self._p

    @property
    def _alive(self) -> bool:
        return self._p is not None

    def close(self) -> None:
        """Close (the server drops the rows not read) and free the stream;
        later calls do nothing."""
        self._p = None
        self._finalizer()


def _check_options(scrollable: Any, withhold: Any) -> None:
    if scrollable:
        raise NotSupportedError(
            "scrollable named cursors are not supported: pgtc streams forward only "
            "(fetch what you need, or use a plain cursor, whose result can scroll)"
        )
    if withhold:
        raise NotSupportedError(
            "WITH HOLD named cursors are not supported: a pgtc stream ends with its transaction "
            "(run DECLARE … WITH HOLD yourself on a plain cursor; it pins the session to the primary)"
        )


class StreamMixin:
    """The named-cursor part of ``Cursor`` (used when it has a name)."""

    # Provided by Cursor.
    connection: "Connection"
    name: Optional[str]
    itersize: int
    arraysize: int
    description: Any
    rowcount: int
    server: Optional[str]
    statusmessage: Optional[str]
    _casters: List[Any]
    _stream: Optional[StreamHandle]
    _batch: Optional[ResultHandle]
    _nrows: int
    _pos: int
    _fetched: int
    _current: Any
    _streaming: bool

    def _row(self, p: Any, i: int) -> Tuple[Any, ...]:  # pragma: no cover - Cursor's
        raise NotImplementedError

    def _describe(self, p: Any) -> None:  # pragma: no cover - Cursor's
        raise NotImplementedError

    def _open_stream(self, conn: "Connection", sql: str, values: Optional[List[Optional[str]]]) -> None:
        from ._core import _encode, _raise, _server_name
        from .errors import DataError

        if not isinstance(self.itersize, int) or isinstance(self.itersize, bool) or self.itersize < 1:
            raise ProgrammingError(f"itersize must be a positive int, not {self.itersize!r}")
        q = _encode(sql, "the SQL text")
        n = len(values or ())
        args = None
        if n:
            args = (c_char_p * n)(
                *[None if v is None else _encode(v, "a parameter", DataError) for v in values or ()]
            )
        with conn._lock:
            conn._check_reentry()
            ptr = _ffi.StreamP()
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_stream(conn._ptr(), q, n, args, self.itersize, byref(ptr), byref(err))
            handle = StreamHandle(ptr, conn) if status == _ffi.OK else None
            try:
                conn._after_call()
            finally:
                if status != _ffi.OK:
                    _raise(status, err, conn.casters)
            assert handle is not None
            self._stream = handle
            self.server = _server_name(lib.pgtc_stream_server(ptr))
            self._next_batch()

    def _next_batch(self) -> bool:
        """Read the next batch into the cursor; False after the last."""
        from ._core import _raise

        stream = self._stream
        if stream is None or not stream._alive:
            return False
        conn = self.connection
        with conn._lock:
            if conn.closed:
                raise InterfaceError("connection already closed")
            res = _ffi.ResultP()
            err = _ffi.ErrorP()
            status = lib.pgtc_stream_next(stream._ptr(), byref(res), byref(err))
            try:
                conn._after_call()
            finally:
                if status != _ffi.OK:
                    self._end_stream()
                    _raise(status, err, conn.casters)
        if self._batch is not None:
            self._batch.close()
            self._batch = None
        if not res:
            self._end_stream()
            self._nrows = self._pos = 0
            return False
        self._batch = ResultHandle(res)
        p = self._batch._ptr()
        first = self.description is None and self._fetched == 0
        if first:
            self._describe(p)
        self._nrows = int(lib.pgtc_result_rows(p))
        self._pos = 0
        self._current = p if self.description is not None else None
        tag = (lib.pgtc_result_command(p) or b"").decode("utf-8", "replace")
        self._fetched += self._nrows
        if tag:
            # The last batch: its tag counts every row of the stream (or the
            # rows a non-read affected).
            self.statusmessage = tag
            last = tag.rsplit(" ", 1)[-1]
            self.rowcount = int(lib.pgtc_result_affected(p)) if last.isdigit() else -1
            self._end_stream()  # nothing follows: free the server now
        elif self.description is not None:
            self.rowcount = self._fetched
        return True

    def _end_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def _close_stream(self) -> None:
        if self._batch is not None:
            self._batch.close()
            self._batch = None
        self._end_stream()

    # -- fetching ---------------------------------------------------------

    def _stream_rows(self, limit: Optional[int]) -> List[Tuple[Any, ...]]:
        if self.description is None:
            raise ProgrammingError("no results to fetch")
        rows: List[Tuple[Any, ...]] = []
        while limit is None or len(rows) < limit:
            if self._pos >= self._nrows:
                if not self._next_batch():
                    break
                continue
            p = self._current
            end = self._nrows if limit is None else min(self._nrows, self._pos + limit - len(rows))
            rows.extend(self._row(p, i) for i in range(self._pos, end))
            self._pos = end
        return rows

    def _stream_iter(self) -> Iterator[Tuple[Any, ...]]:
        while True:
            rows = self._stream_rows(self.itersize)
            if not rows:
                return
            yield from rows


__all__ = ["StreamMixin", "StreamHandle", "DEFAULT_ITERSIZE"]
