"""The kept summaries are clustered by their key on SQLite (issue 27): a community's members
and months are one range of the table, read with no lookup per row."""
import pytest
from sqlalchemy import select, text

from tests.planutil import plan_of
from webapp.extensions import db as _db
from webapp.models import LedgerMonth, LedgerPoints, LedgerServices

KEPT = (LedgerPoints, LedgerServices, LedgerMonth)


def test_the_kept_summaries_are_tables_without_rowid_read_by_their_key(db):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only: a PostgreSQL table is a heap whatever its key")
    clustered = {t.name for t in _db.metadata.sorted_tables
                 if t.dialect_options["sqlite"]["with_rowid"] is False}
    assert clustered == {m.__tablename__ for m in KEPT}
    for model in KEPT:
        ddl = db.scalar(text("SELECT sql FROM sqlite_master WHERE name = :t"),
                        {"t": model.__tablename__})
        assert "WITHOUT ROWID" in ddl.upper(), ddl
        plan = plan_of(db, select(model).where(model.community_id == 1))
        # its key, or an index that carries every column (ledger_points' by month): either
        # way no lookup per row
        assert "USING PRIMARY KEY" in plan or "USING COVERING INDEX" in plan, plan
