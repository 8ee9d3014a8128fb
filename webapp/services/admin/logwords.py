"""The admin log in the reader's language (issue 23 item 11). A line's `summary` was written in
the actor's language at the time; for the acts whose words are the application's own (an
import's counts, a tree node's kind, activation invitations and slips) the line is said again
from its kind and details, and names stay as they were typed."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import Org
from .imports.columns import KIND_LABELS as LIST_LABELS
from .tree import KIND_LABELS as NODE_LABELS

_ACTIVATION = re.compile(r"^activation (invitations|slips) (\d+)(?:/(\d+))?$")


def _import(d: dict) -> str | None:
    if d.get("kind") not in LIST_LABELS or "create" not in d:
        return None
    text = _l("导入%(what)s“%(file)s”：新增 %(create)s，更新 %(update)s，未变 %(unchanged)s",
              what=LIST_LABELS[d["kind"]], file=d.get("file", ""), create=d["create"],
              update=d.get("update", 0), unchanged=d.get("unchanged", 0))
    if d.get("skipped"):
        text = _l("%(s)s；%(n)s 行有问题，未导入", s=text, n=d["skipped"])
    return str(text)


def _activation(summary: str, d: dict) -> str | None:
    m = _ACTIVATION.match(summary or "")
    if not m:
        return None
    if m.group(1) == "slips":
        return str(_l("打印激活单 %(n)s 张", n=m.group(2)))
    return str(_l("发出激活邀请 %(sent)s / %(total)s 人", sent=m.group(2), total=m.group(3)))


def _tree(line: dict, kind: str | None) -> str | None:
    """"网格 城西社区 / 第一网格": the node's kind word said again, the names kept."""
    label = NODE_LABELS.get(kind) if kind else None
    summary = line["summary"] or ""
    head, _sep, rest = summary.partition(" ")
    if label is None or not rest or head not in {"街道", "社区", "网格", "楼栋", *map(
            str, NODE_LABELS.values())}:
        return None
    return f"{label} {rest}"


def texts(session, lines: list[dict]) -> list[dict]:
    """Each line of adminlog.as_dicts with `text`: its summary in the reader's language."""
    tree_orgs = {ln["org_id"] for ln in lines if ln["kind"].startswith("tree_") and ln["org_id"]}
    kinds = dict(session.execute(select(Org.id, Org.kind).where(Org.id.in_(tree_orgs))).all()) \
        if tree_orgs else {}
    for ln in lines:
        d, text = ln.get("details") or {}, None
        if ln["kind"] == "import":
            text = _import(d)
        elif ln["kind"] == "other":
            text = _activation(ln["summary"], d)
        elif ln["kind"].startswith("tree_"):
            text = _tree(ln, kinds.get(ln["org_id"]))
        ln["text"] = text or ln["summary"]
    return lines
