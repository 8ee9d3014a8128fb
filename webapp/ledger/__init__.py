"""ledger blueprint: the community's ledger, tallies, exports, unit reports, certificates."""
from flask import Blueprint

bp = Blueprint("ledger", __name__)


@bp.app_template_filter("ldate")
def ldate(value) -> str:
    """An aware instant as its Beijing date (2026-11-22)."""
    from ..services.ledger.periods import local
    return local(value).strftime("%Y-%m-%d") if value else ""


@bp.app_template_global("period_choices")
def period_choices(period) -> list[dict]:
    """The period picker's options (services/ledger/periods.choices) around `period`."""
    from ..models import utcnow
    from ..services.ledger.periods import choices
    return choices(utcnow(), period)


from . import certs, honours_views, national_views, personal, reports, views  # noqa: E402,F401,E501
