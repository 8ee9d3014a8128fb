"""Finding things: one search over title and building (staff: also name and phone)."""
from webapp.services.wishes import menu


def _titles(db, user, view, q):
    items, _c = menu.list_wishes(db, user, view=view, q=q)
    return sorted(w.title for w in items)


def test_staff_search_by_title_building_name_and_phone(db, world, make_wish):
    make_wish("published", title="帮忙买菜送上楼")
    make_wish("published", title="陪同去医院复查", resident=world.resident2)
    admin = world.admin
    assert _titles(db, admin, "all", "医院") == ["陪同去医院复查"]
    assert _titles(db, admin, "all", "7号楼") == ["陪同去医院复查"]
    assert _titles(db, admin, "all", "王小明") == ["帮忙买菜送上楼"]
    assert _titles(db, admin, "all", world.resident2.phone[-4:]) == ["陪同去医院复查"]
    assert _titles(db, admin, "all", "") == ["帮忙买菜送上楼", "陪同去医院复查"]


def test_volunteers_cannot_find_wishes_by_resident_name(db, world, make_wish):
    make_wish("published", title="帮忙买菜送上楼")
    assert _titles(db, world.member, "menu", "买菜") == ["帮忙买菜送上楼"]
    assert _titles(db, world.member, "menu", "王小明") == []


def test_wildcards_are_literal(db, world, make_wish):
    make_wish("published", title="帮忙买菜送上楼")
    assert _titles(db, world.admin, "all", "%") == []
    assert _titles(db, world.admin, "all", "_") == []
