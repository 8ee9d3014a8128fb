"""Thin views over services/notify/inbox: inbox list, read marks, badge, settings, push subscriptions,
push acknowledgements, the test notification and the SMS provider's status callback."""
import hmac

from flask import (current_app, flash, jsonify, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import csrf, db
from ..models import utcnow
from ..web.routing import safe_next
from ..schemas import parse_query
from ..schemas.queries import InboxQuery, TokenQuery
from ..services.notify import inbox as inbox_svc
from ..services.notify import notify, receipts, smsout
from ..services.errors import Invalid
from ..services.notify.endpoints import allowed_hosts
from ..services.notify.push import app_vapid
from ..web.blueprints import notifications as bp
from ..web.htmx import attempt


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _private(resp):
    # Inbox pages are personal: never stored by the browser, proxies or the service worker.
    resp = make_response(resp)
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Vary"] = "HX-Request"
    return resp


@bp.route("/inbox")
@login_required
def inbox():
    """The inbox, newest first (or unread first: `order=unread`); `before` pages further back
    (htmx appends the next page)."""
    q = parse_query(InboxQuery, request.args)
    before = q.before
    data = inbox_svc.page(db.session, current_user, before, unread_first=q.order == "unread")
    template = "notify/_items.html" if _htmx() and before else "notify/inbox.html"
    return _private(render_template(template, **data))


@bp.route("/inbox/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    """Mark one message read; htmx gets the updated item, a form post goes to its link."""
    item = inbox_svc.mark_read(db.session, current_user, notification_id)
    if _htmx():
        resp = _private(render_template("notify/_item.html", n=item))
        resp.headers["HX-Trigger"] = "inbox-changed"
        return resp
    if request.form.get("open") and safe_next(item["url"]):
        return redirect(item["url"])
    return redirect(url_for("notifications.inbox"))


@bp.route("/inbox/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every message read."""
    n = inbox_svc.mark_all_read(db.session, current_user)
    if _htmx():
        resp = _private(render_template("notify/inbox.html",
                                        **inbox_svc.page(db.session, current_user)))
        resp.headers["HX-Trigger"] = "inbox-changed"
        return resp
    flash(_("已将 %(n)s 条消息标为已读。", n=n), "success")
    return redirect(url_for("notifications.inbox"))


@bp.route("/inbox/count")
@login_required
def count():
    """The bell's badge as a fragment (htmx polls it and refreshes on inbox-changed)."""
    return _private(render_template("notify/_badge.html",
                                    unread=notify.unread_count(db.session, current_user.id)))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    """Per-event push preferences, quiet hours, skills matches and the 开启通知 control."""
    errors, values = {}, None
    if request.method == "POST":
        form = {"events": request.form.getlist("events"),
                **({"sms_events": request.form.getlist("sms_events")}
                   if request.form.get("sms_form") else {}),
                "quiet_enabled": request.form.get("quiet_enabled"),
                "quiet_start": request.form.get("quiet_start", ""),
                "quiet_end": request.form.get("quiet_end", ""),
                "skills_match": request.form.get("skills_match"),
                # community admins: at once or in the daily digest, per event
                **{k: v for k, v in request.form.items() if k.startswith("timing_")}}
        with attempt(Invalid) as a:
            inbox_svc.save_preferences(db.session, current_user, form)
        if a.ok:
            flash(_("通知设置已保存。"), "success")
            return redirect(url_for("notifications.settings"))
        errors, values = a.errors, form
    prefs = inbox_svc.preferences(db.session, current_user)
    if values:  # show what was typed next to its error
        prefs.update(quiet_start=values["quiet_start"], quiet_end=values["quiet_end"],
                     quiet_enabled=bool(values["quiet_enabled"]))
    status = 422 if errors else 200
    return _private((render_template("notify/settings.html", prefs=prefs, errors=errors),
                     status))


@bp.route("/push/vapid-public-key")
def vapid_public_key():
    """The application server key the browser subscribes with (base64url)."""
    _v, public = app_vapid(current_app)
    return jsonify({"publicKey": public})


def _allow_loopback() -> bool:
    # Test-only (TestConfig): the loopback push service of tests/unit/pushkit.py.
    return bool(current_app.config.get("PUSH_ALLOW_LOOPBACK"))


@bp.route("/push/subscriptions", methods=["POST"])
@login_required
def subscribe():
    """Save this device's PushSubscription (JSON from push.js; CSRF in X-CSRFToken)."""
    sub = inbox_svc.subscribe(db.session, current_user, request.get_json(silent=True),
                              request.headers.get("User-Agent"), _allow_loopback(),
                              allowed_hosts(current_app.config.get("PUSH_ALLOWED_HOSTS")))
    return jsonify({"id": sub.id, "endpoint": sub.endpoint}), 201


@bp.route("/push/subscriptions", methods=["DELETE"])
@login_required
def unsubscribe():
    """Forget this device's subscription (the JSON carries its endpoint)."""
    data = request.get_json(silent=True) or {}
    removed = inbox_svc.unsubscribe(db.session, current_user, data.get("endpoint"))
    return jsonify({"removed": removed}), 200


@bp.route("/push/ack", methods=["POST"])
@csrf.exempt
def push_ack():
    """The service worker got a push: its `ack` token (only inside the encrypted push) marks it
    delivered. No session needed: the token is the proof, and it names one outbox row."""
    data = request.get_json(silent=True) or {}
    ok = receipts.acknowledge(db.session, data.get("ack"), current_app.config["SECRET_KEY"])
    return ("", 204) if ok else (jsonify({"error": {"code": "ack_invalid",
                                                    "message": "unknown acknowledgement"}}), 404)


@bp.route("/settings/notifications/test", methods=["POST"])
@login_required
def send_test():
    """Send a test notification to every device of the user; the page then polls its status."""
    nid = receipts.send_test(db.session, current_user)
    return jsonify({"id": nid, "status_url": url_for("notifications.test_status",
                                                     notification_id=nid)}), 201


@bp.route("/settings/notifications/test/<int:notification_id>")
@login_required
def test_status(notification_id: int):
    """Whether the test notification has arrived on a device yet (JSON)."""
    return _private(jsonify(receipts.test_status(db.session, current_user, notification_id)))


@bp.route("/sms/receipts/tencent", methods=["POST"])
@csrf.exempt
def tencent_receipts():
    """Tencent Cloud's SMS status callback; the URL carries SMS_CALLBACK_TOKEN."""
    token = current_app.config.get("SMS_CALLBACK_TOKEN") or ""
    given = parse_query(TokenQuery, request.args).token or ""
    # Bytes: compare_digest refuses non-ASCII str (a 500 on a crafted token).
    if not token or not hmac.compare_digest(token.encode(), given.encode()):
        return jsonify({"result": 1, "errmsg": "forbidden"}), 403
    smsout.tencent_callback(db.session, request.get_json(silent=True), utcnow())
    return jsonify({"result": 0, "errmsg": "OK"})
