"""`flask mfa-reset`: the server's operator turns off a lost second factor (a street admin has
no fellow who covers them); logged like a reset by staff, with no actor."""
import sys

import click
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..services.errors import Conflict
from ..services.people import mfa


@click.command("mfa-reset")
@click.option("--phone", required=True, help="手机号 of the account whose 两步验证 to reset")
def mfa_reset_command(phone):
    """Turn off the account's second factor and end its sessions; it enrols again on sign-in."""
    user = db.session.scalar(select(User).where(User.phone == phone.strip()))
    if user is None:
        click.echo("Error: no account has that phone number.", err=True)
        sys.exit(1)
    try:
        mfa.reset(db.session, None, user)
    except Conflict as exc:
        db.session.rollback()
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"两步验证 reset for {user.name}; they set it up again at their next sign-in.")
