"""工作人员 and 居民与账号: the staff list (appoint, remove) and a person's account (reset the
password, deactivate, reactivate, move house). One-time passwords are shown once, never stored."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse
from ..schemas.admin import MoveHouse, StaffAppoint
from ..services import policy
from ..services.admin import accounts_admin, staff
from ..services.errors import Conflict, Invalid, TooMany
from ..services.people.residents import buildings_for_staff
from ..web.blueprints import staff as bp
from ..web.scope import chosen_community, communities, secret_page
from ..web.htmx import attempt


def _staff_page(errors=None, values=None, message=None, status=200):
    rows = communities()
    community, members = staff.staff_list(db.session, current_user,
                                          chosen_community(rows).id)
    grids = staff.grids_of(db.session, community.id)
    may_appoint_admin = policy.can_appoint(current_user, "community_admin", community)
    street = community.parent  # a street admin appoints fellow street admins here (issue 23 §9)
    street = street if street and policy.can_appoint(current_user, "street_admin", street) else None
    return render_template("people/staff.html", communities=rows, community=community,
                           members=members, grids=grids, may_appoint_admin=may_appoint_admin,
                           street=street,
                           errors=errors or {}, values=values or {}, message=message), status


@bp.get("/team")
@login_required
def staff_page():
    """Who holds which role in the community since when; appoint by phone."""
    return _staff_page()


@bp.post("/team")
@login_required
def appoint():
    """Appoint; a new account's one-time password is shown on this answer only."""
    values = {k: request.form.get(k, "") for k in ("phone", "name", "role", "org_id")}
    with attempt(Invalid, Conflict, TooMany) as a:
        data = parse(StaffAppoint, values)
        result = staff.appoint(db.session, current_user, data)
    if not a.ok:
        fields = a.error.fields if isinstance(a.error, Invalid) else {"phone": a.reason}
        return _staff_page(fields, values, str(a.error.message), a.status)
    if result.temporary_password:
        return secret_page("people/temp_password.html", person=result.user,
                           password=result.temporary_password, appointed=True,
                           back=url_for("staff.staff_page", community=_community_of(result)))
    if result.invitation is not None:
        flash(_("%(name)s 的账号不在您的管理范围内，已向本人发出邀请；对方登录后接受，任命才生效。",
                name=result.user.name), "success")
    else:
        flash(_("已任命 %(name)s。", name=result.user.name), "success")
    return redirect(url_for("staff.staff_page", community=_community_of(result)))


def _community_of(result) -> int:
    org = result.grant.org if result.grant is not None else result.invitation.org
    return org.id if org.kind == "community" else org.community_id


@bp.post("/team/<int:grant_id>/remove")
@login_required
def remove(grant_id: int):
    """End one staff role (the person is signed out at once)."""
    with attempt(Conflict) as a:
        grant = staff.remove(db.session, current_user, grant_id)
    if a.reason:
        flash(a.reason, "error")
        return redirect(url_for("staff.staff_page"))
    flash(_("已撤销 %(name)s 的职务。", name=grant.user.name), "success")
    org = grant.org
    return redirect(url_for("staff.staff_page",
                            community=org.id if org.kind == "community" else org.community_id))


# 居民与账号 (the list: search, filters, paging, download): people/people_list_views.py


def _person_page(user_id: int, errors=None, message=None, status=200):
    person = accounts_admin.person(db.session, current_user, user_id)
    buildings = [{"id": b.id, "name": b.name}
                 for b in buildings_for_staff(db.session, current_user)]
    return render_template("people/person.html", person=person, buildings=buildings,
                           errors=errors or {}, message=message), status


@bp.get("/people/<int:user_id>")
@login_required
def person(user_id: int):
    """One person's account: reset the password, deactivate or reactivate, move house."""
    return _person_page(user_id)


def _act(user_id: int, action):
    with attempt(Invalid, Conflict) as a:
        action()
    if not a.ok:
        return _person_page(user_id, getattr(a.error, "fields", {}), str(a.error.message),
                            a.status)
    return redirect(url_for("staff.person", user_id=user_id))


@bp.post("/people/<int:user_id>/password-reset")
@login_required
def reset_password(user_id: int):
    """A one-time password, shown once to the staff member to give by phone or in person."""
    with attempt(Conflict, TooMany) as a:
        temp = accounts_admin.reset_password(db.session, current_user, user_id)
    if not a.ok:
        return _person_page(user_id, {}, a.reason, a.status)
    if temp is None:  # a proven phone: the person was sent a code, staff see nothing
        flash(_("已给本人手机发送验证码，请让本人在登录页用验证码登录后设置新密码。"), "success")
        return redirect(url_for("staff.person", user_id=user_id))
    person = accounts_admin.get_managed(db.session, current_user, user_id)
    return secret_page("people/temp_password.html", person=person, password=temp,
                       appointed=False, back=url_for("staff.person", user_id=user_id))


@bp.post("/people/<int:user_id>/deactivate")
@login_required
def deactivate(user_id: int):
    """Stop the account from signing in; open claims are released."""
    reason = (request.form.get("reason") or "").strip()[:200]

    def act():
        accounts_admin.deactivate(db.session, current_user, user_id, reason)
        flash(_("账号已停用，未开始的认领已释放。"), "success")
    return _act(user_id, act)


@bp.post("/people/<int:user_id>/reactivate")
@login_required
def reactivate(user_id: int):
    """Let the account sign in again."""
    def act():
        accounts_admin.reactivate(db.session, current_user, user_id)
        flash(_("账号已恢复。"), "success")
    return _act(user_id, act)


@bp.post("/people/<int:user_id>/move")
@login_required
def move_house(user_id: int):
    """搬家: another building in the staff member's grids."""
    def act():
        data = parse(MoveHouse, request.form.to_dict())
        accounts_admin.move_house(db.session, current_user, user_id, data.building_id,
                                  data.address)
        flash(_("住址已变更。"), "success")
    return _act(user_id, act)
