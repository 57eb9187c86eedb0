"""Error and notice fields, as psycopg2's ``Diagnostics`` (``exc.diag``).

Every field of the server's ErrorResponse or NoticeResponse, read with
``pgtc_error_field`` by its protocol code; ``None`` when the server did not
send it. An error pgtc found itself (no server sent it) has ``severity``,
``severity_nonlocalized`` ("ERROR"), ``sqlstate`` and ``message_primary``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import _ffi

__all__ = ["Diagnostics", "FIELDS"]

#: attribute name → protocol code (libpq's PG_DIAG_* values).
FIELDS: Dict[str, str] = {
    "severity": "S",
    "severity_nonlocalized": "V",
    "sqlstate": "C",
    "message_primary": "M",
    "message_detail": "D",
    "message_hint": "H",
    "statement_position": "P",
    "internal_position": "p",
    "internal_query": "q",
    "context": "W",
    "schema_name": "s",
    "table_name": "t",
    "column_name": "c",
    "datatype_name": "d",
    "constraint_name": "n",
    "source_file": "F",
    "source_line": "L",
    "source_function": "R",
}


class Diagnostics:
    """The fields of an error or a notice (psycopg2's ``diag`` attributes:
    ``sqlstate``, ``message_primary``, ``message_detail``, ``message_hint``,
    ``statement_position``, ``context``, ``schema_name``, ``table_name``,
    ``column_name``, ``datatype_name``, ``constraint_name``, …). A notice's
    diagnostics also say which server sent it: ``server`` is 'primary' or
    'standby' (None for errors)."""

    __slots__ = tuple(FIELDS) + ("server",)

    def __init__(self, values: Optional[Dict[str, Optional[str]]] = None, server: Optional[str] = None) -> None:
        values = values or {}
        for name in FIELDS:
            setattr(self, name, values.get(name))
        self.server = server

    @classmethod
    def from_error(cls, ptr: Any, server: Optional[str] = None) -> "Diagnostics":
        """Read every field of a live ``pgtc_error *`` (copied: the object
        outlives the pointer)."""
        values: Dict[str, Optional[str]] = {}
        for name, code in FIELDS.items():
            raw = _ffi.lib.pgtc_error_field(ptr, ord(code))
            values[name] = None if raw is None else raw.decode("utf-8", "replace")
        return cls(values, server)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in FIELDS if getattr(self, name) is not None
        )
        return f"<pgtc.Diagnostics {shown}>"
