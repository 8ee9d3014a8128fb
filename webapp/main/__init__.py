"""main blueprint: home, wish detail, profile; also installs the shared template helpers."""
from flask import Blueprint

bp = Blueprint("main", __name__)


@bp.record_once
def _install(state):
    from . import cards, ui
    ui.init_app(state.app)
    cards.init_app(state.app)


from . import service_code_views, views  # noqa: E402,F401
