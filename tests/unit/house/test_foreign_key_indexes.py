"""Every foreign key column leads an index, or says here why it is never looked up by itself
(issue 27, safe by class): notifications.wish_id had none, and a wish's review page read all of
a district's 600,000 notifications to list its deliveries (77 ms)."""
from webapp.extensions import db

# column → why no index leads with it (read only from its row, or beside an indexed column)
NOT_LOOKED_UP = {
    "admin_log.org_id": "filtered beside the log's indexed scope columns (is not NULL)",
    "invitations.org_id": "read with the invitation's user_id, which is indexed",
    "projects.category_id": "joined from the project to its category by the category's key",
    "projects.previous_id": "tested among one community's projects (dozens), on renewal",
    "registrations.unit_id": "read through the community's registrations (community_id)",
    "honour_items.certificate_id": "read through the item's notice (notice_id, indexed)",
    "visits.grid_id": "kept for the record; visits are read by pairing and member",
    "honour_objections.item_id": "read through the objection's notice",
    "service_records.grid_id": "joined from the record to its grid by the grid's key",
    "service_records.category_id": "grouped within a volunteer's records (volunteer, date)",
    "ledger_entries.grid_id": "in ix_ledger_tally after community and month: tallies read it there",
    "ledger_entries.category_id": "in ix_ledger_tally after community and month, as grid_id",
}


def _leading(table) -> set[str]:
    lead = {list(ix.columns)[0].name for ix in table.indexes if list(ix.columns)}
    for c in table.constraints:  # primary keys and unique constraints are indexes too
        cols = list(getattr(c, "columns", []))
        if cols and c.__class__.__name__ in ("PrimaryKeyConstraint", "UniqueConstraint"):
            lead.add(cols[0].name)
    return lead


def test_every_foreign_key_leads_an_index_or_says_why_not(app):
    missing = sorted(f"{t.name}.{fk.parent.name}" for t in db.metadata.sorted_tables
                     for fk in t.foreign_keys if fk.parent.name not in _leading(t))
    unexplained = [c for c in missing if c not in NOT_LOOKED_UP]
    assert not unexplained, f"foreign keys no index leads with: {unexplained}"
    stale = sorted(set(NOT_LOOKED_UP) - set(missing))
    assert not stale, f"indexed now, drop from NOT_LOOKED_UP: {stale}"
