"""The admin log and the disclosure log are audit trails: no route, service or statement of the
app deletes or changes them; the retention purge keeps at least 180 days; a street admin
exports both as .xlsx."""
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select, update

from tests.conftest import login
from tests.web.ids_world import RULES, _body, _request, _url
from webapp.models import AdminLog, Disclosure, utcnow
from webapp.services.admin import adminlog, audit

ROOT = Path(__file__).resolve().parents[3]


def _snapshot(db):
    db.expire_all()
    return (sorted(db.execute(select(AdminLog.id, AdminLog.kind, AdminLog.summary)).all()),
            sorted(db.execute(select(Disclosure.id, Disclosure.viewer_id,
                                     Disclosure.resident_id)).all()))


def _seed_logs(db, world, now=None):
    now = now or utcnow()
    line = adminlog.record(db, world.admin, "other", world.ca, target=world.resident,
                           summary="检查", now=now)
    seen = Disclosure(resident_id=world.resident.id, viewer_id=world.grid_worker.id,
                      reason="grid_staff", channel="web", at=now)
    db.add(seen)
    db.commit()
    return line, seen


def test_every_write_route_as_the_most_powerful_roles_leaves_both_logs_whole(app, db, ids):
    _seed_logs(db, ids.world)
    before_admin, before_seen = _snapshot(db)
    failures = []
    for role in ("street_admin", "community_admin"):
        for method, rule, endpoint, args in RULES:
            if method == "GET":
                continue
            url = _url(rule, args, ids.values)
            resp = _request(app, method, url, role, ids.users, rule.startswith("/api/"),
                            _body(endpoint, method, ids.values))
            if resp.status_code >= 500:
                failures.append(f"{role} {method} {rule}: {resp.status_code}")
    after_admin, after_seen = _snapshot(db)
    assert not failures
    assert set(before_admin) <= set(after_admin)  # new lines, never fewer or changed ones
    assert set(before_seen) <= set(after_seen)


def test_no_source_outside_the_purge_deletes_or_updates_them():
    pattern = re.compile(r"(delete|update)\(\s*(AdminLog|Disclosure)\b")
    hits = [str(p.relative_to(ROOT)) for base in ("webapp", "jobs")
            for p in (ROOT / base).rglob("*.py")
            if pattern.search(p.read_text(encoding="utf-8"))]
    assert hits == []
    # and only the purge carries the option that lets a DELETE through the session's guard
    users = [str(p.relative_to(ROOT)) for base in ("webapp", "jobs")
             for p in (ROOT / base).rglob("*.py") if "PURGE_OPTION" in p.read_text("utf-8")]
    assert users == ["webapp/services/admin/audit.py"]


@pytest.mark.parametrize("how", ["bulk_delete", "bulk_update", "orm_delete", "orm_update"])
def test_the_session_refuses_any_change_to_an_audit_line(db, world, how):
    line, seen = _seed_logs(db, world)
    with pytest.raises(audit.AuditLogProtected):
        if how == "bulk_delete":
            db.execute(delete(Disclosure).where(Disclosure.id == seen.id))
        elif how == "bulk_update":
            db.execute(update(AdminLog).where(AdminLog.id == line.id).values(summary="改"))
        elif how == "orm_delete":
            db.delete(line)
            db.flush()
        else:
            seen.reason = "nothing"
            db.flush()
    db.rollback()
    assert _snapshot(db)[0] and _snapshot(db)[1]


def test_the_purge_keeps_at_least_180_days_whatever_the_setting(app, db, world, monkeypatch):
    now = utcnow()
    _seed_logs(db, world, now - timedelta(days=179))
    _seed_logs(db, world, now - timedelta(days=181))
    monkeypatch.setitem(app.config, "LOG_RETENTION_DAYS", 30)  # too short: 180 applies
    assert audit.retention_days() == 180
    assert audit.purge_audit_logs(db, now) == {"admin_log": 1, "disclosures": 1}
    ages = [(now - at).days for at in db.scalars(select(AdminLog.at))]
    assert ages == [179]
    monkeypatch.setitem(app.config, "LOG_RETENTION_DAYS", 365)
    assert audit.purge_audit_logs(db, now) == {"admin_log": 0, "disclosures": 0}


def test_a_street_admin_exports_both_logs_for_an_audit(client, db, world):
    _seed_logs(db, world)
    login(client, world.street_admin)
    assert "两步验证" in client.get("/staff/security").get_data(as_text=True)
    r = client.get(f"/staff/security/audit.xlsx?street={world.street.id}")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data))
    log, seen = wb.worksheets
    assert [c.value for c in log[2]] == ["时间", "类型", "操作人", "对象", "社区", "内容"]
    assert any(row[2] == "孙主任" and row[3] == "王小明" for row in log.iter_rows(values_only=True))
    assert any(row[1] == "周网格" and row[2] == "王小明" for row in seen.iter_rows(values_only=True))
    assert db.scalar(select(AdminLog.id).where(AdminLog.kind == "audit_export"))


def test_only_street_admins_open_the_security_page(client, world):
    login(client, world.admin)
    assert client.get("/staff/security").status_code == 403
    assert client.get("/staff/security/audit.xlsx").status_code == 403
