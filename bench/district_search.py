"""bench/district.py --searches: the search itself (issue 27 item 3), at the demo's size and at
district size, without the page around it: the service call that finds a list's first page, as
the community admin who searches. A page of 50 people found against the demo's 2-5 grows with
what it shows (its rows rendered); this measures what the indexes are for, finding them."""
import statistics
import time

from webapp.extensions import db
from webapp.models import User
from webapp.services.admin import people_list, staff
from webapp.services.wishes import menu

# The texts of the main pages' searches, and shorter and rarer ones beside them.
WISHES = ("修水龙头12", "修水龙头", "水龙头1234", "王", "小明", "居民", "12")
PEOPLE = ("王", "王小明", "居民12", "居民", "139", "12", "0012")


def _wishes(user, q) -> int:
    items, _cursor = menu.list_wishes(db.session, user, view="all", q=q)
    return len(items)


def _people(user, q) -> int:
    scope = {c.id for c in staff.communities_for(db.session, user)}
    page = people_list.people_page(db.session, user, scope, people_list.Filters(q=q))
    return len(page["rows"])


def _time(app, search, q, runs) -> tuple[float, int]:
    """The median ms of `runs` calls (after one to warm), each in its own session, and the
    number of rows the first page holds."""
    samples, shown = [], 0
    with app.app_context():
        for i in range(runs + 1):
            user = db.session.get(User, app.viewers["community_admin"])
            t = time.perf_counter()
            shown = search(user, q)
            if i:
                samples.append(time.perf_counter() - t)
            db.session.remove()
    return statistics.median(samples) * 1000, shown


def searches(small, big, runs: int) -> list[dict]:
    """One row a search: the demo and district ms, their ratio, and the rows found."""
    out = []
    for name, search, texts in (("wishes", _wishes, WISHES), ("people", _people, PEOPLE)):
        for q in texts:
            a, shown_a = _time(small, search, q, runs)
            b, shown_b = _time(big, search, q, runs)
            out.append({"list": name, "q": q, "demo": a, "district": b, "ratio": b / a,
                        "shown": (shown_a, shown_b)})
    return out


def report(rows) -> None:
    """Print the table, and how many are over 1.5."""
    print(f"{'list':7} {'search':12} {'demo ms':>8} {'district ms':>11} {'ratio':>6}  rows shown")
    for r in rows:
        print(f"{r['list']:7} {r['q']:12} {r['demo']:8.2f} {r['district']:11.2f} "
              f"{r['ratio']:6.2f}  {r['shown'][0]} / {r['shown'][1]}", flush=True)
    over = [r for r in rows if r["ratio"] > 1.5]
    print(f"{len(over)} of {len(rows)} searches over 1.5: "
          + (", ".join(f"{r['list']} {r['q']} {r['ratio']:.2f}" for r in over) or "none"))
