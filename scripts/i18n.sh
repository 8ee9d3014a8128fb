#!/bin/sh
# The English catalogue: extract every _()/_l() string, merge into messages.po, compile the .mo.
#   scripts/i18n.sh            extract + update + compile
#   scripts/i18n.sh extract    only write translations/messages.pot
#   scripts/i18n.sh update     extract, then merge new msgids into translations/en/.../messages.po
#   scripts/i18n.sh compile    only compile messages.po → messages.mo (fails on fuzzy entries)
# tests/unit/house/test_i18n.py fails while the catalogue is stale or has untranslated/fuzzy entries.
set -eu
cd "$(dirname "$0")/.."
if [ -x .venv/bin/pybabel ]; then PYBABEL=.venv/bin/pybabel; else PYBABEL=pybabel; fi
KEYWORDS="-k _l -k lazy_gettext -k lazy_ngettext:1,2 -k _n:1,2"

extract() {
    # shellcheck disable=SC2086
    "$PYBABEL" extract -F babel.cfg $KEYWORDS --no-wrap --sort-by-file \
        --project=Wishgrid --copyright-holder=Wishgrid --msgid-bugs-address=admin@wishgrid.local \
        -o translations/messages.pot .
}

update() {
    if [ -f translations/en/LC_MESSAGES/messages.po ]; then
        "$PYBABEL" update -i translations/messages.pot -d translations -l en \
            --no-wrap --no-fuzzy-matching --ignore-obsolete
    else
        "$PYBABEL" init -i translations/messages.pot -d translations -l en --no-wrap
    fi
}

compile() {
    "$PYBABEL" compile -d translations -l en --statistics
}

case "${1:-all}" in
    extract) extract ;;
    update) extract; update ;;
    compile) compile ;;
    all) extract; update; compile ;;
    *) echo "usage: $0 [extract|update|compile|all]" >&2; exit 2 ;;
esac
