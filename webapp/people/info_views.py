"""我的信息: a person sees everything held on them, downloads it (.xlsx), corrects what they may
and withdraws consents; staff do the same for a resident without a phone (logged)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse
from ..schemas.rights import Correction, Withdrawal
from ..services.errors import Conflict, Invalid
from ..services.rights import corrections, personal_data
from ..web.blueprints import account, staff
from ..web.downloads import download
from ..web.htmx import attempt


def _page(user_id=None, errors=None, values=None, status=200):
    data = personal_data.view(db.session, current_user, user_id)
    profile = {"name": data["person"]["name"]}
    return render_template("people/my_info.html", errors=errors or {}, values=values or profile,
                           **data), status


def _urls(user_id):
    if user_id is None:
        return {"page": url_for("account.my_info")}
    return {"page": url_for("staff.person_data", user_id=user_id)}


def _correct(user_id=None):
    form = request.form.to_dict()
    with attempt(Invalid) as a:
        corrections.correct(db.session, current_user, parse(Correction, form), user_id)
    if not a.ok:
        return _page(user_id, a.errors, form, 422)
    flash(_("已更正。"), "success")
    return redirect(_urls(user_id)["page"])


def _withdraw(user_id=None):
    with attempt(Invalid, Conflict) as a:
        data = parse(Withdrawal, request.form.to_dict())
        corrections.withdraw(db.session, current_user, data.what, user_id)
    if not a.ok:
        return _page(user_id, a.errors or {"what": a.reason}, None, a.status)
    flash(_("已撤回同意，相关信息不再使用。"), "success")
    return redirect(_urls(user_id)["page"])


@account.get("/me/info")
@login_required
def my_info():
    """Everything held on me, section by section."""
    return _page()


@account.get("/me/info.xlsx")
@login_required
def my_info_xlsx():
    """The same as an Excel file, one sheet per kind of record."""
    data, name = personal_data.workbook(db.session, current_user)
    return download(data, "xlsx", name, "my-info")


@account.post("/me/info")
@login_required
def correct_my_info():
    """Correct my name and skills."""
    return _correct()


@account.post("/me/info/withdraw")
@login_required
def withdraw_consent():
    """Withdraw one consent."""
    return _withdraw()


@staff.get("/people/<id:user_id>/data")
@login_required
def person_data(user_id: int):
    """A resident without a phone: their data, seen by the staff who cover them (logged)."""
    return _page(user_id)


@staff.get("/people/<id:user_id>/data.xlsx")
@login_required
def person_data_xlsx(user_id: int):
    """Their data as an Excel file, to print or hand over (logged)."""
    data, name = personal_data.workbook(db.session, current_user, user_id)
    return download(data, "xlsx", f"个人信息-{name}", "personal-data")


@staff.post("/people/<id:user_id>/data")
@login_required
def correct_person_data(user_id: int):
    """Correct their name, skills and address (logged)."""
    return _correct(user_id)


@staff.post("/people/<id:user_id>/data/withdraw")
@login_required
def withdraw_person_consent(user_id: int):
    """Withdraw a consent on their behalf (logged)."""
    return _withdraw(user_id)
