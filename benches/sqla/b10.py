"""B10, SQLAlchemy half: SQLAlchemy Core through postgresql+pgtc against
postgresql+psycopg2, both on the primary alone (pgtc given one server, so
routing plays no part), each with SQLAlchemy's defaults (QueuePool, the
compiled-statement cache). Run by `tools/bench b10`, which starts the pair
and sets PGTC_BENCH_PRIMARY:

  point select, one connection   a loop of
                                 conn.execute(select(kv.c.v).where(kv.c.id == :id))
                                 on one connection, keys in a shuffled order
  point select, checkout each    the same, with engine.connect() around each
                                 statement (a pooled connection per request)

Each figure is the median of ROUNDS rounds, the drivers taking turns within
a round so that both see the same machine; the ratio is pgtc / psycopg2
from this run (above 1.0 means pgtc is faster).
"""

from __future__ import annotations

import os
import random
import statistics
import time
import urllib.parse
from typing import Callable, Dict, List

import sqlalchemy as sa

ROUNDS = 5
ROWS = 10000
LOOP = 3000


def primary() -> Dict[str, str]:
    return dict(p.split("=", 1) for p in os.environ["PGTC_BENCH_PRIMARY"].split())


def url(driver: str) -> str:
    kv = primary()
    auth = f"{urllib.parse.quote(kv['user'])}:{urllib.parse.quote(kv.get('password', ''))}"
    return f"postgresql+{driver}://{auth}@{kv['host']}:{kv['port']}/{kv['dbname']}"


metadata = sa.MetaData()
kv = sa.Table(
    "b10_kv",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("v", sa.Text, nullable=False),
)
POINT = sa.select(kv.c.v).where(kv.c.id == sa.bindparam("id"))


def setup(engine: sa.Engine) -> None:
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(kv.insert(), [{"id": i, "v": f"value {i}"} for i in range(1, ROWS + 1)])
        conn.exec_driver_sql("ANALYZE b10_kv")


def keys() -> List[int]:
    ks = [1 + (i * 7919) % ROWS for i in range(LOOP)]
    random.Random(10).shuffle(ks)
    return ks


def one_connection(engine: sa.Engine) -> float:
    ks = keys()
    with engine.connect() as conn:
        start = time.perf_counter()
        for k in ks:
            v = conn.execute(POINT, {"id": k}).scalar_one()
        elapsed = time.perf_counter() - start
        conn.rollback()
    assert v == f"value {ks[-1]}"
    return LOOP / elapsed


def checkout_each(engine: sa.Engine) -> float:
    ks = keys()
    start = time.perf_counter()
    for k in ks:
        with engine.connect() as conn:
            v = conn.execute(POINT, {"id": k}).scalar_one()
    elapsed = time.perf_counter() - start
    assert v == f"value {ks[-1]}"
    return LOOP / elapsed


def main() -> None:
    engines = {name: sa.create_engine(url(name)) for name in ("pgtc", "psycopg2")}
    setup(engines["psycopg2"])
    cases: Dict[str, Callable[[sa.Engine], float]] = {
        "point select, one connection": one_connection,
        "point select, checkout each": checkout_each,
    }
    results: Dict[str, Dict[str, List[float]]] = {c: {n: [] for n in engines} for c in cases}
    for name, engine in engines.items():  # warm up: connect, compile, cache
        for fn in cases.values():
            fn(engine)
    for r in range(ROUNDS):
        order = list(engines) if r % 2 == 0 else list(reversed(engines))
        for case, fn in cases.items():
            for name in order:
                results[case][name].append(fn(engines[name]))
    print()
    print("B10 (SQLAlchemy Core, primary only): statements per second, median of", ROUNDS, "rounds")
    print()
    print("| workload | postgresql+pgtc | postgresql+psycopg2 | pgtc / psycopg2 |")
    print("|---|---:|---:|---:|")
    for case in cases:
        a = statistics.median(results[case]["pgtc"])
        b = statistics.median(results[case]["psycopg2"])
        print(f"| {case} | {a:,.0f} | {b:,.0f} | {a / b:.2f} |")
    metadata.drop_all(engines["psycopg2"])
    for engine in engines.values():
        engine.dispose()


if __name__ == "__main__":
    main()
