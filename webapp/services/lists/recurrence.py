"""Recurrence rules for project sessions: the RFC 5545 RRULE subset a service project needs.

FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, BYDAY (with ordinals: 2SA, -1FR), BYMONTHDAY
(negative counts from the month's end: -1 is the last day), BYMONTH; COUNT and UNTIL are
accepted and clipped to the project's period. Semantics follow RFC 5545 (python-dateutil's
rrule): a monthly rule on the 31st skips shorter months, a yearly one on Feb 29 skips common
years. Days are walked one by one: a project lasts at most three years.
"""
import calendar
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ..errors import Invalid

DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
MAX_OCCURRENCES = 400

# Presets offered by the form (value, label); any other RRULE may be typed.
PRESETS = (
    ("FREQ=WEEKLY;BYDAY=SA", _l("每周六")),
    ("FREQ=WEEKLY;BYDAY=SA,SU", _l("每周六、周日")),
    ("FREQ=MONTHLY;BYDAY=2SA", _l("每月第二个周六")),
    ("FREQ=MONTHLY;BYDAY=-1FR", _l("每月最后一个周五")),
    ("FREQ=MONTHLY;BYMONTHDAY=15", _l("每月 15 日")),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", _l("每月最后一天")),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", _l("每个工作日")),
)


def _bad():
    return Invalid({"rrule": _l("重复规则格式不正确，例如 FREQ=MONTHLY;BYDAY=2SA（每月第二个周六）。")})


def parse(rule: str) -> dict:
    """The rule as a dict, or Invalid naming the rrule field."""
    text = (rule or "").strip().upper()
    if text.startswith("RRULE:"):
        text = text[6:]
    out = {"interval": 1, "byday": [], "bymonthday": [], "bymonth": [], "count": None}
    try:
        parts = dict(p.split("=", 1) for p in text.split(";") if p)
        out["freq"] = parts.pop("FREQ")
        if out["freq"] not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
            raise ValueError
        out["interval"] = int(parts.pop("INTERVAL", 1))
        for token in filter(None, parts.pop("BYDAY", "").split(",")):
            n, wd = token[:-2], token[-2:]
            out["byday"].append((int(n) if n not in ("", "+") else None, DAYS[wd]))
        out["bymonthday"] = [int(x) for x in filter(None, parts.pop("BYMONTHDAY", "").split(","))]
        out["bymonth"] = [int(x) for x in filter(None, parts.pop("BYMONTH", "").split(","))]
        if "COUNT" in parts:
            out["count"] = int(parts.pop("COUNT"))
        parts.pop("UNTIL", None)
        parts.pop("WKST", None)
        if parts or not 1 <= out["interval"] <= 12:
            raise ValueError
        if any(not 1 <= abs(d) <= 31 for d in out["bymonthday"]) or any(
                not 1 <= m <= 12 for m in out["bymonth"]) or any(
                n is not None and not 1 <= abs(n) <= 53 for n, _ in out["byday"]):
            raise ValueError
    except (ValueError, KeyError):
        raise _bad() from None
    return out


def _nth(d: date, span_first: date, span_last: date) -> tuple[int, int]:
    """(n from the start, -n from the end) of d's weekday within a month or a year."""
    return (d - span_first).days // 7 + 1, -((span_last - d).days // 7 + 1)


def _matches(r: dict, d: date, first: date) -> bool:
    freq = r["freq"]
    if r["bymonth"] and d.month not in r["bymonth"]:
        return False
    if freq == "DAILY":
        step = (d - first).days
    elif freq == "WEEKLY":
        step = (d - (first - timedelta(days=first.weekday()))).days // 7
    elif freq == "MONTHLY":
        step = (d.year * 12 + d.month) - (first.year * 12 + first.month)
    else:
        step = d.year - first.year
    if step % r["interval"]:
        return False
    dim = calendar.monthrange(d.year, d.month)[1]
    if r["bymonthday"] and not any(d.day == (n if n > 0 else dim + n + 1) for n in r["bymonthday"]):
        return False
    if r["byday"]:
        if freq == "YEARLY" and not r["bymonth"]:
            span = (date(d.year, 1, 1), date(d.year, 12, 31))
        else:
            span = (d.replace(day=1), d.replace(day=dim))
        pos, neg = _nth(d, *span)
        return any(wd == d.weekday() and (n is None or n in (pos, neg) or freq in ("DAILY", "WEEKLY"))
                   for n, wd in r["byday"])
    if r["bymonthday"]:
        return True
    if freq == "WEEKLY":
        return d.weekday() == first.weekday()
    if freq == "MONTHLY":
        return d.day == first.day
    if freq == "YEARLY":
        return d.day == first.day and (bool(r["bymonth"]) or d.month == first.month)
    return True


def occurrences(rule: str, first: date, last: date) -> list[date]:
    """The dates of the rule from `first` to `last` inclusive (Invalid if none or too many)."""
    r = parse(rule)
    out = []
    d = first
    while d <= last:
        if _matches(r, d, first):
            out.append(d)
            if r["count"] is not None and len(out) >= r["count"]:
                break
            if len(out) > MAX_OCCURRENCES:
                raise Invalid({"rrule": _l("场次太多了（最多 %(n)s 场），请缩短期限或降低频率。",
                                           n=MAX_OCCURRENCES)})
        d += timedelta(days=1)
    if not out:
        raise Invalid({"rrule": _l("按这个规则，项目期限内没有任何一场，请检查日期和规则。")})
    return out
