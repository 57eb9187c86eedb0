"""DB-API type objects and constructors.

``cursor.description[i][1]`` (type_code) is the column's PostgreSQL type
OID, an int; it compares equal to the type object of its group::

    cur.description[0][1] == pgtc.NUMBER   # True for an int4 column (OID 23)
"""

from __future__ import annotations

import datetime
import time
from typing import FrozenSet


class DBAPITypeObject:
    """A group of type OIDs; equal to every OID in the group."""

    def __init__(self, name: str, *oids: int) -> None:
        self.name = name
        self.values: FrozenSet[int] = frozenset(oids)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DBAPITypeObject):
            return self.values == other.values
        if isinstance(other, int) and not isinstance(other, bool):
            return other in self.values
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"<pgtc type {self.name} {sorted(self.values)}>"


#: text, varchar, bpchar, name, "char", unknown, xml, citext-like text types.
STRING = DBAPITypeObject("STRING", 25, 1043, 1042, 19, 18, 705, 142)
#: bytea
BINARY = DBAPITypeObject("BINARY", 17)
#: int2, int4, int8, oid, float4, float8, numeric, money
NUMBER = DBAPITypeObject("NUMBER", 21, 23, 20, 26, 700, 701, 1700, 790)
#: date, time, timetz, timestamp, timestamptz, interval
DATETIME = DBAPITypeObject("DATETIME", 1082, 1083, 1266, 1114, 1184, 1186)
#: oid (as psycopg2), tid
ROWID = DBAPITypeObject("ROWID", 26, 27)

Date = datetime.date
Time = datetime.time
Timestamp = datetime.datetime


def DateFromTicks(ticks: float) -> datetime.date:
    """The local date of a POSIX timestamp."""
    return Date(*time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> datetime.time:
    """The local time of a POSIX timestamp."""
    return Time(*time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> datetime.datetime:
    """The local date and time of a POSIX timestamp (naive)."""
    return Timestamp(*time.localtime(ticks)[:6])


def Binary(value: bytes) -> bytes:
    """A binary (bytea) value."""
    return bytes(value)


# Type OIDs of PostgreSQL's built-in types (pg_type.oid, fixed across
# servers), for ``register_caster`` and ``description`` type codes.
BOOL = 16
BYTEA = 17
CHAR = 18
NAME = 19
INT8 = 20
INT2 = 21
INT4 = 23
TEXT = 25
OID = 26
JSON = 114
XML = 142
FLOAT4 = 700
FLOAT8 = 701
MONEY = 790
MACADDR = 829
INET = 869
CIDR = 650
BPCHAR = 1042
VARCHAR = 1043
DATE = 1082
TIME = 1083
TIMESTAMP = 1114
TIMESTAMPTZ = 1184
INTERVAL = 1186
TIMETZ = 1266
BIT = 1560
VARBIT = 1562
NUMERIC = 1700
UUID = 2950
JSONB = 3802
JSONPATH = 4072
INT4RANGE = 3904
NUMRANGE = 3906
TSRANGE = 3908
TSTZRANGE = 3910
DATERANGE = 3912
INT8RANGE = 3926
INT4MULTIRANGE = 4451
NUMMULTIRANGE = 4532
TSMULTIRANGE = 4533
TSTZMULTIRANGE = 4534
DATEMULTIRANGE = 4535
INT8MULTIRANGE = 4536
# Arrays of some of them.
INT4_ARRAY = 1007
INT8_ARRAY = 1016
TEXT_ARRAY = 1009
UUID_ARRAY = 2951
JSON_ARRAY = 199
JSONB_ARRAY = 3807
