"""The DB-API 2.0 compliance suite (Stuart Bishop's dbapi20.py, from the
PyPI package ``dbapi-compliance`` 1.15.0) run against a real pair."""

from __future__ import annotations

import pytest

import pgtc

dbapi20 = pytest.importorskip("dbapi20", reason="pip install dbapi-compliance")


@pytest.fixture(autouse=True, scope="class")
def _pair(request, cluster):
    request.cls.connect_kw_args = {"dsn": cluster.conninfo, "preferred_access": "READ_MOSTLY"}


class TestPgtcDBAPI20(dbapi20.DatabaseAPI20Test):
    driver = pgtc
    connect_args = ()
    connect_kw_args: dict = {}  # set by the fixture
    table_prefix = "dbapi20test_"
    lower_func = "lower"

    def setUp(self):
        # make sure no table of an earlier failed run is left
        self.tearDown()

    @pytest.mark.skip(reason="the suite gets two result sets from one procedure call; in "
                      "PostgreSQL a function returns one, so callproc cannot give a next set. "
                      "nextset over the statements of one text is checked in test_results_diag.py")
    def test_nextset(self):
        pass

    @pytest.mark.skip(reason="setoutputsize is a no-op (allowed by PEP 249); the suite leaves "
                      "this test for drivers to write, and test_setoutputsize_basic runs")
    def test_setoutputsize(self):
        pass

    @pytest.mark.skip(reason="closing twice is allowed on purpose (as in psycopg2): close() "
                      "is idempotent so that finalizers and with-blocks can always call it")
    def test_non_idempotent_close(self):
        pass
