"""Ledger pages name each service's source (心愿 / 共建项目), and the unit report has one progress
line per project of the unit in the period (issue 13)."""
import re

from tests.conftest import login
from tests.listsutil import after, signed_project
from webapp.services.lists import checkin
from webapp.services.lists import project_sessions as ps


def _labels(html: str) -> list[str]:
    return re.findall(r'class="chip chip-cat source-(\w+)"', html)




def test_sources_on_queue_entries_member_page_and_unit_report(client, db, world, make_wish):
    p = signed_project(db, world)
    s = ps.of_project(db, p)[0]
    t = after(s.starts_at)
    ps.signup(db, world.member, s.id, "server", now=s.starts_at.replace(day=1))
    ps.signup(db, world.resident, s.id, now=s.starts_at.replace(day=1))
    checkin.mark(db, world.unit_admin, s.id, world.resident.id, now=t)
    checkin.mark(db, world.unit_admin, s.id, world.member.id, now=t)
    checkin.mark(db, world.unit_admin, s.id, world.member.id, now=s.ends_at)  # presence: approved
    make_wish("closed", estimated_hours=4, title="帮忙修水管")  # 1.5 h: waits in the queue

    login(client, world.admin)
    html = client.get("/ledger/").get_data(as_text=True)
    queue, entries = html.split('id="entries-h"')
    assert _labels(queue) == ["wish"] and "心愿" in queue
    assert _labels(entries) == ["project"] and "共建项目" in entries

    login(client, world.member)
    html = client.get("/ledger/me").get_data(as_text=True)
    assert sorted(_labels(html)) == ["project", "wish"] and "专家义诊进社区" in html

    login(client, world.unit_admin)
    month = s.starts_at.strftime("%Y-%m")
    html = client.get(f"/ledger/units/{world.unit.id}/report?period={month}").get_data(
        as_text=True)
    assert "专家义诊进社区" in html and "期间已开展 1/1 次，服务 1 人次" in html
    detail = html.split('id="detail"')[1]
    assert _labels(detail) == ["project"]  # the wish was served today, outside 2025-03
    # Over a half year the target is the monthly target × 6.
    html = client.get(f"/ledger/units/{world.unit.id}/report?period={s.starts_at.year}-H1"
                      ).get_data(as_text=True)
    assert "期间已开展 1/6 次，服务 1 人次" in html
    html = client.get(f"/ledger/units/{world.unit.id}/report?period={s.starts_at.year + 1}-H1"
                      ).get_data(as_text=True)
    assert "专家义诊进社区" not in html  # the project had ended by then
