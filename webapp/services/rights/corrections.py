"""Correcting one's data and withdrawing consents (PIPL arts. 15, 46); staff do it for a
resident without a phone, logged in the admin log."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from ...db import begin_write
from ...models import BoardConsent, User, utcnow
from .. import policy
from ..admin import adminlog
from ..errors import Conflict
from .personal_data import person_for


def correct(session, actor: User, data, user_id=None, now=None) -> User:
    """Name and skills (and, by staff, the address); a staff correction is logged."""
    person = person_for(session, actor, user_id)
    begin_write(session)
    before = {"name": person.name, "skills": person.skills, "address": person.address}
    person.name = data.name.strip()
    person.skills = data.skills
    if person.id != actor.id and data.address is not None:
        person.address = data.address
    if person.id != actor.id:
        changed = sorted(k for k, v in before.items() if getattr(person, k) != v)
        adminlog.record_on_person(session, actor, "data_correct", policy.home_org(actor), person,
                                  summary=f"{person.name}: {', '.join(changed) or '-'}", now=now)
    session.commit()
    return person


def withdraw(session, actor: User, what: str, user_id=None, now=None) -> None:
    """Withdraw a consent: location at check-in, SMS through a relative, the public board, or
    the separate consent to sensitive details (care tags are then removed)."""
    from .sensitive import withdraw_sensitive
    person = person_for(session, actor, user_id)
    begin_write(session)
    if what == "geo":
        person.geo_consent_at = None
    elif what == "sms_contact":
        if not person.sms_contact_phone:
            raise Conflict(_l("没有登记代收短信的亲友。"), code="no_consent")
        person.sms_contact_phone = person.sms_contact_name = None
        person.sms_contact_consent_at = None
    elif what == "board":
        session.execute(delete(BoardConsent).where(BoardConsent.user_id == person.id)
                        .execution_options(synchronize_session=False))
    elif what == "sensitive":
        withdraw_sensitive(session, person, now or utcnow())
    if person.id != actor.id:
        adminlog.record_on_person(session, actor, "data_correct", policy.home_org(actor), person,
                                  summary=f"{person.name}: withdraw {what}", now=now)
    session.commit()
