"""Every GET page of the URL map, with real ids behind it, for the whole-site checks (issue 12).

`pages(app, ids)` walks the URL map: a rule without path parameters is a page as it stands; a
rule with parameters is filled from `ids` (made by `make_ids` over the `world` fixture). A new
rule with a parameter this module cannot fill FAILS the checks (`Unfilled`) until it is added to
FILL or, with a reason, to NOT_PAGES: nothing is left out silently.
"""
from datetime import date, datetime, timezone

# Rules that are not HTML pages a person reads, each with the reason it is left out.
NOT_PAGES = {
    "static": "static files",
    "pwa.service_worker": "JavaScript (the service worker)",
    "pwa.manifest": "the web app manifest (JSON)",
    "pwa.csrf_token": "a JSON token for offline drafts",
    "notifications.count": "an htmx fragment polled into the bell badge (checked inside pages)",
    "notifications.vapid_public_key": "a push key (text)",
    "ledger.ledger_export": "a file download (xlsx/csv)",
    "ledger.street_export": "a file download (xlsx/csv)",
    "ledger.tallies_export": "a file download (xlsx/csv)",
    "ledger.unit_report_xlsx": "a file download (xlsx)",
    "ledger.export_file": "a file download of a finished export job",
    "account.my_data": "the user's data as a JSON download",
    "imports.template": "a file download (the xlsx template)",
    "imports.errors": "a file download (the bad rows as csv/xlsx)",
    "imports.rejects": "a file download (the refused rows as xlsx, to fix and re-import)",
    "staff.people_export": "a file download (the people list as csv/xlsx)",
    "lists.feed": "an iCalendar feed (text/calendar)",
    "notifications.test_status": "JSON polled by the settings page's test button",
    "lists.session_code_live": "an htmx fragment polled into the check-in code page (checked "
                               "inside it)",
    "lists.insurance_xlsx": "a file download (xlsx)",
    "lists.scan_code": "what a camera opens: a redirect to the scan page (or a refusal)",
    "main.service_code_live": "an htmx fragment polled into the service code page (checked "
                              "inside it)",
    "main.scan_service_code": "what a camera opens: a redirect to the scan page (or a refusal)",
    "auth.wechat_login": "a redirect to WeChat's 网页授权 (404 while WeChat is off)",
    "auth.wechat_back": "WeChat's redirect back: signs in and redirects (404 while off)",
    "auth.wechat_bind": "needs WeChat on and an openid in the session: checked by "
                        "tests/web/people/test_wechat_pages.py",
    "notifications.wechat_message": "WeChat's server endpoint (XML, signed)",
    "ledger.certificate_pdf": "a PDF (the certificate printed by WeasyPrint)",
    "ledger.national_export": "a file download (xlsx/csv for the national system)",
    "pairing.poster_pdf": "a PDF (the board's A4 poster printed by WeasyPrint)",
    "shop.my_code_live": "an htmx fragment polled into the member's code page (checked inside it)",
    "ledger.chain": "an htmx fragment polled into the ledger page's chain section while a full "
                    "check waits (checked inside it; a browser is sent to the page)",
    "shop.scan": "what a camera opens: a redirect to the member's page (or a refusal)",
    "shop.accounts_xlsx": "a file download (xlsx)",
    "shop.goods_photo": "an image (a goods photo)",
    "voice.photo": "an image (a complaint's photo)",
}
NOT_PAGES.update({
    "staff.audit_export": "a file download (the street's audit logs as xlsx)",
    "account.my_info_xlsx": "a file download (我的信息 as xlsx)",
    "staff.person_data_xlsx": "a file download (a phoneless resident's data as xlsx)",
})
NOT_PAGE_PREFIXES = ("api.",)  # the JSON API (checked by tests/web/test_api*)

ROLES = ("guest", "resident", "member", "unit_admin", "grid_worker", "community_admin",
         "street_admin")

# parameter name → key of `ids`, per endpoint when one name means different things.
FILL = {
    ("main.wish_detail", "wish_id"): ["published", "in_service", "done", "rejected"],
    ("resident.confirm_form", "wish_id"): ["done"],
    ("member.unit_claim_form", "wish_id"): ["published"],
    ("admin.review_form", "wish_id"): ["pending"],
    ("admin.dispatch_form", "wish_id"): ["published"],
    ("member.done_form", "claim_id"): ["claim"],
    ("ledger.certificate", "cert_id"): ["cert"],
    ("ledger.verify_certificate", "token"): ["cert_token"],
    ("ledger.unit_report", "unit_id"): ["unit"],
    ("ledger.export_job", "job_id"): ["job"],
    ("resident.edit_wish", "wish_id"): ["pending", "rejected"],
    ("staff.person", "user_id"): ["person"],
    ("staff.retire_building", "building_id"): ["building"],
    ("imports.job", "import_id"): ["import"],
    ("lists.project", "project_id"): ["project"],
    ("lists.resource", "resource_id"): ["resource"],
    ("lists.resource_bookings", "resource_id"): ["resource"],
    ("lists.session_page", "session_id"): ["session"],
    ("lists.session_code", "session_id"): ["session"],
    ("lists.scan_page", "session_id"): ["session"],
    ("main.service_code_page", "wish_id"): ["in_service"],
    ("main.service_scan_page", "wish_id"): ["in_service"],
    ("resident.sms_contact", "user_id"): ["phoneless"],
    ("pairing.visit_form", "pairing_id"): ["pairing"],
    ("pairing.visit_page", "visit_id"): ["visit"],
    ("pairing.evaluation", "round_id"): ["round"],
    ("pairing.board_page", "community_id"): ["community"],
    ("pairing.poster", "community_id"): ["community"],
    ("ledger.objection_form", "notice_id"): ["notice"],
    ("ledger.notice_page", "notice_id"): ["notice"],
    ("staff.person_data", "user_id"): ["phoneless"],  # 我的信息 kept by staff (issue 26)
    ("shop.member", "member_id"): ["shop_member"],
    ("lists.amend_project", "project_id"): ["project"],
    ("pairing.evaluation_setup", "round_id"): ["round"],
    ("voice.detail", "complaint_id"): ["complaint"],
}


class Unfilled(AssertionError):
    """A GET rule whose parameters the catalogue cannot fill."""


def make_ids(db, world, make_wish) -> dict:
    """Wishes in the states the pages show, a certificate, a unit report and an export job."""
    from sqlalchemy import select

    from tests.conftest import beijing_today
    from webapp.models import Claim, ImportJob
    from webapp.schemas.inputs import Register
    from webapp.schemas.ledger import CertificateInput
    from webapp.services.people import accounts
    from webapp.services.ledger import certificates, exports, periods

    in_service = make_wish("in_service", title="陪同去社区医院复诊")
    make_wish("closed", title="给王奶奶配眼镜", estimated_hours=1.5)  # a ledger line
    claim = db.scalar(select(Claim).where(Claim.wish_id == in_service.id))
    # Beijing's today, not the machine's: from 16:00 UTC the service is dated tomorrow there.
    cert = certificates.issue(db, world.admin, world.ca.id, CertificateInput(
        volunteer_id=world.member.id, period_from=date(2020, 1, 1), period_to=beijing_today(),
        head_name="孙书记", officer_name="周干事", contact="0571-88886666"))
    now = datetime.now(timezone.utc)
    accounts.register(db, Register(phone="13900000901", name="新党员", password="wishgrid-test-1",
                                   role="member", building_id=world.ba1.id, unit_id=world.unit.id,
                                   skills="修电器", consent=True))  # a 报到 waiting on the registrations page
    job = exports.request_ledger_export(db, world.admin, world.ca.id,
                                        periods.parse(None, now), "xlsx")
    imp = ImportJob(kind="residents", org_id=world.ca.id, requested_by_id=world.admin.id,
                    filename="居民.csv", sha256="0" * 64, status="done", counts={}, errors=[],
                    layout={"used": [{"file": "楼栋号", "key": "building", "column": "楼栋"}],
                            "ignored": [{"file": "备注", "why": "unknown"}],
                            "new_nodes": [{"kind": "grid", "path": "城西社区 / 第一网络",
                                           "like": "第一网格"}],
                            "shared_phones": [{"row": 3, "name": "孙奶奶", "holder": "钱大爷",
                                               "holder_row": 2}]})  # the preview's columns and nodes
    # The good rows imported, one bad row left out and kept for its download (issue 23 item 6).
    imp.counts, imp.skip_bad = {"create": 2, "update": 0, "unchanged": 0, "skipped": 1}, True
    imp.errors = [{"row": 4, "column": "手机号", "message": "请填写手机号。"}]
    imp.content = '[1, [[4, {"name": "孙七", "phone": "15194875l49"}]], [], []]'.encode()
    db.add(imp)
    db.commit()
    from tests.web.apilists import lists_objects
    lists = lists_objects(db, world)
    from tests.web.apipairing import pairing_objects
    paired = pairing_objects(db, world)
    from webapp.models import RoleGrant, User
    phoneless = User(phone=None, name="刘奶奶", building_id=world.ba1.id)  # 代登记, no phone
    db.add(phoneless)
    db.flush()
    db.add(RoleGrant(user_id=phoneless.id, role="resident", org_id=world.ba1.id))
    db.commit()
    from webapp.services.voice import complaints  # 反映问题 (issue 29 §2), anonymous to volunteers
    complaint = complaints.raise_(db, world.resident, "wish", in_service.id, "约好的时间没有来",
                                  anonymous=True)
    return {
        "complaint": complaint.id,
        "published": make_wish("published", title="帮忙搬一下旧衣柜").id,
        "pending": make_wish("pending_review", title="教我用手机挂号").id,
        "done": make_wish("done", title="修理卫生间漏水").id,
        "rejected": make_wish("rejected", title="想要一台新电视").id,
        "in_service": in_service.id, "claim": claim.id, "cert": cert.id,
        "cert_token": cert.token, "unit": world.unit.id, "job": job.id,
        "phoneless": phoneless.id, "person": world.resident.id, "import": imp.id, "project": lists["project_id"],
        "resource": lists["resource_id"], "session": lists["session_id"],
        "pairing": paired["pairing_id"], "visit": paired["visit_id"], "round": paired["round_id"],
        "community": world.ca.id, "building": world.ba2.id,  # lived in: the question asked
        "notice": _notice(db, world, cert),
        "shop_member": _shop_member(db, world),
    }


def _notice(db, world, cert) -> int:
    """A running notice of honours naming the certificate (on the board, objection form)."""
    from webapp.services.ledger import honours
    from webapp.services.ledger.periods import local
    return honours.publish(db, world.admin, world.ca.id, local(cert.issued_at).year, 7,
                           now=cert.issued_at).id


def _shop_member(db, world) -> int:
    """`member` with points and a reservation at community A's shop (issue 29)."""
    from tests.shoputil import shop_objects
    shop_objects(db, world)
    return world.member.id


def pages(app, ids: dict) -> list[tuple[str, str]]:
    """(endpoint, url) of every HTML GET page, parameters filled; raises Unfilled otherwise."""
    out, missing = [], []
    with app.test_request_context():
        from flask import url_for
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            ep = rule.endpoint
            if "GET" not in rule.methods or ep in NOT_PAGES or ep.startswith(NOT_PAGE_PREFIXES):
                continue
            if not rule.arguments:
                out.append((ep, url_for(ep)))
                continue
            keys = {a: FILL.get((ep, a)) for a in rule.arguments}
            if not all(keys.values()):
                missing.append(rule.rule)
                continue
            (arg, names), *rest = keys.items()
            assert not rest, f"{rule.rule}: one parameter per page is all FILL knows"
            out.extend((ep, url_for(ep, **{arg: ids[n]})) for n in names)
    if missing:
        raise Unfilled("GET pages with parameters the checks cannot fill; add them to "
                       f"tests/page_catalogue.py FILL (or NOT_PAGES with a reason): {missing}")
    return out


def users(world) -> dict:
    """The `world` user for each role (None: signed out)."""
    return {"guest": None, "resident": world.resident, "member": world.member,
            "unit_admin": world.unit_admin, "grid_worker": world.grid_worker,
            "community_admin": world.admin, "street_admin": world.street_admin}
