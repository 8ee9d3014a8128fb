"""URL converters (ids that fit the id column: a huge number is a 404, not a driver crash) and
the one check of user-supplied redirect targets (`next=`)."""
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

from ..models.base import MAX_ID



class BoundedInt(IntegerConverter):
    """`<int:...>` everywhere: as Werkzeug's, but never above MAX_ID (a bigger one: no match)."""

    regex = r"[0-9]+"  # Werkzeug's \d+ also matches ١٣ (Arabic-Indic), which int() reads as 13

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive id that fits the id column, else the URL simply does not match."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


def init_app(app) -> None:
    """Install the converters before any blueprint adds its rules."""
    app.url_map.converters["int"] = BoundedInt
    app.url_map.converters["id"] = IdConverter


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no scheme, no host, no `//` or `\\`,
    and no control or whitespace character anywhere (browsers drop tabs and newlines, which
    turns `/\\t/evil.com` into `//evil.com`)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or not target.isprintable() or any(c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def local_next(target: str | None, default: str) -> str:
    """The user-supplied `target` if safe_next() accepts it, else `default`."""
    return safe_next(target) or default
