"""The development SMS provider (SMS_PROVIDER=dev, the run command's default when no provider
is configured): nothing leaves the machine. A message is "sent" by writing it to the job log
and marking its outbox row, and the admins of the street read it on /staff/dev-sms, so a person
can try code sign-in on the demo. NOT FOR PRODUCTION: whoever reads that page or the log can
read everyone's sign-in codes (docs/DEPLOY.md says how to switch to Alibaba or Tencent)."""
import logging
from datetime import timedelta

from sqlalchemy import or_, select

from ...models import Org, Outbox, User
from .smsresult import Result

log = logging.getLogger(__name__)

NAME = "dev"
REF_PREFIX = "dev:"  # provider_ref of a message the dev provider "sent"
# Without an approved template of its own, a code SMS uses this one (only with this provider).
CODE_TEMPLATE = {"code": "DEV_CODE", "params": {"code": "code"}}
BANNER = "DEV SMS (not sent: SMS_PROVIDER=dev is for trying the app, not for production)"


def text(template: str, params: dict | None) -> str:
    """The message as a phone would show it: the built-in code text, else template + values."""
    params = params or {}
    if template == CODE_TEMPLATE["code"]:
        return f"您的验证码为{params.get('code', '')}，5分钟内有效。"
    values = "，".join(f"{k}={v}" for k, v in params.items())
    return f"[{template}] {values}".strip()


class Dev:
    """A provider that only writes to the job log (and the outbox row the page lists)."""

    name = NAME
    lookup_grace = timedelta(0)
    receipt_poll_after = timedelta(days=3650)  # no operator, no receipt: never polled

    def send(self, phone: str, template: str, params: dict, key: str) -> Result:
        """"Send": log the message (the job log is the second place a tester can read it)."""
        log.warning("%s to %s: %s", BANNER, phone, text(template, params))
        return Result("sent", f"{REF_PREFIX}{key}", NAME)

    def lookup(self, phone: str, key: str, since) -> Result:
        """A doubt (the process died while logging) is simply sent again: nothing costs."""
        return Result("doubt", code="dev: send again")

    def status(self, phone, ref, key, sent_at):
        """There is never a receipt."""
        return None


def is_dev(row) -> bool:
    """An outbox row the dev provider "sent"."""
    return bool(row.provider_ref and row.provider_ref.startswith(REF_PREFIX))


def messages(session, street_ids, limit: int = 200) -> list[dict]:
    """The dev provider's messages for the admins of `street_ids`, newest first: those to
    people of the streets' communities, and those to numbers of no community (codes proving a
    number at sign-up), which no street owns. The text of a real (not demo) account's message
    is never shown."""
    ids = list(street_ids)
    if not ids:
        return []
    rows = session.execute(
        select(Outbox, Org.name).outerjoin(Org, Org.id == Outbox.community_id)
        .where(Outbox.channel == "sms", Outbox.provider_ref.like(f"{REF_PREFIX}%"),
               or_(Outbox.community_id.is_(None), Org.street_id.in_(ids), Org.id.in_(ids)))
        .order_by(Outbox.id.desc()).limit(limit)).all()
    # Only what was meant for a demo account, or for a number with no account yet (a sign-up
    # proof), is shown: a real person's code on this page would let the street's admins sign
    # in as them, should a real street ever run on the development provider.
    phones = {r.phone for r, _name in rows if r.phone}
    demo = dict(session.execute(select(User.phone, User.is_demo).where(
        User.phone.in_(phones))).all()) if phones else {}
    out = []
    for r, name in rows:
        params = r.params if isinstance(r.params, dict) else {}
        shown = demo.get(r.phone, True) is not False
        code = params.get("code") if shown and r.template == CODE_TEMPLATE["code"] else None
        # a code is shown as such (in the reader's language); other texts as the phone gets them
        out.append({"id": r.id, "at": r.sent_at, "phone": r.phone, "place": name or "",
                    "template": r.template, "code": code, "hidden": not shown,
                    "text": None if code is not None or not shown else text(r.template, params)})
    return out
