"""Module globals, exceptions, type objects, library loading, connection strings."""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime
import re
import os
import shutil
import subprocess
import sys
import time

import pytest

import pgtc
from pgtc import _ffi, errors


def test_globals():
    assert pgtc.apilevel == "2.0"
    assert pgtc.threadsafety == 1
    assert pgtc.paramstyle == "pyformat"
    assert pgtc.library_version()  # e.g. "0.1.0"
    assert pgtc.library_path()


def test_exception_hierarchy():
    assert issubclass(pgtc.Warning, Exception)
    assert issubclass(pgtc.Error, Exception)
    assert not issubclass(pgtc.Warning, pgtc.Error)
    for cls in (pgtc.InterfaceError, pgtc.DatabaseError):
        assert issubclass(cls, pgtc.Error)
    for cls in (
        pgtc.DataError,
        pgtc.OperationalError,
        pgtc.IntegrityError,
        pgtc.InternalError,
        pgtc.ProgrammingError,
        pgtc.NotSupportedError,
    ):
        assert issubclass(cls, pgtc.DatabaseError)
    assert issubclass(pgtc.TransactionRollbackError, pgtc.OperationalError)
    assert issubclass(pgtc.QueryCanceledError, pgtc.OperationalError)


@pytest.mark.parametrize(
    "status,sqlstate,cls",
    [
        (400, "23505", pgtc.IntegrityError),
        (400, "23503", pgtc.IntegrityError),
        (400, "42601", pgtc.ProgrammingError),
        (400, "42P01", pgtc.ProgrammingError),
        (400, "22012", pgtc.DataError),
        (400, "08006", pgtc.OperationalError),
        (301, "08006", pgtc.OperationalError),
        (400, "57P01", pgtc.OperationalError),
        (400, "53300", pgtc.OperationalError),
        (400, "0A000", pgtc.NotSupportedError),
        (400, "40001", pgtc.TransactionRollbackError),
        (400, "40P01", pgtc.TransactionRollbackError),
        (400, "57014", pgtc.QueryCanceledError),
        (400, "XX000", pgtc.InternalError),
        (400, "25006", pgtc.InternalError),
        (400, "P0001", pgtc.InternalError),
        (400, "ZZ999", pgtc.DatabaseError),
        (100, None, pgtc.InterfaceError),
        # pgtc's own SQLSTATEs for misuse and bad connection strings do not
        # change the class their status gives.
        (100, "HY009", pgtc.InterfaceError),
        (101, "22021", pgtc.InterfaceError),
        (102, "22023", pgtc.InterfaceError),
        (103, "HY010", pgtc.ProgrammingError),
        (200, "42601", pgtc.ProgrammingError),
        (201, "42704", pgtc.ProgrammingError),
        (202, "22023", pgtc.ProgrammingError),
        (302, "08003", pgtc.OperationalError),
        (500, "08P01", pgtc.OperationalError),
        (501, "0A000", pgtc.NotSupportedError),
        (502, "XX000", pgtc.InternalError),
        (101, None, pgtc.InterfaceError),
        (102, None, pgtc.InterfaceError),
        (103, None, pgtc.ProgrammingError),
        (200, None, pgtc.ProgrammingError),
        (201, None, pgtc.ProgrammingError),
        (202, None, pgtc.ProgrammingError),
        (300, None, pgtc.OperationalError),
        (302, None, pgtc.OperationalError),
        (303, "28P01", pgtc.OperationalError),
        (304, "08007", pgtc.OperationalError),
        (400, None, pgtc.DatabaseError),
        (500, None, pgtc.InterfaceError),
        (501, None, pgtc.NotSupportedError),
        (502, None, pgtc.InternalError),
    ],
)
def test_error_class_mapping(status, sqlstate, cls):
    assert errors.class_for(status, sqlstate) is cls


def test_status_names():
    assert pgtc.status_name(0) == "PGTC_STATUS_OK"
    assert pgtc.status_name(400) == "PGTC_STATUS_SQL"
    assert pgtc.status_name(9999) == "PGTC_STATUS_UNKNOWN"


def test_every_function_is_declared():
    for name in _ffi.FUNCTIONS:
        fn = getattr(_ffi.lib, name)
        assert fn.argtypes is not None, name
    # every function of the header is in the list
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "include", "pgtc.h")
    if not os.path.exists(path):
        pytest.skip("include/pgtc.h not found")
    declared = set()
    for line in open(path):
        if not line.startswith((" ", "/", "#", "*")):
            declared.update(re.findall(r"\b(pgtc_[a-z_]+)\(", line))
    assert declared == set(_ffi.FUNCTIONS), "the binding and include/pgtc.h differ"


def test_type_objects():
    assert pgtc.STRING == 25 and pgtc.STRING == 1043 and pgtc.STRING == 1042 and pgtc.STRING == 19
    assert 25 == pgtc.STRING
    assert pgtc.STRING != 23
    assert pgtc.BINARY == 17
    for oid in (20, 21, 23, 700, 701, 1700):
        assert pgtc.NUMBER == oid
    for oid in (1082, 1083, 1114, 1184, 1186):
        assert pgtc.DATETIME == oid
    assert pgtc.ROWID == 26
    assert pgtc.NUMBER != pgtc.STRING
    assert hash(pgtc.NUMBER) == hash(pgtc.NUMBER)


def test_constructors():
    assert pgtc.Date(2002, 12, 25) == datetime.date(2002, 12, 25)
    assert pgtc.Time(13, 45, 30) == datetime.time(13, 45, 30)
    assert pgtc.Timestamp(2002, 12, 25, 13, 45, 30) == datetime.datetime(2002, 12, 25, 13, 45, 30)
    ticks = time.mktime((2002, 12, 25, 13, 45, 30, 0, 0, -1))
    assert pgtc.DateFromTicks(ticks) == datetime.date(2002, 12, 25)
    assert pgtc.TimeFromTicks(ticks) == datetime.time(13, 45, 30)
    assert pgtc.TimestampFromTicks(ticks) == datetime.datetime(2002, 12, 25, 13, 45, 30)
    assert pgtc.Binary(b"abc") == b"abc"
    assert pgtc.Binary(bytearray(b"")) == b""


def test_make_conninfo_quotes_values():
    s = pgtc.make_conninfo(
        "host=a,b",
        user="o'neil",
        password="p w\\x",
        database="db",
        port=[5432, 5433],
        preferred_access="read_mostly",
        application_name=None,
    )
    assert s == (
        "host=a,b user='o\\'neil' password='p w\\\\x' dbname='db' port='5432,5433' "
        "PREFERRED_ACCESS='read_mostly'"
    )
    assert pgtc.make_conninfo(None, host="h") == "host='h'"
    assert pgtc.make_conninfo("postgresql://u@h/db", application_name="a b&c") == (
        "postgresql://u@h/db?application_name=a%20b%26c"
    )
    assert pgtc.make_conninfo("postgresql://u@h/db?x=1", user="v") == "postgresql://u@h/db?x=1&user=v"


def test_attributes_come_from_the_library():
    n = _ffi.lib.pgtc_attr_count()
    names = [_ffi.lib.pgtc_attr_name(i).decode() for i in range(n)]
    assert pgtc.PGTC_ATTRIBUTES == tuple(names)
    assert "PREFERRED_ACCESS" in names and "AUTOCOMMIT" in names
    assert _ffi.lib.pgtc_attr_name(n) is None
    by_name = {a.name: a for a in pgtc.attributes()}
    assert by_name["AUTOCOMMIT"].default == "ON"
    assert all(a.doc for a in by_name.values())
    # a keyword argument is upper-cased when libpgtc names it an attribute
    assert pgtc.make_conninfo(None, Primary_Share=5, nosuch=1) == "PRIMARY_SHARE='5' nosuch='1'"


def test_the_autocommit_default_goes_first():
    assert pgtc._with_first("", "AUTOCOMMIT", "OFF") == "AUTOCOMMIT=OFF"
    assert pgtc._with_first("host=a AUTOCOMMIT=on", "AUTOCOMMIT", "OFF") == (
        "AUTOCOMMIT=OFF host=a AUTOCOMMIT=on"
    )
    assert pgtc._with_first("postgresql://h/db", "AUTOCOMMIT", "OFF") == (
        "postgresql://h/db?AUTOCOMMIT=OFF"
    )
    assert pgtc._with_first("postgresql://h/db?AUTOCOMMIT=ON&x=1", "AUTOCOMMIT", "OFF") == (
        "postgresql://h/db?AUTOCOMMIT=OFF&AUTOCOMMIT=ON&x=1"
    )


def _run_python(code: str, env: dict, cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_library_lookup_order(tmp_path):
    """PGTC_LIBRARY first, then libpgtc.so next to the package, then the loader."""
    lib = _ffi.library_path
    assert lib and os.path.exists(lib)
    pkg_src = os.path.dirname(pgtc.__file__)
    # A copy of the package with the library inside it.
    site = tmp_path / "site"
    shutil.copytree(pkg_src, site / "pgtc", ignore=shutil.ignore_patterns("__pycache__", "libpgtc.so"))
    shutil.copy(lib, site / "pgtc" / "libpgtc.so")
    env = {k: v for k, v in os.environ.items() if k not in ("PGTC_LIBRARY", "LD_LIBRARY_PATH")}
    env["PYTHONPATH"] = str(site)
    probe = "import pgtc; print(pgtc.library_path())"
    out = _run_python(probe, env, str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(site / "pgtc" / "libpgtc.so")

    # PGTC_LIBRARY wins over the bundled copy.
    other = tmp_path / "other" / "libpgtc.so"
    other.parent.mkdir()
    shutil.copy(lib, other)
    out = _run_python(probe, dict(env, PGTC_LIBRARY=str(other)), str(tmp_path))
    assert out.stdout.strip() == str(other), out.stderr

    # A PGTC_LIBRARY that cannot be loaded is an ImportError, not a fallback.
    out = _run_python(probe, dict(env, PGTC_LIBRARY=str(tmp_path / "nope.so")), str(tmp_path))
    assert out.returncode != 0 and "PGTC_LIBRARY" in out.stderr

    # Without both, the system loader (LD_LIBRARY_PATH here).
    os.remove(site / "pgtc" / "libpgtc.so")
    out = _run_python(probe, dict(env, LD_LIBRARY_PATH=str(other.parent)), str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "libpgtc.so"

    # Nothing at all: a helpful ImportError.
    out = _run_python(probe, env, str(tmp_path))
    if ctypes.util.find_library("pgtc") is None:
        assert out.returncode != 0 and "libpgtc not found" in out.stderr
