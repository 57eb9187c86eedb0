"""The C ABI of libpgtc, declared with ctypes.

Every function of ``include/pgtc.h`` is declared here with its ``restype``
and ``argtypes``; nothing else in the package calls ``ctypes`` on the
library directly.

The library is looked up, in order:

1. the path in the ``PGTC_LIBRARY`` environment variable (an error if it is
   set but cannot be loaded);
2. ``libpgtc.so`` inside this package's directory (a wheel that bundles it);
3. the system loader: ``ctypes.util.find_library('pgtc')``, then
   ``CDLL('libpgtc.so')`` (``LD_LIBRARY_PATH``, ``ldconfig``'s cache).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (
    CFUNCTYPE,
    POINTER,
    c_bool,
    c_char,
    c_char_p,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import Any, List, Optional

__all__ = ["lib", "addr", "library_path", "candidates", "load"]

# Opaque handle types: distinct pointer types, so that ctypes refuses a
# result where a connection is expected.


class Conn(ctypes.Structure):
    """``pgtc_conn`` (opaque)."""


class Error(ctypes.Structure):
    """``pgtc_error`` (opaque)."""


class Result(ctypes.Structure):
    """``pgtc_result`` (opaque)."""


class Route(ctypes.Structure):
    """``pgtc_route`` (opaque)."""


class Copy(ctypes.Structure):
    """``pgtc_copy`` (opaque)."""


class Notification(ctypes.Structure):
    """``pgtc_notification`` (opaque)."""


class Stream(ctypes.Structure):
    """``pgtc_stream`` (opaque)."""


class Stmt(ctypes.Structure):
    """``pgtc_stmt`` (opaque)."""


class Pool(ctypes.Structure):
    """``pgtc_pool`` (opaque)."""


class Column(ctypes.Structure):
    """``pgtc_column``: one column of a ``pgtc_block``."""

    _fields_ = [
        ("name", c_uint32),
        ("type_oid", c_uint32),
        ("typmod", c_int32),
        ("table_oid", c_uint32),
        ("table_column", ctypes.c_int16),
        ("reserved", ctypes.c_int16),
    ]


class Block(ctypes.Structure):
    """``pgtc_block``: a result's counts, columns and values (``pgtc_result_block``)."""

    _fields_ = [
        ("rows", c_size_t),
        ("cols", c_size_t),
        ("affected", c_uint64),
        ("data", c_void_p),
        ("data_len", c_size_t),
        ("cells", POINTER(c_uint32)),
        ("columns", POINTER(Column)),
        ("names", c_void_p),
        ("names_len", c_size_t),
    ]


class PoolStats(ctypes.Structure):
    """``pgtc_pool_stats``."""

    _fields_ = [
        (name, c_uint64)
        for name in (
            "max",
            "min",
            "total",
            "idle",
            "in_use",
            "waiting",
            "acquired",
            "timeouts",
            "created",
            "closed",
            "resets",
            "wait_ns",
        )
    ]


ConnP = POINTER(Conn)
CopyP = POINTER(Copy)
NotificationP = POINTER(Notification)
StmtP = POINTER(Stmt)
StreamP = POINTER(Stream)
PoolP = POINTER(Pool)
ErrorP = POINTER(Error)
ResultP = POINTER(Result)
RouteP = POINTER(Route)

# pgtc_status, pgtc_server and pgtc_counter are uint32_t in C (before C23).
status_t = c_uint32
server_t = c_uint32

#: ``pgtc_notice_handler``: void (*)(void *user_data, const pgtc_error *notice, pgtc_server server)
NoticeHandler = CFUNCTYPE(None, c_void_p, ErrorP, server_t)

# Status codes (stable).
OK = 0
NULL_ARGUMENT = 100
INVALID_UTF8 = 101
INVALID_ARGUMENT = 102
INVALID_STATE = 103
BUFFER_TOO_SMALL = 104
CONNINFO_SYNTAX = 200
UNKNOWN_ATTRIBUTE = 201
INVALID_ATTRIBUTE_VALUE = 202
CONNECT_FAILED = 300
CONNECTION_LOST = 301
NO_PRIMARY = 302
AUTH_FAILED = 303
CONNECTION_SWITCHED = 304
POOL_TIMEOUT = 305
SQL = 400
PROTOCOL = 500
UNSUPPORTED = 501
INTERNAL = 502

# pgtc_server
SERVER_NONE = 0
SERVER_PRIMARY = 1
SERVER_SECONDARY = 2
SERVER_BOTH = 3

# pgtc_counter
COUNTER_PRIMARY = 0
COUNTER_SECONDARY = 1
COUNTER_BOTH = 2
COUNTER_MISROUTES = 3
COUNTER_FLOOR_KEPT = 4

# The keys of Connection.counters() and process_counters().
COUNTERS = {
    "primary": COUNTER_PRIMARY,
    "standby": COUNTER_SECONDARY,
    "both": COUNTER_BOTH,
    "misroutes": COUNTER_MISROUTES,
    "floor_kept": COUNTER_FLOOR_KEPT,
}

# (name, restype, argtypes) for every exported function.
_SIGNATURES = [
    ("pgtc_version", c_char_p, []),
    ("pgtc_status_name", c_char_p, [c_uint32]),
    ("pgtc_conn_open", status_t, [c_char_p, POINTER(ConnP), POINTER(ErrorP)]),
    ("pgtc_conn_set_attr", status_t, [ConnP, c_char_p, c_char_p, POINTER(ErrorP)]),
    (
        "pgtc_conn_get_attr",
        status_t,
        [ConnP, c_char_p, POINTER(c_char), c_size_t, POINTER(ErrorP)],
    ),
    ("pgtc_attr_count", c_size_t, []),
    ("pgtc_attr_name", c_char_p, [c_size_t]),
    ("pgtc_attr_default", c_char_p, [c_size_t]),
    ("pgtc_attr_doc", c_char_p, [c_size_t]),
    ("pgtc_conn_exec", status_t, [ConnP, c_char_p, POINTER(ResultP), POINTER(ErrorP)]),
    (
        "pgtc_conn_exec_params",
        status_t,
        [ConnP, c_char_p, c_size_t, POINTER(c_char_p), POINTER(ResultP), POINTER(ErrorP)],
    ),
    ("pgtc_conn_connected", server_t, [ConnP]),
    ("pgtc_conn_in_transaction", c_bool, [ConnP]),
    ("pgtc_conn_explain", status_t, [ConnP, c_char_p, POINTER(RouteP), POINTER(ErrorP)]),
    ("pgtc_conn_counter", c_uint64, [ConnP, c_uint32]),
    ("pgtc_process_counter", c_uint64, [c_uint32]),
    ("pgtc_conn_pinned", c_bool, [ConnP]),
    ("pgtc_conn_lsn_floor", status_t, [ConnP, POINTER(c_char), c_size_t, POINTER(ErrorP)]),
    ("pgtc_conn_raise_lsn_floor", status_t, [ConnP, c_char_p, POINTER(ErrorP)]),
    ("pgtc_conn_standby_lag_ms", status_t, [ConnP, POINTER(c_int64), POINTER(ErrorP)]),
    ("pgtc_conn_cancel", status_t, [ConnP, POINTER(ErrorP)]),
    # Prepared statements and typed parameters (declared so that the
    # binding matches the header; the DB-API layer uses exec_params, whose
    # statements pgtc caches).
    (
        "pgtc_conn_prepare",
        status_t,
        [ConnP, c_char_p, c_size_t, POINTER(c_uint32), POINTER(StmtP), POINTER(ErrorP)],
    ),
    (
        "pgtc_stmt_exec",
        status_t,
        [StmtP, c_size_t, POINTER(c_char_p), POINTER(ResultP), POINTER(ErrorP)],
    ),
    (
        "pgtc_stmt_exec_formats",
        status_t,
        [
            StmtP,
            c_size_t,
            POINTER(c_char_p),
            POINTER(c_int),
            POINTER(c_int),
            POINTER(ResultP),
            POINTER(ErrorP),
        ],
    ),
    (
        "pgtc_conn_exec_typed",
        status_t,
        [
            ConnP,
            c_char_p,
            c_size_t,
            POINTER(c_uint32),
            POINTER(c_char_p),
            POINTER(c_int),
            POINTER(c_int),
            POINTER(ResultP),
            POINTER(ErrorP),
        ],
    ),
    ("pgtc_stmt_param_count", c_size_t, [StmtP]),
    ("pgtc_stmt_param_type", c_uint32, [StmtP, c_size_t]),
    ("pgtc_stmt_cols", c_size_t, [StmtP]),
    ("pgtc_stmt_col_name", c_char_p, [StmtP, c_size_t]),
    ("pgtc_stmt_col_type", c_uint32, [StmtP, c_size_t]),
    ("pgtc_stmt_col_type_modifier", c_int32, [StmtP, c_size_t]),
    ("pgtc_stmt_col_table", c_uint32, [StmtP, c_size_t]),
    ("pgtc_stmt_col_table_column", c_int, [StmtP, c_size_t]),
    ("pgtc_stmt_free", None, [StmtP]),
    ("pgtc_conn_free", None, [ConnP]),
    ("pgtc_pool_open", status_t, [c_char_p, POINTER(PoolP), POINTER(ErrorP)]),
    ("pgtc_pool_acquire", status_t, [PoolP, POINTER(ConnP), POINTER(ErrorP)]),
    ("pgtc_pool_release", None, [PoolP, ConnP]),
    ("pgtc_pool_get_stats", status_t, [PoolP, POINTER(PoolStats)]),
    ("pgtc_pool_free", None, [PoolP]),
    ("pgtc_error_message", c_char_p, [ErrorP]),
    ("pgtc_error_sqlstate", c_char_p, [ErrorP]),
    ("pgtc_error_status", status_t, [ErrorP]),
    ("pgtc_error_free", None, [ErrorP]),
    ("pgtc_result_rows", c_size_t, [ResultP]),
    ("pgtc_result_cols", c_size_t, [ResultP]),
    ("pgtc_result_col_name", c_char_p, [ResultP, c_size_t]),
    ("pgtc_result_col_type", c_uint32, [ResultP, c_size_t]),
    ("pgtc_result_value", c_char_p, [ResultP, c_size_t, c_size_t]),
    ("pgtc_result_is_null", c_bool, [ResultP, c_size_t, c_size_t]),
    ("pgtc_result_affected", c_uint64, [ResultP]),
    ("pgtc_result_command", c_char_p, [ResultP]),
    ("pgtc_result_server", server_t, [ResultP]),
    ("pgtc_result_free", None, [ResultP]),
    ("pgtc_route_server", server_t, [RouteP]),
    ("pgtc_route_eligible", server_t, [RouteP]),
    ("pgtc_route_reason", c_char_p, [RouteP]),
    ("pgtc_route_free", None, [RouteP]),
    # COPY (see _copy.py)
    ("pgtc_conn_copy", status_t, [ConnP, c_char_p, POINTER(CopyP), POINTER(ErrorP)]),
    ("pgtc_copy_direction", c_uint32, [CopyP]),
    ("pgtc_copy_binary", c_bool, [CopyP]),
    ("pgtc_copy_cols", c_size_t, [CopyP]),
    ("pgtc_copy_write", status_t, [CopyP, c_char_p, c_size_t, POINTER(ErrorP)]),
    (
        "pgtc_copy_read",
        status_t,
        [CopyP, POINTER(c_void_p), POINTER(c_size_t), POINTER(ErrorP)],
    ),
    ("pgtc_copy_end", status_t, [CopyP, POINTER(ResultP), POINTER(ErrorP)]),
    ("pgtc_copy_abort", status_t, [CopyP, c_char_p, POINTER(ErrorP)]),
    ("pgtc_copy_free", None, [CopyP]),
    # Error fields, several results, column metadata.
    ("pgtc_error_field", c_char_p, [ErrorP, c_int]),
    ("pgtc_error_results", ResultP, [ErrorP]),
    ("pgtc_result_next", ResultP, [ResultP]),
    ("pgtc_result_value_len", c_size_t, [ResultP, c_size_t, c_size_t]),
    # A whole result, and values packed in one block.
    ("pgtc_result_data", c_void_p, [ResultP, POINTER(c_size_t)]),
    ("pgtc_result_cells", POINTER(c_uint32), [ResultP]),
    ("pgtc_result_block", None, [ResultP, POINTER(Block)]),
    (
        "pgtc_stmt_exec_packed",
        status_t,
        [
            StmtP,
            c_size_t,
            c_char_p,
            c_size_t,
            POINTER(c_int32),
            POINTER(c_int),
            POINTER(ResultP),
            POINTER(ErrorP),
        ],
    ),
    (
        "pgtc_stmt_exec_batch",
        status_t,
        [
            StmtP,
            c_size_t,
            c_size_t,
            c_char_p,
            c_size_t,
            POINTER(c_int32),
            POINTER(c_int),
            POINTER(c_int64),
            POINTER(c_size_t),
            POINTER(ErrorP),
        ],
    ),
    ("pgtc_result_col_typmod", c_int32, [ResultP, c_size_t]),
    ("pgtc_result_col_table", c_uint32, [ResultP, c_size_t]),
    ("pgtc_result_col_number", c_int32, [ResultP, c_size_t]),
    # Notices and notifications.
    ("pgtc_conn_set_notice_handler", status_t, [ConnP, NoticeHandler, c_void_p, POINTER(ErrorP)]),
    (
        "pgtc_conn_notification",
        status_t,
        [ConnP, c_int, POINTER(NotificationP), POINTER(ErrorP)],
    ),
    ("pgtc_conn_notifications_queued", c_size_t, [ConnP]),
    ("pgtc_notification_channel", c_char_p, [NotificationP]),
    ("pgtc_notification_payload", c_char_p, [NotificationP]),
    ("pgtc_notification_pid", c_int32, [NotificationP]),
    ("pgtc_notification_free", None, [NotificationP]),
    # Large results in batches.
    (
        "pgtc_conn_stream",
        status_t,
        [ConnP, c_char_p, c_size_t, POINTER(c_char_p), c_size_t, POINTER(StreamP), POINTER(ErrorP)],
    ),
    (
        "pgtc_conn_stream_typed",
        status_t,
        [
            ConnP,
            c_char_p,
            c_size_t,
            POINTER(c_uint32),
            POINTER(c_char_p),
            POINTER(c_int),
            POINTER(c_int),
            c_size_t,
            POINTER(StreamP),
            POINTER(ErrorP),
        ],
    ),
    (
        "pgtc_stmt_stream",
        status_t,
        [
            StmtP,
            c_size_t,
            POINTER(c_char_p),
            POINTER(c_int),
            POINTER(c_int),
            c_size_t,
            POINTER(StreamP),
            POINTER(ErrorP),
        ],
    ),
    ("pgtc_stream_next", status_t, [StreamP, POINTER(ResultP), POINTER(ErrorP)]),
    ("pgtc_stream_close", status_t, [StreamP, POINTER(ErrorP)]),
    ("pgtc_stream_server", server_t, [StreamP]),
    ("pgtc_stream_free", None, [StreamP]),
]

FUNCTIONS = [name for name, _, _ in _SIGNATURES]


def candidates() -> List[str]:
    """The places the library is looked for, in order (see the module doc)."""
    out = []
    env = os.environ.get("PGTC_LIBRARY")
    if env:
        out.append(env)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libpgtc.so")
    if os.path.exists(here):
        out.append(here)
    found = ctypes.util.find_library("pgtc")
    if found:
        out.append(found)
    out.append("libpgtc.so")
    return out


def _declare(cdll: ctypes.CDLL) -> ctypes.CDLL:
    for name, restype, argtypes in _SIGNATURES:
        try:
            fn = getattr(cdll, name)
        except AttributeError as e:
            raise ImportError(
                f"{cdll._name} has no function {name}: it is not a (recent enough) libpgtc"
            ) from e
        fn.restype = restype
        fn.argtypes = argtypes
    return cdll


def load() -> "tuple[ctypes.CDLL, str]":
    """Load and declare the library; returns (library, path it came from)."""
    env = os.environ.get("PGTC_LIBRARY")
    if env:
        try:
            return _declare(ctypes.CDLL(env)), env
        except OSError as e:
            raise ImportError(f"PGTC_LIBRARY={env!r} cannot be loaded: {e}") from e
    errors = []
    for path in candidates():
        try:
            return _declare(ctypes.CDLL(path)), path
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError(
        "libpgtc not found; build it (cargo build --release) and set PGTC_LIBRARY "
        "to target/release/libpgtc.so, put libpgtc.so next to the pgtc package, or "
        "install it where the system loader finds it. Tried: " + "; ".join(errors)
    )


#: The handle types and the out-parameters that receive them.
_HANDLES = (ConnP, CopyP, NotificationP, StmtP, StreamP, PoolP, ErrorP, ResultP, RouteP)
_HANDLE_OUTS = tuple(POINTER(t) for t in _HANDLES)


def _by_address(t: Any) -> Any:
    """``t`` with a handle as ``c_void_p`` (an int address, or None for
    NULL) and a handle out-parameter as ``POINTER(c_void_p)``."""
    if t in _HANDLES:
        return c_void_p
    if t in _HANDLE_OUTS:
        return POINTER(c_void_p)
    return t


#: Functions besides ``pgtc_result_*`` that ``Addresses`` calls holding the GIL.
_HELD = frozenset({"pgtc_conn_notifications_queued"})


class Addresses:
    """The functions of ``lib`` declared a second time, with every handle
    (argument, result and out-parameter) as a plain address
    (``c_void_p``): the same C functions, the same calls, at about half the
    conversion cost per call of the typed declarations (no pointer-type
    check). An argument may be an int address or a typed pointer; a handle
    returned is an int, or None for NULL. The statement and fetch paths of
    ``Connection`` and ``Cursor`` call these; everything else uses ``lib``.

    The ``pgtc_result_*`` functions only read (or free) a result, which no
    other thread changes and which takes no lock, and
    ``pgtc_conn_notifications_queued`` only reads a count of the connection
    the caller uses: they are called holding the GIL (``PyDLL``), sparing a
    release and a re-acquisition per call (the statement path asks for the
    count after every statement). Every other function releases the GIL, as
    ``lib``'s do: it may wait on the network or on the connection, and a
    notice handler called from it needs the GIL."""

    def __init__(self, cdll: ctypes.CDLL) -> None:
        held = ctypes.PyDLL(cdll._name, handle=cdll._handle)
        for name, restype, argtypes in _SIGNATURES:
            # A new function object (lib's keeps its types).
            fn = held[name] if name.startswith("pgtc_result_") or name in _HELD else cdll[name]
            fn.restype = _by_address(restype)
            fn.argtypes = [_by_address(t) for t in argtypes]
            setattr(self, name, fn)

    def __getattr__(self, name: str) -> Any:  # for type checkers: set in __init__
        raise AttributeError(name)


lib: ctypes.CDLL
library_path: Optional[str]
lib, library_path = load()
addr = Addresses(lib)
