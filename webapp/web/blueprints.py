"""The URL namespaces of the HTML pages (Flask blueprints), named as `url_for` knows them.

A namespace is a group of URLs, not an area of code: the views that register on `admin`
(/admin/...) live in webapp/wishes (review, dispatch), webapp/people (registrations) and
webapp/admin (settings). Keeping the names kept every endpoint, URL and permission-matrix key
as it was when the code moved by area. Areas with a namespace of their own (ledger, lists,
pairing, api, pwa) define it in their package.
"""
from flask import Blueprint

main = Blueprint("main", __name__)  # /, /wishes/<id>, /me
member = Blueprint("member", __name__)  # the menu, claims, my orders, the unit admin's pages
resident = Blueprint("resident", __name__)  # post, edit, withdraw, confirm; 代为登记
admin = Blueprint("admin", __name__, url_prefix="/admin")  # review, dispatch, registrations
account = Blueprint("account", __name__)  # my data, deletion, password, unit, invitations
auth = Blueprint("auth", __name__)  # sign-in (password, code), sign-up, activation
staff = Blueprint("staff", __name__, url_prefix="/staff")  # tree, staff, people, admin log
imports = Blueprint("imports", __name__, url_prefix="/admin/imports")  # lists from Excel
notifications = Blueprint("notifications", __name__)  # inbox, settings, push subscriptions
