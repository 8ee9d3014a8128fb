"""Residents' pages. Every POST works as a plain form (redirect + flash) and under htmx
(the card partial or a form fragment, with `Vary: HX-Request`)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db
from ..web.htmx import (answer, attempt, is_htmx, local_next, page_or_fragment,
                        refused_on_card, with_vary)
from ..models import utcnow
from ..schemas import parse, parse_each, parse_query, to_id
from ..schemas.inputs import ConfirmInput, WishEdit, WishInput
from ..schemas.queries import CursorQuery, NewWishQuery
from ..schemas.residents import NewResident, SmsContact
from ..services.wishes import amend, editing, menu, present, wishes
from ..services.people import orgs, residents
from ..services import policy
from ..services.errors import Conflict, Forbidden, Invalid
from ..web.blueprints import resident as bp

CARD = "partials/_wish_card.html"


# ---- post a wish ---------------------------------------------------------------------------

def _wish_form_context(user, who: str | None = None, keep=None) -> dict:
    """Categories of the communities the user posts in, the staff picker, the value cap."""
    is_resident = policy.can_post_own_wish(user)
    staff = residents.is_grid_staff(user)
    if not is_resident and not staff:
        raise Forbidden(_l("请先以居民身份登记所在楼栋，再发布心愿。"))
    community_ids = set()
    if is_resident:
        community_ids.add(user.building.community_id)
    if staff:
        community_ids |= policy.community_ids_for(user, "grid_worker", "community_admin")
    names = orgs.org_names(db.session, community_ids)
    groups, caps = [], []
    for cid in sorted(community_ids):
        community = orgs.get_org(db.session, cid)
        groups.append({"label": names.get(cid, ""), "categories": [
            {"id": c.id, "name": orgs.category_label(c)} for c in orgs.categories(db.session, cid)]})
        caps.append(orgs.setting(community, "wish_value_cap"))
    return {
        "category_groups": groups, "value_cap": min(caps) if caps else None,
        "is_resident": is_resident, "is_staff": staff,
        "pick": residents.resident_choices(db.session, user, who, keep) if staff else None,
        "who": who,
        "can_add_resident": staff,
    }


def _wish_form(values: dict, errors: dict, status: int = 200, who: str | None = None):
    ctx = _wish_form_context(current_user, who, to_id(values.get("on_behalf_of")))
    return page_or_fragment("wishes/new_wish.html", "wishes/_wish_form.html", status,
                             values=values, errors=errors, **ctx)


@bp.route("/wishes/new", methods=["GET", "POST"])
@login_required
def new_wish():
    """发心愿: a resident for themself, or grid staff for a resident (代为登记)."""
    if request.method != "POST":  # GET and HEAD only show the form (HEAD is never a write)
        q = parse_query(NewWishQuery, request.args)
        values = {"kind": q.kind or "service", "capacity": "1",
                  "estimated_hours": "1", "on_behalf_of": str(q.for_ or "")}
        return _wish_form(values, {}, who=q.who)
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    owner = values.pop("draft_owner", "")
    if owner and owner != str(current_user.id):
        # An offline draft replayed after the phone changed hands: never post it as someone
        # else; the browser keeps it until its author signs in again.
        raise Conflict(_l("这条心愿是在另一个账号下填写的，请用填写时的账号登录后再发送。"),
                       code="draft_owner")
    ctx_staff_only = (residents.is_grid_staff(current_user)
                      and not policy.is_resident(current_user))
    with attempt(Invalid) as a:
        if ctx_staff_only and not values.get("on_behalf_of"):
            raise Invalid({"on_behalf_of": _l("请选择为哪位居民登记。")})
        data, errors = parse_each(WishInput, values)
        wish = wishes.post(db.session, current_user, data, errors=errors)
    if a.errors:
        # 200 for a plain form (the offline-draft replay treats 200 as "shown with errors");
        # 422 for htmx, which swaps the form fragment (base.html responseHandling).
        return _wish_form(values, a.errors, 422 if is_htmx() else 200)
    if wish.status == "published":
        msg = _("心愿已发布，志愿者可以认领了。")
    else:
        msg = _("心愿已提交，社区审核通过后就会上架。")
    return answer(msg, url_for("main.wish_detail", wish_id=wish.id), navigate=True)


def _edit_page(wish, values: dict, errors: dict, status: int = 200):
    community = orgs.get_org(db.session, wish.community_id)
    edit_wish = {"id": wish.id, "kind": wish.kind, "status": wish.status,
                 "reject_reason": wish.reject_reason,
                 "reviewed": not wish.category.auto_publish}
    return page_or_fragment(
        "wishes/edit_wish.html", "wishes/_wish_form.html", status, values=values,
        errors=errors, edit_wish=edit_wish, is_staff=False, is_resident=True, pick=None,
        can_add_resident=False, value_cap=orgs.setting(community, "wish_value_cap"),
        category_groups=[{"label": "", "categories": [
            {"id": c.id, "name": orgs.category_label(c)}
            for c in orgs.categories(db.session, wish.community_id)]}])


@bp.route("/wishes/<int:wish_id>/edit", methods=["GET", "POST"])
@login_required
def edit_wish(wish_id: int):
    """修改心愿 (or fix a rejected one and resubmit) while nobody has claimed it."""
    wish = wishes.get_wish(db.session, wish_id)
    if not policy.can_manage_wish(current_user, wish):
        raise Forbidden(_l("只有发布心愿的居民（或为其代登记的网格员）可以修改。"))
    if not editing.state_allows(wish):
        raise Conflict(editing.refusal(wish), code="not_editable")
    if request.method != "POST":  # GET and HEAD only show the form
        return _edit_page(wish, editing.form_values(wish), {})
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    fields = {k: v for k, v in values.items() if k in editing.FIELDS}
    if wish.kind != "wish":
        fields.pop("value_yuan", None)
    was = wish.status
    with attempt(Invalid) as a:
        data, errors = parse_each(WishEdit, fields)
        editing.edit(db.session, current_user, wish_id, data, errors=errors)
    if a.errors:
        return _edit_page(wishes.get_wish(db.session, wish_id), values, a.errors,
                          422 if is_htmx() else 200)
    wish = wishes.get_wish(db.session, wish_id)
    if wish.status == "pending_review" and was != "pending_review":
        msg = _("已修改并重新提交，社区审核通过后就会上架。")
    else:
        msg = _("修改已保存。")
    return answer(msg, url_for("main.wish_detail", wish_id=wish_id), navigate=True)


@bp.route("/residents/new", methods=["GET", "POST"])
@login_required
def new_resident():
    """Grid staff register a resident who has no smartphone (no password, phone optional)."""
    if not residents.is_grid_staff(current_user):
        raise Forbidden(_l("只有网格员或社区管理员可以代为登记居民。"))
    blds = residents.buildings_for_staff(db.session, current_user)
    if request.method != "POST":  # GET and HEAD only show the form (HEAD is never a write)
        return render_template("people/new_resident.html", values={}, errors={},
                               buildings=blds)
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    with attempt(Invalid) as a:
        data = parse(NewResident, values)
        user = residents.add_resident_by_staff(db.session, current_user, data.name,
                                               data.building_id, data.address, data.phone)
    if a.errors:
        return render_template("people/new_resident.html", values=values,
                               errors=a.errors, buildings=blds), 422
    flash(_("已登记居民 %(name)s，现在可以为他/她登记心愿。", name=user.name), "success")
    return redirect(url_for("resident.new_wish", **{"for": user.id}))


@bp.route("/residents/<int:user_id>/sms-contact", methods=["GET", "POST"])
@login_required
def sms_contact(user_id: int):
    """Grid staff set the number a phoneless resident's SMS go to, with the resident's consent."""
    user = residents.sms_contact(db.session, current_user, user_id)
    values, errors, status = {"phone": user.sms_contact_phone or "",
                              "name": user.sms_contact_name or ""}, {}, 200
    if request.method == "POST":
        values = {"phone": request.form.get("phone", ""), "name": request.form.get("name", ""),
                  "consent": bool(request.form.get("consent"))}
        with attempt(Invalid) as a:
            data = parse(SmsContact, values)
            residents.set_sms_contact(db.session, current_user, user_id, data.phone,
                                      data.name, data.consent, utcnow())
        if a.ok:
            flash(_("已保存 %(name)s 的短信联系人。", name=user.name), "success")
            return redirect(url_for("resident.sms_contact", user_id=user_id))
        errors, status = a.errors, a.status
    return render_template("people/sms_contact.html", resident=user, values=values,
                           errors=errors), status


# ---- my wishes -----------------------------------------------------------------------------

@bp.get("/my/wishes")
@login_required
def my_wishes():
    """我的心愿: wishes I posted (or posted for residents), newest first, keyset paged."""
    me = current_user._get_current_object()  # not the proxy: the cards' policy reads it often
    items, cursor = menu.list_wishes(db.session, me, view="posted",
                                     cursor=parse_query(CursorQuery, request.args).cursor,
                                     limit=20)
    cards = present.cards(db.session, items, me)
    return page_or_fragment("wishes/my_wishes.html", "wishes/_wish_list.html",
                             cards=cards, next_cursor=cursor)


@bp.post("/wishes/<int:wish_id>/withdraw")
@login_required
def withdraw(wish_id: int):
    """Withdraw before the service starts; the volunteers are told."""
    refused = refused_on_card(lambda: wishes.withdraw(db.session, current_user, wish_id),
                              when=is_htmx())
    if refused:
        return refused
    msg = _("心愿已撤回。")
    fragment = None
    if is_htmx():
        wish = wishes.get_wish(db.session, wish_id)
        (card,) = present.cards(db.session, [wish], current_user)
        fragment = render_template(CARD, card=card, card_message=msg,
                                   card_message_kind="success")
    return answer(msg, local_next(url_for("resident.my_wishes")), fragment, navigate=True)


# ---- confirm -------------------------------------------------------------------------------

def _confirm_page(wish, values: dict, errors: dict, status: int = 200):
    (card,) = present.cards(db.session, [wish], current_user)
    return page_or_fragment(
        "wishes/confirm.html", "wishes/_confirm_form.html", status, card=card, wish=card,
        values=values, errors=errors, on_behalf=current_user.id != wish.resident_id,
        volunteers=[c.volunteer.name for c in wishes.live_claims(db.session, wish)])


@bp.route("/wishes/<int:wish_id>/confirm", methods=["GET", "POST"])
@login_required
def confirm_form(wish_id: int):
    """确认服务: rating 1–5 and a comment; grid staff confirming for a resident add a note."""
    wish = wishes.get_wish(db.session, wish_id)
    if not policy.can_act_for_resident(current_user, wish):
        raise Forbidden(_l("只有居民本人或本网格工作人员可以确认服务。"))
    if request.method != "POST":  # GET and HEAD only show the form (HEAD is never a write)
        return _confirm_page(wish, {}, {})
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    with attempt(Invalid) as a:
        data = parse(ConfirmInput, values)
        wishes.confirm(db.session, current_user, wish_id, data.rating, data.comment or None,
                       note=data.note or None)
    if a.errors:
        return _confirm_page(wishes.get_wish(db.session, wish_id), values, a.errors, 422)
    return answer(_("已确认，谢谢您的评价！"), url_for("main.wish_detail", wish_id=wish_id),
                  navigate=True)


@bp.post("/wishes/<int:wish_id>/rating")
@login_required
def rerate(wish_id: int):
    """Change a rating and comment within the community's window (the volunteers are told)."""
    if not policy.can_act_for_resident(current_user, wishes.get_wish(db.session, wish_id)):
        raise Forbidden(_l("只有居民本人或本网格工作人员可以修改评价。"))
    values = request.form.to_dict()
    with attempt(Invalid) as a:
        data = parse(ConfirmInput, {"rating": values.get("rating", ""),
                                    "comment": values.get("comment", "")})
        amend.rerate(db.session, current_user, wish_id, data.rating, data.comment or None)
    if a.errors:
        flash(" ".join(a.errors.values()), "error")
        return with_vary(redirect(url_for("main.wish_detail", wish_id=wish_id)))
    return answer(_("评价已修改，志愿者会收到通知。"), url_for("main.wish_detail", wish_id=wish_id),
                  navigate=True)
