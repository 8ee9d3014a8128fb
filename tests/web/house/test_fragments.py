"""Fragments (webapp/web/fragments.py): rows rendered once per distinct content. Safe only if a
fragment reads nothing but the values that key it, so every fragment template is checked for
that; and a change to what a page shows must show on its next view (nothing to invalidate)."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale
from jinja2 import meta, nodes
from sqlalchemy import update

from tests.conftest import login
from webapp.models import User
from webapp.web.fragments import fragment

TEMPLATES = Path(__file__).resolve().parents[3] / "webapp" / "templates"
CALL = re.compile(r"""fragment\(\s*"([^"]+)"(.*?)\)\s*}}""", re.S)
# What a fragment may read besides its values: the environment's own globals and helpers,
# and `csrf` (the placeholder fragment() swaps for the session's token).
SHARED = {"csrf", "_", "gettext", "ngettext", "url_for", "range", "loop", "dict", "lipsum",
          "cycler", "joiner", "namespace"}
# Per request or per viewer: a fragment that read one would serve it to the next viewer.
PER_VIEWER = {"request", "session", "g", "current_user", "csrf_token", "config",
              "get_flashed_messages", "card_csrf"}


def _calls() -> list[tuple[str, str, set[str]]]:
    out = []
    for page in sorted(TEMPLATES.rglob("*.html")):
        for name, args in CALL.findall(page.read_text(encoding="utf-8")):
            out.append((str(page.relative_to(TEMPLATES)), name,
                        set(re.findall(r"(?<![=!<>\w])(\w+)\s*=(?!=)", args))))
    return out


def _imports(env, ast) -> set[str]:
    return {n.template.value for n in ast.find_all((nodes.Import, nodes.FromImport, nodes.Include))
            if isinstance(n.template, nodes.Const)}


def test_every_fragment_reads_only_the_values_that_key_it(app):
    calls = _calls()
    assert {name for _p, name, _a in calls} >= {
        "ledger/_notice_rows.html", "ledger/_unit_rows.html", "ledger/_tally_rows.html",
        "ledger/_unit_report_summary.html", "ledger/_unit_report_detail.html",
        "people/_people_rows.html", "partials/_pick.html", "pairing/_pairing_rows.html",
        "pairing/_suggestion_rows.html", "pairing/_care_rows.html"}, "the fragment calls were not found: is CALL out of date?"
    env = app.jinja_env
    for page, name, given in calls:
        source = env.loader.get_source(env, name)[0]
        ast = env.parse(source)
        read = meta.find_undeclared_variables(ast)
        assert read <= given | SHARED, f"{name} (from {page}) reads {read - given - SHARED}"
        # Its own macros and the ones it imports see no values, only the globals: none of them
        # per viewer (find_undeclared_variables does not look inside a macro's body).
        for part, tree in [(name, ast)] + [(i, env.parse(env.loader.get_source(env, i)[0]))
                                            for i in _imports(env, ast)]:
            names = list(tree.find_all(nodes.Name))  # read, and not set or a parameter there
            used = ({n.name for n in names if n.ctx == "load"}
                    - {n.name for n in names if n.ctx in ("store", "param")})
            assert not used & PER_VIEWER, f"{part} (for {name}) reads {used & PER_VIEWER}"


ROW = {"name": "李志愿", "services": 1, "points": Decimal("2"), "rating": None}


def test_equal_values_that_print_differently_are_different_fragments(app):
    with app.test_request_context("/"):
        shown = [str(fragment("ledger/_unit_rows.html", rows=[{**ROW, "hours": h}]))
                 for h in (Decimal("1.5"), Decimal("1.50"), 1, 1.0, True)]
        for h, html in zip(("1.5", "1.50", "1", "1.0", "True"), shown):
            assert f'<td class="num">{h}</td>' in html, (h, html)
        again = fragment("ledger/_unit_rows.html", rows=[{**ROW, "hours": Decimal("1.50")}])
        assert str(again) == shown[1]
        cache = app.extensions["wishgrid_fragments"][0]
        before = len(cache)
        fragment("ledger/_unit_rows.html", rows=[{**ROW, "hours": Decimal("1.50")}])
        assert len(cache) == before  # the same content: rendered once


def test_a_fragment_is_kept_per_language(app):
    with app.test_request_context("/"):
        chinese = str(fragment("ledger/_unit_rows.html", rows=[]))
        with force_locale("en"):
            english = str(fragment("ledger/_unit_rows.html", rows=[]))
    assert "本单位还没有党员。" in chinese
    assert "本单位还没有党员。" not in english
    assert "The unit has no members yet." in english


@pytest.mark.parametrize("url", ["/ledger/unit", "/ledger/units/{unit}/report"])
def test_a_change_shows_on_the_next_view(client, db, world, make_wish, url):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.unit_admin)
    url = url.format(unit=world.unit.id)
    assert "李志愿" in client.get(url).get_data(as_text=True)
    db.execute(update(User).where(User.id == world.member.id).values(name="李新名"))
    db.commit()
    html = client.get(url).get_data(as_text=True)
    assert "李新名" in html and "李志愿" not in html


TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_fragment_s_forms_carry_each_session_s_own_token(app, client, db, world, make_user):
    from webapp.services.pairing import pairings
    from webapp.web.fragments import CSRF_PLACEHOLDER
    row, = pairings.pair(db, world.admin, world.member3.id, [world.resident2.id])
    other = app.test_client()
    second = make_user("郑主任", roles=[("community_admin", world.ca, None)])
    login(client, world.admin)
    login(other, second)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        mine, theirs = (c.get(f"/pairing/manage?community={world.ca.id}").get_data(as_text=True)
                        for c in (client, other))
        assert f"/pairing/pairings/{row.id}/end" in mine and CSRF_PLACEHOLDER not in mine + theirs
        assert len(set(TOKEN.findall(mine))) == 1 and len(set(TOKEN.findall(theirs))) == 1
        assert TOKEN.findall(mine)[0] != TOKEN.findall(theirs)[0]  # the same rows, rendered once
        end = {"reason": "搬走", "csrf_token": TOKEN.findall(theirs)[0]}
        assert client.post(f"/pairing/pairings/{row.id}/end", data=end).status_code == 400
        end["csrf_token"] = TOKEN.findall(mine)[0]
        assert client.post(f"/pairing/pairings/{row.id}/end", data=end).status_code in (302, 303)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_dict_s_items_are_read_again_and_an_iterator_or_object_is_refused(app):
    with app.test_request_context("/"):
        options = {"1": "第一网格", "2": "第二网格"}
        html = str(fragment("partials/_pick.html", name="grid", label="网格", all_label="全部",
                            options=options.items(), selected="2", error=None))
        assert '<option value="2" selected>第二网格</option>' in html and "第一网格" in html
        with pytest.raises(TypeError):
            fragment("partials/_pick.html", name="grid", label="网格", all_label="全部",
                     options=iter(options.items()), selected="2", error=None)
        with pytest.raises(TypeError):  # an object: its pickle need not pin its rendering down
            fragment("ledger/_unit_rows.html", rows=[object()])


def test_keys_tell_apart_values_that_print_apart(app):
    from collections import OrderedDict, namedtuple
    from datetime import datetime, timedelta, timezone
    from markupsafe import Markup
    from flask_babel import lazy_gettext as _l
    from webapp.web.fragments import digest
    A, B = namedtuple("A", "x"), namedtuple("B", "y")
    at = datetime(2026, 12, 1, tzinfo=timezone.utc)
    kinds = [[1], [True], [1.0], [Decimal("1")], [Decimal("1.0")], ["1"], [Markup("1")],
             [(1,)], [A(1)], [B(1)], [("A", ("x",), (1,))], [at], [{1}], [[1]],
             [{"a": 1}.items()], [[("a", 1)]], [_l("居民")], ["居民"],
             [at.astimezone(timezone(timedelta(hours=8)))], [{"a": 1, "b": 2}], [{"b": 2, "a": 1}],
             # inside a row, as the rows of a table hold them
             [{"a": 1}], [{"a": True}], [{"a": "1"}], [{"a": Markup("1")}], [{"a": [1]}],
             [{"a": (1,)}], [{"a": A(1)}], [{"a": _l("居民")}], [{"a": "居民"}],
             [OrderedDict(a=1)]]
    with app.test_request_context("/"):
        keys = [digest(k) for k in kinds]
    assert len(set(keys)) == len(kinds)
    assert digest([A(1)]) == digest([A(1)]) and digest([{"a": Decimal("1.50")}]) == digest(
        [{"a": Decimal("1.50")}])
