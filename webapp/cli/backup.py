"""`flask --app webapp backup`: a consistent copy while the site runs (SQLite backup API / pg_dump)."""
import glob
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import URL

from ..extensions import db

COUNTED = ("users", "wishes", "claims", "service_records", "ledger_entries")


def sqlite_backup(src_path: str, dest: Path) -> Path:
    """Copy a live SQLite database with the online backup API; writers keep going meanwhile."""
    src = sqlite3.connect(src_path, timeout=30)
    out = sqlite3.connect(dest)
    try:
        # pages=-1: one step, so the copy is a single point in time even with WAL writers.
        src.backup(out, pages=-1)
    finally:
        out.close()
        src.close()
    return dest


def check_sqlite(path: Path) -> tuple[str, dict]:
    """`PRAGMA integrity_check` and row counts of the main tables of a SQLite file."""
    con = sqlite3.connect(path)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in COUNTED if t in tables}
    finally:
        con.close()
    return ok, counts


def _pg_dump_binary() -> str:
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
    if not candidates:
        raise click.ClickException("pg_dump not found: install postgresql-client")
    return candidates[-1]


def libpq_url(url: URL) -> str:
    """postgresql+psycopg://… → postgresql://… (what pg_dump and pg_restore understand)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def pg_backup(url: URL, dest: Path) -> Path:
    """pg_dump --format=custom: a consistent snapshot taken without blocking writers."""
    subprocess.run([_pg_dump_binary(), "--format=custom", "--no-owner", f"--file={dest}",
                    f"--dbname={libpq_url(url)}"], check=True, capture_output=True)
    return dest


def run_backup(out_dir: Path) -> Path:
    """Back up the app's database into `out_dir`; returns the file written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        return pg_backup(url, out_dir / f"wishgrid-{stamp}.dump")
    if not url.database or url.database == ":memory:":
        raise click.ClickException("an in-memory database cannot be backed up")
    return sqlite_backup(url.database, out_dir / f"wishgrid-{stamp}.sqlite3")


def init_app(app):
    """Register `flask backup`."""

    @app.cli.command("backup")
    @click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
                  help="Directory for the backup file (default: instance/backups).")
    def backup(out_dir):
        """Write a consistent backup while the site keeps running; see docs/DEPLOY.md."""
        target = Path(out_dir or Path(current_app.instance_path) / "backups")
        path = run_backup(target)
        if path.suffix == ".sqlite3":
            ok, counts = check_sqlite(path)
            if ok != "ok":
                raise click.ClickException(f"integrity_check on the copy failed: {ok}")
            click.echo("integrity ok; " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        click.echo(f"backup written: {path}")
