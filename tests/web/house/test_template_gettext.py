"""Templates translate each string once per render (web/i18n.py): still in the render's own
language, whatever language the render before or around it used."""
from flask import render_template_string
from flask_babel import force_locale, get_translations

LOOP = "{% for i in range(n) %}<td data-label=\"{{ _('服务日期') }}\">{{ _('共 %(n)s 组', n=i) }}</td>{% endfor %}"


def test_each_render_speaks_its_own_language_and_translates_a_row_label_once(app, monkeypatch):
    calls = []
    real = get_translations

    def counting():
        calls.append(1)
        return real()
    monkeypatch.setattr("webapp.web.i18n.get_translations", counting)
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        zh = render_template_string(LOOP, n=40)
        with force_locale("en"):
            en = render_template_string(LOOP, n=40)
        again = render_template_string(LOOP, n=2)
    assert zh.count('data-label="服务日期"') == 40 and "共 39 组" in zh
    assert en.count('data-label="Service date"') == 40 and "39 pairings" in en
    assert 'data-label="服务日期"' in again and "共 1 组" in again
    assert len(calls) == 2 * 3  # two strings per render, three renders: not 2 × 82


def test_a_macro_kept_across_renders_follows_each_requests_language(app):
    """Jinja keeps a macro module imported without context across renders: its labels must
    still follow the language of the render calling it."""
    page = '{% import "ledger/_macros.html" as m %}{{ m.source("wish") }}'
    for lang, word in (("zh-CN", "心愿"), ("en", "Wishes"), ("zh-CN", "心愿"), ("en", "Wishes")):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            out = render_template_string(page)
        assert word in out, (lang, out)
