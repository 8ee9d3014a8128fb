"""The ledger pages render in English for an English-speaking user (data aside)."""
import re
from datetime import date

import pytest
from flask_babel import refresh
from sqlalchemy import select, update

from tests.conftest import login, beijing_today
from webapp.models import Category, Notification, Org, Unit, User, utcnow

# Runs once, in the SQLite pass of scripts/test.sh: the words on pages.
pytestmark = pytest.mark.engine_neutral

HAN = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")


def _visible(html: str, data) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    labels = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', html))
    text = re.sub(r"(?s)<[^>]+>", " ", html) + " " + labels
    for value in sorted({d for d in data if d}, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.sub(r"[\u4e00-\u9fff]\*+", " ", text)


@pytest.mark.parametrize("role,urls", [
    ("admin", ["/ledger/", "/ledger/tallies?kind=year", "/ledger/tallies?by=month&kind=year",
               "/ledger/certificates", "/ledger/units/{unit}/report", "/ledger/certificates/{cert}"]),
    ("member", ["/ledger/me"]),
    ("unit_admin", ["/ledger/unit", "/ledger/unit?kind=month"]),
    ("street_admin", ["/ledger/street", "/ledger/street?kind=year"]),
    (None, ["/verify/{token}"]),
])
def test_ledger_pages_in_english(client, db, world, make_wish, role, urls):
    make_wish("closed", estimated_hours=1.5)
    make_wish("closed", estimated_hours=5)  # one waits in the approval queue
    from webapp.services.ledger import certificates
    from types import SimpleNamespace
    cert = certificates.issue(db, world.admin, world.ca.id, SimpleNamespace(
        volunteer_id=world.member.id, period_from=date(2020, 1, 1), period_to=beijing_today(),
        head_name="孙书记", officer_name="周干事", contact="0571-1"))
    # base.html's unread badge label has a raw "：" (reported to its owner): read them all.
    db.execute(update(Notification).values(read_at=utcnow()))
    db.commit()
    # The test's app context outlives requests here, so Flask-Babel's per-context locale
    # (cached while issuing above, outside any request) must be dropped first.
    refresh()
    data = [*db.scalars(select(Org.name)), *db.scalars(select(Unit.name)),
            *db.scalars(select(Category.name)), *db.scalars(select(User.name)),
            "帮忙买菜送上楼", "孙书记", "周干事"]
    if role:
        user = getattr(world, role)
        user.locale = "en"
        db.commit()
        login(client, user)
    else:
        client.set_cookie("lang", "en")
    for url in urls:
        url = url.format(unit=world.unit.id, cert=cert.id, token=cert.token)
        resp = client.get(url)
        assert resp.status_code == 200, url
        found = sorted(set(HAN.findall(_visible(resp.get_data(as_text=True), data))))
        assert not found, (role, url, found)
