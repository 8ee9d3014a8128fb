"""No template queries the database (DESIGN.md: views hand templates plain data).

Every HTML GET page of the URL map (tests/page_catalogue.py) is opened by every role that may
open it, and every SQL statement sent while a template renders (between Flask's
`before_render_template` and `template_rendered` signals) is a relationship walked from a
template: the test names the template, the page and the statement.
"""
from contextlib import contextmanager

import pytest
from flask import before_render_template, template_rendered
from sqlalchemy import event

from tests.conftest import login
from tests.page_catalogue import make_ids, pages, users
from webapp.extensions import db as _db

pytestmark = pytest.mark.engine_neutral  # lazy loads are the ORM's, whatever the engine


@contextmanager
def _template_queries(app):
    """Yield a list that collects (template, SQL) for statements run inside a render."""
    rendering, found = [], []

    def before(_sender, template, context, **_kw):
        rendering.append(template.name)

    def after(_sender, template, context, **_kw):
        rendering.pop()

    def sql(_conn, _cursor, statement, _params, _context, _many):
        if rendering:
            found.append((rendering[-1], " ".join(statement.split())[:120]))

    before_render_template.connect(before, app)
    template_rendered.connect(after, app)
    event.listen(_db.engine, "before_cursor_execute", sql)
    try:
        yield found
    finally:
        event.remove(_db.engine, "before_cursor_execute", sql)
        template_rendered.disconnect(after, app)
        before_render_template.disconnect(before, app)


def test_no_page_walks_the_database_from_its_template(app, db, world, make_wish):
    ids = make_ids(db, world, make_wish)
    seen, opened = {}, 0
    with _template_queries(app) as found:
        for role, user in users(world).items():
            client = app.test_client()
            if user is not None:
                login(client, user)
            for endpoint, url in pages(app, ids):
                before = len(found)
                r = client.get(url)
                if r.status_code == 200 and r.mimetype == "text/html":
                    opened += 1
                for template, statement in found[before:]:
                    seen.setdefault(template, f"{role} {url}: {statement}")
    assert opened > 40, opened
    assert not seen, "templates that query the database:\n  " + "\n  ".join(
        f"{t} ({where})" for t, where in sorted(seen.items()))


def test_the_check_sees_a_template_that_queries(app, db, world):
    """The detector itself: a template walking a relationship is caught."""
    from flask import render_template_string
    from webapp.models import User
    with _template_queries(app) as found, app.test_request_context("/"):
        db.expire_all()
        u = db.get(User, world.member.id)
        assert render_template_string("{{ u.unit.name }}", u=u) == world.unit.name
    assert found and "unit" in found[0][1].lower(), found
