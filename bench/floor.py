"""Wishgrid plus two no-op routes: the floor under any signed-in request (bench/load.py).

`/bench/floor/web` is a login_required view and `/bench/floor/api` a token_required one; both
return a constant. What they cost over bench/hello.py is what every signed-in page or API call
pays before doing anything: the app's hooks, the session or token check, the user lookup.
"""
from flask_login import login_required

from webapp import create_app
from webapp.api.common import token_required

app = create_app()


@login_required
def _web():
    return "ok"


@token_required
def _api():
    return {"ok": True}


app.add_url_rule("/bench/floor/web", "bench_floor_web", _web)
app.add_url_rule("/bench/floor/api", "bench_floor_api", _api)
