"""The iCalendar feed, read back with the `icalendar` library's own parser: escaping, folding,
Beijing times with their VTIMEZONE, statuses."""
from icalendar import Calendar

from tests.listsutil import NOW, book, make_resource, signed_project
from webapp.services.lists import calendar, project_sessions as ps


def test_feed_parses_back_with_the_library(db, world, monkeypatch):
    name = "共享车位，A 区; 医院东门\\后门" + "（长名称）" * 20  # commas, semicolons, a backslash
    r = make_resource(db, world, name=name[:60], place="医院东门, 停车场")
    b = book(db, world.member, r)
    p = signed_project(db, world)
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    monkeypatch.setattr(calendar, "utcnow", lambda: NOW)  # the feed keeps the last 90 days
    text = calendar.feed(db, calendar.token_for(db, world.member))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded (RFC 5545 §3.1)
    cal = Calendar.from_ical(text)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"booking-{b.id}@wishgrid", f"session-{s.id}@wishgrid"}
    ev = events[f"booking-{b.id}@wishgrid"]
    assert str(ev["summary"]) == name[:60] and str(ev["location"]) == "医院东门, 停车场"
    assert ev.decoded("dtstart") == b.starts_at and ev.decoded("dtend") == b.ends_at
    assert ev["dtstart"].params["TZID"] == "Asia/Shanghai" and str(ev["status"]) == "TENTATIVE"
    assert [str(t["tzid"]) for t in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    se = events[f"session-{s.id}@wishgrid"]
    assert str(se["summary"]) == p.title + "（服务）" and se.decoded("dtstart") == s.starts_at


def test_an_empty_feed_is_still_a_calendar(db, world):
    cal = Calendar.from_ical(calendar.feed(db, calendar.token_for(db, world.resident)))
    assert cal.walk("VEVENT") == [] and str(cal["version"]) == "2.0"
    assert calendar.feed(db, "nope") is None
