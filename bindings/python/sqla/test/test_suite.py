"""SQLAlchemy's third-party dialect compliance suite, run against postgresql+pgtc."""

import pytest
from sqlalchemy.testing.suite import *  # noqa: F401,F403
from sqlalchemy.testing.suite import ReturningTest as _ReturningTest
from sqlalchemy.testing.suite import ServerSideCursorsTest as _ServerSideCursorsTest


class ServerSideCursorsTest(_ServerSideCursorsTest):
    # The suite recognises server-side cursors only for drivers it names;
    # pgtc's are the module's named cursors (``name``) or the dialect's
    # DECLARE cursors (``server_side``).
    def _is_server_side(self, cursor):
        return bool(getattr(cursor, "server_side", False) or getattr(cursor, "name", None))


class ReturningTest(_ReturningTest):
    # The same INSERT … RETURNING text runs against tables dropped and created
    # again with another column type. pgtc keeps the statement prepared on
    # the server (STATEMENT_CACHE), the server answers 0A000 "cached plan must
    # not change result type", and inside a transaction pgtc reports it
    # rather than preparing again. Which parameters meet a stale statement
    # depends on which pooled connection ran the text before, so the mark
    # is not strict.
    test_imv_returning_datatypes = pytest.mark.xfail(
        strict=False,
        reason="pgtc re-prepares a statement whose result type DDL changed only outside transactions",
    )(_ReturningTest.test_imv_returning_datatypes)
