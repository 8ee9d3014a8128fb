"""Every column that names a person (a foreign key to users.id) is found through an index:
我的信息 and account erasure look the person up in each of them (webapp/models/person_refs.py)."""
from sqlalchemy import text

from webapp.extensions import db as _db


def _person_columns():
    return sorted((t.name, fk.parent.name) for t in _db.metadata.sorted_tables
                  for fk in t.foreign_keys if fk.column.table.name == "users")


def test_each_person_column_is_looked_up_through_an_index(db):
    sqlite = db.get_bind().dialect.name == "sqlite"
    if not sqlite:  # tiny tables are scanned anyway; with scans priced out, an index serves
        db.execute(text("SET LOCAL enable_seqscan = off"))
    unindexed = []
    for table, column in _person_columns():
        sql = f"SELECT count(*) FROM {table} WHERE {column} = 1"
        if sqlite:
            plan = " ".join(str(r[-1]) for r in db.execute(text("EXPLAIN QUERY PLAN " + sql)))
            ok = "INDEX" in plan or "PRIMARY KEY" in plan
        else:
            plan = " ".join(r[0] for r in db.execute(text("EXPLAIN " + sql)))
            ok = "Index" in plan
        if not ok:
            unindexed.append((table, column, plan))
    db.rollback()
    assert len(_person_columns()) > 40
    assert unindexed == []
