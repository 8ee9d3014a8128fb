"""Input schemas shared by the web forms and the JSON API (pydantic), with Chinese messages."""
import re
import unicodedata
from typing import Annotated

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..models.base import MAX_ID
from ..services.errors import Invalid

# Bidi overrides/isolates and zero-width characters: invisible, they disguise names and titles
# (a reversed "gnp.exe", two look-alike "王芳").
# Terminal escapes (ANSI CSI sequences) whole, then bidi/zero-width and control characters
# (tab and newlines stay: descriptions have lines).
_INVISIBLE = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]|[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
                        "\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_QUERY_VALUE = 2000  # characters of one query-string value


def strip_invisible(value):
    """Text without bidi-override, bidi-isolate and zero-width characters (others untouched)."""
    return _INVISIBLE.sub("", value) if isinstance(value, str) else value


def ascii_number(value):
    """The text of a number or id in ASCII: full-width digits (what Chinese IMEs type) are
    folded by NFKC; any other non-ASCII character (Arabic-Indic, superscript or mathematical
    digits) is refused, so `١٣` never becomes 13 and no look-alike phone number exists."""
    if not isinstance(value, str) or value.isascii():
        return value
    if any(c.isdigit() and not "\uff10" <= c <= "\uff19" for c in value if not c.isascii()):
        raise ValueError(str(_l("请只用数字 0-9 填写。")))
    # Fold full-width forms only (digits, ＋－．, the ideographic space); other text stays as
    # typed and fails as "not a number" in the schema.
    return "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" or c == "\u3000"
                   else c for c in value)


def to_id(value) -> int | None:
    """An id typed as text (full-width digits folded), or None: ASCII digits only, 1 … MAX_ID."""
    try:
        raw = ascii_number(str(value if value is not None else "").strip())
    except ValueError:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ID else None


# Types every schema (forms, API, query strings) builds on.
CleanText = BeforeValidator(strip_invisible)
AsciiNumber = BeforeValidator(ascii_number)
Id = Annotated[int, Field(ge=1, le=MAX_ID), AsciiNumber]


class Input(BaseModel):
    """Base for every input: strips surrounding spaces from text, ignores unknown keys."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


def _message(err: dict) -> str:
    t, ctx = err["type"], err.get("ctx") or {}
    if t == "missing" or err.get("input") in ("", None):  # an empty box or a JSON null
        return _("请填写这一项。")
    if t == "string_too_short":
        return _("至少 %(n)s 个字。", n=ctx.get("min_length"))
    if t == "string_too_long":
        return _("最多 %(n)s 个字。", n=ctx.get("max_length"))
    if t in ("int_parsing", "int_type", "int_from_float"):
        return _("请填写整数。")
    if t in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("请填写数字。")
    if t == "greater_than":  # strict: "not less than 0" would wrongly accept 0
        return _("应大于 %(n)s。", n=ctx.get("gt"))
    if t == "greater_than_equal":
        return _("不能小于 %(n)s。", n=ctx.get("ge"))
    if t == "less_than":
        return _("应小于 %(n)s。", n=ctx.get("lt"))
    if t == "less_than_equal":
        return _("不能大于 %(n)s。", n=ctx.get("le"))
    if t in ("literal_error", "enum"):
        return _("请从列表中选择。")
    if t.startswith("datetime") or t.startswith("date"):
        return _("请填写正确的日期时间。")
    if t in ("string_type",):
        return _("请填写文字。")
    if t in ("list_type",):
        return _("应为列表。")
    if t == "string_pattern_mismatch":
        return _("格式不正确。")
    if t == "value_error":
        return str(ctx.get("error", "")) or _("格式不正确。")
    return _("格式不正确。")


def parse(schema: type[BaseModel], data) -> BaseModel:
    """Validate `data` (a dict) into `schema` or raise Invalid with a message per field."""
    if not isinstance(data, dict):
        raise Invalid({"_": _("请求体应为 JSON 对象。")})
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else "_"
            fields.setdefault(key, _message(err))
        raise Invalid(fields) from None


def parse_each(schema: type[BaseModel], data: dict) -> tuple[BaseModel, dict[str, str]]:
    """Validate field by field: a model holding the valid fields, and a message per bad one.

    A form then reports every mistake in one round: the service adds its own checks (limits,
    dates) on the valid fields and raises one Invalid with both (issue 12 §6).
    """
    if not isinstance(data, dict):
        raise Invalid({"_": _("请求体应为 JSON 对象。")})
    try:
        return schema.model_validate(data), {}
    except ValidationError:
        pass
    model, fields = schema.model_construct(), {}
    model.__pydantic_fields_set__ = set()
    for name, info in schema.model_fields.items():
        if name not in data:
            if info.is_required():
                fields[name] = _("请填写这一项。")
            continue
        try:
            schema.__pydantic_validator__.validate_assignment(model, name, data[name])
        except ValidationError as exc:
            fields[name] = _message(exc.errors()[0])
    return model, fields


def parse_query(schema: type[BaseModel], args) -> BaseModel:
    """Validate a query string (a MultiDict or dict) into `schema`: the first value of each key;
    NUL and over-long values refused; any bad value is Invalid (422), never a 500."""
    data = args.to_dict() if hasattr(args, "to_dict") else dict(args)
    known = {f.alias or name for name, f in schema.model_fields.items()}
    data = {k: v for k, v in data.items() if k in known}
    bad = {k: _("包含无效字符。") for k, v in data.items()
           if isinstance(v, str) and ("\x00" in v or len(v) > MAX_QUERY_VALUE)}
    if bad:
        raise Invalid(bad)
    return parse(schema, data)
