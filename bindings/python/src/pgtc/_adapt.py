"""Python values → parameter text.

Parameters travel as text and are typed by the server from the context
(``WHERE id = $1``, ``INSERT … VALUES ($1)``), as with libpq's
``PQexecParams`` without parameter types: pgtc's C ABI takes no type OIDs.
Where the context says nothing (``SELECT %s``), the server takes the
parameter as ``text``: write ``SELECT %s::int``.

=============================  ==========================================
Python                         text sent
=============================  ==========================================
None                           SQL NULL
bool                           ``true`` / ``false``
int                            decimal digits
float                          ``repr()``; ``Infinity``, ``-Infinity``, ``NaN``
decimal.Decimal                ``str()`` (``NaN``, ``Infinity`` as PostgreSQL spells them)
str                            as is (a NUL character is a DataError)
bytes, bytearray, memoryview   bytea hex format ``\\x…``
datetime.date/time/datetime    ISO 8601 (``isoformat()``; an aware value keeps its offset)
datetime.timedelta             ``<d> days <s>.<us> seconds`` (e.g. ``1 days 1.500000 seconds``)
uuid.UUID                      canonical text
ipaddress objects              ``str()``
dict                           JSON (``json.dumps``)
pgtc.Json(obj)                 JSON of any value (e.g. a JSON array)
list, tuple                    array literal ``{…}``: elements double-quoted
                               and escaped, NULL for None, nested for nested
=============================  ==========================================
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import json
import math
import uuid
from typing import Any, Callable, Dict, Optional

from .errors import DataError, ProgrammingError


class Json:
    """Wraps any JSON-serializable value to send it as JSON text; needed for
    a JSON array (a plain list is sent as a PostgreSQL array) or scalar.
    ``dumps`` replaces ``json.dumps``."""

    __slots__ = ("obj", "dumps")

    def __init__(self, obj: Any, dumps: Callable[[Any], str] = json.dumps) -> None:
        self.obj = obj
        self.dumps = dumps

    def __repr__(self) -> str:
        return f"Json({self.obj!r})"


def _float(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def _decimal(v: decimal.Decimal) -> str:
    if v.is_nan():
        if v.is_snan():
            raise DataError("signaling NaN cannot be sent to PostgreSQL")
        return "NaN"
    if v.is_infinite():
        return "Infinity" if v > 0 else "-Infinity"
    return str(v)


def _bytes(v: Any) -> str:
    return "\\x" + bytes(v).hex()


def _timedelta(v: datetime.timedelta) -> str:
    if v < datetime.timedelta(0):
        neg = -v
        return f"-{neg.days} days -{neg.seconds}.{neg.microseconds:06d} seconds"
    return f"{v.days} days {v.seconds}.{v.microseconds:06d} seconds"


def _str(v: str) -> str:
    if "\x00" in v:
        raise DataError("a string parameter cannot contain NUL (0x00) characters")
    return v


_QUOTE_NEEDED = str.maketrans({"\\": "\\\\", '"': '\\"'})


def _array(v: Any) -> str:
    parts = []
    for item in v:
        if item is None:
            parts.append("NULL")
        elif isinstance(item, (list, tuple)):
            parts.append(_array(item))
        else:
            text = adapt(item)
            assert text is not None
            parts.append('"' + text.translate(_QUOTE_NEEDED) + '"')
    return "{" + ",".join(parts) + "}"


_ADAPTERS: Dict[type, Callable[[Any], str]] = {
    bool: lambda v: "true" if v else "false",
    int: lambda v: str(int(v)),
    float: _float,
    decimal.Decimal: _decimal,
    str: _str,
    bytes: _bytes,
    bytearray: _bytes,
    memoryview: _bytes,
    datetime.date: lambda v: v.isoformat(),
    datetime.datetime: lambda v: v.isoformat(),
    datetime.time: lambda v: v.isoformat(),
    datetime.timedelta: _timedelta,
    uuid.UUID: str,
    dict: lambda v: _str(json.dumps(v)),
    Json: lambda v: _str(v.dumps(v.obj)),
    list: _array,
    tuple: _array,
    ipaddress.IPv4Address: str,
    ipaddress.IPv6Address: str,
    ipaddress.IPv4Network: str,
    ipaddress.IPv6Network: str,
    ipaddress.IPv4Interface: str,
    ipaddress.IPv6Interface: str,
}


def adapt(value: Any) -> Optional[str]:
    """The parameter text for ``value`` (None for SQL NULL)."""
    if value is None:
        return None
    fn = _ADAPTERS.get(type(value))
    if fn is None:
        # Subclasses (IntEnum, str enums, OrderedDict, …): first matching base.
        for base in type(value).__mro__[1:]:
            fn = _ADAPTERS.get(base)
            if fn is not None:
                break
        else:
            raise ProgrammingError(f"can't adapt type {type(value).__name__!r}")
    return fn(value)
