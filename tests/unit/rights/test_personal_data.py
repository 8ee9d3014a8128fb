"""我的信息 covers every table that references a person: the metadata is introspected, so a new
table with a user column fails here until webapp/services/rights/catalogue.py names it; and the
export of a lived-in world holds, for each kind of record, exactly the rows the database has."""
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from webapp.extensions import db as _db
from webapp.models import Disclosure
from webapp.services.rights import catalogue, personal_data


def _user_columns():
    return {(t.name, fk.parent.name) for t in _db.metadata.sorted_tables
            for fk in t.foreign_keys if fk.column.table.name == "users"}


def test_every_user_column_of_every_table_is_named_once(app):
    named = set(catalogue.SUBJECT) | catalogue.ACTOR | set(catalogue.PLUMBING)
    missing = sorted(_user_columns() - named)
    assert not missing, ("tables referencing users that 我的信息 does not know: add each to "
                         f"SUBJECT (exported), ACTOR or PLUMBING in rights/catalogue.py: {missing}")
    assert not sorted(named - _user_columns()), "stale entries in rights/catalogue.py"
    both = (set(catalogue.SUBJECT) & catalogue.ACTOR) | (set(catalogue.SUBJECT) & set(catalogue.PLUMBING))
    assert not both
    for _key, (_t, _r, shown) in catalogue.SUBJECT.items():
        assert all(c in catalogue.HEADERS for c in shown), shown  # every header in Chinese
    tables = _db.metadata.tables
    for name in catalogue.ERASE_DELETE:
        assert name in tables


def test_every_column_of_users_is_erased_or_kept_for_a_reason(app):
    columns = {c.name for c in _db.metadata.tables["users"].columns}
    erased, kept = set(catalogue.USER_ERASED), set(catalogue.USER_KEPT)
    assert not erased & kept
    assert columns == erased | kept, ("users columns that account erasure does not know: add "
                                      f"each to USER_ERASED or USER_KEPT: {sorted(columns - erased - kept)}")


def _lived_in(db, world, make_wish):
    """The resident posts and rates; a member serves with hours in the ledger; a disclosure."""
    from tests.web.apilists import lists_objects
    from tests.web.apipairing import pairing_objects
    wish = make_wish("closed", estimated_hours=2)
    make_wish("published", title="帮忙修电脑")
    db.add(Disclosure(resident_id=world.resident.id, viewer_id=world.grid_worker.id,
                      wish_id=wish.id, reason="grid_staff", channel="web"))
    db.commit()
    lists_objects(db, world)  # bookings, sessions and sign-ups
    pairing_objects(db, world)  # a pairing, a visit, care tags
    return wish


def _counts(db, person_id):
    tables = _db.metadata.tables
    return {key: db.scalar(select(func.count()).select_from(tables[key[0]])
                           .where(tables[key[0]].c[key[1]] == person_id))
            for key in catalogue.SUBJECT}


def test_the_export_holds_every_row_the_database_has_on_the_person(db, world, make_wish):
    _lived_in(db, world, make_wish)
    for person in (world.resident, world.member):
        data, _name = personal_data.workbook(db, person)
        wb = load_workbook(io.BytesIO(data))
        rows_by_relation = {}
        for ws in wb.worksheets[1:]:
            for row in list(ws.iter_rows(values_only=True))[1:]:
                rows_by_relation[(ws.title, row[0])] = rows_by_relation.get((ws.title, row[0]), 0) + 1
        counts = _counts(db, person.id)
        assert sum(counts.values()) > 3
        for key, n in counts.items():
            title, relation, _shown = catalogue.SUBJECT[key]
            assert rows_by_relation.get((str(title)[:31], str(relation)), 0) == n, (key, n)
        profile = dict(wb.worksheets[0].iter_rows(min_row=3, values_only=True))
        assert profile["姓名"] == person.name and profile["手机号"] == person.phone


def test_the_sheets_are_readable_chinese_with_names_not_ids(db, world, make_wish):
    _lived_in(db, world, make_wish)
    wb = load_workbook(io.BytesIO(personal_data.workbook(db, world.resident)[0]))
    seen = wb["谁看过我的联系方式"]
    head = [c.value for c in seen[1]]
    assert head[:3] == ["与我的关系", "查看人", "原因"]
    viewers = {row[1] for row in seen.iter_rows(min_row=2, values_only=True)}
    assert viewers and all(isinstance(v, str) and not v.startswith("#") for v in viewers)
    wishes = wb["心愿"]
    assert any(row[1] == "帮忙买菜送上楼" for row in wishes.iter_rows(values_only=True))
