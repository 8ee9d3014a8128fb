"""The cover table of docs/SECURITY.md, derived from the policy: who may reset, deactivate,
move, appoint, re-home, import or pair whom directly (everything else is an invitation)."""
from webapp.services import policy
from webapp.services.people import orgs as org_svc

TARGETS = ("resident", "member", "grid_worker", "unit_admin", "community_admin", "street_admin")
WHERE = ("same grid", "other grid", "other community", "other street")


def _people(db, world, make_user):
    """One person per (target role, place relative to grid 第一网格 of 城西社区)."""
    s2 = org_svc.add_org(db, "street", "外街道")
    c2 = org_svc.add_org(db, "community", "外社区", s2)
    g2 = org_svc.add_org(db, "grid", "外网格", c2)
    b2 = org_svc.add_org(db, "building", "外1栋", g2)
    db.commit()
    places = {"same grid": (world.ba1, world.ga1, world.ca, world.street),
              "other grid": (world.ba2, world.ga2, world.ca, world.street),
              "other community": (world.bb1, world.gb1, world.cb, world.street),
              "other street": (b2, g2, c2, s2)}
    people = {}
    for where, (building, grid, community, street) in places.items():
        org = {"resident": building, "member": community, "grid_worker": grid,
               "unit_admin": community, "community_admin": community, "street_admin": street}
        for role in TARGETS:
            unit = world.unit if role == "unit_admin" else None
            home = None if role == "street_admin" else building
            people[(role, where)] = make_user(f"{role}-{where}", None, home,
                                              [(role, org[role], unit)])
    return people


def derive(db, world, make_user) -> str:
    """The markdown table: actor × target role × place, ✓ where the policy lets the actor act."""
    people = _people(db, world, make_user)
    actors = {"grid worker (第一网格)": world.grid_worker, "community admin (城西社区)": world.admin,
              "street admin (the street)": world.street_admin}
    lines = ["| actor | target | " + " | ".join(WHERE) + " |",
             "|---|---|" + "---|" * len(WHERE)]
    for label, actor in actors.items():
        for role in TARGETS:
            cells = ["✓" if policy.can_manage_person(actor, people[(role, where)]) else "—"
                     for where in WHERE]
            lines.append(f"| {label} | {role} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
