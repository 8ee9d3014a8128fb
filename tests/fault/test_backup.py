"""`flask backup` while writes go on; the restored copy passes integrity checks (both databases)."""
import shutil
import sqlite3
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from webapp.cli import backup as backup_mod
from webapp.extensions import db as _db
from webapp.models import LedgerEntry, User, Wish
from webapp.schemas.inputs import WishInput
from webapp.services.ledger import ledger
from webapp.services.wishes import wishes


class Writer(threading.Thread):
    """Posts wishes through the real service until stopped; `done` counts the commits."""

    def __init__(self, app, resident_id, cat_id):
        super().__init__(daemon=True)
        self.app, self.resident_id, self.cat_id = app, resident_id, cat_id
        self.done = 0
        self.errors = []
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self):
        with self.app.app_context():
            s = _db.session
            user = s.get(User, self.resident_id)
            while not self.stop.is_set():
                try:
                    wishes.post(s, user, WishInput(kind="service", title="备份期间的心愿",
                                                   category=self.cat_id))
                except Exception as exc:  # noqa: BLE001 - reported by the test
                    self.errors.append(repr(exc))
                    return
                with self.progress:
                    self.done += 1
                    self.progress.notify_all()
            s.remove()

    def wait_for(self, n, timeout=60):
        with self.progress:
            assert self.progress.wait_for(lambda: self.done >= n or self.errors, timeout), \
                "writer made no progress"
        assert not self.errors, self.errors


def _counts(session) -> dict:
    session.rollback()  # a fresh snapshot (SQLite WAL readers keep theirs until the end)
    return {"wishes": session.scalar(select(func.count(Wish.id))),
            "ledger_entries": session.scalar(select(func.count(LedgerEntry.id))),
            "users": session.scalar(select(func.count(User.id)))}


def _restore(app, path: Path, tmp_path: Path):
    """Restore the backup somewhere new; returns (engine, cleanup)."""
    url = _db.engine.url
    if path.suffix == ".sqlite3":
        target = tmp_path / "restored.sqlite3"
        shutil.copy(path, target)  # the documented restore: copy the file into place
        return create_engine(f"sqlite:///{target}"), lambda: None
    name = f"restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    restored_url = url.set(database=name)
    pg_restore = Path(backup_mod._pg_dump_binary()).with_name("pg_restore")
    subprocess.run([str(pg_restore), "--no-owner",
                    f"--dbname={backup_mod.libpq_url(restored_url)}", str(path)],
                   check=True, capture_output=True)
    engine = create_engine(restored_url)

    def cleanup():
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
    return engine, cleanup


@pytest.mark.slow
def test_backup_during_writes_restores_whole(app, db, world, make_wish, tmp_path):
    make_wish("closed", capacity=2)  # service records and ledger entries to protect
    db.commit()
    writer = Writer(app, world.resident2.id, world.cat.id)
    writer.start()
    try:
        writer.wait_for(5)
        before = _counts(db)
        result = app.test_cli_runner().invoke(args=["backup", "--out", str(tmp_path / "bk")])
        assert result.exit_code == 0, result.output
        after_backup = writer.done
        writer.wait_for(after_backup + 5)  # writes went on while and after it ran
    finally:
        writer.stop.set()
        writer.join(30)
    assert not writer.errors, writer.errors
    files = list((tmp_path / "bk").iterdir())
    assert len(files) == 1
    path = files[0]
    if path.suffix == ".sqlite3":
        assert "integrity ok" in result.output
        with sqlite3.connect(path) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    final = _counts(db)
    engine, cleanup = _restore(app, path, tmp_path)
    try:
        with Session(engine) as s:
            got = _counts(s)
            # One point in time between "before" and the end: nothing torn, nothing invented.
            assert before["wishes"] <= got["wishes"] <= final["wishes"]
            assert got["ledger_entries"] == final["ledger_entries"] > 0
            assert got["users"] == final["users"]
            checks = ledger.verify(s)
            assert checks and all(c["ok"] for c in checks), checks
            # Every wish is whole: a title, a resident, a status.
            assert s.scalar(select(func.count(Wish.id)).where(
                (Wish.title == "") | Wish.resident_id.is_(None))) == 0
    finally:
        cleanup()
