"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}
<%
    # issue 27: the text-search indexes, written out from webapp/models/search.py at generation
    # time, so the revision imports no application code
    from pprint import pformat
    from webapp.models.search import create_ddl, drop_ddl
    search_ddl = {d: create_ddl(d) for d in ("sqlite", "postgresql")}
    search_drop = {d: drop_ddl(d) for d in ("sqlite", "postgresql")}
%>
# Engine-specific text-search DDL (webapp/models/search.py): SQLite FTS5 trigram tables and their
# triggers, PostgreSQL pg_trgm GIN indexes and planner statistics.
SEARCH_DDL = ${pformat(search_ddl, width=98)}
SEARCH_DROP = ${pformat(search_drop, width=98)}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}
    for statement in SEARCH_DDL.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in SEARCH_DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    ${downgrades if downgrades else "pass"}
