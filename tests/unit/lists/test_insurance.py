"""The insurance register (issue 24 item 6): the community records cover; a project or a wish
category that requires it warns someone without cover on the day; the insurer's .xlsx."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.listsutil import NOW, signed_project
from webapp.schemas.lists import InsuranceInput
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.ledger import exports
from webapp.services.lists import checkin, insurance
from webapp.services.lists import project_sessions as ps

SAT = date(2025, 3, 8)  # the first session's day (listsutil's project)


def _policy(phone, number="PA2025-001", f="2025-03-01", t="2025-03-08"):
    return InsuranceInput.model_validate({"phone": phone, "insurer": "平安保险", "number": number,
                                          "covers_from": f, "covers_to": t})


def test_the_community_admin_records_cover(db, world):
    for who in (world.unit_admin, world.member, world.admin_b):
        with pytest.raises(Forbidden):
            insurance.record(db, who, world.ca.id, _policy(world.member.phone))
    with pytest.raises(Invalid):
        insurance.record(db, world.admin, world.ca.id, _policy("13912349999"))
    with pytest.raises(Invalid):
        insurance.record(db, world.admin, world.ca.id,
                         _policy(world.member.phone, f="2025-03-09", t="2025-03-01"))
    insurance.record(db, world.admin, world.ca.id, _policy(world.member.phone))
    with pytest.raises(Conflict):
        insurance.record(db, world.admin, world.ca.id, _policy(world.member.phone))
    insurance.record(db, world.admin, world.ca.id, _policy(world.member2.phone))  # same group policy
    assert [r["name"] for r in insurance.policies(db, world.admin, world.ca.id)] == ["张党员", "李志愿"]
    # Both ends are covered days.
    assert insurance.cover(db, world.member.id, date(2025, 3, 1)) is not None
    assert insurance.cover(db, world.member.id, SAT) is not None
    assert insurance.cover(db, world.member.id, date(2025, 3, 9)) is None


def test_a_project_that_requires_cover_warns_a_server_without_it(db, world):
    p = signed_project(db, world, requires_insurance=True)
    s = ps.of_project(db, p)[0]
    assert insurance.lacks_cover_for_session(db, world.member, s)
    insurance.record(db, world.admin, world.ca.id, _policy(world.member.phone, t="2025-03-07"))
    assert insurance.lacks_cover_for_session(db, world.member, s)  # ended the day before
    insurance.record(db, world.admin, world.ca.id, _policy(world.member.phone, number="PA-2"))
    assert not insurance.lacks_cover_for_session(db, world.member, s)
    # A warning, not a refusal: the sign-up goes through.
    assert ps.signup(db, world.member2, s.id, "server", now=NOW).role == "server"
    p2 = signed_project(db, world, title="健康讲座")
    assert not insurance.lacks_cover_for_session(db, world.member2, ps.of_project(db, p2)[0])


def test_a_category_that_requires_cover_warns_a_claimer(db, world, make_wish):
    w = make_wish("claimed")
    assert not insurance.lacks_cover_for_wish(db, world.member, w)
    world.cat.requires_insurance = True
    db.commit()
    assert insurance.lacks_cover_for_wish(db, world.member, w)


def test_the_insurers_list_has_each_session_each_server_and_the_cover(db, world):
    p = signed_project(db, world, requires_insurance=True)
    s1, s2 = ps.of_project(db, p)[:2]
    for s in (s1, s2):
        ps.signup(db, world.member, s.id, "server", now=NOW)
    ps.signup(db, world.member2, s1.id, "server", now=NOW)
    ps.signup(db, world.resident, s1.id, now=NOW)  # attendees are not on it
    insurance.record(db, world.admin, world.ca.id, _policy(world.member.phone))
    checkin.scan(db, world.member, s1.id, now=s1.starts_at)
    with pytest.raises(Forbidden):
        insurance.project_sheet(db, world.unit_admin, p.id)
    _p, sheet = insurance.project_sheet(db, world.admin, p.id)
    ws = load_workbook(io.BytesIO(exports.to_bytes("xlsx", [sheet]))).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    body = [r for r in rows if r and r[0] and str(r[0]).startswith("2025-")]
    assert [(r[0], r[2], r[4], r[6], r[8]) for r in body] == [
        ("2025-03-08", "李志愿", "是", "PA2025-001", "是"),
        ("2025-03-08", "张党员", "否", None, "否"),
        ("2025-04-12", "李志愿", "否", None, "否"),  # the policy ended on 03-08
    ]
