"""COPY through the binding: copy_expert in psycopg2's style, the Copy
object, routing, errors, aborts and streaming in bounded memory."""

from __future__ import annotations

import io
import re
import resource
from pathlib import Path

import pytest

import pgtc
from pgtc import _copy

HEADER = Path(__file__).resolve().parents[3] / "include" / "pgtc.h"


def test_direction_values_match_the_header():
    text = HEADER.read_text(encoding="utf-8")
    found = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*PGTC_(DIRECTION_\w+) = (\d+),?$", text, re.M)}
    assert found == {k: v for k, v in vars(_copy).items() if k.startswith("DIRECTION_")}


def test_copy_expert_both_ways(aconn, table):
    t = table("id int, name text")
    cur = aconn.cursor()
    data = "".join(f"{i}\tname {i}\n" for i in range(1, 501))
    cur.copy_expert(f"COPY {t} FROM STDIN", io.StringIO(data), size=7)
    assert cur.rowcount == 500
    assert cur.statusmessage == "COPY 500"
    assert cur.server == "primary"
    # Read your writes, wherever the COPY TO runs.
    out = io.StringIO()
    cur.copy_expert(f"COPY (SELECT * FROM {t} ORDER BY id) TO STDOUT", out)
    assert out.getvalue() == data
    assert cur.rowcount == 500
    # Bytes files, CSV.
    raw = io.BytesIO()
    cur.copy_expert(f"COPY (SELECT * FROM {t} WHERE id <= 2 ORDER BY id) TO STDOUT WITH (FORMAT csv)", raw)
    assert raw.getvalue() == b"1,name 1\n2,name 2\n"
    cur.copy_expert(f"COPY {t} FROM STDIN WITH (FORMAT csv)", io.BytesIO(b'900,"a, b"\n'))
    cur.execute(f"SELECT name FROM {t} WHERE id = 900")
    assert cur.fetchone() == ("a, b",)


def test_copy_to_is_served_by_the_standby(cluster, table):
    t = table("id int")
    w = cluster.connect(autocommit=True)
    w.cursor().execute(f"INSERT INTO {t} SELECT generate_series(1, 10)")
    r = cluster.connect(autocommit=True, primary_share=0)
    cur = r.cursor()
    # The writer's floor is the process's: the reader's COPY sees the rows.
    out = io.BytesIO()
    cur.copy_expert(f"COPY (SELECT * FROM {t} ORDER BY 1) TO STDOUT", out)
    assert out.getvalue() == b"".join(b"%d\n" % i for i in range(1, 11))
    from conftest import wait_until

    def on_standby():
        cur.copy_expert(f"COPY {t} TO STDOUT", io.BytesIO())
        return cur.server == "standby"

    assert wait_until(on_standby)
    w.close()
    r.close()


def test_copy_object_write_read_iterate(aconn, table):
    t = table("id int, b bytea")
    cur = aconn.cursor()
    with cur.copy(f"COPY {t} FROM STDIN") as copy:
        assert copy.direction == "in"
        assert copy.columns == 2
        assert not copy.binary
        copy.write("1\t\\\\x00ff\n")
        copy.write(b"2\t\\\\x")
        copy.write(b"01\n")
    assert cur.rowcount == 2
    with cur.copy(f"COPY (SELECT * FROM {t} ORDER BY id) TO STDOUT") as copy:
        assert copy.direction == "out"
        assert list(copy) == [b"1\t\\\\x00ff\n", b"2\t\\\\x01\n"]
    assert cur.statusmessage == "COPY 2"
    # Binary format out and in again.
    t2 = table("id int, b bytea")
    with cur.copy(f"COPY {t} TO STDOUT WITH (FORMAT binary)") as copy:
        assert copy.binary
        blob = b"".join(copy)
    assert blob.startswith(b"PGCOPY\n\xff\r\n\x00")
    with cur.copy(f"COPY {t2} FROM STDIN WITH (FORMAT binary)") as copy:
        copy.write(blob)
    cur.execute(f"SELECT count(*) FROM (SELECT * FROM {t} EXCEPT SELECT * FROM {t2}) d")
    assert cur.fetchone() == (0,)


def test_a_bad_row_raises_with_sqlstate_and_the_connection_stays(aconn, table):
    t = table("id int")
    cur = aconn.cursor()
    with pytest.raises(pgtc.DataError) as e:
        cur.copy_expert(f"COPY {t} FROM STDIN", io.StringIO("1\n2\nthree\n"))
    assert e.value.pgcode == "22P02"
    assert "line 3" in str(e.value)
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)


def test_an_exception_aborts_and_nothing_is_copied(aconn, table):
    t = table("id int")
    cur = aconn.cursor()
    with pytest.raises(ZeroDivisionError):
        with cur.copy(f"COPY {t} FROM STDIN") as copy:
            copy.write("1\n2\n")
            1 / 0
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)
    copy = cur.copy(f"COPY {t} FROM STDIN")
    copy.write("5\n")
    copy.abort("not today")
    with pytest.raises(ValueError):
        copy.write("6\n")
    # A file that fails aborts the COPY.

    class Broken(io.RawIOBase):
        def read(self, n=-1):
            raise OSError("disk on fire")

    with pytest.raises(OSError):
        cur.copy_expert(f"COPY {t} FROM STDIN", Broken())
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)


def test_misuse_is_a_clear_error(aconn, table):
    t = table("id int")
    cur = aconn.cursor()
    with pytest.raises(pgtc.InterfaceError) as e:
        cur.copy("SELECT 1")
    assert "one COPY statement" in str(e.value)
    copy = cur.copy(f"COPY {t} FROM STDIN")
    with pytest.raises(pgtc.Error) as e:
        aconn.cursor().execute("SELECT 1")
    assert "copying" in str(e.value)
    with pytest.raises(pgtc.Error):
        copy.read()
    copy.write("1\n")
    assert copy.end() == 1
    # exec of COPY TO STDOUT points to the COPY API.
    with pytest.raises(pgtc.NotSupportedError) as e:
        cur.execute("COPY (SELECT 1) TO STDOUT")
    assert "COPY API" in str(e.value)
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)


def test_closing_the_connection_mid_copy_is_safe(cluster, table):
    t = table("id int")
    c = cluster.connect(autocommit=True)
    copy = c.cursor().copy(f"COPY {t} FROM STDIN")
    copy.write("1\n")
    c.close()
    with pytest.raises(ValueError):
        copy.write("2\n")
    check = cluster.connect(autocommit=True)
    cur = check.cursor()
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)
    check.close()


def test_streaming_thirty_two_megabytes_in_bounded_memory(aconn):
    cur = aconn.cursor()
    cur.execute("CREATE UNLOGGED TABLE IF NOT EXISTS py_copy_volume (id bigint, pad text)")
    cur.execute("TRUNCATE py_copy_volume")
    line = "%d\t" + "x" * 90 + "\n"
    total = 32 << 20

    class Rows(io.RawIOBase):
        def __init__(self):
            self.left = total
            self.i = 0

        def readable(self):
            return True

        def read(self, n=-1):
            if self.left <= 0:
                return b""
            out = []
            size = 0
            while size < n and self.left > 0:
                self.i += 1
                b = (line % self.i).encode()
                out.append(b)
                size += len(b)
                self.left -= len(b)
            return b"".join(out)

    class Count(io.RawIOBase):
        n = 0

        def writable(self):
            return True

        def write(self, b):
            self.n += len(b)
            return len(b)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cur.copy_expert("COPY py_copy_volume FROM STDIN", Rows(), size=65536)
    rows = cur.rowcount
    sink = Count()
    cur.copy_expert("COPY py_copy_volume TO STDOUT", sink)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    cur.execute("DROP TABLE py_copy_volume")
    assert rows > 300_000
    assert sink.n >= total
    assert grown_kb < 16 * 1024, f"peak RSS grew by {grown_kb} KB"


def test_autocommit_off_a_copy_is_part_of_the_transaction(conn, table):
    t = table("id int")
    cur = conn.cursor()
    cur.copy_expert(f"COPY {t} FROM STDIN", io.StringIO("1\n2\n"))
    assert conn.in_transaction
    conn.rollback()
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (0,)
    cur.copy_expert(f"COPY {t} FROM STDIN", io.StringIO("3\n"))
    conn.commit()
    out = io.StringIO()
    cur.copy_expert(f"COPY {t} TO STDOUT", out)
    assert out.getvalue() == "3\n"
    conn.rollback()
