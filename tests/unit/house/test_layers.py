"""The house plan (docs/ARCHITECTURE.md), checked from the import graph of webapp/.

Layers import only downward: extensions/db and the error vocabulary → models → schemas →
services → web (plumbing) → the areas (wishes, people, admin, ledger, lists, pairing, notify,
api, pwa) → demo and cli → the app factory. An area does not import another area: what two
areas share belongs to a service or to webapp/web. Every import counts, including the ones
inside functions: a late import is still a dependency. And no module takes part in an import
cycle, except a blueprint package importing its own views to register them.
"""
import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine_neutral

ROOT = Path(__file__).resolve().parents[3]
AREAS = {"wishes", "people", "admin", "ledger", "lists", "pairing", "notify", "api", "pwa",
         "shop", "voice"}
RANKS = {"extensions": 0, "db": 0, "models": 1, "schemas": 2, "services": 3, "web": 4,
         "demo": 6, "cli": 6, "site": 7}


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    files = {_name(p): p for p in (ROOT / "webapp").rglob("*.py")}
    graph = {}
    for mod, path in files.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        out = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level > 1:
                    base = base[: len(base) - node.level + 1]
                target = node.module if node.level == 0 else ".".join(
                    base + ([node.module] if node.module else []))
                for alias in node.names:
                    if f"{target}.{alias.name}" in files:
                        out.add(f"{target}.{alias.name}")
                    elif target in files:
                        out.add(target)
            elif isinstance(node, ast.Import):
                out |= {a.name for a in node.names if a.name in files}
        graph[mod] = out - {mod}
    return graph


def _layer(mod: str) -> tuple[int, str]:
    parts = mod.split(".")
    if len(parts) == 1:
        return 7, "webapp"
    if mod == "webapp.services.errors":
        return 0, "errors"  # the error vocabulary: schemas and services both speak it
    if parts[1] in AREAS:
        return 5, parts[1]
    return RANKS[parts[1]], parts[1]


def test_every_import_goes_down_a_layer_or_stays_in_its_area():
    upward = []
    for mod, targets in _graph().items():
        rank, area = _layer(mod)
        for t in targets:
            t_rank, t_area = _layer(t)
            if t_rank > rank or (rank == t_rank == 5 and t_area != area):
                upward.append(f"{mod} → {t}")
    assert not upward, "imports against the house plan:\n  " + "\n  ".join(sorted(upward))


def test_no_import_cycles():
    graph = _graph()
    # A blueprint package's __init__ imports its views so that they register: not a cycle.
    for mod in graph:
        graph[mod] = {t for t in graph[mod] if not t.startswith(mod + ".")}
    index, low, stack, on, cycles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                cycles.append(sorted(scc))

    for v in list(graph):
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_the_layer_check_sees_an_upward_import(tmp_path):
    """The checker itself: a service importing a view would be reported."""
    assert _layer("webapp.services.wishes.claims")[0] < _layer("webapp.wishes.menu_views")[0]
    assert _layer("webapp.web.htmx")[0] < _layer("webapp.people.auth_views")[0]
    assert "webapp.wishes.menu_views" in _graph()["webapp.site"]


# The request plumbing that may roll back itself: the kit, the error handlers, and the template
# context that must render an error page on a broken connection.
ROLLBACK_OK = {"webapp/web/htmx.py", "webapp/web/errors.py", "webapp/web/ui.py"}
VIEW_PACKAGES = sorted(AREAS | {"web"})


def test_views_leave_rollbacks_to_the_htmx_kit():
    """A refused service call is caught by `web.htmx.attempt` (or the error handlers), which
    roll back: a view never does it by hand, so none can forget it."""
    by_hand = []
    for area in VIEW_PACKAGES:
        for path in (ROOT / "webapp" / area).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ROLLBACK_OK:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ".rollback()" in line:
                    by_hand.append(f"{rel}:{n}: {line.strip()}")
    assert not by_hand, "use web.htmx.attempt:\n  " + "\n  ".join(by_hand)
