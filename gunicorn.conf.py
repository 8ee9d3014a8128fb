"""gunicorn settings, read automatically from the working directory (`gunicorn` with no -c).

The database decides the shape: PostgreSQL takes several worker processes (each with its own
connection pool); SQLite has one writer at a time, so one process with threads serves best and
keeps the busy-timeout queue in one place. Every value can be overridden from the environment.
"""
import multiprocessing
import os

_env = os.environ.get
_postgres = _env("DATABASE_URL", "").startswith("postgresql")

wsgi_app = "webapp:create_app()"
bind = _env("BIND", f"{_env('HOST', '127.0.0.1')}:{_env('PORT', '8000')}")
worker_class = "gthread"
if _postgres:
    workers = int(_env("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
    threads = int(_env("WEB_THREADS", "4"))
else:
    workers = 1
    threads = int(_env("WEB_THREADS", "8"))

timeout = int(_env("WEB_TIMEOUT", "30"))
graceful_timeout = int(_env("WEB_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound. The app is loaded once
# in the master and forked (preload_app), so a recycled worker is up in milliseconds: loading
# it in each new worker took 1-2 s, a gap every 5,000 requests that single-worker SQLite
# served as an outage (bench/RESULTS.md: the p99 of the load runs).
preload_app = _env("WEB_PRELOAD", "1") != "0"
max_requests = int(_env("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Behind a reverse proxy: which addresses may set X-Forwarded-* for gunicorn itself
# (the app trusts them separately through PROXY_COUNT, see docs/DEPLOY.md).
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = _env("ACCESS_LOG", "-")
errorlog = "-"
loglevel = _env("LOG_LEVEL", "info")


def _no_server_banner() -> None:
    """Send no `Server: gunicorn` header: it only tells a scanner what to try.

    gunicorn has no setting for it (it even replaces a Server header the app sets), so drop
    the line from the headers it writes. This file runs in the master before the workers
    fork, so every worker, including recycled ones, inherits the change.
    """
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "no_banner", False):
        return

    def default_headers(self):
        return [h for h in original(self) if not h.lower().startswith("server:")]
    default_headers.no_banner = True
    wsgi.Response.default_headers = default_headers


_no_server_banner()


def post_fork(server, worker):
    """Each worker opens its own database connections: drop any the master's pool holds."""
    if not preload_app:
        return
    from webapp.extensions import db
    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # another app (bench/hello.py)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
