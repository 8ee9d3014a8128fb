"""A person's private iCalendar feed (RFC 5545): their bookings and the sessions they serve or
attend, written with the `icalendar` library; the secret in the URL is the key."""
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select

from ...db import begin_write
from ...models import (Booking, CalendarFeed, ProjectSession, SessionSignup, User, utcnow)


def token_for(session, user: User) -> str:
    """The user's feed token, made on first use."""
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        return reset(session, user)
    return feed.token


def reset(session, user: User) -> str:
    """A new secret URL; the old one stops working at once."""
    begin_write(session)
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        session.add(feed)
    feed.token, feed.created_at = secrets.token_urlsafe(32), utcnow()
    session.commit()
    return feed.token


LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def _event(uid: str, start, end, summary: str, place: str, status: str, stamp) -> Event:
    # Times in Beijing with their VTIMEZONE: a phone set to another zone still shows them right.
    ev = Event()
    ev.add("uid", f"{uid}@wishgrid")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", start.astimezone(LOCAL_TZ))
    ev.add("dtend", end.astimezone(LOCAL_TZ))
    ev.add("summary", summary or "")
    ev.add("location", place or "")
    ev.add("status", status)
    return ev


def feed(session, token: str) -> str | None:
    """The calendar text for a token, or None if no such feed (written by the `icalendar`
    library: RFC 5545 escaping, line folding, the time zone)."""
    f = session.scalar(select(CalendarFeed).where(CalendarFeed.token == token)) if token else None
    if f is None:
        return None
    now = utcnow()
    since = now - timedelta(days=90)
    events = []
    for b in session.scalars(select(Booking).where(
            Booking.user_id == f.user_id, Booking.status.in_(("pending", "confirmed", "attended")),
            Booking.starts_at >= since)):
        events.append((f"booking-{b.id}", b.starts_at, b.ends_at, b.resource.name,
                       b.resource.place, "TENTATIVE" if b.status == "pending" else "CONFIRMED"))
    rows = session.execute(select(ProjectSession, SessionSignup.role).join(
        SessionSignup, SessionSignup.session_id == ProjectSession.id).where(
        SessionSignup.user_id == f.user_id, SessionSignup.live.is_(True),
        ProjectSession.starts_at >= since)).all()
    for s, role in rows:
        title = s.project.title + ("（服务）" if role == "server" else "")
        events.append((f"session-{s.id}", s.starts_at, s.ends_at, title, s.place or s.project.place,
                       "CANCELLED" if s.status == "cancelled" else "CONFIRMED"))
    cal = Calendar()
    cal.add("prodid", "-//Wishgrid//lists//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "网格微心愿 · 我的预约和活动")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = now.replace(microsecond=0)
    for e in sorted(events, key=lambda e: (e[1], e[0])):
        cal.add_component(_event(*e, stamp))
    if events:
        cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
