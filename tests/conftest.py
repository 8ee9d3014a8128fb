"""Shared fixtures: one app per run, an empty database per test, factories that return callables.

DATABASE_URL chooses the database (the README's test command runs the suite on SQLite and on
PostgreSQL); by default a SQLite file in a temp dir, so threads share it as in production.
"""
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-inst-"))


def _own_postgresql_database() -> None:
    """Under pytest-xdist, each worker gets its own PostgreSQL database, made fresh from the
    pass's: workers wipe tables between tests, so one database shared by two would see each
    other's rows. DATABASE_URL is replaced before anything reads it, so the subprocesses a test
    starts (job processes, gunicorn) use the worker's database too. (SQLite needs nothing: each
    process already makes its own file.)"""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("DATABASE_URL", "")
    if not worker or not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    os.environ["DATABASE_URL"] = base.set(database=name).render_as_string(hide_password=False)


_own_postgresql_database()

from config import TestConfig  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db as _db  # noqa: E402
from webapp.models import Category, RoleGrant, Unit, User  # noqa: E402
from webapp.services.people import orgs as org_svc  # noqa: E402
from webapp.services.people.passwords import hash_password  # noqa: E402

PASSWORD = "wishgrid-test"


def pytest_collection_modifyitems(config, items):
    """Tests marked `engine_neutral` (their outcome does not depend on the database engine: page
    validity, words, vendored files, request guards) run once. scripts/test.sh runs the SQLite
    and PostgreSQL passes side by side and says so (WISHGRID_TEST_PASSES=both): each neutral
    test then runs in one pass only, the SQLite one unless marked
    `engine_neutral(run_on="postgresql")` (a few, so that the two passes take about as long).
    A pass run alone runs every test."""
    _fleet_in_postgresql_pass_only(config, items)
    if os.environ.get("WISHGRID_TEST_PASSES") != "both":
        return
    here = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgresql") else "sqlite"

    def elsewhere(item) -> bool:
        mark = item.get_closest_marker("engine_neutral")
        return mark is not None and mark.kwargs.get("run_on", "sqlite") != here
    neutral = [i for i in items if elsewhere(i)]
    if neutral:
        config.hook.pytest_deselected(items=neutral)
        items[:] = [i for i in items if not elsewhere(i)]
        config.stash[_NEUTRAL] = (len(neutral), "PostgreSQL" if here == "sqlite" else "SQLite")
        if hasattr(config, "workeroutput"):  # an xdist worker: the controller prints the note
            config.workeroutput["neutral"] = config.stash[_NEUTRAL]


_NEUTRAL = pytest.StashKey[tuple]()
_FLEET = pytest.StashKey[int]()


def _fleet_in_postgresql_pass_only(config, items):
    """The fleet (marker `fleet`) is a PostgreSQL deployment with its own cluster: it runs in
    the PostgreSQL pass, and is deselected (and said so) in the SQLite pass."""
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return
    fleet = [i for i in items if i.get_closest_marker("fleet")]
    if fleet:
        config.hook.pytest_deselected(items=fleet)
        items[:] = [i for i in items if not i.get_closest_marker("fleet")]
        config.stash[_FLEET] = len(fleet)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller collects nothing itself: it takes the note from a worker."""
    if "neutral" in getattr(node, "workeroutput", {}):
        node.config.stash[_NEUTRAL] = tuple(node.workeroutput["neutral"])


def pytest_terminal_summary(terminalreporter, config):
    """Say why this pass ran fewer tests than there are."""
    if config.stash.get(_FLEET, 0):
        terminalreporter.write_line(
            f"{config.stash[_FLEET]} fleet tests deselected here: the several-hosts fleet runs on "
            "PostgreSQL, in the PostgreSQL pass (marker fleet, tests/fault/test_fleet.py).")
    n, other = config.stash.get(_NEUTRAL, (0, ""))
    if n:
        terminalreporter.write_line(
            f"{n} engine-neutral tests deselected here: their outcome does not depend on the "
            f"database, and they run in the {other} pass (marker engine_neutral).")


def beijing_today():
    """Today as the app sees it (Beijing): date.today() on a UTC host is a day behind after 16:00
    UTC, and a period ending "today" would then miss a service dated in Beijing time."""
    from webapp.models import utcnow
    from webapp.services.ledger.periods import local
    return local(utcnow()).date()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='wishgrid-db-')) / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app():
    """The app, with every table created once for the whole run."""
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = _database_url()
    app = create_app(Cfg)

    @app.teardown_request
    def _forget_request_state(_exc):
        # A test keeps one app context across its requests, so `g` outlives each request
        # (a server gets a fresh one): drop the user and locale that extensions cache there.
        from flask import g
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)
        g.pop("csrf_token", None)  # Flask-WTF's signed token, per session

    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app


@pytest.fixture(scope="session")
def password_hash(app):
    """The test password's hash, computed once for every user the factories make."""
    return hash_password(PASSWORD)


def _wipe(app):
    # DELETE, child tables first, on both engines: PostgreSQL's TRUNCATE of 45 tables cost about
    # 170 ms a test (new files for every table), DELETE of mostly empty tables a few ms. Then every
    # sequence back to 1, as TRUNCATE ... RESTART IDENTITY did.
    from tests.snapshot import delete_all, run_all
    with app.app_context():
        _db.session.remove()
        statements = delete_all([t.name for t in _db.metadata.sorted_tables])
        if _db.engine.dialect.name == "postgresql":
            statements.append("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                              "JOIN pg_namespace n ON n.oid = c.relnamespace "
                              "WHERE c.relkind = 'S' AND n.nspname = current_schema()")
        run_all(_db.engine, statements)


@pytest.fixture
def db(app, request):
    """An empty database for one test; the session is the app's scoped session."""
    from webapp.services.pairing import pairings, tally, visited
    from webapp.services.ledger import kept
    from webapp.services.shop import kept as shop_kept, points
    ctx = app.app_context()
    ctx.push()
    yield _db.session
    _db.session.remove()
    # Every test, whatever it wrote and by which path, leaves the kept summaries true: each
    # building's household counts and visited pairings per year (services/pairing/tally.py,
    # visited.py), the ledger's points and its services and hours per member and month, its
    # hours per community and month (ledger.append, services/ledger/kept.py), each member's shop account
    # (services/shop/kept.py) and each care tag's community (its household's: a move takes it
    # along, pairings.move_care_tags): a write path that misses them fails here.
    drifted = {"households (building, kept…, true…)": tally.drift(_db.session),
               "visited (building, year, kept, true)": visited.drift(_db.session),
               "care tags (tag, its community, its household's)": pairings.care_drift(
                   _db.session)}
    if request.node.get_closest_marker("tampers_ledger") is None:
        drifted["points (community, member, month, kept, true)"] = points.drift(_db.session)
        drifted["services (community, month, member, kept, true)"] = kept.services_drift(
            _db.session)
        drifted["months (community, month, kept, true)"] = kept.months_drift(_db.session)
        drifted["shop accounts (community, member, what)"] = shop_kept.drift(_db.session)
    _db.session.remove()
    ctx.pop()
    _wipe(app)
    assert not any(drifted.values()), f"kept summaries drifted: {drifted}"


@pytest.fixture
def client(app, db):
    """A test client; log in with `login(client, user)`."""
    return app.test_client()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save screenshots etc.: test-artifacts/<database>/ under scripts/test.sh."""
    path = Path(os.environ.get("WISHGRID_TEST_ARTIFACTS")
                or Path(__file__).resolve().parent.parent / "test-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def login(client, user):
    """Put `user` in the client's session (the login form itself has its own tests)."""
    with client.session_transaction() as s:
        s["_user_id"] = user.get_id()  # "<id>.<session generation>"
        s["_fresh"] = True


@pytest.fixture
def make_user(db, password_hash):
    """Factory: make_user(name, phone=None, building=None, roles=[(role, org, unit)], unit=None,
    unit_confirmed=True) — a member of `unit` is confirmed by it unless told otherwise."""
    return user_factory(db, password_hash)


def user_factory(db, password_hash):
    """make_user's callable over `db`, for a fixture of any scope."""
    from webapp.models import utcnow
    counter = iter(range(10_000))

    def make(name="测试用户", phone=None, building=None, roles=(), unit=None, address="3单元502",
             unit_confirmed=True):
        n = next(counter)
        user = User(phone=phone or f"139{n:08d}", name=name, password_hash=password_hash,
                    building_id=building.id if building else None, address=address,
                    unit_id=unit.id if unit else None, volunteer_no=None,
                    unit_confirmed_at=utcnow() if unit and unit_confirmed else None)
        db.add(user)
        db.flush()
        for role, org, r_unit in roles:
            db.add(RoleGrant(user_id=user.id, role=role, org_id=org.id if org else None,
                             unit_id=r_unit.id if r_unit else None))
        db.commit()
        return user
    make.counter, make.password_hash = counter, password_hash
    return make


def _kept(app, name: str, build):
    """Run `build(session)` once on an empty database, copy what it wrote aside
    (tests/snapshot.py) and empty the database again: (the copy, what `build` returned)."""
    from tests.snapshot import Snapshot
    with app.app_context():
        _wipe(app)
        result = build(_db.session)
        _db.session.commit()
        snap = Snapshot(_db.engine, _db.metadata, name)
        _db.session.remove()
    _wipe(app)  # the test that asked for it starts, like every test, from an empty database
    return snap, result


@pytest.fixture(scope="session")
def _world_built(app, password_hash):
    """`world`, built once per run (per xdist worker) and copied aside (tests/snapshot.py)."""
    from tests.snapshot import refs

    def build(session):
        make_user = user_factory(session, password_hash)
        built = build_world(session, make_user)
        return refs(built), next(make_user.counter)  # and how many users the build numbered
    snap, (references, made) = _kept(app, "world", build)
    yield snap, references, made
    snap.drop()


@pytest.fixture
def world(db, make_user, _world_built):
    """A street with two communities (A 城西社区: grids A1, A2; B 城东社区), one unit, one of each role.

    Its rows are copied in from the run's one build (the same rows, ids and sequences as a
    build); a test whose fixtures wrote rows first that clash gets a build of its own."""
    from sqlalchemy.exc import IntegrityError
    from tests.snapshot import reload
    snap, references, made = _world_built
    for _ in range(made):  # the test's own users are numbered as after a build
        next(make_user.counter)
    db.commit()  # what earlier fixtures wrote (a build commits it too); SQLite's next read
    # transaction then starts after the copy and sees it
    try:
        snap.restore(clear=False)
    except IntegrityError:
        db.rollback()
        return build_world(db, user_factory(db, make_user.password_hash))
    return reload(db, references)


@pytest.fixture(scope="session")
def _demo_built(app):
    """The demo community, seeded through the services once per run (per xdist worker: 10 s on
    SQLite, 25 s on PostgreSQL) and copied aside; its first seed must say it seeded."""
    from webapp.demo import seed
    snap, seeded = _kept(app, "demo", seed)
    assert seeded is True
    yield snap
    snap.drop()


@pytest.fixture
def demo(db, _demo_built):
    """`db` holding the demo community (`flask seed-demo`), copied in from the run's one seed."""
    db.commit()
    _demo_built.restore()
    return db


def build_world(db, make_user):
    """The `world` fixture's street, built with `make_user` (a user_factory)."""
    street = org_svc.add_org(db, "street", "测试街道")
    ca = org_svc.add_org(db, "community", "城西社区", street)
    cb = org_svc.add_org(db, "community", "城东社区", street)
    ga1, ga2 = org_svc.add_org(db, "grid", "第一网格", ca), org_svc.add_org(db, "grid", "第二网格", ca)
    gb1 = org_svc.add_org(db, "grid", "东一网格", cb)
    ba1, ba2 = org_svc.add_org(db, "building", "1号楼", ga1), org_svc.add_org(db, "building", "7号楼", ga2)
    bb1 = org_svc.add_org(db, "building", "东1栋", gb1)
    unit = Unit(name="区人民医院", community_id=ca.id, status="approved")
    unit_b = Unit(name="东区学校", community_id=cb.id, status="approved")
    db.add_all([unit, unit_b])
    db.commit()
    w = SimpleNamespace(street=street, ca=ca, cb=cb, ga1=ga1, ga2=ga2, gb1=gb1, ba1=ba1, ba2=ba2,
                        bb1=bb1, unit=unit, unit_b=unit_b)
    w.resident = make_user("王小明", "13800000101", ba1, [("resident", ba1, None)])
    w.resident2 = make_user("赵阿姨", "13800000102", ba2, [("resident", ba2, None)])
    w.member = make_user("李志愿", "13800000103", ba1, [("resident", ba1, None), ("member", ca, None)], unit)
    w.member2 = make_user("张党员", "13800000104", ba2, [("member", ca, None)], unit)
    w.member3 = make_user("陈党员", "13800000105", ba2, [("member", ca, None)])
    w.unit_admin = make_user("刘书记", "13800000106", ba1, [("unit_admin", ca, unit)], unit)
    w.grid_worker = make_user("周网格", "13800000107", ba1, [("grid_worker", ga1, None)])
    w.grid_worker2 = make_user("吴网格", "13800000108", ba2, [("grid_worker", ga2, None)])
    w.admin = make_user("孙主任", "13800000109", ba1, [("community_admin", ca, None)])
    w.street_admin = make_user("钱街道", "13800000110", None, [("street_admin", street, None)])
    w.admin_b = make_user("冯主任", "13800000111", bb1, [("community_admin", cb, None)])
    w.member_b = make_user("褚党员", "13800000112", bb1, [("member", cb, None)])
    w.resident_b = make_user("卫奶奶", "13800000113", bb1, [("resident", bb1, None)])
    w.categories = {c.name: c for c in db.query(Category).filter_by(community_id=ca.id)}
    w.cat = w.categories["助老助残"]
    return w


@pytest.fixture
def make_wish(db, world):
    """Factory: make_wish(status="published", resident=None, capacity=1, **fields) → Wish.

    Wishes reach their status through the real services, never by writing the column.
    """
    return wish_factory(db, world)


def wish_factory(db, world):
    """make_wish's callable over `db` and `world`, for a fixture of any scope."""
    from webapp.schemas.inputs import WishInput
    from webapp.services.wishes import claims, wishes

    def make(status="published", resident=None, capacity=1, title="帮忙买菜送上楼",
             kind="service", volunteers=None, **fields):
        resident = resident or world.resident
        data = WishInput(kind=kind, title=title, description="腿脚不便，需要有人帮忙。",
                         category=fields.pop("category", world.cat.id), capacity=capacity,
                         estimated_hours=fields.pop("estimated_hours", 1),
                         value_yuan=fields.pop("value_yuan", 100 if kind == "wish" else None),
                         **fields)
        w = wishes.post(db, resident, data)
        if status == "pending_review":
            return w
        if status == "rejected":
            return wishes.review(db, world.admin, w.id, "reject", "信息不全")
        if status == "withdrawn":
            return wishes.withdraw(db, resident, w.id)
        wishes.review(db, world.admin, w.id, "approve")
        if status == "published":
            return w
        vols = volunteers or [world.member, world.member2, world.member3][:capacity]
        cl = [claims.claim(db, v, w.id)[0] for v in vols]
        if status == "claimed":
            return w
        for c in cl:
            claims.start(db, db.merge(c.volunteer), c.id)
        if status == "in_service":
            return w
        for c in cl:
            claims.mark_done(db, c.volunteer, c.id, 1.5)
        if status == "done":
            return w
        if status == "confirmed":
            wishes.confirm(db, world.grid_worker, w.id, None, note="电话回访确认")
            return w
        wishes.confirm(db, resident, w.id, 5, "很好")
        assert w.status == status, (w.status, status)
        return w
    return make
