"""Templates' `_()` translated once per string and render, not once per call.

Flask-Babel's gettext looks up the request's locale, domain and catalogue on every call; a
table whose rows carry translated labels (`data-label="{{ _('服务日期') }}"` on each cell)
paid that per cell, which made a long page's time grow with its rows. Each evaluation context
keeps what it has translated for the locale in force (force_locale switches it; the locale
object is the key, held, so never confused with another). Strings with variables are cached
before the variables are put in (jinja's newstyle gettext does that after this returns).
"""
from flask_babel import get_locale, get_translations
from jinja2 import pass_context

_CACHE = "wishgrid_translated"


@pass_context
def _gettext(context, string):
    # Keyed by the locale object too: a macro module imported without context is kept by
    # jinja across renders (and requests), so its evaluation context outlives one language.
    locale = get_locale()
    kept = context.eval_ctx.__dict__.get(_CACHE)
    if kept is None or kept[0] is not locale:
        kept = context.eval_ctx.__dict__[_CACHE] = (locale, {})
    try:
        return kept[1][string]
    except KeyError:
        kept[1][string] = translated = get_translations().ugettext(string)
        return translated


def init_app(app) -> None:
    """Install the per-render gettext (after Flask-Babel's init_app, which installs its own)."""
    app.jinja_env.install_gettext_callables(
        gettext=_gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n))
