"""我的信息: everything held on a person, in plain words, as page sections and as an .xlsx with
Chinese headers (one sheet per kind of record); staff see it for a resident without a phone.

Generic over the metadata: each (table, user column) of catalogue.SUBJECT is read with Core,
ids of people, places and units become names, times Beijing time.
"""
import json
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...extensions import db
from ...models import Org, Unit, User, utcnow
from .. import policy
from ..admin import adminlog
from ..errors import Forbidden, NotFound
from ..ledger.exports import Sheet, to_bytes
from ..ledger.periods import local
from .catalogue import ACTOR, HEADERS, PROFILE, SUBJECT

NAMED = {"users": User, "orgs": Org, "units": Unit}


def person_for(session, actor: User, user_id=None) -> User:
    """The person whose data the actor opens: themself, or a resident without a phone whom the
    actor covers (policy); anyone else is refused."""
    if user_id is None or user_id == actor.id:
        return session.get(User, actor.id)
    person = session.get(User, user_id) if isinstance(user_id, int) else None
    if person is None:
        raise NotFound(code="user_not_found")
    if not policy.can_act_on_data_of(actor, person):
        raise Forbidden(_l("只能代没有手机的本网格（社区）居民查看个人信息。"))
    return person


def _target(column) -> str | None:
    fk = next(iter(column.foreign_keys), None)
    return fk.column.table.name if fk is not None else None


def _plain(value, named: dict | None = None, kind: str | None = None):
    if value is None:
        return ""
    if kind in NAMED and named is not None:
        return named.get((kind, value), f"#{value}")
    if isinstance(value, bool):
        return str(_l("是")) if value else str(_l("否"))
    if isinstance(value, datetime):
        return local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _names(session, wanted: dict) -> dict:
    out = {}
    for kind, ids in wanted.items():
        model = NAMED[kind]
        ids = {i for i in ids if i is not None}
        if ids:
            for i, name in session.execute(select(model.id, model.name).where(model.id.in_(ids))):
                out[(kind, i)] = name
    return out


class _Row:
    def __init__(self, mapping: dict):
        self._mapping = mapping


def _messages(session, person: User, shown) -> list:
    from ...models import Notification
    from ..notify.messages import text
    out = []
    for n in session.scalars(select(Notification).where(Notification.user_id == person.id)
                             .order_by(Notification.id)):
        title, body = text(n)
        out.append(_Row({**{c: getattr(n, c) for c in shown}, "title": title, "body": body}))
    return out


def sections(session, person: User) -> list[dict]:
    """The profile and one section per kind of record: title, headers, rows (plain values)."""
    tables = db.metadata.tables
    raw, wanted = [], {k: set() for k in NAMED}
    users = tables["users"]
    profile = session.execute(select(*[users.c[c] for c in PROFILE])
                              .where(users.c.id == person.id)).one()._mapping
    for col in PROFILE:
        if _target(users.c[col]) in NAMED:
            wanted[_target(users.c[col])].add(profile[col])
    for (table, column), (title, relation, shown) in SUBJECT.items():
        t = tables[table]
        rows = session.execute(select(*[t.c[c] for c in shown]).where(t.c[column] == person.id)
                               .order_by(*t.primary_key.columns)).all()
        for c in shown:
            if _target(t.c[c]) in NAMED:
                wanted[_target(t.c[c])].update(r._mapping[c] for r in rows)
        if table == "notifications":  # stored in the sender's words: re-rendered in the reader's
            rows = _messages(session, person, shown)
        raw.append((table, title, relation, shown, rows))
    named = _names(session, wanted)
    out = [{"key": "profile", "title": str(_l("基本信息")),
            "headers": [str(_l("项目")), str(_l("内容"))],
            "rows": [[str(HEADERS[c]), _plain(profile[c], named, _target(users.c[c]))]
                     for c in PROFILE]}]
    by_title: dict[str, dict] = {}
    for table, title, relation, shown, rows in raw:
        t = tables[table]
        sec = by_title.get(str(title))
        if sec is None:
            sec = by_title[str(title)] = {
                "key": table, "title": str(title), "rows": [],
                "headers": [str(_l("与我的关系"))] + [str(HEADERS[c]) for c in shown]}
            out.append(sec)
        sec["rows"] += [[str(relation)] + [_plain(r._mapping[c], named, _target(t.c[c]))
                                            for c in shown] for r in rows]
    return out


def acts_on_others(session, person: User) -> int:
    """How many rows name the person as the one who acted on someone else's record."""
    tables = db.metadata.tables
    return sum(session.scalar(select(func.count()).select_from(tables[t])
                              .where(tables[t].c[c] == person.id)) or 0 for t, c in ACTOR)


def view(session, actor: User, user_id=None, now=None) -> dict:
    """The page's data; staff's look at a resident's data is logged."""
    person = person_for(session, actor, user_id)
    secs = sections(session, person)
    if person.id != actor.id:
        adminlog.record_on_person(session, actor, "data_access", policy.home_org(actor), person,
                                  summary=f"{person.name}: personal data viewed", now=now)
        session.commit()
    return {"person": {"id": person.id, "name": person.name, "has_phone": bool(person.phone)},
            "sections": secs, "acts": acts_on_others(session, person), "self": person.id == actor.id,
            "consents": consents(session, person)}


def consents(session, person: User) -> list[dict]:
    """Consents the person gave that can be withdrawn, each with when."""
    from ...models import BoardConsent
    out = []
    if person.geo_consent_at:
        out.append({"key": "geo", "label": str(_l("签到时使用手机位置")),
                    "at": _plain(person.geo_consent_at)})
    if person.sms_contact_consent_at and person.sms_contact_phone:
        out.append({"key": "sms_contact", "label": str(_l("由亲友代收短信")),
                    "at": _plain(person.sms_contact_consent_at)})
    if person.sensitive_consent_at:
        out.append({"key": "sensitive", "label": str(_l("保存关爱标记等敏感信息")),
                    "at": _plain(person.sensitive_consent_at)})
    board = session.scalar(select(BoardConsent.at).where(BoardConsent.user_id == person.id))
    if board:
        out.append({"key": "board", "label": str(_l("在光荣榜展示（姓名打码）")), "at": _plain(board)})
    return out


def workbook(session, actor: User, user_id=None, now=None) -> tuple[bytes, str]:
    """The .xlsx of everything held on the person and its file name; staff's download logged."""
    person = person_for(session, actor, user_id)
    secs = sections(session, person)
    sheets = [Sheet(s["title"], s["headers"], [14] + [18] * (len(s["headers"]) - 1), s["rows"],
                    count=len(s["rows"])) for s in secs]
    sheets[0].widths = [24, 40]
    stamp = local(now or utcnow()).strftime("%Y-%m-%d %H:%M")
    sheets[0].caption = [str(_l("%(name)s 的个人信息（导出于 %(at)s）", name=person.name, at=stamp))]
    if person.id != actor.id:
        adminlog.record_on_person(session, actor, "data_access", policy.home_org(actor), person,
                                  summary=f"{person.name}: personal data downloaded", now=now)
        session.commit()
    return to_bytes("xlsx", sheets), str(_l("我的信息")) if person.id == actor.id else person.name
