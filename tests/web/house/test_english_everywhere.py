"""Every page, for every role, in English has no Chinese text but what people wrote (issue 12 §5).

Every HTML GET page of the URL map (tests/page_catalogue.py) is opened by each role with its
language set to English (a guest by the `lang` cookie). The visible text (text nodes and the
aria-label/placeholder/title/alt attributes) must hold no CJK character, except:
- elements marked as user content in the templates (`data-user-content`, `translate="no"` or a
  `lang="zh…"` attribute), and
- what people wrote, as stored in the database: names, titles, descriptions, addresses, notes…
  (every text column of the tables below; never notifications, the admin log or the default
  categories, whose text the application writes and must translate).
"""
import re

import pytest

from flask_babel import refresh
from sqlalchemy import String, Text, select, update

from tests.conftest import login
from tests.page_catalogue import make_ids, pages, users
from webapp.extensions import db as _db
from webapp.models import Category, Notification, User, utcnow
from webapp.services.people.orgs import DEFAULT_CATEGORIES

# Runs once, in the SQLite pass of scripts/test.sh: the words on a page depend on the catalogue, not on the database.
pytestmark = pytest.mark.engine_neutral

# Ideographs, CJK punctuation and full-width punctuation (not the ＋ ☰ icon glyphs, which
# are aria-hidden symbols, nor curly quotes, which English uses too).
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f]")
APP_TEXT = {"notifications", "admin_logs", "categories", "outbox", "alembic_version"}
MARKED = re.compile(
    r'(?is)<(\w+)\b[^>]*\b(?:data-user-content|translate="no"|lang="zh[^"]*")[^>]*>.*?</\1>')


def _data(db) -> list[str]:
    """Every text a person wrote, longest first (so a name inside a title goes with the title)."""
    values = set()
    for table in _db.metadata.sorted_tables:
        if table.name in APP_TEXT:
            continue
        cols = [c for c in table.columns if isinstance(c.type, (String, Text))]
        for c in cols:
            values.update(v for v in db.scalars(select(c).where(c.is_not(None)))
                          if isinstance(v, str) and CJK.search(v))
    values.update(n for n in db.scalars(select(Category.name)) if n not in DEFAULT_CATEGORIES)
    return sorted(values, key=len, reverse=True)


def _visible(html: str, data) -> str:
    html = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html)
    html = re.sub(r"(?is)<!--.*?-->", " ", html)
    for _ in range(3):  # nested marked elements
        html = MARKED.sub(" ", html)
    labels = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', html))
    text = re.sub(r"(?s)<[^>]+>", " ", html) + " " + labels
    text = text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    for value in data:
        text = text.replace(value, " ")
    return re.sub(r"[\u3400-\u9fff]\*+", " ", text)  # masked names: 王**


def test_no_chinese_on_any_page_for_an_english_reader(app, db, world, make_wish):
    ids = make_ids(db, world, make_wish)
    db.execute(update(User).values(locale="en"))
    db.execute(update(Notification).values(read_at=utcnow()))
    db.commit()
    refresh()
    data = _data(db)
    found = {}
    for role, user in users(world).items():
        client = app.test_client()
        if user is None:
            client.set_cookie("lang", "en")
        else:
            login(client, user)
        for endpoint, url in pages(app, ids):
            r = client.get(url)
            if r.status_code != 200 or r.mimetype != "text/html":
                continue
            chars = CJK.findall(_visible(r.get_data(as_text=True), data))
            if chars:
                text = _visible(r.get_data(as_text=True), data)
                snippets = sorted({text[max(m.start() - 12, 0):m.end() + 12].strip()
                                   for m in CJK.finditer(text)})[:4]
                found[f"{role} {url}"] = snippets
    assert not found, "Chinese in English pages:\n" + "\n".join(
        f"{k}: {v}" for k, v in sorted(found.items()))
