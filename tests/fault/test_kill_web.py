"""SIGKILL the web server (real gunicorn, file SQLite) in a burst of claims, then restart.

After the restart: no wish over capacity, `taken` equals the live claims, every claim the
server acknowledged (201) is there, no confirmed record lost, and the ledger chain verifies.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from config import TestConfig
from tests.fault.helpers import (ROOT, free_port, post_json, seed, server_env, start_gunicorn,
                                 wait_ready)
from webapp import create_app
from webapp.extensions import db as _db

ACKED_BEFORE_KILL = 12


def _state(path):
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        wishes = con.execute("SELECT id, capacity, taken, status FROM wishes").fetchall()
        live = dict(con.execute(
            "SELECT wish_id, count(*) FROM claims WHERE status IN "
            "('offered','active','started','done') GROUP BY wish_id").fetchall())
        claim_ids = {r[0] for r in con.execute("SELECT id FROM claims")}
        records = con.execute("SELECT id, claim_id, hours FROM service_records ORDER BY id"
                              ).fetchall()
        ledger = con.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
    finally:
        con.close()
    return wishes, live, claim_ids, records, ledger


# Its own SQLite file on either pass, so its outcome cannot depend on the pass's engine: it runs
# once (in the PostgreSQL pass, which has no page sweeps).
@pytest.mark.engine_neutral(run_on="postgresql")
@pytest.mark.slow
def test_sigkill_during_claim_burst_loses_nothing_and_never_overfills(tmp_path):
    db_path = tmp_path / "web.sqlite3"
    db_url = f"sqlite:///{db_path}"

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = db_url
    app = create_app(Cfg)
    with app.app_context():
        _db.create_all()
        data = seed(_db.session, members=30, wish_count=10, capacity=3, closed=2)
        _db.session.remove()
        _db.engine.dispose()
    _, _, _, records_before, ledger_before = _state(db_path)
    assert len(records_before) == 6 and ledger_before == 6

    env = server_env(db_url, tmp_path / "instance")
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(env, port, log)
    acked, lock = [], threading.Lock()
    enough = threading.Event()
    outcomes = {"201": 0, "409": 0, "gone": 0, "other": []}
    try:
        wait_ready(port, server)

        def attempt(job):
            token, wid = job
            try:
                status, body, _h = post_json(port, f"/api/v1/wishes/{wid}/claims", token)
            except OSError:
                with lock:
                    outcomes["gone"] += 1
                return
            with lock:
                if status == 201:
                    acked.append(body["id"])
                    outcomes["201"] += 1
                    if len(acked) >= ACKED_BEFORE_KILL:
                        enough.set()
                elif status == 409:
                    outcomes["409"] += 1
                else:
                    outcomes["other"].append((status, body))

        jobs = [(t, wid) for wid in data["open"] for t in data["tokens"]]
        with ThreadPoolExecutor(max_workers=30) as pool:
            futures = [pool.submit(attempt, j) for j in jobs]
            assert enough.wait(60), (outcomes, log.read_text()[-2000:])
            os.killpg(server.pid, signal.SIGKILL)  # master and worker, mid-burst
            server.wait(10)
            for f in futures:
                f.result()
        assert outcomes["other"] == [], outcomes["other"]  # 201 or 409, never a 5xx
        assert outcomes["gone"] > 0, "the kill landed after the burst; nothing was tested"

        server = start_gunicorn(env, port, log)
        wait_ready(port, server)
        wishes, live, claim_ids, records, ledger = _state(db_path)
        for wid, capacity, taken, status in wishes:
            assert taken <= capacity, (wid, taken, capacity)
            if wid in data["open"]:
                assert taken == live.get(wid, 0), (wid, taken, live.get(wid))
                assert status == ("claimed" if taken == capacity else "published"), (wid, status)
        assert set(acked) <= claim_ids  # every acknowledged claim survived the kill
        assert records == records_before and ledger == ledger_before
        # The restarted server serves claims again, and still never over capacity.
        open_wish = next(w for w in wishes if w[0] in data["open"] and w[2] < w[1])
        won = sum(post_json(port, f"/api/v1/wishes/{open_wish[0]}/claims", t)[0] == 201
                  for t in data["tokens"])
        assert won == open_wish[1] - open_wish[2]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(20)
    verify = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "ledger",
                             "verify"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "OK" in verify.stdout
