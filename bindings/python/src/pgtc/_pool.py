"""Pools of connections (libpgtc's ``pgtc_pool``), in psycopg_pool's style::

    with pgtc.Pool(dsn, max_size=8) as pool:
        with pool.connection() as conn:      # commits, or rolls back on error
            conn.cursor().execute("SELECT 1")

A pool may be used by any number of threads at once; each connection it
hands out is an ordinary ``pgtc.Connection`` for one thread at a time.
Closing that connection (``conn.close()``, leaving ``pool.connection()``,
``pool.putconn(conn)``, or its collection) gives it back to the pool, which
rolls it back and resets it. The queue, the bound, the reset and what
happens to broken connections are libpgtc's (see the README, "Pools").
"""

from __future__ import annotations

import contextlib
from ctypes import byref
from typing import Any, Dict, Iterator, Optional

from . import _ffi
from ._core import Connection, _encode, _raise
from ._managed import Managed
from .errors import ProgrammingError

lib = _ffi.lib

#: Keyword arguments named as psycopg_pool names them, and the attribute
#: each sets.
_SIZES = {
    "min_size": "POOL_MIN",
    "max_size": "POOL_MAX",
}


class Pool(Managed[Any]):
    """A pool of pgtc connections over the servers of ``dsn``.

    ``dsn`` and keyword arguments are those of ``pgtc.connect`` (session
    attributes included: each connection gets them back on release), plus
    the pool's attributes: ``POOL_MAX``, ``POOL_MIN``,
    ``POOL_ACQUIRE_TIMEOUT_MS``, ``POOL_MAX_LIFETIME_MS``,
    ``POOL_IDLE_TIMEOUT_MS`` (in any case), or psycopg_pool's ``min_size``,
    ``max_size`` and ``timeout`` (seconds). Autocommit is off unless asked
    for, as with ``connect``. One connection is opened at once, so a
    string that cannot connect raises here (OperationalError); values out of
    range raise ProgrammingError.
    """

    _free_fn = lib.pgtc_pool_free

    def __init__(self, dsn: Optional[str] = None, **kwargs: Any) -> None:
        from . import _with_first, make_conninfo

        for key, attr in _SIZES.items():
            if key in kwargs:
                kwargs[attr] = kwargs.pop(key)
        if "timeout" in kwargs:
            t = kwargs.pop("timeout")
            kwargs["POOL_ACQUIRE_TIMEOUT_MS"] = None if t is None else int(float(t) * 1000)
        if "database" in kwargs and "dbname" in kwargs:
            raise ProgrammingError("give dbname or database, not both")
        base = _with_first((dsn or "").strip(), "AUTOCOMMIT", "OFF")
        conninfo = make_conninfo(base, **kwargs)
        ptr = _ffi.PoolP()
        err = _ffi.ErrorP()
        status = lib.pgtc_pool_open(
            _encode(conninfo, "the connection string"), byref(ptr), byref(err)
        )
        if status != _ffi.OK:
            _raise(status, err)
        self._set_ptr(ptr)

    def _closed_error(self) -> None:
        raise ProgrammingError("the pool is closed")

    @property
    def closed(self) -> bool:
        return not self._alive

    def getconn(self) -> Connection:
        """A connection for the caller alone until it is closed or given to
        ``putconn``. Waits in FIFO order while POOL_MAX connections are in
        use; after POOL_ACQUIRE_TIMEOUT_MS raises ``pgtc.PoolTimeout``."""
        ptr = _ffi.ConnP()
        err = _ffi.ErrorP()
        status = lib.pgtc_pool_acquire(self._ptr(), byref(ptr), byref(err))
        if status != _ffi.OK:
            _raise(status, err)
        return Connection._adopt(ptr, self)

    def putconn(self, conn: Connection) -> None:
        """Give back a connection of this pool (the same as ``conn.close()``).
        A connection of another pool, or of none, raises ProgrammingError
        and stays as it is."""
        if conn._pool is not self:
            raise ProgrammingError("the connection does not belong to this pool")
        conn.close()

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """``with pool.connection() as conn:`` — a connection for the block:
        on a normal exit its transaction is committed, on an exception
        rolled back, and then it goes back to the pool."""
        conn = self.getconn()
        try:
            yield conn
            if not conn.closed:
                conn.commit()
        except BaseException:
            if not conn.closed:
                with contextlib.suppress(Exception):
                    conn.rollback()
            raise
        finally:
            conn.close()

    def stats(self) -> Dict[str, int]:
        """The pool's figures now: ``max``, ``min``, ``total`` (open),
        ``idle``, ``in_use``, ``waiting``, and since the pool opened
        ``acquired``, ``timeouts``, ``created``, ``closed``, ``resets`` and
        ``wait_ns``."""
        st = _ffi.PoolStats()
        status = lib.pgtc_pool_get_stats(self._ptr(), byref(st))
        if status != _ffi.OK:
            _raise(status, None)
        return {name: int(getattr(st, name)) for name, _ in _ffi.PoolStats._fields_}

    def close(self) -> None:
        """Close the pool: idle connections at once; connections still out
        stay usable and are closed when they are closed or given back.
        Closing again does nothing."""
        super().close()

    def __enter__(self) -> "Pool":
        self._ptr()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "<pgtc.Pool closed>"
        s = self.stats()
        return f"<pgtc.Pool total={s['total']} in_use={s['in_use']} idle={s['idle']}>"
