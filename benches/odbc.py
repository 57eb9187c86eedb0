"""The ODBC benchmark: pyodbc through pgtc's driver against pyodbc through
psqlODBC, both connected to the primary alone (pgtc with one server, so
routing plays no part), each with its defaults. Run by `tools/bench odbc`,
which starts the pair, pins the servers and registers both drivers in a
private ODBCSYSINI:

  SELECT 1           a loop of cursor.execute("SELECT 1").fetchone()
  fetch 100k mixed   100,000 rows of int, text, numeric, timestamp, bool,
                     float8, fetched with fetchmany(1000)
  executemany 10k    10,000 rows of (int, text, float8) inserted with
                     fast_executemany=True
  10M rows peak RSS  a child process per driver fetches
                     SELECT g, md5(g::text) FROM generate_series(1,10000000) g
                     with fetchmany(1000) and reports its VmHWM; psqlODBC
                     reads the whole result by default, so it also runs with
                     UseDeclareFetch=1;Fetch=1000.

Each throughput figure is the median of ROUNDS rounds, the drivers taking
turns within a round, so that both see the same machine; ratios are
pgtc / psqlODBC from one run (above 1.0 means pgtc is faster; for memory,
below 1.0 means pgtc uses less).
"""

import os
import statistics
import subprocess
import sys
import time

import pyodbc

pyodbc.pooling = False

ROUNDS = 5
SELECT1_N = 3000
FETCH_ROWS = 100000
MANY_ROWS = 10000
BIG_ROWS = 10000000
BIG_SQL = "SELECT g, md5(g::text) FROM generate_series(1, %d) g" % BIG_ROWS
MIXED_SQL = (
    "SELECT g, 'row ' || g, (g * 1.25)::numeric(12,2), "
    "timestamp '2024-01-01' + g * interval '1 second', g %% 2 = 0, g * 0.5::float8 "
    "FROM generate_series(1, %d) g" % FETCH_ROWS
)


def primary_kv():
    kv = dict(p.split("=", 1) for p in os.environ["PGTC_BENCH_PRIMARY"].split())
    return kv


def connstr(driver, extra=""):
    kv = primary_kv()
    s = "Driver=%s;Server=%s;Port=%s;Database=%s;UID=%s;PWD={%s}" % (
        driver, kv["host"], kv["port"], kv["dbname"], kv["user"], kv["password"])
    return s + (";" + extra if extra else "")


def select1(c):
    cur = c.cursor()
    t = time.perf_counter()
    for _ in range(SELECT1_N):
        cur.execute("SELECT 1").fetchone()
    return SELECT1_N / (time.perf_counter() - t)


def fetch_mixed(c):
    cur = c.cursor()
    t = time.perf_counter()
    cur.execute(MIXED_SQL)
    n = 0
    while True:
        rows = cur.fetchmany(1000)
        if not rows:
            break
        n += len(rows)
    dt = time.perf_counter() - t
    assert n == FETCH_ROWS, n
    return n / dt


def executemany(c, table):
    cur = c.cursor()
    cur.execute("TRUNCATE %s" % table)
    data = [(i, "name %d" % i, i * 0.5) for i in range(MANY_ROWS)]
    cur.fast_executemany = True
    t = time.perf_counter()
    cur.executemany("INSERT INTO %s VALUES (?, ?, ?)" % table, data)
    dt = time.perf_counter() - t
    got = cur.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
    assert got == MANY_ROWS, got
    return MANY_ROWS / dt


def big_child(cs):
    """In a child process: fetch BIG_SQL, print rows, seconds and VmHWM."""
    c = pyodbc.connect(cs, autocommit=True)
    cur = c.cursor()
    t = time.perf_counter()
    cur.execute(BIG_SQL)
    n = 0
    while True:
        rows = cur.fetchmany(1000)
        if not rows:
            break
        n += len(rows)
    dt = time.perf_counter() - t
    hwm = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print("%d %.3f %s" % (n, dt, hwm))


def big(cs):
    r = subprocess.run([sys.executable, __file__, "--big", cs], capture_output=True, text=True)
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1]
    n, dt, hwm = r.stdout.split()
    if int(n) != BIG_ROWS:
        return None, "%s rows" % n
    return (int(hwm) / 1024.0, float(dt)), None


def short(err):
    s = str(err).replace("\n", " ").replace("|", "/")
    return s[:90] + ("…" if len(s) > 90 else "")


def measure(conns, fn, *args):
    """Median ops/s per driver over ROUNDS rounds, the drivers taking turns
    (in alternating order); an error ends that driver's runs."""
    labels = list(conns)
    got = {d: [] for d in labels}
    err = {}
    for r in range(ROUNDS):
        for d in labels if r % 2 == 0 else labels[::-1]:
            if d in err:
                continue
            try:
                got[d].append(fn(conns[d], *args))
            except (pyodbc.Error, AssertionError) as e:
                err[d] = short(e)
    return {d: (statistics.median(got[d]) if d not in err else None, err.get(d)) for d in labels}


def cell(v, err, fmt="{:,.0f}"):
    return fmt.format(v) if v is not None else "error: %s" % err


def ratio(a, b):
    return "%.2f×" % (a / b) if a is not None and b else "—"


def ver(c):
    return "%s %s" % (c.getinfo(pyodbc.SQL_DRIVER_NAME), c.getinfo(pyodbc.SQL_DRIVER_VER))


def main():
    names = [("pgtc", "pgtc"), ("psqlODBC", "psqlodbc")]
    conns = {}
    for label, driver in names:
        conns[label] = pyodbc.connect(connstr(driver), autocommit=True)
    setup = conns["psqlODBC"].cursor()
    table = "bench_odbc_many"
    setup.execute("DROP TABLE IF EXISTS %s" % table)
    setup.execute("CREATE TABLE %s (id int, name text, f float8)" % table)
    print()
    print("ODBC: pyodbc %s through pgtc's driver (%s) and psqlODBC (%s), both on the primary alone"
          % (pyodbc.version, ver(conns["pgtc"]), ver(conns["psqlODBC"])))
    print("(pgtc connected to the primary only; each driver with its defaults; median of %d rounds)" % ROUNDS)
    print()
    rows = [
        ("SELECT 1 loop (statements/s)", measure(conns, select1)),
        ("fetch %s mixed rows (rows/s)" % "{:,}".format(FETCH_ROWS), measure(conns, fetch_mixed)),
        ("executemany %s rows, fast_executemany (rows/s)" % "{:,}".format(MANY_ROWS),
         measure(conns, executemany, table)),
    ]
    print("| workload | pgtc | psqlODBC | pgtc / psqlODBC |")
    print("|---|---:|---:|---:|")
    for name, res in rows:
        p, q = res["pgtc"], res["psqlODBC"]
        print("| %s | %s | %s | %s |" % (name, cell(*p), cell(*q), ratio(p[0], q[0])))
    setup.execute("DROP TABLE %s" % table)
    for c in conns.values():
        c.close()

    print()
    print("| %s rows, fetchmany(1000) | peak RSS (MiB) | seconds | pgtc / this (RSS) |" % "{:,}".format(BIG_ROWS))
    print("|---|---:|---:|---:|")
    runs = [
        ("pgtc", connstr("pgtc")),
        ("psqlODBC", connstr("psqlodbc")),
        ("psqlODBC UseDeclareFetch=1;Fetch=1000", connstr("psqlodbc", "UseDeclareFetch=1;Fetch=1000")),
    ]
    base = None
    for label, cs in runs:
        res, err = big(cs)
        if res is None:
            print("| %s | error: %s | | |" % (label, short(err)))
            continue
        if label == "pgtc":
            base = res[0]
        print("| %s | %.0f | %.1f | %s |" % (label, res[0], res[1],
                                             "—" if label == "pgtc" else ratio(base, res[0])))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--big":
        big_child(sys.argv[2])
    else:
        main()
