"""SQLAlchemy's third-party dialect compliance suite, run against postgresql+pgtc."""

from sqlalchemy.testing.suite import *  # noqa: F401,F403
from sqlalchemy.testing.suite import ServerSideCursorsTest as _ServerSideCursorsTest


class ServerSideCursorsTest(_ServerSideCursorsTest):
    # The suite recognises server-side cursors only for drivers it names;
    # pgtc's are the module's named cursors (``name``) or the dialect's
    # DECLARE cursors (``server_side``).
    def _is_server_side(self, cursor):
        return bool(getattr(cursor, "server_side", False) or getattr(cursor, "name", None))
