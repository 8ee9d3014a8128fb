"""Fixtures of the web tests: the `ids` world every route is walked against (tests/web/ids_world.py)."""
from tests.web.ids_world import _ids_built, ids  # noqa: F401 (fixtures)
