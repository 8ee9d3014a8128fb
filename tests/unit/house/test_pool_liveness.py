"""A pooled PostgreSQL connection the server hung up on is replaced without a ping
(webapp/db.py `server_hung_up`, instead of pool_pre_ping's round trip per request)."""
import socket
from types import SimpleNamespace

from config import engine_options
from webapp.db import server_hung_up


def _conn(sock, **flags):
    return SimpleNamespace(pgconn=SimpleNamespace(socket=sock.fileno()), closed=False,
                           broken=False, **flags)


def test_an_idle_connection_is_alive_until_the_server_speaks_or_closes():
    ours, server = socket.socketpair()
    try:
        assert server_hung_up(_conn(ours)) is False
        server.sendall(b"E")  # a termination notice (or anything): an idle connection owes none
        assert server_hung_up(_conn(ours)) is True
    finally:
        ours.close()
        server.close()
    ours, server = socket.socketpair()
    try:
        server.close()  # a restart: the socket reads EOF
        assert server_hung_up(_conn(ours)) is True
    finally:
        ours.close()


def test_a_connection_psycopg_knows_is_broken_counts_as_dead():
    ours, server = socket.socketpair()
    try:
        conn = _conn(ours)
        conn.broken = True
        assert server_hung_up(conn) is True
    finally:
        ours.close()
        server.close()


def test_no_ping_per_request_and_a_pool_the_size_of_the_threads():
    pg = engine_options("postgresql+psycopg://u@h/db")
    assert pg["pool_pre_ping"] is False and pg["pool_size"] >= 4 and pg["pool_recycle"] > 0
    assert engine_options("sqlite:////tmp/x.sqlite3")["pool_size"] >= 8  # gunicorn: 8 threads
    assert engine_options("sqlite://") == {}
