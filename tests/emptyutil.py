"""A street set up from nothing, through the services `flask setup` and the tree use."""
from types import SimpleNamespace

from webapp.models import RoleGrant, utcnow
from webapp.services.admin import grants, setup, tree
from webapp.services.people import residents

PASSWORD = "a-long-enough-password-1"


def street_with_a_member(db) -> SimpleNamespace:
    """A new street, one community, its admin and one member who reported there (no home)."""
    res = setup.create_street(db, SimpleNamespace(street="新建街道", admin_phone="13600000001",
                                                  admin_name="街道管理员", password=PASSWORD))
    community = tree.add_node(db, res.admin, "community", "新建社区", res.street.id)
    admin = residents.make_account(db, "社区管理员", "13600000002")
    grants.grant_role(db, res.admin, admin, "community_admin", community, utcnow())
    member = residents.make_account(db, "新党员", "13600000003")
    db.add(RoleGrant(user_id=member.id, role="member", org_id=community.id))
    db.commit()
    return SimpleNamespace(street=res.street, street_admin=res.admin, community=community,
                           admin=admin, member=member)
