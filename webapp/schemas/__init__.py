"""Input schemas shared by the web forms and the JSON API (pydantic), with Chinese messages."""
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, ValidationError

from ..services.errors import Invalid


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
