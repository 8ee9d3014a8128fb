"""Ledger pages through the test client: approval, scoping, exports, certificates, CLI."""
import io
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from jobs.exports import expire_export_files, process_export_jobs
from tests.conftest import login, beijing_today
from tests.listsutil import NOW, signed_project
from webapp.models import Certificate, ExportJob, LedgerEntry, ServiceRecord
from webapp.services.ledger import chain, checks, exports, ledger
from webapp.services.lists import checkin
from webapp.services.lists import project_sessions as ps


def _no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline <script>"
    assert "style=" not in html, "inline style attribute"


def _pending(db, make_wish, **kw):
    w = make_wish("closed", estimated_hours=4, **kw)  # 1.5 h vs 4 h: outside tolerance
    return db.scalars(select(ServiceRecord).where(ServiceRecord.wish_id == w.id)).all()


def test_admin_page_shows_chain_and_queue_then_approves(client, db, world, make_wish):
    (rec,) = _pending(db, make_wish)
    login(client, world.admin)
    r = client.get("/ledger/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "待审核时长" in html and "完整" in html
    assert f"/ledger/records/{rec.id}/approve" in html
    _no_inline_code(html)
    r = client.post(f"/ledger/records/{rec.id}/approve")
    assert r.status_code == 302
    assert db.scalar(select(LedgerEntry.hours)) == Decimal("1.5")
    assert "没有待审核的记录" in client.get("/ledger/").get_data(as_text=True)


def test_adjust_without_reason_shows_the_error_next_to_the_field(client, db, world, make_wish):
    (rec,) = _pending(db, make_wish)
    login(client, world.admin)
    r = client.post(f"/ledger/records/{rec.id}/adjust", data={"hours": "2", "reason": ""})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and f'id="err-r-{rec.id}"' in html and "请填写这一项" in html
    assert db.scalar(select(LedgerEntry.id)) is None
    r = client.post(f"/ledger/records/{rec.id}/adjust", data={"hours": "2", "reason": "核减"})
    assert r.status_code == 302 and db.scalar(select(LedgerEntry.hours)) == Decimal("2.0")


def test_reject_and_bulk_approve(client, db, world, make_wish):
    a = _pending(db, make_wish)[0]
    b, c = _pending(db, make_wish, capacity=2)
    login(client, world.admin)
    assert client.post(f"/ledger/records/{a.id}/reject", data={"reason": "未上门"}).status_code == 302
    assert db.get(ServiceRecord, a.id).approval == "rejected"
    assert client.post("/ledger/records/bulk-approve", data={}).status_code == 422
    r = client.post("/ledger/records/bulk-approve", data={"record_ids": [b.id, c.id]})
    assert r.status_code == 302 and db.scalar(select(LedgerEntry.seq).order_by(
        LedgerEntry.seq.desc())) == 2


def test_correction_through_the_page(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    e = db.scalar(select(LedgerEntry))
    login(client, world.admin)
    assert client.post(f"/ledger/entries/{e.id}/correct", data={"hours": "2"}).status_code == 422
    r = client.post(f"/ledger/entries/{e.id}/correct", data={"hours": "2", "reason": "回访核实"})
    assert r.status_code == 302
    kinds = db.scalars(select(LedgerEntry.kind).order_by(LedgerEntry.seq)).all()
    assert kinds == ["entry", "reversal", "correction"]


def test_other_community_admin_is_refused(client, db, world, make_wish):
    (rec,) = _pending(db, make_wish)
    login(client, world.admin_b)
    assert client.get(f"/ledger/?community={world.ca.id}").status_code == 404
    assert client.get(f"/ledger/tallies?community={world.ca.id}").status_code == 404
    assert client.post(f"/ledger/records/{rec.id}/approve").status_code == 403
    assert client.get(f"/ledger/units/{world.unit.id}/report").status_code == 404
    assert rec.approval == "pending"


@pytest.mark.parametrize("who", ["member", "unit_admin", "resident", "grid_worker"])
def test_non_admins_cannot_open_admin_pages(client, db, world, who):
    login(client, getattr(world, who))
    for url in ("/ledger/tallies", "/ledger/certificates", "/ledger/chain"):
        assert client.get(url).status_code == 403, url
    assert client.post("/ledger/export").status_code == 403
    assert client.post("/ledger/verify").status_code == 403


def test_anonymous_goes_to_login(client, db, world):
    assert client.get("/ledger/").status_code == 302


def test_unit_admin_sees_members_but_no_recipient_data(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5, title="给王奶奶配眼镜")
    login(client, world.unit_admin)
    r = client.get("/ledger/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/ledger/unit")
    for url in ("/ledger/unit", f"/ledger/units/{world.unit.id}/report"):
        html = client.get(url).get_data(as_text=True)
        assert "李志愿" in html and "张党员" in html, url
        assert "王小明" not in html and "眼镜" not in html and world.resident.phone not in html
        _no_inline_code(html)
    assert client.get(f"/ledger/units/{world.unit_b.id}/report").status_code == 404
    assert client.get(f"/ledger/unit?unit={world.unit_b.id}").status_code == 404
    x = client.get(f"/ledger/units/{world.unit.id}/report.xlsx")
    wb = load_workbook(io.BytesIO(x.data))
    text_ = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    assert "李志愿" in text_ and "眼镜" not in text_ and "王小明" not in text_


def test_member_page_hours_stars_and_half_year(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5, title="陪老人聊天")
    login(client, world.member)
    html = client.get("/ledger/me").get_data(as_text=True)
    assert 'id="my-hours">1.5' in html and 'id="my-points">1.5' in html
    assert "0 星" in html and "本半年已参加 1 次" in html and "陪老人聊天" in html
    _no_inline_code(html)
    login(client, world.member2)
    assert "本半年还没有参加社区服务" in client.get("/ledger/me").get_data(as_text=True)
    login(client, world.member3)  # no employer unit: no half-year duty shown
    assert "半年服务" not in client.get("/ledger/me").get_data(as_text=True)


def test_tallies_page_and_excel_export(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.admin)
    html = client.get("/ledger/tallies?by=category&kind=year").get_data(as_text=True)
    assert "助老助残" in html and "认领率" in html and "<svg" in html
    _no_inline_code(html)
    r = client.get("/ledger/tallies/export?by=volunteer&kind=year&fmt=xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(r.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[1] == ("党员/志愿者", "服务次数", "服务时长（小时）", "积分")
    assert rows[2] == ("李志愿", 1, 1.5, 1.5) and rows[3] == ("合计", 1, 1.5, 1.5)
    c = client.get("/ledger/tallies/export?by=volunteer&kind=year&fmt=csv")
    assert c.data.startswith(b"\xef\xbb\xbf") and "李志愿,1,1.5,1.5" in c.data.decode("utf-8-sig")
    assert client.get("/ledger/tallies?by=nope").status_code == 422
    assert client.get("/ledger/tallies?period=2026-13").status_code == 422


def test_large_export_goes_through_a_job_with_a_polled_progress_bar(app, client, db, world,
                                                                    tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "ASYNC_ROWS", 2)
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    for _ in range(3):
        make = datetime.now(timezone.utc)
        chain = ledger.lock_chain(db, world.ca.id)
        ledger.append(db, chain, make, volunteer_id=world.member.id, service_date=make,
                      hours=Decimal(1), points=Decimal(1), kind="entry")
    db.commit()
    login(client, world.admin)
    assert client.get("/ledger/export?fmt=xlsx").status_code == 405  # a GET writes nothing
    r = client.post("/ledger/export", data={"fmt": "xlsx"})
    assert r.status_code == 302
    job_url = r.headers["Location"]
    frag = client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-hx-trigger="every 2s"' in frag and "<progress" in frag
    _no_inline_code(client.get(job_url).get_data(as_text=True))
    job = db.scalar(select(ExportJob))
    assert client.get(f"/ledger/exports/{job.id}/file").status_code == 404  # not ready
    process_export_jobs(db, datetime.now(timezone.utc))
    frag = client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in frag and f"/ledger/exports/{job.id}/file" in frag
    f = client.get(f"/ledger/exports/{job.id}/file")
    assert f.status_code == 200
    assert len(list(load_workbook(io.BytesIO(f.data)).worksheets[0].iter_rows())) == 6
    login(client, world.admin_b)  # someone else's export
    assert client.get(job_url).status_code == 404
    assert client.get(f"/ledger/exports/{job.id}/file").status_code == 404
    # A week later the job process deletes the file; the page says so instead of a dead link.
    path = tmp_path / db.scalar(select(ExportJob.file_path))
    later = datetime.now(timezone.utc) + timedelta(days=app.config["EXPORT_KEEP_DAYS"], hours=1)
    assert expire_export_files(db, later - timedelta(hours=2)) == 0 and path.exists()
    assert expire_export_files(db, later) == 1 and not path.exists()
    assert expire_export_files(db, later) == 0
    login(client, world.admin)
    page = client.get(job_url).get_data(as_text=True)
    assert "已按规定删除" in page and f"/ledger/exports/{job.id}/file" not in page
    assert client.get(f"/ledger/exports/{job.id}/file").status_code == 404


def test_certificate_issue_print_and_public_verification(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    world.member.volunteer_no = "V-330100-0042"
    db.commit()
    login(client, world.admin)
    today = beijing_today().isoformat()
    bad = client.post("/ledger/certificates", data={"volunteer_id": world.member.id,
                                                    "period_from": "2026-01-01"})
    assert bad.status_code == 422 and 'id="err-head_name"' in bad.get_data(as_text=True)
    r = client.post("/ledger/certificates", data={
        "volunteer_id": world.member.id, "period_from": "2020-01-01", "period_to": today,
        "head_name": "孙书记", "officer_name": "周干事", "contact": "0571-88886666"})
    assert r.status_code == 302
    cert = db.scalar(select(Certificate))
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert cert.number in page and "李志愿" in page and "<svg" in page and "经办人" in page
    assert f"/verify/{cert.token}" in page
    _no_inline_code(page)
    client.post("/auth/logout")
    with client.session_transaction() as s:
        s.clear()
    pub = client.get(f"/verify/{cert.token}")
    html = pub.get_data(as_text=True)
    assert pub.status_code == 200
    assert cert.number in html and "李**" in html and "1.5" in html and "城西社区" in html
    for secret in ("李志愿", "V-330100-0042", world.member.phone, "孙书记", "周干事",
                   "0571-88886666", "助老助残"):
        assert secret not in html, secret
    _no_inline_code(html)
    assert client.get("/verify/not-a-token").status_code == 404
    login(client, world.member2)  # another member cannot open the certificate itself
    assert client.get(f"/ledger/certificates/{cert.id}").status_code == 404
    login(client, world.member)
    assert client.get(f"/ledger/certificates/{cert.id}").status_code == 200


def test_a_certificate_issued_in_error_is_voided_and_verification_says_so(client, db, world,
                                                                           make_wish):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.admin)
    client.post("/ledger/certificates", data={
        "volunteer_id": world.member.id, "period_from": "2020-01-01",
        "period_to": beijing_today().isoformat(), "head_name": "孙书记", "officer_name": "周干事",
        "contact": "0571-88886666"})
    cert = db.scalar(select(Certificate))
    url = f"/ledger/certificates/{cert.id}"
    assert "作废这份证明" in client.get(url).get_data(as_text=True)
    login(client, world.member)  # the holder sees it but cannot void it
    assert "作废这份证明" not in client.get(url).get_data(as_text=True)
    assert client.post(url + "/revoke", data={"reason": "想作废"}).status_code == 403
    login(client, world.admin)
    bad = client.post(url + "/revoke", data={"reason": ""})
    assert bad.status_code == 422 and 'id="err-reason"' in bad.get_data(as_text=True)
    db.rollback()
    assert db.get(Certificate, cert.id).revoked_at is None  # nothing half-written
    r = client.post(url + "/revoke", data={"reason": "期间填错，重新出具"})
    assert r.status_code == 302
    again = client.post(url + "/revoke", data={"reason": "再作废一次"})
    assert again.status_code == 409 and "已经作废" in again.get_data(as_text=True)
    db.rollback()
    voided = db.get(Certificate, cert.id)
    assert voided.revoked_by_id == world.admin.id and voided.revoked_reason == "期间填错，重新出具"
    page = client.get(url).get_data(as_text=True)
    assert "已于" in page and "期间填错" in page and "作废这份证明" not in page
    register = client.get("/ledger/certificates").get_data(as_text=True)
    assert "已作废" in register and "期间填错" in register
    login(client, world.member)
    assert "期间填错" in client.get(url).get_data(as_text=True)  # the holder learns why
    with client.session_transaction() as s:
        s.clear()
    public = client.get(f"/verify/{cert.token}").get_data(as_text=True)
    assert "作废" in public and "真实有效" not in public
    assert "期间填错" not in public  # the reason stays with the issuer and the holder


def test_street_admin_sees_communities_side_by_side(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.street_admin)
    r = client.get("/ledger/")
    assert r.headers["Location"].endswith("/ledger/street")
    html = client.get("/ledger/street?kind=year").get_data(as_text=True)
    assert "城西社区" in html and "城东社区" in html and "1.5" in html
    login(client, world.admin)
    assert client.get("/ledger/street").status_code == 403


@pytest.mark.tampers_ledger
def test_tamper_shows_on_page_and_cli_names_the_entry(app, client, db, world, make_wish,
                                                      monkeypatch):
    monkeypatch.setattr(chain, "QUICK_CHECK", 1)  # the page shows the CLI's kept full check
    make_wish("closed", estimated_hours=1.5)
    make_wish("closed", estimated_hours=1.5)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["ledger", "verify"])
    assert ok.exit_code == 0 and "OK" in ok.output and "2 entries" in ok.output
    e2 = db.scalar(select(LedgerEntry).where(LedgerEntry.seq == 2))
    db.execute(text("UPDATE ledger_entries SET hours = 8 WHERE id = :i"), {"i": e2.id})
    db.commit()
    bad = runner.invoke(args=["ledger", "verify"])
    assert bad.exit_code == 1 and f"seq 2 (id {e2.id})" in bad.output
    login(client, world.admin)
    html = client.get("/ledger/").get_data(as_text=True)
    assert "第 2 条" in html and "全部 2 条于" in html and "发现异常" in html  # the CLI's run kept


@pytest.mark.tampers_ledger
def test_verify_button_has_the_job_check_the_whole_chain(client, db, world, make_wish,
                                                         monkeypatch):
    monkeypatch.setattr(chain, "QUICK_CHECK", 1)
    make_wish("closed", estimated_hours=1.5)
    make_wish("closed", estimated_hours=1.5)
    db.execute(text("UPDATE ledger_entries SET hours = 9 WHERE seq = 1"))
    db.commit()
    login(client, world.admin)
    html = client.get("/ledger/").get_data(as_text=True)
    assert "完整" in html and "只校验最新的 1 条" in html  # the old entry is outside the window
    assert "全部记录还没有校验过" in html and "hx-trigger" not in html.split('id="chain"')[1][:300]
    r = client.post(f"/ledger/verify?community={world.ca.id}")
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/ledger/?community={world.ca.id}")
    html = client.get("/ledger/").get_data(as_text=True)
    assert "已安排校验全部记录，通常一分钟内完成。" in html  # the flash
    assert 'data-hx-get="/ledger/chain?community=' in html and "本页会自动更新" in html
    assert "校验全部记录</button>" not in html  # asked once; pressing again adds nothing
    assert client.get("/ledger/verify").status_code == 405  # a GET no longer runs the check

    assert checks.check_due(db, datetime.now(timezone.utc)) == 1  # what the job process runs
    part = client.get(f"/ledger/chain?community={world.ca.id}", headers={"HX-Request": "true"})
    html = part.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "第 1 条" in html and "chain-broken" in html and "data-hx-get" not in html
    assert "全部 2 条于" in html and "发现异常" in html
    assert "校验全部记录</button>" in html  # and it may be asked again
    monkeypatch.setattr(chain, "QUICK_CHECK", 2)  # the page's own check covers the chain
    html = client.get("/ledger/").get_data(as_text=True)
    assert "校验全部记录</button>" not in html and "全部 2 条于" not in html
    assert "HX-Request" in part.headers["Vary"]
    r = client.get(f"/ledger/chain?community={world.ca.id}")  # a browser gets the whole page
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/ledger/?community={world.ca.id}")


def test_street_export_lists_every_community(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.street_admin)
    r = client.get("/ledger/street/export?kind=year&fmt=xlsx")
    rows = list(load_workbook(io.BytesIO(r.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:3] == ("社区", "服务次数", "服务时长（小时）")
    assert rows[2][:5] == ("城西社区", 1, 1.5, 1, 1) and rows[2][5:7] == ("100%", "100%")
    assert rows[3][:3] == ("城东社区", 0, 0) and rows[4][:3] == ("合计", 1, 1.5)
    login(client, world.admin)
    assert client.get("/ledger/street/export").status_code == 403


def test_a_record_with_no_estimate_waits_without_one(client, db, world):
    """A project's presence record has no wish, so no estimate: the queue says nothing of one
    (it printed "预计 None 小时")."""
    p = signed_project(db, world, any_member=True)
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    p.responsible_id = world.member.id  # scanning one's own service waits for review
    db.commit()
    checkin.scan(db, world.member, s.id, now=s.starts_at)
    checkin.scan(db, world.member, s.id, now=s.ends_at)
    login(client, world.admin)
    html = client.get("/ledger/").get_data(as_text=True)
    queue = html.split('id="queue-h"')[1].split("</section>")[0]
    assert "2.5 小时" in queue and "预计 " not in queue and "None" not in queue


def test_the_ledger_page_names_the_first_who_have_not_served_and_links_the_whole_list(
        client, db, world, make_user):
    from webapp.services.ledger import duty
    for i in range(duty.SHOWN + 5):
        make_user(f"党员{i:02d}", f"1371111{i:04d}", world.ba1, [("member", world.ca, None)],
                  world.unit)
    owing = duty.SHOWN + 5 + 2  # and 李志愿, 张党员 (陈党员 has no employer unit)
    login(client, world.admin)
    html = client.get("/ledger/").get_data(as_text=True)
    assert f"尚未参加：{owing} 人" in html and f"查看全部 {owing} 人" in html
    assert html.count(" · 区人民医院</li>") == duty.SHOWN
    page = client.get(f"/ledger/duty?community={world.ca.id}").get_data(as_text=True)
    assert page.count(" · 区人民医院</li>") == owing and "党员24 · 区人民医院" in page
    _no_inline_code(page)
    assert client.get("/ledger/duty?page=x").status_code == 422
    login(client, world.admin_b)  # another community's admin
    assert client.get(f"/ledger/duty?community={world.ca.id}").status_code == 404
    html = client.get("/ledger/").get_data(as_text=True)
    assert "尚未参加：0 人" in html and "查看全部" not in html
