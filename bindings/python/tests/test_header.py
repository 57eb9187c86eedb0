"""The binding's constants against include/pgtc.h: names and values.

Every enumerator of pgtc_status, pgtc_server and pgtc_counter in the header
must have a constant of the same name (without the ``PGTC_STATUS_`` prefix,
or as ``SERVER_*`` / ``COUNTER_*``) and value in ``pgtc._ffi``, and the
binding must have no such constant the header lacks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict

from pgtc import _core, _ffi

HEADER = Path(__file__).resolve().parents[3] / "include" / "pgtc.h"


def header_enum(prefix: str) -> Dict[str, int]:
    """``{NAME: value}`` of the header's enumerators named ``prefix...``."""
    text = HEADER.read_text(encoding="utf-8")
    found = {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"^\s*(" + prefix + r"\w+) = (\d+),?$", text, re.M)
    }
    assert found, f"no {prefix}* enumerators in {HEADER}"
    return found


def binding_ints(pattern: str) -> Dict[str, int]:
    """The binding's public int constants whose names match ``pattern``."""
    return {
        name: value
        for name, value in vars(_ffi).items()
        if re.fullmatch(pattern, name) and type(value) is int
    }


def test_status_codes_match_the_header():
    header = {
        name[len("PGTC_STATUS_"):]: v for name, v in header_enum("PGTC_STATUS_").items()
    }
    binding = binding_ints(r"(?!SERVER_|COUNTER_)[A-Z][A-Z0-9_]*")
    assert binding == header
    for name, value in header.items():
        assert _core.status_name(value) == "PGTC_STATUS_" + name


def test_server_values_match_the_header():
    header = {name[len("PGTC_"):]: v for name, v in header_enum("PGTC_SERVER_").items()}
    assert binding_ints(r"SERVER_[A-Z0-9_]+") == header
    assert set(_core.SERVER_NAMES) == set(header.values())


def test_counter_values_match_the_header():
    header = {name[len("PGTC_"):]: v for name, v in header_enum("PGTC_COUNTER_").items()}
    assert binding_ints(r"COUNTER_[A-Z0-9_]+") == header
    assert sorted(_ffi.COUNTERS.values()) == sorted(header.values())
