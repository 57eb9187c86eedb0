"""COPY to and from the client over libpgtc's streaming COPY API.

``Cursor.copy_expert(sql, file)`` works as psycopg2's does: for ``COPY …
FROM STDIN`` it reads ``file`` in chunks and sends them; for ``COPY … TO
STDOUT`` it writes the data to ``file`` chunk by chunk (``str`` to a text
file, ``bytes`` otherwise). ``Cursor.copy(sql)`` returns a :class:`Copy` in
psycopg 3's style, for data made or consumed by the program::

    with cur.copy("COPY t FROM STDIN") as copy:
        copy.write("1\\tone\\n")
    with cur.copy("COPY t TO STDOUT") as copy:
        for chunk in copy:        # bytes, one row per chunk in text and CSV
            ...

Leaving the ``with`` block normally ends the COPY (its row count goes to
``cursor.rowcount``); leaving it with an exception aborts it (nothing is
copied, the connection stays usable). Nothing holds more than one chunk.
"""

from __future__ import annotations

import ctypes
import io
import weakref
from ctypes import byref, c_size_t, c_void_p
from typing import TYPE_CHECKING, Any, Iterator, Optional, Union

from . import _ffi
from ._managed import Managed, ResultHandle
from .errors import ProgrammingError

if TYPE_CHECKING:  # pragma: no cover
    from ._core import Connection, Cursor

lib = _ffi.lib

# pgtc_direction
DIRECTION_NONE = 0
DIRECTION_IN = 1
DIRECTION_OUT = 2

#: Bytes read from a file per chunk by copy_expert (psycopg2's default).
DEFAULT_SIZE = 8192


class Copy(Managed[Any]):
    """One running COPY of a cursor's connection (see the module doc)."""

    _free_fn = lib.pgtc_copy_free

    def __init__(self, cursor: "Cursor", sql: str) -> None:
        from ._core import _encode, _raise

        self._cursor = cursor
        self._conn = conn = cursor._check()
        q = _encode(sql, "the SQL text")
        with conn._lock:
            ptr = _ffi.CopyP()
            err = _ffi.ErrorP()
            status = lib.pgtc_conn_copy(conn._ptr(), q, byref(ptr), byref(err))
            if status != _ffi.OK:
                _raise(status, err)
            self._set_ptr(ptr)
            conn._copy = weakref.ref(self)
        p = self._ptr()
        #: "in" (COPY FROM STDIN), "out" (COPY TO STDOUT) or None (no data).
        self.direction = {DIRECTION_IN: "in", DIRECTION_OUT: "out"}.get(
            lib.pgtc_copy_direction(p)
        )
        #: PostgreSQL's binary COPY format.
        self.binary = bool(lib.pgtc_copy_binary(p))
        #: Number of columns of the data.
        self.columns = int(lib.pgtc_copy_cols(p))
        self._done = False
        cursor._reset()
        cursor.query = sql

    def _call(self, fn: Any, *args: Any) -> None:
        from ._core import _raise

        err = _ffi.ErrorP()
        status = fn(self._ptr(), *args, byref(err))
        if status != _ffi.OK:
            self._done = True
            _raise(status, err)

    def write(self, data: Union[bytes, bytearray, memoryview, str]) -> None:
        """Send data of a ``COPY … FROM STDIN`` (``str`` is sent as UTF-8);
        rows may be split anywhere between calls."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        buf = bytes(data)
        with self._conn._lock:
            self._call(lib.pgtc_copy_write, buf, len(buf))

    def read(self) -> bytes:
        """The next chunk of a ``COPY … TO STDOUT`` (one row in text and CSV
        formats); ``b""`` after the last one."""
        data = c_void_p()
        n = c_size_t()
        with self._conn._lock:
            self._call(lib.pgtc_copy_read, byref(data), byref(n))
            if data.value is None:
                self._done = True
                return b""
            # Borrowed until the next call on the copy: copied out now.
            return ctypes.string_at(data.value, n.value)

    def __iter__(self) -> Iterator[bytes]:
        while True:
            chunk = self.read()
            if not chunk:
                return
            yield chunk

    def end(self) -> int:
        """Finish the COPY; returns its row count (also in the cursor's
        ``rowcount``). A server error about the data is raised here."""
        res = _ffi.ResultP()
        try:
            with self._conn._lock:
                self._done = True
                self._call(lib.pgtc_copy_end, byref(res))
                self._cursor._take(ResultHandle(res))
        finally:
            self.close()
        return self._cursor.rowcount

    def abort(self, reason: str = "COPY aborted by the client") -> None:
        """Give up the COPY: nothing is copied (a COPY TO's remaining data
        is discarded) and the connection stays usable."""
        from ._core import _encode

        try:
            with self._conn._lock:
                self._done = True
                self._call(lib.pgtc_copy_abort, _encode(reason, "the reason"))
        finally:
            self.close()

    def close(self) -> None:
        """Release the COPY; one still running is aborted."""
        with self._conn._lock:
            if self._conn._copy is not None and self._conn._copy() is self:
                self._conn._copy = None
            super().close()

    def __enter__(self) -> "Copy":
        return self

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if not self._alive:
            return
        if exc_type is None:
            self.end()
        else:
            self.close()


def close_running(conn: "Connection") -> None:
    """Abort and release the COPY running on ``conn``, if any (before the
    connection itself is freed)."""
    ref = conn._copy
    running = ref() if ref is not None else None
    if running is not None:
        running.close()
    conn._copy = None


def copy_expert(cursor: "Cursor", sql: str, file: Any, size: int = DEFAULT_SIZE) -> None:
    """psycopg2's ``copy_expert``: stream ``file`` into a ``COPY … FROM
    STDIN``, or a ``COPY … TO STDOUT`` into ``file``, ``size`` bytes at a
    time. A failure of the file aborts the COPY."""
    if size <= 0:
        raise ProgrammingError("size must be positive")
    with Copy(cursor, sql) as copy:
        if copy.direction == "in":
            if not hasattr(file, "read"):
                raise ProgrammingError("COPY FROM STDIN needs a file with read()")
            while True:
                chunk = file.read(size)
                if not chunk:
                    break
                copy.write(chunk)
        elif copy.direction == "out":
            if not hasattr(file, "write"):
                raise ProgrammingError("COPY TO STDOUT needs a file with write()")
            text = isinstance(file, io.TextIOBase)
            for chunk in copy:
                file.write(chunk.decode("utf-8") if text else chunk)


__all__ = ["Copy", "copy_expert", "close_running"]
