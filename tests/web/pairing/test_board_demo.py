"""The demo's 结对联户 and 双向评议, and the public board crawled as a guest: no resident's name,
phone number or address anywhere on it (issue 14)."""
from sqlalchemy import func, select

from webapp.models import EvaluationRound, Org, Pairing, RoleGrant, UnitEvaluation, User, Visit, VisitWish
from webapp.services.pairing import visits


def test_demo_pairings_round_and_a_board_with_nothing_personal(app, demo):
    db = demo
    west = db.scalar(select(Org).where(Org.name == "城西社区"))
    rows = db.scalars(select(Pairing).where(Pairing.community_id == west.id,
                                            Pairing.status == "active")).all()
    assert len(rows) >= 10
    done = visits.counts(db, [p.id for p in rows], db.scalar(select(func.max(Visit.visited_on))).year)
    assert any(done.get(p.id, 0) >= 2 for p in rows)
    assert any(done.get(p.id, 0) < 2 for p in rows)  # some households still not visited twice
    assert db.scalar(select(func.count(VisitWish.id))) == 1
    r = db.scalar(select(EvaluationRound).where(EvaluationRound.community_id == west.id))
    assert r.status == "published"
    assert all(u.grade for u in db.scalars(select(UnitEvaluation).where(
        UnitEvaluation.round_id == r.id)))

    guest = app.test_client()
    pages = []
    for c in db.scalars(select(Org).where(Org.kind == "community")):
        for url in (f"/board/{c.id}", f"/board/{c.id}/poster"):
            resp = guest.get(url)
            assert resp.status_code == 200, url
            pages.append(resp.get_data(as_text=True))
    text = "\n".join(pages)
    assert "区人民医院" in text and "已实现的心愿" in text
    residents = db.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                           .where(RoleGrant.role == "resident")).all()
    assert len(residents) > 30
    for person in residents:
        assert person.name not in text, person.name
        assert not person.phone or person.phone not in text
        assert not person.address or person.address not in text, person.address
