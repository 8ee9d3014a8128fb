"""Reporting periods in Beijing time: months, half-years, years, as YYYYMM ranges and instants."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..errors import Invalid

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local(dt: datetime) -> datetime:
    """An aware instant in Beijing time."""
    return dt.astimezone(LOCAL_TZ)


def month_key(dt: datetime) -> int:
    """YYYYMM of the instant in Beijing time (what the ledger stores for tallies)."""
    d = local(dt)
    return d.year * 100 + d.month


@dataclass(frozen=True)
class Period:
    """A reporting period: `key` like 2026-11, 2026-H2 or 2026; months inclusive."""

    key: str
    kind: str  # month|half|year
    first_month: int
    last_month: int

    @property
    def start(self) -> datetime:
        """The first instant (UTC) of the period."""
        y, m = divmod(self.first_month, 100)
        return datetime(y, m, 1, tzinfo=LOCAL_TZ).astimezone(timezone.utc)

    @property
    def end(self) -> datetime:
        """The first instant (UTC) after the period."""
        y, m = divmod(self.last_month, 100)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return datetime(y, m, 1, tzinfo=LOCAL_TZ).astimezone(timezone.utc)

    @property
    def first_day(self) -> date:
        return date(self.first_month // 100, self.first_month % 100, 1)

    @property
    def last_day(self) -> date:
        return (self.end.astimezone(LOCAL_TZ) - timedelta(days=1)).date()

    @property
    def label(self) -> str:
        """The period in words, in the current language: 2026年11月, 2026年下半年, 2026年."""
        return str(self.phrase)

    @property
    def phrase(self):
        """`label` as a lazy string (a notification renders it in each reader's language)."""
        y = self.first_month // 100
        if self.kind == "month":
            return _l("%(y)s年%(m)s月", y=y, m=self.first_month % 100)
        if self.kind == "half":
            return (_l("%(y)s年上半年", y=y) if self.first_month % 100 == 1
                    else _l("%(y)s年下半年", y=y))
        if self.kind == "year":
            return _l("%(y)s年", y=y)
        return self.key


def month(y: int, m: int) -> Period:
    return Period(f"{y}-{m:02d}", "month", y * 100 + m, y * 100 + m)


def half(y: int, h: int) -> Period:
    first = y * 100 + (1 if h == 1 else 7)
    return Period(f"{y}-H{h}", "half", first, first + 5)


def year(y: int) -> Period:
    return Period(str(y), "year", y * 100 + 1, y * 100 + 12)


def half_of(now: datetime) -> Period:
    """The half-year that contains the instant (Beijing time)."""
    d = local(now)
    return half(d.year, 1 if d.month <= 6 else 2)


def current(kind: str, now: datetime) -> Period:
    """The month, half-year or year that contains `now`."""
    d = local(now)
    if kind == "month":
        return month(d.year, d.month)
    if kind == "half":
        return half_of(now)
    return year(d.year)


MIN_YEAR, MAX_YEAR = 1970, 2999


def parse(key: str | None, now: datetime, default: str = "month") -> Period:
    """A period from its key (2026-11, 2026-H1, 2026); blank means the current `default` kind."""
    if not key:
        return current(default, now)
    # Four-digit years only: a huge year would overflow the date arithmetic (500), not refuse.
    if not (key.isascii() and MIN_YEAR <= int(key[:4] if key[:4].isdigit() else 0) <= MAX_YEAR
            and (len(key) == 4 or key[4] == "-")):
        raise Invalid({"period": _l("期间格式应为 2026-11、2026-H1 或 2026。")})
    try:
        if "-H" in key:
            y, h = key.split("-H")
            if h in ("1", "2"):
                return half(int(y), int(h))
        elif "-" in key:
            y, m = key.split("-")
            if 1 <= int(m) <= 12:
                return month(int(y), int(m))
        elif len(key) == 4:
            return year(int(key))
    except ValueError:
        pass
    raise Invalid({"period": _l("期间格式应为 2026-11、2026-H1 或 2026。")})


def choices(now: datetime, chosen: Period | None = None) -> list[dict]:
    """What the period picker offers, chosen not typed: the last 24 months, 6 half-years and
    5 years, newest first, grouped by kind (the chosen period is kept even when older)."""
    d = local(now)
    months = [month(k // 100, k % 100) for k in reversed(recent_months(now, 24))]
    halves, h, y = [], (1 if d.month <= 6 else 2), d.year
    for _ in range(6):
        halves.append(half(y, h))
        y, h = (y, 1) if h == 2 else (y - 1, 2)
    years = [year(d.year - i) for i in range(5)]
    groups = [("month", _l("按月"), months), ("half", _l("按半年"), halves),
              ("year", _l("按年"), years)]
    out = []
    for kind, label, items in groups:
        if chosen is not None and chosen.kind == kind and chosen.key not in {p.key for p in items}:
            items = items + [chosen]
        out.append({"kind": kind, "label": str(label),
                    "options": [{"key": p.key, "label": p.label} for p in items]})
    return out


def recent_months(now: datetime, n: int = 12) -> list[int]:
    """The last `n` months as YYYYMM, oldest first, ending with the current one."""
    d = local(now)
    y, m = d.year, d.month
    out = []
    for _ in range(n):
        out.append(y * 100 + m)
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]
