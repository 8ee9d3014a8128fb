"""`flask --app webapp setup`: a real street starts from an empty (migrated) database."""
import os
import sys

import click
from flask_babel import force_locale

from ..extensions import db
from ..schemas import parse
from ..schemas.admin import SetupInput
from ..services.admin import setup as setup_svc
from ..services.errors import Conflict, Invalid

PASSWORD_ENV = "WISHGRID_ADMIN_PASSWORD"


def _password(existing_account: bool) -> str | None:
    """From the environment, else asked twice on a terminal, else None (one is generated)."""
    if existing_account:
        return None
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if sys.stdin.isatty():
        return click.prompt("Password for the street admin (8+ characters)", hide_input=True,
                            confirmation_prompt=True)
    return None


@click.command("setup")
@click.option("--street", required=True, help="街道名称, e.g. 城西街道")
@click.option("--admin-phone", required=True, help="手机号 of the first street admin")
@click.option("--admin-name", required=True, help="姓名 of the first street admin")
@click.option("--add-admin", is_flag=True,
              help="Add one more street admin to an EXISTING street (e.g. a handover) instead "
                   "of creating the street.")
def setup_command(street, admin_phone, admin_name, add_admin):
    """Create a street and its first street admin (run again with a new name for another), or
    with --add-admin give an existing street one more street admin."""
    with force_locale("zh_CN"):
        if not add_admin and setup_svc.find_street(db.session, street) is not None:
            click.echo(f"Error: street “{street.strip()}” already exists — nothing was changed. "
                       "Sign in as its street admin to manage it.", err=True)
            sys.exit(1)
        from ..models import User
        existing = db.session.scalar(db.select(User.id).where(User.phone == admin_phone.strip()))
        try:
            data = parse(SetupInput, {"street": street, "admin_phone": admin_phone,
                                      "admin_name": admin_name,
                                      "password": _password(existing is not None)})
            result = (setup_svc.add_street_admin if add_admin
                      else setup_svc.create_street)(db.session, data)
        except Invalid as exc:
            db.session.rollback()
            for field, msg in exc.fields.items():
                click.echo(f"Error: {field}: {msg}", err=True)
            sys.exit(2)
        except Conflict as exc:
            db.session.rollback()
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(1)
    if add_admin:
        click.echo(f"Street “{result.street.name}” (id {result.street.id}): "
                   f"{result.admin.name} ({result.admin.phone}) is now also its street admin. "
                   "The admin log keeps every earlier line; the previous admin can be removed "
                   "on the staff page by the new one.")
    else:
        click.echo(f"Street “{result.street.name}” created (id {result.street.id}); "
                   f"street admin {result.admin.name} ({result.admin.phone}).")
    if result.existing_account:
        click.echo("That phone already had an account: it keeps its password and now also "
                   "holds the street admin role.")
    elif result.temporary_password:
        click.echo("One-time password (shown only now; it must be changed at first sign-in):")
        click.echo(f"    {result.temporary_password}")
    else:
        click.echo("The password you gave is set; keep it safe.")
