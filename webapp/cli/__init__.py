"""Flask CLI commands: `flask --app webapp seed-demo` and friends."""
import click
from flask import current_app

from ..extensions import db


def init_app(app):
    """Register the commands."""
    from .ledger import ledger
    app.cli.add_command(ledger)  # flask --app webapp ledger verify
    from . import backup
    backup.init_app(app)  # flask --app webapp backup (docs/DEPLOY.md)
    from .setup import setup_command
    app.cli.add_command(setup_command)  # flask --app webapp setup --street … (README)
    from .security import mfa_reset_command
    app.cli.add_command(mfa_reset_command)  # flask --app webapp mfa-reset --phone … (lost phone)

    @app.cli.command("seed-demo")
    def seed_demo():
        """Create (once) the demo street, communities, people and wishes. Idempotent."""
        from ..demo import seed
        created = seed(db.session)
        click.echo("demo community created" if created else "demo community already present")

    @app.cli.command("init-db")
    def init_db():
        """Apply migrations (SQLite or PostgreSQL) — same as `flask db upgrade`."""
        from flask_migrate import upgrade
        upgrade(directory=current_app.extensions["migrate"].directory)
        click.echo("database is up to date")
