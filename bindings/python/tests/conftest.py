"""Fixtures: real primary + hot standby pairs made by tools/pgtc-cluster.

``cluster`` (no apply delay) and ``delayed_cluster`` (recovery_min_apply_delay
300 ms) are created once per test session and destroyed at its end. Set
``PGTC_TEST_CONNINFO`` / ``PGTC_TEST_DELAYED_CONNINFO`` to use pairs that
already run instead, and ``PGTC_CLUSTER`` to use another cluster tool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator, List

import pytest

import pgtc

REPO = Path(__file__).resolve().parents[3]
TOOL = os.environ.get("PGTC_CLUSTER", str(REPO / "tools" / "pgtc-cluster"))


class Pair:
    """One primary + standby pair: its connection string and directory."""

    def __init__(self, conninfo: str, directory: "str | None") -> None:
        self.conninfo = conninfo
        self.directory = directory

    def connect(self, **kw) -> pgtc.Connection:
        kw.setdefault("preferred_access", "READ_MOSTLY")
        return pgtc.connect(self.conninfo, **kw)

    def tool(self, *args: str) -> str:
        assert self.directory, "this pair was not made by the tests"
        out = subprocess.run(
            [TOOL, args[0], "--dir", self.directory, *args[1:]],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return out.stdout


def _make_pair(tmp_root: str, name: str, delay_ms: int) -> Pair:
    directory = os.path.join(tmp_root, name)
    args = [TOOL, "create", "--dir", directory]
    if delay_ms:
        args += ["--delay", str(delay_ms)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    conninfo = proc.stdout.strip().splitlines()[-1]
    return Pair(conninfo, directory)


def _destroy(pair: Pair) -> None:
    if pair.directory:
        subprocess.run(
            [TOOL, "destroy", "--dir", pair.directory],
            capture_output=True,
            timeout=120,
        )


def _pair_fixture(env: str, name: str, delay_ms: int) -> Callable[..., Iterator[Pair]]:
    @pytest.fixture(scope="session")
    def fixture() -> Iterator[Pair]:
        given = os.environ.get(env)
        if given:
            yield Pair(given, None)
            return
        root = tempfile.mkdtemp(prefix="pgtc-py-", dir="/tmp")
        os.chmod(root, 0o755)  # the servers run as 'postgres' when we are root
        try:
            pair = _make_pair(root, name, delay_ms)
            try:
                yield pair
            finally:
                _destroy(pair)
        finally:
            shutil.rmtree(root, ignore_errors=True)

    return fixture


cluster = _pair_fixture("PGTC_TEST_CONNINFO", "pair", 0)
delayed_cluster = _pair_fixture("PGTC_TEST_DELAYED_CONNINFO", "delayed", 300)


@pytest.fixture
def conn(cluster: Pair) -> Iterator[pgtc.Connection]:
    """A READ_MOSTLY connection, autocommit off (the DB-API default)."""
    c = cluster.connect()
    yield c
    c.close()


@pytest.fixture
def aconn(cluster: Pair) -> Iterator[pgtc.Connection]:
    """A READ_MOSTLY connection in autocommit mode."""
    c = cluster.connect(autocommit=True)
    yield c
    c.close()


@pytest.fixture
def table(cluster: Pair) -> Iterator[Callable[[str], str]]:
    """make(columns) creates a fresh table (committed, and replayed by the
    standby, so that a test's other connections find it wherever they
    read) and returns its name; the tables are dropped after the test."""
    made: List[str] = []
    admin = cluster.connect(autocommit=True)
    # a test that failed with a transaction open must not hang the clean-up
    admin.cursor().execute("SET lock_timeout = '5s'")

    def make(columns: str) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        admin.cursor().execute(f"CREATE TABLE {name} ({columns})")
        made.append(name)
        # The standby is eligible for the admin connection's reads once it
        # has replayed the CREATE (the connection's LSN floor).
        replayed = wait_until(
            lambda: admin.explain("/* pgtc:standby */ SELECT 1").server == "standby"
        )
        assert replayed, f"the standby did not replay CREATE TABLE {name}"
        return name

    yield make
    cur = admin.cursor()
    for name in made:
        try:
            cur.execute(f"DROP TABLE IF EXISTS {name}")
        except pgtc.OperationalError:
            pass  # still locked by a leaked connection: leave it
    admin.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0, interval: float = 0.02) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
