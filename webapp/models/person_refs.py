"""Every column that names a person (a foreign key to users.id) is indexed.

我的信息 counts what each table holds about the person, and erasing an account clears those
columns: both look a person up in every such column. Unindexed, each lookup read its whole
table (ledger_entries.actor_id: 600 ms at district size, bench/RESULTS.md). The indexes are
partial (only rows that name someone): most of these columns are empty on most rows. Added here
for every such column without one, so a new column cannot be forgotten
(tests/unit/house/test_person_refs.py).
"""
from sqlalchemy import Index


def index_person_columns(metadata) -> list[Index]:
    """A partial index for each foreign key to users.id that no index or key starts with."""
    made = []
    for table in metadata.sorted_tables:
        firsts = {next(iter(i.columns)).name for i in table.indexes if len(i.columns)}
        firsts |= {next(iter(c.columns)).name for c in table.constraints
                   if c.__class__.__name__ in ("UniqueConstraint", "PrimaryKeyConstraint")
                   and len(c.columns)}
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            col = fk.parent
            if fk.column.table.name != "users" or col.name in firsts:
                continue
            where = col.isnot(None) if col.nullable else None
            made.append(Index(f"ix_{table.name}_{col.name}", col, sqlite_where=where,
                              postgresql_where=where))
            firsts.add(col.name)
    return made
