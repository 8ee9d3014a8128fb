"""Each SQLite connection's page cache and memory-mapped reads are set as configured
(webapp/db.py configure_engine): SQLite's own 2 MiB cache re-read a district database's index
pages on every request (bench/RESULTS.md, session 21)."""
import pytest
from sqlalchemy import create_engine, text

from webapp.db import configure_engine


def test_the_apps_connections_keep_a_16_mib_page_cache_and_no_map(app, db):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's cache is the server's shared_buffers")
    assert app.config["SQLITE_CACHE_MIB"] == 16 and app.config["SQLITE_MMAP_MIB"] == 0
    assert db.scalar(text("PRAGMA cache_size")) == -16 * 1024  # negative: KiB, not pages
    assert db.scalar(text("PRAGMA mmap_size")) == 0


def test_both_are_set_on_every_new_connection(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    configure_engine(engine, 1000, cache_mib=4, mmap_mib=8)
    for _ in range(2):  # the pool's connection, then a new one
        with engine.connect() as conn:
            assert conn.scalar(text("PRAGMA cache_size")) == -4 * 1024
            assert conn.scalar(text("PRAGMA mmap_size")) == 8 * 1024 * 1024
        engine.dispose()
    configure_engine(plain := create_engine(f"sqlite:///{tmp_path / 'y.sqlite3'}"), 1000)
    with plain.connect() as conn:
        assert conn.scalar(text("PRAGMA cache_size")) == -2000  # SQLite's own default
        assert conn.scalar(text("PRAGMA mmap_size")) == 0
