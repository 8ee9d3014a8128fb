"""Pages a phone can show (issue 12 §1): the street admin reaches each community's figures, the
unit report has a way back, tally tables name their headers."""
from tests.conftest import login


def test_street_admin_follows_each_community_into_its_tallies(client, db, world, make_user):
    login(client, world.street_admin)
    page = client.get("/ledger/street").get_data(as_text=True)
    for c in (world.ca, world.cb):
        assert f'href="/ledger/tallies?community={c.id}' in page
    r = client.get(f"/ledger/tallies?community={world.cb.id}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert world.cb.name in html and 'href="/ledger/street"' in html
    assert "/ledger/export?" not in html  # the detailed ledger (names) stays with the community
    assert client.get(f"/ledger/tallies/export?community={world.cb.id}&fmt=csv").status_code == 200
    # Another street's community is not theirs to read.
    from webapp.services.people import orgs
    other = orgs.add_org(db, "community", "别的社区", orgs.add_org(db, "street", "别的街道"))
    assert client.get(f"/ledger/tallies?community={other.id}").status_code in (403, 404)


def test_community_admin_still_cannot_read_another_community(client, world):
    login(client, world.admin)
    assert client.get(f"/ledger/tallies?community={world.cb.id}").status_code in (403, 404)


def test_unit_report_has_a_way_back_and_stacks_on_a_phone(client, world):
    login(client, world.unit_admin)
    html = client.get(f"/ledger/units/{world.unit.id}/report").get_data(as_text=True)
    assert f'href="/ledger/unit?unit={world.unit.id}"' in html and "table-stack" in html
    login(client, world.admin)
    html = client.get(f"/ledger/units/{world.unit.id}/report").get_data(as_text=True)
    assert f'href="/ledger/?community={world.ca.id}"' in html


def test_tally_table_headers_have_scope(client, world):
    login(client, world.admin)
    html = client.get("/ledger/tallies").get_data(as_text=True)
    assert '<th scope="col">' in html and '<th scope="row">' in html
