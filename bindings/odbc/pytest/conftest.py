"""pyodbc tests of pgtc's ODBC driver, each run through two drivers.

The harness (bindings/odbc/test) registers both drivers in a private
ODBCSYSINI/ODBCINI and sets:

  PGTC_ODBC_CONNINFO  the pair's libpq string as tools/pgtc-cluster prints it
                      (``host=h1,h2 port=p1,p2 user=… password=… dbname=…``)
  PGTC_ODBC_DRIVERS   which drivers to run (default ``pgtc,psqlodbc``)

``pgtc`` connects with both servers and PREFERRED_ACCESS=READ_MOSTLY;
``psqlodbc`` (Debian's odbc-postgresql, the wide psqlodbcw.so) connects to
the primary alone. A test marked ``pgtc_only`` is skipped for psqlODBC; a
test that expects each driver's own documented behaviour branches on
``drv.name``.
"""

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyodbc
import pytest

# unixODBC's pooling is off unless odbcinst.ini says otherwise; keep pyodbc
# from asking for it so that each test gets a connection of its own.
pyodbc.pooling = False

HERE = Path(__file__).resolve().parent
HEADER = HERE.parent / "include" / "pgtc_odbc.h"


def parse_conninfo(s):
    kv = {}
    for pair in s.split():
        k, _, v = pair.partition("=")
        kv[k] = v
    hosts = kv["host"].split(",")
    ports = kv["port"].split(",")
    if len(ports) == 1:
        ports = ports * len(hosts)
    return kv, list(zip(hosts, ports))


@dataclass
class Driver:
    name: str  # the name registered in odbcinst.ini
    base: str  # DSN-less connection string without Driver=
    dsn: str
    kv: dict = field(default_factory=dict)

    @property
    def is_pgtc(self):
        return self.name == "pgtc"

    def connstr(self, extra=""):
        s = "Driver=%s;%s" % (self.name, self.base)
        return s + (";" + extra if extra else "")

    def replaced(self, **keys):
        """The DSN-less string with some keys' values replaced (ODBC keeps a
        repeated key's first value, so appending would not do)."""
        pairs = []
        for p in self.connstr().split(";"):
            k = p.split("=", 1)[0]
            if k in keys:
                p = "%s=%s" % (k, keys.pop(k))
            pairs.append(p)
        pairs += ["%s=%s" % kv for kv in keys.items()]
        return ";".join(pairs)

    def connect(self, extra="", autocommit=True, **kw):
        return pyodbc.connect(self.connstr(extra), autocommit=autocommit, **kw)


def _servers():
    ci = os.environ.get("PGTC_ODBC_CONNINFO")
    if not ci:
        pytest.exit("PGTC_ODBC_CONNINFO is not set (run bindings/odbc/test)", 2)
    return parse_conninfo(ci)


def _is_primary(name, kv, host, port):
    s = "Driver=%s;Server=%s;Port=%s;Database=%s;UID=%s;PWD={%s}" % (
        name, host, port, kv["dbname"], kv["user"], kv["password"])
    if name == "pgtc":
        s += ";PREFERRED_ACCESS=WRITE_MOSTLY"
    c = pyodbc.connect(s, autocommit=True)
    try:
        return c.cursor().execute("SELECT pg_is_in_recovery()").fetchone()[0] in (False, 0, "0")
    finally:
        c.close()


_DRIVERS = {}


def make_driver(name):
    if name in _DRIVERS:
        return _DRIVERS[name]
    kv, servers = _servers()
    auth = "Database=%s;UID=%s;PWD={%s}" % (kv["dbname"], kv["user"], kv["password"])
    if name == "pgtc":
        base = "Server=%s;Port=%s;%s;PREFERRED_ACCESS=READ_MOSTLY" % (
            ",".join(h for h, _ in servers), ",".join(p for _, p in servers), auth)
        d = Driver(name, base, "pgtc-test", kv)
    else:
        primary = [s for s in reversed(servers) if _is_primary("psqlodbc", kv, *s)]
        assert primary, "no primary among %r" % (servers,)
        h, p = primary[0]
        d = Driver(name, "Server=%s;Port=%s;%s" % (h, p, auth), "psqlodbc-test", kv)
    _DRIVERS[name] = d
    return d


def pytest_configure(config):
    config.addinivalue_line("markers", "pgtc_only: pgtc's own behaviour; skipped for psqlODBC")


def pytest_generate_tests(metafunc):
    if "drv" in metafunc.fixturenames:
        names = os.environ.get("PGTC_ODBC_DRIVERS", "pgtc,psqlodbc").split(",")
        metafunc.parametrize("drv", [n for n in names if n], indirect=True)


@pytest.fixture
def drv(request):
    d = make_driver(request.param)
    if request.node.get_closest_marker("pgtc_only") and not d.is_pgtc:
        pytest.skip("pgtc's own behaviour (psqlODBC connects to one server)")
    return d


@pytest.fixture
def cnxn(drv):
    """An autocommit connection."""
    c = drv.connect()
    yield c
    try:
        c.close()
    except pyodbc.Error:
        pass


@pytest.fixture
def cur(cnxn):
    return cnxn.cursor()


_counter = [0]


@pytest.fixture
def table(drv, cnxn):
    """A fresh table name, dropped afterwards (created by the test)."""
    _counter[0] += 1
    name = "pyodbc_%s_%d_%d" % (drv.name, os.getpid(), _counter[0])
    yield name
    try:
        c = drv.connect()
        c.cursor().execute("DROP TABLE IF EXISTS %s CASCADE" % name)
        c.close()
    except pyodbc.Error:
        pass


def sqlstate(exc):
    """The SQLSTATE pyodbc puts first in an exception's args."""
    return exc.args[0] if exc.args else None


def wait_for(cond, what, deadline=30.0, interval=0.05):
    """Polls cond() until it returns a true value; fails after deadline."""
    end = time.monotonic() + deadline
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            pytest.fail("%s did not happen within %.0f s" % (what, deadline))
        time.sleep(interval)


def header_defines():
    """The numbers bindings/odbc/include/pgtc_odbc.h defines, or None."""
    if not HEADER.exists():
        return None
    out = {}
    for m in re.finditer(r"^\s*#\s*define\s+(\w+)\s+\(?\s*(0[xX][0-9a-fA-F]+|-?\d+)",
                         HEADER.read_text(), re.M):
        out[m.group(1)] = int(m.group(2), 0)
    return out
