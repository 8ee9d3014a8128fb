"""The district bench's --catalogue mode (issue 27): every page of tests/page_catalogue.py and every
GET of /api/v1, as the role that uses it, at demo size and district size (bench/district.py).

The catalogue's parameterised pages need objects (wishes in each state, a certificate, a project,
a pairing, ...): they are made ONCE per cached database by tests.page_catalogue.make_ids, through
the real services, over a `world` of the district's own rows; what it made is kept in the table
bench_catalogue of that database, so later runs reuse it (and a rebuilt cache makes it afresh).
"""
import json
import math
import statistics
import time
from types import SimpleNamespace
from unittest import mock

from sqlalchemy import select, text

from bench.district import PAGES, client_as, plan, slowest_statement
from webapp.extensions import db
from webapp.models import (Category, EvaluationRound, Org, Pairing, RoleGrant, Unit, User,
                           utcnow)
from webapp.services.people.orgs import DEFAULT_CATEGORIES

ORDER = ("resident", "member", "unit_admin", "grid_worker", "community_admin", "street_admin")
ATTR = {"resident": "resident", "member": "member", "unit_admin": "unit_admin",  # world attribute
        "grid_worker": "grid_worker", "community_admin": "admin", "street_admin": "street_admin"}
# A main page keeps the role bench/district.py's PAGES gives it: several are open to anyone signed
# in (the menu, my orders, my ledger) but are the member's, and the least-privileged reader would
# be a resident who sees an empty notice.
PAGE_ROLE = {path: role for role, path in PAGES if "?" not in path}
# Likewise pages and calls open to anyone signed in whose content is a member's: their
# households, their recommendations, the points they can spend.
USED_BY = {"member.foryou_page": "member", "pairing.index": "member", "api.my_households": "member",
           "shop.index": "member", "api.shop": "member"}
# The API's GETs, from the URL map; path parameters from make_ids' objects, and the query each
# call needs. The wish list is four pages in one endpoint: each view as the role that uses it.
API_FILL = {"wish_id": "published", "complaint_id": "complaint", "import_id": "import",
            "project_id": "project", "resource_id": "resource"}
API_QUERIES = {
    "api.list_wishes": [("?view=menu", "member"), ("?view=claimed", "member"),
                        ("?view=posted", "resident"), ("?view=all", "community_admin")],
    "api.list_resources": [("?community={community}", None)],
    "api.categories": [("?community={community}", None)],
    "api.pairing_suggestions": [("?community={community}", None)],
    "api.pairing_coverage": [("?community={community}", None)],
}
# The catalogue fills no query string: /voice/new without its subject is a 404 for everyone (a
# row that says so); the form itself is measured too, for the wish the resident had done.
PAGE_EXTRA = [("voice.new", "?kind=wish&id={done}", "resident")]
SENTINEL = 1_000_000_000  # ids no row has: the catalogue's URLs with them name the object instead


def _holders(s, role, *where, n=1) -> list:
    """The first `n` holders of `role` whose grant's org matches `where`, in grant order."""
    return list(s.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                          .join(Org, Org.id == RoleGrant.org_id)
                          .where(RoleGrant.role == role, RoleGrant.active, *where)
                          .order_by(RoleGrant.id).limit(n)))


def district_world(s) -> SimpleNamespace:
    """The `world` fixture's namespace over the district's rows (communities 1 and 2)."""
    ca, cb = s.scalars(select(Org).where(Org.kind == "community").order_by(Org.id).limit(2))
    w = SimpleNamespace(street=s.get(Org, ca.street_id), ca=ca, cb=cb)
    # The resident and their grid worker share a grid (confirm, 代登记); resident2 lives in
    # another grid of the same community, as in the world, and is not paired yet (make_ids
    # pairs them with member; bench/district_pairs.py has paired many households).
    w.resident = _holders(s, "resident", Org.community_id == ca.id)[0]
    w.ba1 = s.get(Org, w.resident.building_id)
    w.ga1 = s.get(Org, w.ba1.grid_id)
    second = _holders(s, "resident", Org.community_id == ca.id, Org.grid_id != w.ga1.id,
                      ~select(Pairing.id).where(Pairing.household_id == User.id,
                                                Pairing.status == "active").exists())
    if not second:
        raise SystemExit("scale too small for the catalogue's world: no unpaired resident in a "
                         "second grid of community 1")
    w.resident2, = second
    w.ba2 = s.get(Org, w.resident2.building_id)
    w.ga2 = s.get(Org, w.ba2.grid_id)
    w.resident_b = _holders(s, "resident", Org.community_id == cb.id)[0]
    w.bb1 = s.get(Org, w.resident_b.building_id)
    w.gb1 = s.get(Org, w.bb1.grid_id)
    members = _holders(s, "member", Org.id == ca.id, n=3)
    w.member = members[0]
    w.unit = (s.get(Unit, w.member.unit_id) if w.member.unit_id else
              s.scalar(select(Unit).where(Unit.community_id == ca.id).order_by(Unit.id)))
    w.unit_b = s.scalar(select(Unit).where(Unit.community_id == cb.id).order_by(Unit.id))
    # Below scale 0.0067 community 1 has fewer than three members: made as the world makes
    # member2 (of the unit) and member3 (none), the same on both sizes when both are small.
    for k, unit in list(enumerate((w.unit, None), 2))[len(members) - 1:]:
        u = User(name=f"党员{k}", phone=f"1660000{k:04d}", building_id=w.ba2.id,
                 community_id=ca.id, address="3单元502", unit_id=unit and unit.id,
                 unit_confirmed_at=unit and utcnow())
        s.add(u)
        s.flush()
        s.add(RoleGrant(user_id=u.id, role="member", org_id=ca.id))
        s.commit()
        members.append(u)
    w.member2, w.member3 = members[1:3]
    w.unit_admin = s.scalar(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "unit_admin", RoleGrant.unit_id == w.unit.id).order_by(RoleGrant.id))
    w.grid_worker = _holders(s, "grid_worker", Org.id == w.ga1.id)[0]
    w.grid_worker2 = _holders(s, "grid_worker", Org.id == w.ga2.id)[0]
    w.admin = _holders(s, "community_admin", Org.id == ca.id)[0]
    w.street_admin = _holders(s, "street_admin", Org.id == w.street.id)[0]
    w.admin_b = _holders(s, "community_admin", Org.id == cb.id)[0]
    w.member_b = _holders(s, "member", Org.id == cb.id)[0]
    # The district names its categories 类别1..类别8 at positions 0..7; the world has the
    # defaults, in the same order, and make_wish asks for "助老助残".
    w.categories = {DEFAULT_CATEGORIES[c.position]: c for c in s.scalars(
        select(Category).where(Category.community_id == ca.id))}
    w.cat = w.categories["助老助残"]
    return w


def _free_year(open_round):
    """open_round, moved on to the first later year the community has no round of: make_ids
    opens 2025, which bench/district_pairs.py may have published (the year before its build)."""
    from webapp.services.ledger.periods import local

    def opened(session, actor, community_id, year, now=None):
        taken = set(session.scalars(select(EvaluationRound.year).where(
            EvaluationRound.community_id == community_id)))
        this = local(now or utcnow()).year  # open_round refuses a year still to come
        year = next((y for y in range(year, this + 1) if y not in taken), year)
        return open_round(session, actor, community_id, year, now=now)
    return opened


def prepare(app) -> dict:
    """The catalogue's objects in this app's database, made on the first run and kept:
    {"ids": make_ids' ids, "users": role → user id, "community": community 1's id}."""
    with app.app_context():
        s = db.session
        s.execute(text("CREATE TABLE IF NOT EXISTS bench_catalogue "
                       "(name VARCHAR(20) PRIMARY KEY, value TEXT NOT NULL)"))
        s.commit()
        kept = dict(s.execute(text("SELECT name, value FROM bench_catalogue")).all())
        if "made" not in kept:
            if kept:  # make_ids commits as it goes: a second go would clash with the first's rows
                raise SystemExit(f"{app.config['SQLALCHEMY_DATABASE_URI']}: an earlier --catalogue "
                                 "run stopped while making its objects; rebuild this size")
            s.execute(text("INSERT INTO bench_catalogue VALUES ('started', '')"))
            s.commit()
            from tests.conftest import wish_factory
            from tests.page_catalogue import make_ids
            from webapp.services.pairing import evaluation
            t = time.perf_counter()
            w = district_world(s)
            with mock.patch.object(evaluation, "open_round", _free_year(evaluation.open_round)):
                ids = make_ids(s, w, wish_factory(s, w))
            made = {"ids": ids, "community": w.ca.id,
                    "users": {role: getattr(w, a).id for role, a in ATTR.items()}}
            s.execute(text("INSERT INTO bench_catalogue VALUES ('made', :v)"),
                      {"v": json.dumps(made)})
            s.commit()
            print(f"made the catalogue's objects in {time.perf_counter() - t:.1f} s", flush=True)
            kept["made"] = json.dumps(made)
        s.remove()
    return json.loads(kept["made"])


def _calls(app, made) -> list[dict]:
    """Every page of the catalogue and every GET of the API, labelled by what it shows."""
    from tests.page_catalogue import pages
    ids = made["ids"]
    fake = {k: SENTINEL + i for i, k in enumerate(ids)}  # unique numbers: safe to name back
    out = []
    for (ep, url), (_e, shown) in zip(pages(app, ids), pages(app, fake)):
        for k, v in fake.items():
            shown = shown.replace(f"/{v}", f"/<{k}>")
        out.append({"kind": "page", "endpoint": ep, "url": url, "label": shown,
                    "role": PAGE_ROLE.get(url) or USED_BY.get(ep)})
    for ep, query, role in PAGE_EXTRA:
        page = next(c for c in out if c["endpoint"] == ep)
        out.append({**page, "url": page["url"] + query.format(**ids), "role": role,
                    "label": page["label"] + query.replace("{", "<").replace("}", ">")})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api.") or "GET" not in rule.methods:
            continue
        names = {a: API_FILL.get(a) for a in rule.arguments}
        url = rule.rule
        for a, key in names.items():  # a parameter API_FILL lacks stays in the URL: a 404 row
            url = url.replace(f"<id:{a}>", str(ids[key]) if key else f"<{a}>")
        for query, role in API_QUERIES.get(rule.endpoint, [("", None)]):
            q = query.format(community=made["community"])
            out.append({"kind": "api", "endpoint": rule.endpoint, "url": url + q,
                        "label": rule.rule.replace("<id:", "<") + query.replace(
                            "{community}", "<community>"),
                        "role": role or USED_BY.get(rule.endpoint)})
    return out


def _candidates(call) -> list[str]:
    """Roles to try, in order: the one the call names, else from the permission matrix the
    signed-in roles it allows, least privileged first (guest before them on a public page);
    then the other roles, since the matrix's world is not the catalogue's (its `phoneless` is
    covered by staff, the matrix's resident has a phone)."""
    from tests.web.permission_matrix import EXPECTED
    if call["role"]:
        return [call["role"]]
    want = EXPECTED.get(call["endpoint"], {})
    first = (["guest"] * (want.get("anon", "ok") == "ok")
             + [r for r in ORDER if want.get(r) == "ok"])
    return first + [r for r in ORDER if r not in first]


def _clients(app, made) -> dict:
    """(kind, role) → a test client: signed in by session for pages, a bearer token for the API."""
    from webapp.services.people import accounts
    out = {("page", "guest"): app.test_client(), ("api", "guest"): app.test_client()}
    with app.app_context():
        for role, uid in made["users"].items():
            app.viewers[("catalogue", role)] = uid  # client_as's table; PAGES' own viewers stay
            c = app.test_client()
            c.token = accounts.issue_token(db.session, db.session.get(User, uid), days=1)
            c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {c.token}"
            out[("api", role)] = c
        db.session.remove()
    for role in made["users"]:
        out[("page", role)] = client_as(app, ("catalogue", role))
    return out


def catalogue(small, big, runs: int, only=()) -> list[dict]:
    """Rows like district.pages(): each page and API GET at both sizes, its role, its ratio
    (`only`: the calls whose label contains one of these texts)."""
    made = {app: prepare(app) for app in (small, big)}
    clients = {app: _clients(app, made[app]) for app in (small, big)}
    try:
        return _measure(small, big, runs, made, clients, only)
    finally:  # the bench's tokens go with the run: the cache keeps no trace of them
        from webapp.services.people import accounts
        for app in (small, big):
            with app.app_context():
                for (kind, _r), c in clients[app].items():
                    if kind == "api" and hasattr(c, "token"):
                        accounts.revoke_token(db.session, c.token)
                db.session.remove()


def _measure(small, big, runs, made, clients, only=()) -> list[dict]:
    calls = list(zip(_calls(small, made[small]), _calls(big, made[big])))
    calls = [(a, b) for a, b in calls if not only or any(t in a["label"] for t in only)]
    for a, b in calls:  # the same URL map and make_ids on both: the same calls, in order
        assert a["label"] == b["label"], (a["label"], b["label"])
    # The role: the first candidate answered 200 at both sizes. Requests that are not 200 are
    # not timed: their row says what came back instead (nothing dropped silently).
    chosen, failed = [], []
    for a, b in calls:
        tried = []
        for role in _candidates(a):
            ra = clients[small][(a["kind"], role)].get(a["url"])
            rb = clients[big][(b["kind"], role)].get(b["url"])
            tried.append(f"{role} {ra.status_code}/{rb.status_code}"
                         + (f" →{ra.location}" if ra.location else ""))
            if ra.status_code == rb.status_code == 200:
                chosen.append((a, b, role))
                break
        else:
            failed.append((a, _candidates(a)[0], "; ".join(tried)))
    samples = {(id(app), i): [] for app in (small, big) for i in range(len(chosen))}
    status = {}
    for rnd in range(runs + 1):  # one warm-up round, then `runs`, sizes interleaved per call
        for i, (a, b, role) in enumerate(chosen):
            for app, call in ((small, a), (big, b)):
                t = time.perf_counter()
                r = clients[app][(call["kind"], role)].get(call["url"])
                if rnd:
                    samples[(id(app), i)].append(time.perf_counter() - t)
                if r.status_code != 200:
                    status[i] = f"{r.status_code} at {'demo' if app is small else 'district'}"
    rows = []
    for i, (a, b, role) in enumerate(chosen):
        da = statistics.median(samples[(id(small), i)]) * 1000
        db_ = statistics.median(samples[(id(big), i)]) * 1000
        ms, stmt, params = slowest_statement(big, clients[big][(b["kind"], role)], b["url"])
        shown = plan(big, stmt, params) if stmt else ""
        if i in status:
            shown = f"NOT 200 during the runs ({status[i]}); {shown}"
        rows.append({"kind": a["kind"], "role": role, "path": a["label"], "demo": da,
                     "district": db_, "ratio": db_ / da, "sql_ms": ms, "plan": shown,
                     "ok": i not in status})
    nan = math.nan
    rows += [{"kind": a["kind"], "role": role, "path": a["label"], "demo": nan, "district": nan,
              "ratio": nan, "sql_ms": 0.0, "plan": f"NOT 200 (demo/district): {tried}", "ok": False}
             for a, role, tried in failed]
    return rows


def summary(rows) -> None:
    """The pages over 1.5×, and how many pages and API calls were measured."""
    over = [f"{r['role']} {r['path']} {r['ratio']:.2f}" for r in rows if r["ratio"] > 1.5]
    print(f"over 1.5× ({len(over)}): " + ("; ".join(over) or "none"))
    for kind, name in (("page", "pages"), ("api", "API calls")):
        mine = [r for r in rows if r["kind"] == kind]
        bad = [r["path"] for r in mine if not r["ok"]]
        print(f"{name}: {len(mine) - len(bad)} measured at 200, {len(bad)} not 200"
              + (f" ({', '.join(bad)})" if bad else ""))
