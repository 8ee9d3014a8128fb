"""Plain words for staff (issue 12 §6): the ledger's chain status and what the statuses mean."""
import re

from tests.conftest import login

import pytest

# Runs once, in the SQLite pass of scripts/test.sh: the words on pages.
pytestmark = pytest.mark.engine_neutral


def test_ledger_says_complete_with_count_and_time_and_keeps_the_hash_in_details(client, world,
                                                                               make_wish):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.admin)
    html = client.get("/ledger/").get_data(as_text=True)
    assert re.search(r"台账完整，共 1 条，最后校验于 \S", html)
    details = html[html.index('class="chain-details"'):]
    details = details[:details.index("</details>")]
    assert "链尾" in details
    assert "链尾" not in html.replace(details, "")  # no hash outside the details element


def test_status_legend_explains_confirmed_and_closed(client, world):
    for user, url in ((world.resident, "/my/wishes"), (world.member, "/orders"),
                      (world.admin, "/admin/wishes")):
        login(client, user)
        html = client.get(url).get_data(as_text=True)
        assert 'class="status-legend"' in html, url
        assert "已确认" in html and "已完成" in html and "心愿结束" in html, url


def test_register_sections_are_tied_to_their_role_without_js(client):
    from pathlib import Path
    html = client.get("/register").get_data(as_text=True)
    assert 'class="form register-form"' in html
    assert 'class="fieldset for-member"' in html and 'class="fieldset for-unit"' in html
    css = Path("webapp/static/css/app.css").read_text()
    assert ('.register-form:not(:has(input[name="role"][value="member"]:checked)) .for-member'
            in css)
    assert ('.register-form:not(:has(input[name="role"][value="unit_admin"]:checked)) .for-unit'
            in css)


def test_certificate_form_starts_from_the_last_certificates_signers(client, db, world,
                                                                      make_wish):
    from datetime import date
    make_wish("closed", estimated_hours=1.5)  # hours to certify
    from types import SimpleNamespace
    from webapp.models import utcnow
    from webapp.services.ledger import certificates
    from webapp.services.ledger.periods import local
    login(client, world.admin)
    html = client.get("/ledger/certificates").get_data(as_text=True)
    assert 'value="孙书记"' not in html
    certificates.issue(db, world.admin, world.ca.id, SimpleNamespace(
        volunteer_id=world.member.id, period_from=date(2020, 1, 1),
        period_to=local(utcnow()).date(),  # Beijing's today, as the service date is
        head_name="孙书记", officer_name="周干事", contact="0571-88886666"))
    html = client.get("/ledger/certificates").get_data(as_text=True)
    assert 'value="孙书记"' in html and 'value="周干事"' in html
    assert 'value="0571-88886666"' in html


def test_periods_are_chosen_from_a_list_not_typed(client, world):
    from webapp.models import utcnow
    from webapp.services.ledger.periods import half_of, local
    login(client, world.admin)
    html = client.get("/ledger/tallies?kind=half").get_data(as_text=True)
    assert '<select id="f-period" name="period">' in html
    # nothing to type: the only period input is the hidden one of the export form (the shown period)
    assert not re.search(r'<input(?![^>]*type="hidden")[^>]*name="period"', html)
    key = half_of(utcnow()).key
    assert re.search(rf'<option value="{key}" selected>', html)  # the current half-year chosen
    y = local(utcnow()).year
    for value in (f"{y}-{local(utcnow()).month:02d}", str(y), str(y - 1)):
        assert f'<option value="{value}"' in html
    html = client.get(f"/ledger/tallies?period={y - 1}").get_data(as_text=True)
    assert re.search(rf'<option value="{y - 1}" selected>', html)


def test_a_value_over_any_bound_is_told_the_communitys_cap_like_the_hint(client, world):
    login(client, world.resident)
    r = client.post("/wishes/new", data={
        "kind": "wish", "title": "想要一个书包", "category": str(world.categories["物资心愿"].id),
        "capacity": "1", "estimated_hours": "1", "value_yuan": "200000"})
    html = r.get_data(as_text=True)
    err = html[html.index('id="err-value_yuan"'):]
    err = err[:err.index("</p>")]
    assert "500" in err and "100000" not in err
    assert "本社区微心愿上限 500 元" in html  # the hint says the same number
