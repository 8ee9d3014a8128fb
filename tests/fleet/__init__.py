"""A whole Wishgrid fleet on loopback, as docs/DEPLOY.md §2 describes it: a throwaway
PostgreSQL, redis-server (the rate-limit store), nginx (the proxy), two gunicorn web hosts with
an instance dir each, and two job hosts (`python -m jobs`) taking turns through the lock.

One module builds it for everyone, so the person, the tests and the bench start the same
topology: `bash scripts/fleet.sh` (runs `python -m tests.fleet`), tests/fault/test_fleet.py,
bench/fleet.py. Every port is a free loopback port; everything lives in one temp dir.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .procs import NGINX_CONF, ROOT, Proc, free_port, port_open, wait_for

__all__ = ["Fleet", "free_port", "wait_for"]
PY = sys.executable


class Fleet:
    """The fleet. `start()` brings everything up; `stop()` takes it all down and removes the dir."""

    def __init__(self, web_hosts: int = 2, job_hosts: int = 2, workers: int = 2,
                 threads: int = 4, extra_env: dict | None = None, seed_demo: bool = True,
                 sms_provider: str = "dev", root: str | None = None):
        self.root = Path(root or tempfile.mkdtemp(prefix="wishgrid-fleet-"))
        self.n_web, self.n_jobs = web_hosts, job_hosts
        self.workers, self.threads = workers, threads
        self.extra_env = dict(extra_env or {})
        self.seed_demo, self.sms_provider = seed_demo, sms_provider
        self.pg_port, self.redis_port, self.proxy_port = free_port(), free_port(), free_port()
        self.web_ports = [free_port() for _ in range(web_hosts)]
        self.webs: list[Proc] = []
        self.jobs: list[Proc] = []
        self.pg: Proc | None = None
        self.redis: Proc | None = None
        self.nginx: Proc | None = None
        self.pg_dir: Path | None = None
        self.pg_user = "postgres" if os.getuid() == 0 else None
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    # -- addresses -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The proxy's address: what a person opens."""
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def db_url(self) -> str:
        return f"postgresql+psycopg://wishgrid@127.0.0.1:{self.pg_port}/wishgrid"

    def web_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.web_ports[i]}"

    # -- settings: DEPLOY.md §2, "several hosts" -----------------------------------------------
    def env(self, instance: str) -> dict:
        """The environment every host gets (one SECRET_KEY, shared exports, Redis limits)."""
        shared = {
            "DATABASE_URL": self.db_url,
            "SECRET_KEY": self._secret,
            "WISHGRID_INSTANCE": str(self.root / instance),
            "EXPORT_DIR": str(self.root / "exports"),
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{self.redis_port}/0",
            "VAPID_PRIVATE_KEY": self._vapid,
            "PROXY_COUNT": "1",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "PUBLIC_URL": self.url,
            "WEB_WORKERS": str(self.workers),
            "WEB_THREADS": str(self.threads),
            "DB_POOL_SIZE": str(self.threads),
            "SMS_PROVIDER": self.sms_provider,
            "PYTHONUNBUFFERED": "1",
            "FLASK_APP": "webapp",
        }
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "WISHGRID_TEST_PASSES", "PYTEST_CURRENT_TEST")}
        return env | shared | self.extra_env

    # -- PostgreSQL ------------------------------------------------------------------------------
    def _pg_bin(self, name: str) -> str:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
        if not bins:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        return str(bins[-1] / name)

    def _pg_run(self, *argv) -> None:
        cmd = (["runuser", "-u", self.pg_user, "--"] if self.pg_user else []) + list(argv)
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def _init_pg(self) -> None:
        # Its own directory (owned by the server's user; the fleet's root stays private).
        self.pg_dir = Path(tempfile.mkdtemp(prefix="wishgrid-fleet-pg-"))
        if self.pg_user:
            subprocess.run(["id", "-u", self.pg_user], check=True, capture_output=True)
            shutil.chown(self.pg_dir, self.pg_user)
        self._pg_run(self._pg_bin("initdb"), "-D", str(self.pg_dir / "data"), "-U", "wishgrid",
                     "--auth=trust", "-E", "UTF8", "--locale=C", "--lc-ctype=C.UTF-8")

    def start_pg(self) -> None:
        """Start (or restart) the PostgreSQL server on its port; returns once it accepts."""
        # Throwaway data: durability off for speed; loopback and a private socket dir only.
        argv = [self._pg_bin("postgres"), "-D", str(self.pg_dir / "data"),
                "-c", "listen_addresses=127.0.0.1", "-p", str(self.pg_port),
                "-c", f"unix_socket_directories={self.pg_dir}", "-c", "max_connections=200",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        log = self.root / "postgresql.log"
        self.pg = Proc("postgresql", argv, dict(os.environ), log, cwd=self.pg_dir,
                       user=self.pg_user).start()
        wait_for(self._pg_ready, 60, "PostgreSQL", self.pg.popen)

    def _pg_ready(self) -> bool:
        import psycopg
        try:
            with psycopg.connect(host="127.0.0.1", port=self.pg_port, user="wishgrid",
                                 dbname="postgres", connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def stop_pg(self, fast: bool = True) -> None:
        """Stop PostgreSQL: `fast` = SIGINT (fast shutdown, clients cut off), else SIGKILL."""
        if self.pg and self.pg.alive():
            if fast:
                os.killpg(self.pg.pid, signal.SIGINT)
                try:
                    self.pg.popen.wait(30)
                except subprocess.TimeoutExpired:
                    self.pg.kill9()
            else:
                self.pg.kill9()

    def restart_pg(self) -> None:
        """A PostgreSQL restart: every existing connection is cut; new ones work again."""
        self.stop_pg()
        self.start_pg()

    # -- Redis -------------------------------------------------------------------------------------
    def start_redis(self) -> None:
        """redis-server on its port: no persistence, loopback only."""
        d = self.root / "redis"
        d.mkdir(exist_ok=True)
        argv = ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(d), "--daemonize", "no",
                "--protected-mode", "yes"]
        self.redis = Proc("redis", argv, dict(os.environ), self.root / "redis.log").start()
        wait_for(lambda: port_open(self.redis_port), 30, "redis-server", self.redis.popen)

    def stop_redis(self) -> None:
        if self.redis:
            self.redis.kill9()

    # -- web and job hosts -----------------------------------------------------------------------
    def _web(self, i: int) -> Proc:
        inst = self.root / f"web{i + 1}"
        inst.mkdir(exist_ok=True)
        env = self.env(f"web{i + 1}") | {"BIND": f"127.0.0.1:{self.web_ports[i]}",
                                         "ACCESS_LOG": str(self.root / f"web{i + 1}.access.log"),
                                         # gunicorn 27's control socket defaults to one path
                                         # per user: one per host here, as on separate machines
                                         "GUNICORN_CMD_ARGS": f"--control-socket={inst}/gunicorn.ctl"}
        return Proc(f"web{i + 1}", [PY, "-m", "gunicorn"], env, self.root / f"web{i + 1}.log")

    def start_web(self, i: int, wait: bool = True) -> Proc:
        """Start web host i (0-based); `wait`: until it answers."""
        proc = self._web(i).start()
        if i < len(self.webs):
            self.webs[i] = proc
        else:
            self.webs.append(proc)
        if wait:
            self.wait_web(i)
        return proc

    def wait_web(self, i: int, timeout: float = 90) -> None:
        try:
            wait_for(lambda: self._answers(self.web_url(i) + "/sw.js"), timeout, f"web{i + 1}",
                     self.webs[i].popen)
        except (RuntimeError, TimeoutError) as e:
            raise RuntimeError(f"{e}\n{self.webs[i].text()[-3000:]}") from None

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start_job(self, i: int) -> Proc:
        """Start job host i (0-based): `python -m jobs` with its own instance dir."""
        # Each job host has a host name of its own, as on separate machines: a dead holder's
        # leases cannot be checked by pid, only taken over through the lock.
        env = self.env(f"jobs{i + 1}") | {"WISHGRID_HOSTNAME": f"jobs{i + 1}"}
        proc = Proc(f"jobs{i + 1}", [PY, "-m", "jobs"], env, self.root / f"jobs{i + 1}.log",
                    restart=True).start()
        if i < len(self.jobs):
            self.jobs[i] = proc
        else:
            self.jobs.append(proc)
        return proc

    def job_holding(self) -> int | None:
        """Which live job host says it holds the lock (0-based), else None."""
        for i, p in enumerate(self.jobs):
            if p.alive() and "job lock held" in p.text():
                return i
        return None

    # -- proxy ------------------------------------------------------------------------------------
    def _nginx_conf(self, hosts: int) -> Path:
        d = self.root / "nginx"
        host_map = "\n".join(f'        "127.0.0.1:{p}" web{i + 1};'
                             for i, p in enumerate(self.web_ports))
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;"
                            for p in self.web_ports[:hosts])
        # As root nginx's workers would switch to "nobody", who cannot write this dir.
        user = "user root;\n" if os.getuid() == 0 else ""
        conf = d / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=d, port=self.proxy_port, host_map=host_map,
                                          servers=servers, user=user))
        return conf

    def use_web_hosts(self, n: int) -> None:
        """Proxy to the first `n` web hosts only (nginx reloads its configuration)."""
        self._nginx_conf(n)
        os.kill(self.nginx.pid, signal.SIGHUP)
        allowed = {f"web{i + 1}" for i in range(n)}
        seen: list = []

        def only_those() -> bool:
            try:
                with urllib.request.urlopen(self.url + "/sw.js", timeout=5) as r:
                    seen.append(r.headers.get("X-Wishgrid-Host"))
            except (urllib.error.URLError, OSError):
                seen.append(None)
            return len(seen) >= 8 and set(seen[-8:]) <= allowed and len(set(seen[-8:])) == n
        wait_for(only_those, 30, f"nginx proxying to {n} web host(s)")

    def start_nginx(self) -> None:
        d = self.root / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (d / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = self._nginx_conf(self.n_web)
        argv = ["nginx", "-p", str(d), "-e", str(d / "error.log"), "-c", str(conf),
                "-g", "daemon off;"]
        self.nginx = Proc("nginx", argv, dict(os.environ), d / "stderr.log").start()
        wait_for(lambda: port_open(self.proxy_port), 30, "nginx", self.nginx.popen)

    # -- the whole -------------------------------------------------------------------------------
    def flask(self, *args, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run `flask --app webapp ARGS` with the fleet's settings (as any host would)."""
        return subprocess.run([PY, "-m", "flask", "--app", "webapp", *args], cwd=ROOT,
                              env=self.env("cli"), capture_output=True, text=True,
                              timeout=timeout)

    def start(self, say=lambda _msg: None) -> "Fleet":
        """PostgreSQL, schema, demo, Redis, web hosts, job hosts, proxy; returns when all answer.
        What does not depend on each other starts side by side."""
        import secrets
        from py_vapid import Vapid02
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "exports").mkdir(exist_ok=True)
        self._secret = secrets.token_hex(32)
        v = Vapid02()
        v.generate_keys()
        self._vapid = v.private_pem().decode()
        say(f"PostgreSQL (throwaway cluster, 127.0.0.1:{self.pg_port})")
        self._init_pg()
        self.start_pg()
        self._pg_run(self._pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                     "-U", "wishgrid", "wishgrid")
        say("schema (flask init-db); meanwhile redis-server and the web hosts boot")
        migrate = self._flask_bg("init-db")
        self.start_redis()
        self.start_nginx()
        for i in range(self.n_web):
            self.start_web(i, wait=False)
        self._check(migrate)
        if self.seed_demo:
            say("demo data (flask seed-demo); meanwhile the job hosts start")
            seeding = self._flask_bg("seed-demo")
        for i in range(self.n_jobs):
            self.start_job(i)
        if self.seed_demo:
            self._check(seeding)
        for i in range(self.n_web):
            self.wait_web(i)
        wait_for(lambda: self.job_holding() is not None, 90, "a job host to take the lock")
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()
        return self

    def _flask_bg(self, *args) -> subprocess.Popen:
        return subprocess.Popen([PY, "-m", "flask", "--app", "webapp", *args], cwd=ROOT,
                                env=self.env("cli"), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    def _supervise(self) -> None:
        """Restart job hosts that exit, as systemd's Restart=always does (after a kill, or
        when one stops itself on losing the lock)."""
        while not self._stopping.wait(0.2):
            for p in self.jobs:
                if p.restart and p.popen is not None and p.popen.poll() is not None:
                    p.start()

    @staticmethod
    def _check(done) -> None:
        if isinstance(done, subprocess.Popen):
            out, _err = done.communicate(timeout=300)
            done = subprocess.CompletedProcess(done.args, done.returncode, out, "")
        if done.returncode != 0:
            raise RuntimeError(f"{done.args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")

    def processes(self) -> list[Proc]:
        return [p for p in [self.nginx, *self.webs, *self.jobs, self.redis, self.pg] if p]

    def stop(self, keep: bool = False) -> None:
        """Stop every process this fleet started (proxy first, database last); remove its dirs."""
        self._stopping.set()
        if self._supervisor:
            self._supervisor.join(5)
        procs = [p for p in [self.nginx, *self.webs, *self.jobs, self.redis] if p and p.alive()]
        for p in procs:  # all at once: each stops gracefully, side by side
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        began = time.monotonic()
        deadline = began + 10
        for p in procs:
            try:
                p.popen.wait(max(0.1, deadline - time.monotonic()))
                if time.monotonic() - began > 3:
                    print(f"fleet: {p.name} stopped {time.monotonic() - began:.1f} s after SIGTERM")
            except subprocess.TimeoutExpired:
                print(f"fleet: {p.name} did not stop within 10 s of SIGTERM; killed", flush=True)
                p.kill9()
        self.stop_pg()
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)
            if self.pg_dir:
                shutil.rmtree(self.pg_dir, ignore_errors=True)
