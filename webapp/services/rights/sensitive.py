"""Sensitive personal information (PIPL art. 28–29): what is sensitive, its separate consent,
and what withdrawing it removes. Care tags are kept only with the household's separate consent;
location is never stored (only a distance at check-in, with its own consent)."""
from sqlalchemy import delete

from ...models import CareTag, User


def withdraw_sensitive(session, person: User, now) -> int:
    """The person withdraws the separate consent: every care tag on them goes (in the caller's
    transaction); returns how many."""
    gone = session.execute(delete(CareTag).where(CareTag.household_id == person.id)
                           .execution_options(synchronize_session=False)).rowcount
    person.sensitive_consent_at = None
    return gone
