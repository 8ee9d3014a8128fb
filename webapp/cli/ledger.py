"""`flask --app webapp ledger verify`: check every community's hash chain."""
import sys

import click
from flask.cli import AppGroup

from ..extensions import db

ledger = AppGroup("ledger", help="Service-hour ledger: verify the hash chains.")


@ledger.command("verify")
@click.option("--community", type=int, default=None, help="Only this community id.")
def verify(community):
    """Check every chain (seq, links, hashes); exit 1 naming the first broken entry.

    The results are kept as each community's last full check, shown on its ledger page."""
    from ..models import utcnow
    from ..services.ledger import checks, ledger as svc
    began = utcnow()
    results = svc.verify(db.session, community)
    db.session.rollback()
    checks.record(db.session, results, began)
    broken = 0
    for r in results:
        if r["ok"]:
            click.echo(f"OK      community {r['community_id']} {r['name']}: {r['entries']} entries")
        else:
            broken += 1
            b = r["broken"]
            click.echo(f"BROKEN  community {r['community_id']} {r['name']}: first broken entry "
                       f"seq {b['seq']} (id {b['id']}): {b['problem']}")
    if not results:
        click.echo("no ledger entries yet")
    sys.exit(1 if broken else 0)
