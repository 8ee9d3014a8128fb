"""Cell rules shared by every kind: required, length, no formulas, phone numbers; the plan."""
import hashlib
import json
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ....schemas import strip_invisible
from .columns import column
from ....schemas.phone import parse_phone

PHONE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only: \d would take ١٢٣ too


@dataclass
class Plan:
    """What an import would do: one action per good row, the bad rows, the counts."""

    kind: str
    verified: bool = False  # members: 名单已核实 (approved, not pending 报到)
    actions: list[tuple] = field(default_factory=list)  # (verb, row, …) verb: create|update|unchanged|invite
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "message"}
    # The preview's account of the file (issue 23 item 3), not part of the digest: the columns
    # used and ignored (reader.Table), and the tree nodes the import would create, by name.
    used: list[dict] = field(default_factory=list)
    ignored: list[dict] = field(default_factory=list)
    new_nodes: list[dict] = field(default_factory=list)  # {"kind", "path", "like"}
    # Residents sharing one household's phone (issue 23 item 6): {"row", "name", "holder",
    # "holder_row"}; the holder keeps the phone, the others are imported without one.
    shared: list[dict] = field(default_factory=list)

    def layout(self) -> dict:
        """The columns used (with the template's header) and ignored, and the nodes to create."""
        return {"used": [{**u, "column": column(self.kind, u["key"]).header} for u in self.used],
                "ignored": self.ignored, "new_nodes": self.new_nodes,
                **({"shared_phones": self.shared} if self.shared else {})}

    def counts(self) -> dict:
        out = {"create": 0, "update": 0, "unchanged": 0}
        for a in self.actions:  # "invite" (an account the importer doesn't cover) only when any
            out[a[0]] = out.get(a[0], 0) + 1
        return out

    def bad_rows(self) -> set[int]:
        """The row numbers with at least one error (a row is either an action or bad)."""
        return {e["row"] for e in self.errors}

    def digest(self) -> str:
        """A fingerprint of the planned actions: a confirm refuses a plan that changed since."""
        return hashlib.sha256(json.dumps([self.kind, self.verified, self.actions], ensure_ascii=False,
                                         default=str).encode()).hexdigest()

    def error(self, row: int, kind: str, key: str, message) -> None:
        self.errors.append({"row": row, "column": column(kind, key).header,
                            "message": str(message)})


class RowCheck:
    """Cell checks of one row; each failure is recorded on the plan with the row and column."""

    def __init__(self, plan: Plan, row: int, values: dict):
        self.plan, self.row, self.values, self.ok = plan, row, values, True

    def fail(self, key: str, message) -> None:
        self.plan.error(self.row, self.plan.kind, key, message)
        self.ok = False

    def text(self, key: str, required: bool = True) -> str:
        # The forms' CleanText: no bidi, zero-width, control or terminal-escape characters.
        value = strip_invisible(self.values.get(key, "")).strip()
        col = column(self.plan.kind, key)
        if not value:
            if required:
                self.fail(key, _l("请填写%(col)s。", col=col.header))
            return ""
        if value.startswith("="):
            self.fail(key, _l("这一格是公式，不是文字。请把它改成实际的内容（复制后“粘贴为数值”）。"))
            return ""
        if len(value) > col.max_len:
            self.fail(key, _l("太长了：最多 %(n)s 个字，现在 %(m)s 个字。", n=col.max_len,
                              m=len(value)))
            return ""
        return value

    def phone(self, required: bool) -> str | None:
        raw = self.values.get("phone", "")
        if not raw:
            if required:
                self.fail("phone", _l("请填写手机号。"))
            return None
        try:
            return parse_phone(raw)  # the same parser as every form and the API
        except ValueError as err:
            self.fail("phone", f"{err}（“{raw[:20]}”）")
            return None


def mask(name: str) -> str:
    """王小明 → 王**: whose account a phone belongs to, without disclosing the person."""
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else "**"
