"""Test helpers: a loopback push service and a browser's subscription keys (P-256 + auth)."""
import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Browser:
    """What a browser keeps for one push subscription: its P-256 key pair and auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        pub = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)
        self.p256dh = b64url(pub)

    def subscription(self, endpoint: str) -> dict:
        """The JSON PushSubscription.toJSON() would give."""
        return {"endpoint": endpoint, "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        """Decrypt one aes128gcm push body as the browser would; returns the JSON payload."""
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth,
                                           version="aes128gcm"))


class PushService:
    """A loopback HTTP server playing the push service. `plan[path]` lists (status, headers)
    answers to give in order; afterwards every push gets 201."""

    def __init__(self, decode=None, hold_at: int | None = None):
        self.received: list[tuple[str, dict, bytes]] = []
        self.decoded: list = []          # decode(body) of each push, if decode is given
        self.plan: dict[str, list] = {}
        self.cond = threading.Condition()
        # hold_at=n: the n-th push gets no answer until release() (a sender stuck mid-send).
        self.hold_at, self.held, self.release_gate = hold_at, threading.Event(), threading.Event()
        svc = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like a real push service

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                decoded = decode(body) if decode else None
                with svc.cond:
                    svc.received.append((self.path,
                                         {k.lower(): v for k, v in self.headers.items()}, body))
                    svc.decoded.append(decoded)
                    answers = svc.plan.get(self.path)
                    status, headers = answers.pop(0) if answers else (201, {})
                    hold = svc.hold_at is not None and len(svc.received) == svc.hold_at
                    svc.cond.notify_all()
                if hold:
                    svc.held.set()
                    svc.release_gate.wait(60)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    self.close_connection = True  # the sender died while we held its request

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def endpoint(self, name: str, host: str = "127.0.0.1") -> str:
        """A subscription endpoint on this server."""
        return f"http://{host}:{self.port}/push/{name}"

    def count(self) -> int:
        with self.cond:
            return len(self.received)

    def wait_for(self, n: int, timeout: float = 60) -> bool:
        """Block until at least n pushes arrived (or timeout); returns whether they did."""
        return self.wait_until(lambda: len(self.received) >= n, timeout)

    def wait_until(self, predicate, timeout: float = 60) -> bool:
        """Block until predicate() holds (checked on every push) or timeout."""
        with self.cond:
            return self.cond.wait_for(predicate, timeout)

    def bodies(self, path_suffix: str | None = None) -> list[bytes]:
        with self.cond:
            return [b for p, _h, b in self.received if path_suffix is None or p.endswith(path_suffix)]

    def close(self):
        self.release_gate.set()
        self.server.shutdown()
        self.server.server_close()
