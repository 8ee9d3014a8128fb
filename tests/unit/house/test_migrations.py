"""Migrations and models agree: upgrading an empty database to head gives exactly the models.

Runs on whatever DATABASE_URL names (SQLite by default; on PostgreSQL a scratch database is
created beside the test database and dropped afterwards).
"""
import os
import tempfile
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from config import TestConfig
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models.search import is_search_object

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


@pytest.fixture
def empty_url():
    """The URL of a database with no tables at all, removed after the test."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{Path(tempfile.mkdtemp(prefix='wishgrid-migr-')) / 'm.sqlite3'}"
        return
    url = make_url(base)
    name = f"wishgrid_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app_for(url):
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
    return create_app(Cfg)


def _diff(engine):
    with engine.connect() as conn:
        # the search indexes are engine-specific DDL beside the models (models/search.py)
        mc = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": (
            lambda _o, name, _t, reflected, _c: not (reflected and is_search_object(name)))})
        return compare_metadata(mc, _db.metadata)


def test_upgrade_from_empty_matches_the_models(empty_url):
    assert any(MIGRATIONS.glob("versions/*.py")), "no migration revision in migrations/versions"
    app = _app_for(empty_url)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        tables = set(inspect(_db.engine).get_table_names())
        assert set(_db.metadata.tables) <= tables
        diff = _diff(_db.engine)
        assert diff == [], "models and migrations disagree; run scripts/regen-migration.sh:\n" + \
            "\n".join(map(str, diff))
        _db.engine.dispose()


def test_downgrade_to_base_removes_every_table(empty_url):
    app = _app_for(empty_url)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        downgrade(directory=str(MIGRATIONS), revision="base")
        left = set(inspect(_db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()
        upgrade(directory=str(MIGRATIONS))  # and back up again, cleanly
        assert set(_db.metadata.tables) <= set(inspect(_db.engine).get_table_names())
        _db.engine.dispose()
