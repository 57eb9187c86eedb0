"""Starts SQLAlchemy's pytest plugin for the dialect suite (see setup.cfg)."""

import pytest
from sqlalchemy.dialects import registry

# The package's entry point registers the dialect when pgtc is installed;
# registering here too keeps the suite runnable from a source tree.
registry.register("postgresql.pgtc", "pgtc.sqlalchemy", "PGDialect_pgtc")

pytest.register_assert_rewrite("sqlalchemy.testing.assertions")

from sqlalchemy.testing.plugin.pytestplugin import *  # noqa: E402,F401,F403
