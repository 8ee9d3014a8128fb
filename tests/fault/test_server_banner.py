"""The real gunicorn, started with the repository's gunicorn.conf.py, sends no Server header."""
import http.client
import os
import signal

import pytest

from config import TestConfig
from tests.fault.helpers import free_port, server_env, start_gunicorn, wait_ready
from webapp import create_app
from webapp.extensions import db as _db

# Runs once, in the SQLite pass of scripts/test.sh: the server header is gunicorn's.
pytestmark = pytest.mark.engine_neutral


@pytest.mark.slow
def test_gunicorn_sends_no_server_banner(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'web.sqlite3'}"

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = db_url
    with create_app(Cfg).app_context():
        _db.create_all()
        _db.engine.dispose()
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(server_env(db_url, tmp_path / "instance"), port, log, threads=2)
    try:
        wait_ready(port, server)
        seen = {}
        for method, path in (("GET", "/login"), ("GET", "/no-such-page"),
                             ("HEAD", "/api/v1/openapi.json"), ("POST", "/logout")):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request(method, path)
            r = conn.getresponse()
            r.read()
            seen[(method, path)] = (r.status, r.getheader("Server"))
            conn.close()
        assert {k: v[1] for k, v in seen.items()} == dict.fromkeys(seen), seen
        assert seen[("GET", "/login")][0] == 200, log.read_text()[-2000:]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
