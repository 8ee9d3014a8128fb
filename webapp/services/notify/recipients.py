"""What `notify()` reads about the people it writes to, each part read once when first asked.

`notify()` makes one for its own recipients; a job passes one made for its whole batch, so the
batch's calls read nothing per person (issue 27 §5: an escalation cost a query per part). It holds
only what a job's own writes leave alone (languages, preferences, devices, WeChat bindings, the
accounts); what notify() counts of what was already sent (SMS budgets, a number's day) is read
live, since each call's rows add to it.
"""
from sqlalchemy import select

from ...models import NotificationPreference, User
from . import channels, wechat


class Recipients:
    """A lazily read snapshot of these users' notification settings."""

    def __init__(self, session, user_ids):
        self.session = session
        self.ids = list(dict.fromkeys(u for u in user_ids if u))
        self._read: dict = {}

    def covers(self, user_ids) -> bool:
        """Whether every one of these users is in the snapshot."""
        return set(u for u in user_ids if u) <= set(self.ids)

    def _once(self, part, read):
        if part not in self._read:
            self._read[part] = read()
        return self._read[part]

    def locales(self) -> dict:
        """user id → their language (None: the default)."""
        return self._once("locales", lambda: dict(self.session.execute(
            select(User.id, User.locale).where(User.id.in_(self.ids))).all()))

    def prefs(self) -> dict:
        """user id → their NotificationPreference, for those who saved one."""
        return self._once("prefs", lambda: {p.user_id: p for p in self.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id.in_(self.ids)))})

    def devices(self, event: str) -> dict:
        """user id → the push subscriptions this event goes to (a push test: every device)."""
        test = event == "push_test"
        return self._once(("devices", test), lambda: channels.push_devices(
            self.session, self.ids, "push_test" if test else ""))

    def users(self) -> dict:
        """user id → User (what the SMS channel needs)."""
        return self._once("users", lambda: {u.id: u for u in self.session.scalars(
            select(User).where(User.id.in_(self.ids)))})

    def working(self) -> set:
        """Users whose push arrives (no SMS fallback for them)."""
        return self._once("working", lambda: channels.working_push(self.session, self.ids))

    def bound(self) -> dict:
        """user id → WeChat binding, for those a template message reaches."""
        return self._once("bound", lambda: wechat.bound(self.session, self.ids))
