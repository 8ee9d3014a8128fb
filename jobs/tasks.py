"""Job bodies: plain functions of (session, now). The scheduler and the tests call them directly."""
import logging

from flask import current_app

from webapp.services.notify import followup, push, receipts, sms, smsout, wechatout
from webapp.services.platform import wechat
from webapp.services.platform.leases import new_owner

log = logging.getLogger(__name__)
OWNER = new_owner()  # this process, as lease owner of outbox rows


def sender_for(app) -> push.Sender:
    """One push sender per process (keeps its HTTP connections alive)."""
    s = app.extensions.get("wishgrid_sender")
    if s is None:
        vapid, _public = push.app_vapid(app)
        s = push.Sender(vapid, app.config.get("VAPID_SUBJECT") or "mailto:admin@wishgrid.local",
                        allowed_hosts=app.config.get("PUSH_ALLOWED_HOSTS") or (),
                        allow_loopback=bool(app.config.get("PUSH_ALLOW_LOOPBACK")))
        if s.allow_loopback and not app.testing:
            log.warning("WISHGRID_TEST_PUSH_LOOPBACK is on: pushes may go to 127.0.0.1 (tests only)")
        app.extensions["wishgrid_sender"] = s
    return s


def deliver_outbox(session, now) -> dict:
    """Send every due outbox row (Web Push), with retries and backoff."""
    return push.deliver(session, now, sender_for(current_app), OWNER,
                        secret=current_app.config.get("SECRET_KEY"))


def deliver_sms(session, now) -> dict:
    """Send every due SMS row through the configured provider (nothing when SMS is off)."""
    return smsout.deliver(session, now, sms.app_provider(current_app), OWNER)


def deliver_wechat(session, now) -> dict:
    """Send every due template message through the 公众号 (nothing when WeChat is off)."""
    return wechatout.deliver(session, now, wechat.client(current_app), OWNER)


def sms_receipts(session, now) -> int:
    """Poll the provider for missing SMS receipts (Alibaba; Tencent also calls back)."""
    return smsout.poll_receipts(session, now, sms.app_provider(current_app))


def push_silence(session, now) -> int:
    """Pushes never acknowledged within the window count against their device."""
    return receipts.sweep_silent(session, now)


def reminders(session, now) -> int:
    """Create reminder rows for new claims, then fire those due (released claims cancel)."""
    return followup.schedule_reminders(session, now) + followup.fire_reminders(session, now)


def escalate_unclaimed(session, now) -> int:
    """Unclaimed wishes → grid worker after N hours, community admin after M more."""
    return followup.escalate(session, now)


def confirm_overdue(session, now) -> int:
    """Done but unconfirmed for N days → grid worker asked to confirm on the resident's behalf."""
    return followup.confirm_overdue(session, now)


def expire_wishes(session, now) -> int:
    """Published wishes past their deadline with nobody signed up → expired, resident told."""
    return followup.expire(session, now)


def skills_match(session, now) -> int:
    """New wishes in a member's grid that fit their skills (opt-in)."""
    return followup.skills_match(session, now)


def daily_digest(session, now) -> int:
    """08:00 digest of pending reviews and registrations for community admins."""
    return followup.daily_digest(session, now)
