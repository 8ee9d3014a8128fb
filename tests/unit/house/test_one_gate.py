"""One gate (issue 20): every decision about who may do what is taken in services/policy/.

Outside it, no module calls `has_role` or reads a user's `.roles` to decide access. The few
places that touch the relation as data are named below with the reason.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
POLICY = ROOT / "webapp" / "services" / "policy"

# Data plumbing, not decisions: each named with why.
NOT_DECISIONS = {
    "webapp/models/user.py": "defines the relation and role_names()",
    "webapp/services/people/identity.py": "the lean identity mirrors the relation for policy",
    "webapp/services/wishes/privacy.py": "a person's data export lists their own roles",
}


def _offences(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if name == "has_role":
                out.append(f"{node.lineno}: has_role(…)")
        if (isinstance(node, ast.Attribute) and node.attr == "roles"
                and not (isinstance(node.value, ast.Name) and node.value.id == "User")):
            # `User.roles` in a loader option (joinedload) names the relation, reads nobody's.
            out.append(f"{node.lineno}: .roles")
    return out


def test_no_module_outside_the_policy_decides_by_roles():
    found = {}
    for top in ("webapp", "jobs"):
        for path in (ROOT / top).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            if POLICY in path.parents or rel in NOT_DECISIONS:
                continue
            if offences := _offences(path):
                found[rel] = offences
    assert found == {}, "ask services/policy instead: " + repr(found)


def test_the_scan_sees_an_offence():
    """The check itself: a module that asked has_role or read .roles would be reported."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write("def f(u):\n    return policy.has_role(u, 'x') or any(u.roles)\n")
    assert _offences(Path(f.name)) == ["2: has_role(…)", "2: .roles"]
