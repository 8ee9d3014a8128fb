"""An invitation end to end in a real browser at 390×844 (issue 20): the admin of another
community appoints an existing account she does not cover; nothing changes until its owner signs
in, is led to 邀请 and accepts (the role appears); a second invitation is declined (nothing)."""
from sqlalchemy import select

from tests.e2e.conftest import shot, ui_login
from webapp.models import Invitation, RoleGrant


def _appoint(page, community_id, phone, grid_name):
    page.goto(f"/staff/team?community={community_id}")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("职务").select_option(label=f"{grid_name} · 网格员")
    page.get_by_role("button", name="任命", exact=True).click()
    page.get_by_text("已向本人发出邀请").wait_for()


def _roles(db, user):
    db.rollback()  # a fresh snapshot: the server's commits, not this session's last read
    return {(g.role, g.org_id) for g in db.scalars(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.active.is_(True)))}


def test_an_invitation_is_accepted_or_declined_by_its_owner(db, world, new_context):
    admin = new_context().new_page()
    ui_login(admin, world.admin_b)  # 城东社区's admin: 城西's people are not hers
    _appoint(admin, world.cb.id, world.member3.phone, "东一网格")
    _appoint(admin, world.cb.id, world.member2.phone, "东一网格")
    assert ("grid_worker", world.gb1.id) not in _roles(db, world.member3)

    person = new_context().new_page()
    ui_login(person, world.member3)  # the sign-in leads to the invitation first
    assert person.url.endswith("/invitations")
    person.get_by_text("城东社区").first.wait_for()
    shot(person, "invitation-waiting")
    person.get_by_role("button", name="接受").click()
    person.get_by_text("已接受").wait_for()
    assert ("grid_worker", world.gb1.id) in _roles(db, world.member3)

    other = new_context().new_page()
    ui_login(other, world.member2)
    assert other.url.endswith("/invitations")
    other.get_by_role("button", name="谢绝").click()
    other.get_by_text("已谢绝").wait_for()
    assert ("grid_worker", world.gb1.id) not in _roles(db, world.member2)
    db.rollback()
    assert sorted(db.scalars(select(Invitation.status))) == ["accepted", "declined"]
