"""Connecting: DSNs, DSN-less strings, psqlODBC's key names, unknown keys,
the login timeout, SQLGetInfo."""

import socket
import threading

import pyodbc
import pytest

from conftest import sqlstate, wait_for


def one(c, sql):
    return c.cursor().execute(sql).fetchone()[0]


def test_dsn(drv):
    c = pyodbc.connect("DSN=%s" % drv.dsn, autocommit=True)
    assert one(c, "SELECT 40 + 2") == 42
    c.close()


def test_dsn_with_psqlodbc_key_names(drv):
    # Servername, Username and Password in odbc.ini.
    c = pyodbc.connect("DSN=%s-psqlkeys" % drv.name, autocommit=True)
    assert one(c, "SELECT current_user") == drv.kv["user"]
    c.close()


def test_dsn_with_overrides(drv):
    # Keys in the string win over the DSN's: a wrong password fails.
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect("DSN=%s;PWD=not-the-password" % drv.dsn, autocommit=True)
    assert "password" in str(e.value).lower()


def test_dsn_less(drv):
    c = drv.connect()
    assert one(c, "SELECT current_user") == drv.kv["user"]
    assert one(c, "SELECT current_database()") == drv.kv["dbname"]
    c.close()


def test_psqlodbc_key_names(drv):
    kv = drv.kv
    # The server part of the base string with psqlODBC's names for the rest.
    server = drv.base.split(";Database=")[0].replace("Server=", "Servername=")
    extra = ";PREFERRED_ACCESS=READ_MOSTLY" if drv.is_pgtc else ""
    s = "Driver=%s;%s;Database=%s;Username=%s;Password={%s};SSLmode=disable%s" % (
        drv.name, server, kv["dbname"], kv["user"], kv["password"], extra)
    c = pyodbc.connect(s, autocommit=True)
    assert one(c, "SELECT current_user") == kv["user"]
    c.close()


def test_braced_value(drv, cnxn):
    # A braced password may hold ';' and '}' (written '}}').
    role = "pyodbc_brace_%s" % drv.name
    cur = cnxn.cursor()
    cur.execute("DROP ROLE IF EXISTS %s" % role)
    cur.execute("CREATE ROLE %s LOGIN PASSWORD 'se;cr}et'" % role)
    try:
        s = drv.replaced(UID=role, PWD="{se;cr}}et}")

        def attempt():
            # The standby learns of the role a little later.
            try:
                return pyodbc.connect(s, autocommit=True)
            except pyodbc.Error:
                return None

        c = wait_for(attempt, "a login with a braced password")
        assert one(c, "SELECT current_user") == role
        c.close()
    finally:
        cur.execute("DROP ROLE %s" % role)


def test_unknown_key(drv):
    s = drv.connstr("Frobnicate=1")
    if drv.is_pgtc:
        # pgtc refuses a key it does not know, naming it.
        with pytest.raises(pyodbc.Error) as e:
            pyodbc.connect(s, autocommit=True)
        assert sqlstate(e.value) == "08001"
        assert "Frobnicate" in str(e.value)
    else:
        # psqlODBC ignores keys it does not know.
        c = pyodbc.connect(s, autocommit=True)
        assert one(c, "SELECT 1") == 1
        c.close()


def test_wrong_password(drv):
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(drv.replaced(PWD="wrong"), autocommit=True)
    assert "password" in str(e.value).lower()


def test_repeated_key(drv):
    s = drv.connstr("PWD=wrong")
    if drv.is_pgtc:
        # ODBC's rule: a repeated key's first value counts.
        c = pyodbc.connect(s, autocommit=True)
        assert one(c, "SELECT 1") == 1
        c.close()
    else:
        # psqlODBC takes the last one.
        with pytest.raises(pyodbc.Error) as e:
            pyodbc.connect(s, autocommit=True)
        assert "password" in str(e.value).lower()


class Silent:
    """A TCP listener that accepts and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.t.join()
        for c in self.conns:
            c.close()
        self.sock.close()


def test_login_timeout(drv):
    srv = Silent()
    try:
        s = "Driver=%s;Server=127.0.0.1;Port=%d;Database=x;UID=x;PWD=x" % (drv.name, srv.port)
        out = {}

        def go():
            try:
                pyodbc.connect(s, autocommit=True, timeout=1)
                out["ok"] = True
            except pyodbc.Error as e:
                out["err"] = e

        t = threading.Thread(target=go, daemon=True)
        t.start()
        # A liveness bound, not a timing assertion: without the timeout the
        # connect would wait for the server forever.
        t.join(60)
        assert not t.is_alive(), "connect did not give up"
        assert "err" in out, "connected to a server that never answered"
        assert srv.conns, "the driver never reached the listener"
    finally:
        srv.close()


INFO = [
    ("SQL_DRIVER_ODBC_VER", str),
    ("SQL_DBMS_NAME", str),
    ("SQL_DBMS_VER", str),
    ("SQL_DRIVER_NAME", str),
    ("SQL_DRIVER_VER", str),
    ("SQL_DATA_SOURCE_NAME", str),
    ("SQL_DATABASE_NAME", str),
    ("SQL_USER_NAME", str),
    ("SQL_SERVER_NAME", str),
    ("SQL_IDENTIFIER_QUOTE_CHAR", str),
    ("SQL_SEARCH_PATTERN_ESCAPE", str),
    ("SQL_CATALOG_NAME_SEPARATOR", str),
    ("SQL_MAX_COLUMN_NAME_LEN", int),
    ("SQL_MAX_TABLE_NAME_LEN", int),
    ("SQL_TXN_CAPABLE", int),
    ("SQL_DEFAULT_TXN_ISOLATION", int),
    ("SQL_TXN_ISOLATION_OPTION", int),
    ("SQL_GETDATA_EXTENSIONS", int),
    ("SQL_CURSOR_COMMIT_BEHAVIOR", int),
    ("SQL_DATA_SOURCE_READ_ONLY", bool),
    ("SQL_ACCESSIBLE_TABLES", bool),
    ("SQL_CONCAT_NULL_BEHAVIOR", int),
]


@pytest.mark.parametrize("name,kind", INFO, ids=[n for n, _ in INFO])
def test_getinfo(cnxn, name, kind):
    v = cnxn.getinfo(getattr(pyodbc, name))
    assert isinstance(v, kind), (name, v)


def test_getinfo_values(drv, cnxn):
    assert cnxn.getinfo(pyodbc.SQL_DBMS_NAME) == "PostgreSQL"
    assert cnxn.getinfo(pyodbc.SQL_DRIVER_ODBC_VER).startswith("03.")
    assert cnxn.getinfo(pyodbc.SQL_DATABASE_NAME) == drv.kv["dbname"]
    assert cnxn.getinfo(pyodbc.SQL_USER_NAME) == drv.kv["user"]
    assert cnxn.getinfo(pyodbc.SQL_IDENTIFIER_QUOTE_CHAR) == '"'
    assert cnxn.getinfo(pyodbc.SQL_DEFAULT_TXN_ISOLATION) == pyodbc.SQL_TXN_READ_COMMITTED
    assert cnxn.getinfo(pyodbc.SQL_TXN_CAPABLE) != 0
    ver = cnxn.getinfo(pyodbc.SQL_DBMS_VER)
    server = one(cnxn, "SHOW server_version_num")
    assert ver.split(".")[0].lstrip("0") == str(int(server) // 10000)
