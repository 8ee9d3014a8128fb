"""URL converters: ids that fit a 64-bit column, so a huge number is a 404, not a driver crash."""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the primary keys are INTEGER: 32-bit on PostgreSQL (SQLite: 64)


class BoundedInt(IntegerConverter):
    """`<int:...>` everywhere: as Werkzeug's, but never above MAX_ID (a bigger one: no match)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive id that fits a 64-bit column, else the URL simply does not match."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


def init_app(app) -> None:
    """Install the converters before any blueprint adds its rules."""
    app.url_map.converters["int"] = BoundedInt
    app.url_map.converters["id"] = IdConverter
