"""A person's private iCalendar feed (RFC 5545): their bookings and the sessions they serve or
attend. Written by hand (a few VEVENTs need no library); the secret in the URL is the key."""
import secrets
from datetime import timedelta

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


def _esc(text: str) -> str:
    return (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace(
        "\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    out, cur = [], b""
    for ch in line:
        b = ch.encode()
        if len(cur) + len(b) > 74:
            out.append(cur.decode())
            cur = b" "
        cur += b
    out.append(cur.decode())
    return "\r\n".join(out)


def _stamp(dt) -> str:
    return dt.astimezone(utcnow().tzinfo).strftime("%Y%m%dT%H%M%SZ")


def feed(session, token: str) -> str | None:
    """The calendar text for a token, or None if no such feed."""
    f = session.scalar(select(CalendarFeed).where(CalendarFeed.token == token)) if token else None
    if f is None:
        return None
    since = utcnow() - timedelta(days=90)
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
    now = _stamp(utcnow())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Wishgrid//lists//ZH", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:" + _esc("网格微心愿 · 我的预约和活动")]
    for uid, start, end, summary, place, status in sorted(events, key=lambda e: e[1]):
        lines += ["BEGIN:VEVENT", f"UID:{uid}@wishgrid", f"DTSTAMP:{now}",
                  f"DTSTART:{_stamp(start)}", f"DTEND:{_stamp(end)}",
                  "SUMMARY:" + _esc(summary), "LOCATION:" + _esc(place), f"STATUS:{status}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
