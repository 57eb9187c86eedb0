"""Result text → Python values, chosen by the column's type OID.

pgtc gives every value as the text PostgreSQL prints (as psql shows it).
The parsers expect the server defaults ``DateStyle = ISO`` and
``IntervalStyle = postgres``.

=====================================  ====================================
type (OID)                             Python
=====================================  ====================================
bool (16)                              bool
int2/int4/int8/oid (21, 23, 20, 26)    int
float4/float8 (700, 701)               float (``Infinity``, ``NaN`` too)
numeric (1700)                         decimal.Decimal (``NaN`` → Decimal('NaN'))
text, varchar, bpchar, name, char      str
bytea (17)                             bytes (hex output format)
date (1082)                            datetime.date
time (1083), timetz (1266)             datetime.time (timetz with tzinfo)
timestamp (1114)                       datetime.datetime (naive)
timestamptz (1184)                     datetime.datetime (aware; offsets such
                                       as ``+00``, ``+05:30``, ``-03:00:15``)
interval (1186)                        datetime.timedelta; years and months
                                       are approximated as 365 and 30 days
                                       (as psycopg2 does)
uuid (2950)                            uuid.UUID
json, jsonb (114, 3802)                ``json.loads``
arrays of these (1000, 1001, 1005,     list (nested lists for more than one
1007, 1009, 1015, 1016, 1021, 1022,    dimension; NULL elements → None)
1028, 1014, 1182, 1183, 1115, 1185,
1187, 1231, 2951, 199, 3807, 1270)
anything else                          str
=====================================  ====================================

Dates and timestamps Python cannot hold (``infinity``, ``-infinity``, BC
dates, years past 9999) are returned as the server's text.

These are the built-in casters; ``pgtc._casters`` lets the module and each
connection replace them or turn them off (``register_caster``).
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import uuid
from typing import Any, Callable, Dict, List, Optional

from .errors import DataError


def _bool(s: str) -> bool:
    return s == "t" or s == "true"


def _bytea(s: str) -> bytes:
    if s.startswith("\\x"):
        return bytes.fromhex(s[2:])
    # 'escape' output format (bytea_output = escape): octal escapes.
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if s[i + 1] == "\\":
                out.append(0x5C)
                i += 2
            else:
                out.append(int(s[i + 1 : i + 4], 8))
                i += 4
        else:
            out.extend(c.encode())
            i += 1
    return bytes(out)


def _decimal(s: str) -> decimal.Decimal:
    return decimal.Decimal(s)


_TZ_RE = re.compile(r"([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$")
_SPECIAL_DATES = ("infinity", "-infinity")


def _tz(s: str):
    """Split a trailing UTC offset off ``s``: (rest, tzinfo or None)."""
    m = _TZ_RE.search(s)
    if not m:
        return s, None
    sign = -1 if m.group(1) == "-" else 1
    off = datetime.timedelta(
        hours=int(m.group(2)), minutes=int(m.group(3) or 0), seconds=int(m.group(4) or 0)
    )
    return s[: m.start()], datetime.timezone(sign * off)


def _time_part(s: str) -> datetime.time:
    hh, mm, rest = s.split(":")
    if "." in rest:
        ss, frac = rest.split(".")
        us = int((frac + "000000")[:6])
    else:
        ss, us = rest, 0
    h = int(hh)
    if h == 24:  # PostgreSQL allows 24:00:00
        return datetime.time(23, 59, 59, 999999)
    return datetime.time(h, int(mm), int(ss), us)


_BIG_YEAR = re.compile(r"\d{5,}-")


def _unrepresentable(s: str) -> bool:
    """infinity, -infinity, BC dates, years past 9999: kept as text."""
    return s in _SPECIAL_DATES or s.endswith(" BC") or _BIG_YEAR.match(s) is not None


def _date(s: str) -> Any:
    if _unrepresentable(s):
        return s
    try:
        return datetime.date.fromisoformat(s)
    except ValueError as e:
        raise DataError(f"cannot parse date {s!r} (is DateStyle ISO?)") from e


def _time(s: str) -> datetime.time:
    try:
        return _time_part(s)
    except ValueError as e:
        raise DataError(f"cannot parse time {s!r}") from e


def _timetz(s: str) -> datetime.time:
    rest, tz = _tz(s)
    try:
        return _time_part(rest).replace(tzinfo=tz)
    except ValueError as e:
        raise DataError(f"cannot parse time with time zone {s!r}") from e


def _timestamp(s: str) -> Any:
    if _unrepresentable(s):
        return s
    try:
        d, t = s.split(" ", 1)
        return datetime.datetime.combine(datetime.date.fromisoformat(d), _time_part(t))
    except ValueError as e:
        raise DataError(f"cannot parse timestamp {s!r} (is DateStyle ISO?)") from e


def _timestamptz(s: str) -> Any:
    if _unrepresentable(s):
        return s
    try:
        d, t = s.split(" ", 1)
        t, tz = _tz(t)
        dt = datetime.datetime.combine(datetime.date.fromisoformat(d), _time_part(t))
        return dt.replace(tzinfo=tz)
    except (ValueError, OverflowError) as e:
        raise DataError(f"cannot parse timestamptz {s!r} (is DateStyle ISO?)") from e


_INTERVAL_RE = re.compile(
    r"(?:([+-]?\d+) years?)?\s*"
    r"(?:([+-]?\d+) mons?)?\s*"
    r"(?:([+-]?\d+) days?)?\s*"
    r"(?:([+-])?(\d+):(\d+):(\d+)(?:\.(\d+))?)?$"
)


def _interval(s: str) -> datetime.timedelta:
    """IntervalStyle 'postgres' text: '1 year 2 mons -3 days +04:05:06.7'."""
    m = _INTERVAL_RE.match(s.strip())
    if not m:
        raise DataError(f"cannot parse interval {s!r} (is IntervalStyle postgres?)")
    years, mons, days, sign, hh, mm, ss, frac = m.groups()
    total_days = int(years or 0) * 365 + int(mons or 0) * 30 + int(days or 0)
    td = datetime.timedelta(days=total_days)
    if hh is not None:
        us = int(((frac or "") + "000000")[:6])
        t = datetime.timedelta(hours=int(hh), minutes=int(mm), seconds=int(ss), microseconds=us)
        td += -t if sign == "-" else t
    return td


def _json(s: str) -> Any:
    return json.loads(s)


def _parse_array(s: str, elem: Callable[[str], Any]) -> List[Any]:
    """PostgreSQL's array text format: '{1,NULL,"a \\"b\\"",{2,3}}'."""
    if s.startswith("["):  # '[0:2]={…}': explicit lower bounds
        s = s[s.index("=") + 1 :]
    pos = 0
    n = len(s)

    def parse_level() -> List[Any]:
        nonlocal pos
        assert s[pos] == "{"
        pos += 1
        items: List[Any] = []
        if pos < n and s[pos] == "}":
            pos += 1
            return items
        while pos < n:
            c = s[pos]
            if c == "{":
                items.append(parse_level())
            elif c == '"':
                pos += 1
                buf = []
                while s[pos] != '"':
                    if s[pos] == "\\":
                        pos += 1
                    buf.append(s[pos])
                    pos += 1
                pos += 1
                items.append(elem("".join(buf)))
            else:
                start = pos
                while s[pos] not in ",}":
                    pos += 1
                raw = s[start:pos].strip()
                items.append(None if raw == "NULL" else elem(raw))
            c = s[pos]
            pos += 1
            if c == "}":
                return items
            # c == ',' (or ';' for box): next element
        raise DataError(f"unterminated array literal {s!r}")

    try:
        return parse_level()
    except (IndexError, AssertionError) as e:
        raise DataError(f"cannot parse array {s!r}") from e


def _str(s: str) -> str:
    return s


SCALARS: Dict[int, Callable[[str], Any]] = {
    16: _bool,
    17: _bytea,
    18: _str,  # "char"
    19: _str,  # name
    20: int,
    21: int,
    23: int,
    25: _str,
    26: int,  # oid
    114: _json,
    700: float,
    701: float,
    1042: _str,
    1043: _str,
    1082: _date,
    1083: _time,
    1114: _timestamp,
    1184: _timestamptz,
    1186: _interval,
    1266: _timetz,
    1700: _decimal,
    2950: uuid.UUID,
    3802: _json,
}

# Array type OID → element type OID.
ARRAYS: Dict[int, int] = {
    1000: 16,
    1001: 17,
    1002: 18,
    1003: 19,
    1005: 21,
    1007: 23,
    1009: 25,
    1014: 1042,
    1015: 1043,
    1016: 20,
    1021: 700,
    1022: 701,
    1028: 26,
    1115: 1114,
    1182: 1082,
    1183: 1083,
    1185: 1184,
    1187: 1186,
    1231: 1700,
    1270: 1266,
    199: 114,
    2951: 2950,
    3807: 3802,
}


#: The element function that keeps an element's text.
text = _str


def array_of(elem: Callable[[str], Any]) -> Callable[[str], List[Any]]:
    """The caster of an array whose elements ``elem`` converts."""
    return lambda s: _parse_array(s, elem)


def caster(oid: int) -> Optional[Callable[[str], Any]]:
    """The built-in text → Python function for a type OID; None means str
    (``pgtc.casters`` adds the registered ones)."""
    fn = SCALARS.get(oid)
    if fn is _str:
        return None
    if fn is not None:
        return fn
    elem_oid = ARRAYS.get(oid)
    if elem_oid is not None:
        return array_of(SCALARS[elem_oid])
    return None
