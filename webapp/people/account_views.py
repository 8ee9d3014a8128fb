"""GET /me/data downloads one's personal data as JSON; /me/delete anonymises the account."""
import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from ..extensions import db
from ..services.wishes import privacy
from ..services.people.passwords import verify_password
from ..web.blueprints import account as bp

CONFIRM_WORD = _l("注销")  # typed to confirm, in the reader's language (注销 always works)


@bp.get("/me/data")
@login_required
def my_data():
    """The user's personal data as a JSON file download."""
    body = json.dumps(privacy.export_my_data(db.session, current_user), ensure_ascii=False,
                      indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="wishgrid-my-data-{current_user.id}.json"',
        "Cache-Control": "no-store"})


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """A confirmation page; POST with the password and the word 注销 anonymises the account."""
    if request.method != "POST":  # GET and HEAD only show the form (HEAD is never a write)
        return render_template("people/delete.html", errors={})
    errors = {}
    if (request.form.get("confirm") or "").strip() not in (str(CONFIRM_WORD), "注销"):
        errors["confirm"] = _("请输入“%(w)s”两个字确认。", w=str(CONFIRM_WORD))
    if not verify_password(current_user.password_hash, request.form.get("password") or ""):
        errors["password"] = _("密码不对，请重新输入。")
    if errors:
        return render_template("people/delete.html", errors=errors), 422
    privacy.delete_account(db.session, current_user)  # DomainError (409) → error page
    logout_user()
    session.clear()
    flash(_("您的账号已注销，个人信息已清除。服务记录以“已注销用户”保留。"), "info")
    return redirect(url_for("main.index"))
