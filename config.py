"""Settings. Every value has a default so the app runs with no environment at all."""
import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("WISHGRID_INSTANCE", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def engine_options(url: str) -> dict:
    """Pool settings for the database at `url` (bench/RESULTS.md, "five PostgreSQL workers").

    No pool_pre_ping: it costs a round trip on every checkout, i.e. on every request, and on
    PostgreSQL a dead connection is caught without one (webapp/db.py `server_hung_up`). The
    pool holds as many connections as a worker has threads (gunicorn.conf.py: 8 on SQLite,
    4 on PostgreSQL), so no request opens and closes an overflow connection.
    """
    if url.startswith("sqlite") and (url.endswith(":memory:") or url.rstrip("/") in ("sqlite:", "sqlite:/")):
        return {}  # in-memory SQLite: one connection per thread, nothing to size
    opts = {"pool_pre_ping": _bool("DB_PRE_PING", False),
            "pool_size": int(os.environ.get("DB_POOL_SIZE", "8")),
            "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW", "4"))}
    if url.startswith("postgresql"):
        # Behind a firewall or pgbouncer that silently drops idle connections: renew them.
        opts["pool_recycle"] = int(os.environ.get("DB_POOL_RECYCLE", "1800"))
    return opts


class Config:
    """Defaults for a single-machine community install (SQLite under instance/)."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # None: create_app() keeps one in instance/
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'wishgrid.sqlite3'}"
    )
    # None: create_app() uses engine_options() for whatever URI the config ends up with.
    SQLALCHEMY_ENGINE_OPTIONS: dict | None = None
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    # Each SQLite connection's page cache, at most. SQLite's own default is 2 MiB: a district's
    # 3 GB database then re-read its index pages on every request. With 16 MiB no page of the
    # catalogue is over 1.5× its demo-size time (bench/RESULTS.md, session 21). A connection
    # fills it only with pages it reads, so a community-size database stays small.
    SQLITE_CACHE_MIB = int(os.environ.get("SQLITE_CACHE_MIB", "16"))
    # Memory-mapped reads (0: off, SQLite's default; this build maps at most ~2 GiB). Measured
    # alongside, not needed by default: an I/O error on a mapped page is a signal, not an error.
    SQLITE_MMAP_MIB = int(os.environ.get("SQLITE_MMAP_MIB", "0"))

    # The address residents open (scheme, host, any path prefix), e.g. https://wish.example.gov.cn.
    # Certificate links and QR codes are built from it, never from the request's Host header;
    # https here also makes cookies Secure. Unset: SERVER_NAME, else http://127.0.0.1:5000.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None

    # Cookies: installed PWAs stay open for days, so CSRF tokens never expire on their own.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # COOKIE_SECURE=1 forces Secure; without it cookies are Secure over HTTPS or when PUBLIC_URL
    # is https (webapp/web/public.py).
    SESSION_COOKIE_SECURE = _bool("COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("COOKIE_SECURE", False)
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")  # scripts/i18n.sh
    LANGUAGES = ["zh_CN", "en"]
    TIMEZONE = "Asia/Shanghai"

    # Request bodies: refused (413) from their Content-Length before they are read. File
    # uploads (Excel imports) name their own, larger limit (webapp/web/body_limits.py).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
    # A photo with a problem raised (反映问题): the largest accepted, in bytes.
    COMPLAINT_PHOTO_MAX_BYTES = int(os.environ.get("COMPLAINT_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
    API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(64 * 1024)))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Shared store (Redis) unreachable: every process counts on its own in memory until it is
    # back (checked again after 1, 2, 4 … 32 s), never a 500 and never a sign-in outage
    # (docs/DEPLOY.md, "Redis down"). Off: an unreachable store is an error.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = _bool("RATELIMIT_FALLBACK", True)
    # A stopped or unreachable Redis must cost a request milliseconds, not a hung thread.
    RATELIMIT_STORAGE_OPTIONS = {
        "socket_connect_timeout": float(os.environ.get("RATELIMIT_STORAGE_TIMEOUT", "0.5")),
        "socket_timeout": float(os.environ.get("RATELIMIT_STORAGE_TIMEOUT", "0.5"))}
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # SMS codes (docs/DEPLOY.md): limits per number, per client IP and per community, kept in
    # the limiter's store (RATELIMIT_STORAGE_URI: redis:// to share them across processes).
    # Sign-up proves the phone with an SMS code (off only where no SMS can be sent at all).
    SIGNUP_PHONE_PROOF = _bool("SIGNUP_PHONE_PROOF", True)
    # Above this many buildings (a district), sign-up asks for the community first and lists
    # only its buildings: one list of thousands was a 600 KB page and a select no one can use.
    SIGNUP_BUILDINGS_AT_ONCE = int(os.environ.get("SIGNUP_BUILDINGS_AT_ONCE", "300"))
    # Above this many nodes (a street of a district: ~1,100), the tree page (网格架构) lists the
    # top level and opens each part on its own: the whole street was a 1.9 MB page.
    TREE_NODES_AT_ONCE = int(os.environ.get("TREE_NODES_AT_ONCE", "300"))
    # Only a phone proven by a code gets SMS other than codes (accounts from before codes: off
    # until their owners have signed in by code once, or set this off while they catch up).
    SMS_ONLY_PROVEN_PHONES = _bool("SMS_ONLY_PROVEN_PHONES", True)
    CODE_LIMITS_ENABLED = _bool("CODE_LIMITS_ENABLED", True)
    CODE_LIMIT_PHONE = os.environ.get("CODE_LIMIT_PHONE", "1/minute;5/hour;10/day")
    CODE_LIMIT_IP = os.environ.get("CODE_LIMIT_IP", "10/hour;30/day")
    CODE_LIMIT_COMMUNITY = os.environ.get("CODE_LIMIT_COMMUNITY", "300/hour")
    CODE_VERIFY_LIMIT_IP = os.environ.get("CODE_VERIFY_LIMIT_IP", "30/hour")
    # ALTCHA proof of work before a code is sent (no foreign service); its difficulty.
    CODE_CHALLENGE = _bool("CODE_CHALLENGE", True)
    ALTCHA_MAX_NUMBER = int(os.environ.get("ALTCHA_MAX_NUMBER", "50000"))

    # argon2id cost (OWASP: m=19 MiB, t=2, p=1 at least).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1

    MAX_SERVICE_HOURS = 12.0  # one service, travel excluded
    MENU_PAGE_SIZE = 20
    API_TOKEN_DAYS = 30
    # A one-time password set by staff (reset, appointment, setup) works this long, and once.
    ONE_TIME_PASSWORD_HOURS = int(os.environ.get("ONE_TIME_PASSWORD_HOURS", "72"))
    # SMS cost (issue 20): texts one number may get a day; staff acts that text someone
    # (reset, appoint, remove, invite) one actor may do an hour.
    SMS_PER_NUMBER_DAILY = int(os.environ.get("SMS_PER_NUMBER_DAILY", "10"))
    STAFF_TEXTING_ACTS_PER_HOUR = int(os.environ.get("STAFF_TEXTING_ACTS_PER_HOUR", "30"))
    # Finished exports hold names and hours of many people: the job deletes them after this.
    EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
    # The job process re-hashes each community's whole ledger chain at least this often (and
    # when its admin asks), this many chains a run (services/ledger/checks.py).
    LEDGER_CHECK_HOURS = int(os.environ.get("LEDGER_CHECK_HOURS", "24"))
    LEDGER_CHECKS_PER_RUN = int(os.environ.get("LEDGER_CHECKS_PER_RUN", "5"))
    # Rendered wish cards kept per process (webapp/wishes/cards.py), a few KB each.
    CARD_CACHE_SIZE = int(os.environ.get("CARD_CACHE_SIZE", "4096"))
    # Rendered table rows and lists kept per process (webapp/web/fragments.py): a page's block
    # of rows each, its HTML (up to ~40 KB, a unit report's detail) and a 16-byte key.
    FRAGMENT_CACHE_SIZE = int(os.environ.get("FRAGMENT_CACHE_SIZE", "512"))
    # Menu pages (and their filter choices) and the staff's list pages kept per process, keyed
    # by the communities' data versions, filters, cursor and language (services/wishes/
    # menu_cache.py; a staff page also by its viewer's grants); tens of KB each.
    MENU_CACHE_SIZE = int(os.environ.get("MENU_CACHE_SIZE", "512"))
    # Rendered menu pages per process (member/page_cache.py), ~30 KB each (an entry per distinct
    # rendering and one per viewer of a list point to the same text).
    MENU_PAGE_CACHE_SIZE = int(os.environ.get("MENU_PAGE_CACHE_SIZE", "512"))
    # Large exports are written by the job host and downloaded from any web host: with several
    # hosts this must be one shared directory (see docs/DEPLOY.md). Unset: instance/exports.
    EXPORT_DIR = os.environ.get("EXPORT_DIR") or None

    # Imports from Excel/CSV (webapp/services/admin/imports): refused above these limits, with
    # the limit in the message; above IMPORT_ASYNC_ROWS rows the job process checks and imports.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
    IMPORT_ASYNC_ROWS = int(os.environ.get("IMPORT_ASYNC_ROWS", "1000"))
    # A running import or export whose job process has not reported for this long died with it:
    # the job is marked failed (nothing half-written) and may be retried. Longer than the
    # slowest write transaction, which cannot report progress (SQLite holds its lock).
    JOB_STALE_MINUTES = int(os.environ.get("JOB_STALE_MINUTES", "10"))
    # Job hosts (docs/DEPLOY.md "Job hosts"): the lock holder checks its lock this often and
    # stops when it is lost; a new holder waits this long (more than the check) before it frees
    # the leases of the holder before it.
    JOB_LOCK_CHECK_SECONDS = float(os.environ.get("JOB_LOCK_CHECK_SECONDS", "1"))
    JOB_TAKEOVER_GRACE_SECONDS = float(os.environ.get("JOB_TAKEOVER_GRACE_SECONDS", "2"))

    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY")
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@wishgrid.local")
    # Push endpoints the job process may POST to (SSRF guard, docs/DEPLOY.md): comma-separated
    # host names, ".example.com" for any host under it. Empty: any public https host on 443.
    PUSH_ALLOWED_HOSTS = os.environ.get("PUSH_ALLOWED_HOSTS", "")
    # Tests only: the loopback push service of the tests (the kill test's job process gets it
    # from the environment). Never in production: it opens 127.0.0.1 to pushes.
    PUSH_ALLOW_LOOPBACK = _bool("WISHGRID_TEST_PUSH_LOOPBACK", False)
    # A push the service worker has not acknowledged within this many seconds counts as silent;
    # after PUSH_SILENT_LIMIT silent pushes in a row a device no longer counts as working.
    PUSH_ACK_WINDOW_SECONDS = int(os.environ.get("PUSH_ACK_WINDOW_SECONDS", "3600"))
    PUSH_SILENT_LIMIT = int(os.environ.get("PUSH_SILENT_LIMIT", "3"))

    # SMS (docs/DEPLOY.md): "aliyun", "tencent", "dev" (sends nothing: texts go to /staff/dev-sms
    # and the job log; scripts/run.sh's default, never for production), or "" for off.
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "").strip().lower()
    SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID")      # Tencent: SecretId
    SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET")  # Tencent: SecretKey
    SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")          # the approved signature (签名)
    SMS_SDK_APP_ID = os.environ.get("SMS_SDK_APP_ID", "")        # Tencent only
    SMS_REGION = os.environ.get("SMS_REGION", "")                # Tencent: ap-guangzhou
    # host[:port] and scheme, for a regional endpoint or a test double; empty: the SDK's default.
    SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "")
    SMS_SCHEME = os.environ.get("SMS_SCHEME", "https")
    # Alibaba: "" signs with the SDK's default (ACS3-HMAC-SHA256); "v2" with RPC HMAC-SHA1.
    SMS_ALIYUN_SIGNATURE = os.environ.get("SMS_ALIYUN_SIGNATURE", "")
    # event -> {"code": template code/id, "params": {template variable: field}}; fields are
    # title, note, name and time (see services/notify/channels.py). Tencent uses the order.
    SMS_TEMPLATES: dict = json.loads(os.environ.get("SMS_TEMPLATES") or "{}")
    # Shared secret in the Tencent status callback URL (/sms/receipts/tencent?token=…).
    SMS_CALLBACK_TOKEN = os.environ.get("SMS_CALLBACK_TOKEN", "")
    # A send whose outcome is unknown (crash, timeout) is looked up at the provider before it is
    # sent again; Tencent lists a message only once its receipt is in, so wait this long first.
    SMS_DOUBT_GRACE_SECONDS = int(os.environ.get("SMS_DOUBT_GRACE_SECONDS", "-1"))  # -1: per provider
    # 等保 basics (issue 26 §6). A signed-in browser that does nothing this long is signed out;
    # staff (grid workers and above) sooner. Background polls (the bell badge) do not count.
    IDLE_MINUTES = int(os.environ.get("IDLE_MINUTES", str(14 * 24 * 60)))
    STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
    # The admin log and the disclosure log are kept at least this long (网络安全法 art. 21: six
    # months); the job purges older lines. Below 180 counts as 180.
    LOG_RETENTION_DAYS = int(os.environ.get("LOG_RETENTION_DAYS", "365"))
    # A closed wish's personal details (description, comment, the resident's note) are wiped
    # this many years after it closed; the wish, its hours and its ledger lines stay.
    WISH_DETAILS_RETENTION_YEARS = int(os.environ.get("WISH_DETAILS_RETENTION_YEARS", "3"))

    # WeChat 公众号 (issue 25, docs/DEPLOY.md): all off until WECHAT_APP_ID and WECHAT_APP_SECRET
    # are set; then 微信登录 inside WeChat's browser, template messages before SMS, and the
    # message endpoint /wechat/message (WECHAT_TOKEN; WECHAT_AES_KEY for encrypted mode).
    WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
    WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
    WECHAT_TOKEN = os.environ.get("WECHAT_TOKEN", "")
    WECHAT_AES_KEY = os.environ.get("WECHAT_AES_KEY", "")  # EncodingAESKey (43 characters)
    # event -> {"id": template id, "data": {template key: field}}; fields are title, note,
    # name, time, event (what happened) and community (see services/notify/wechat.py).
    WECHAT_TEMPLATES: dict = json.loads(os.environ.get("WECHAT_TEMPLATES") or "{}")
    # WeChat's API and 网页授权 addresses; only a test double or a proxy changes them.
    WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com/")
    WECHAT_OAUTH_BASE = os.environ.get("WECHAT_OAUTH_BASE", "https://open.weixin.qq.com/connect/")
    # A send whose outcome is unknown (the process died mid-request) waits this long for
    # WeChat's TEMPLATESENDJOBFINISH event before it is sent again.
    WECHAT_DOUBT_GRACE_SECONDS = int(os.environ.get("WECHAT_DOUBT_GRACE_SECONDS", "600"))


class TestConfig(Config):
    """Used by the test suite; DATABASE_URL still chooses PostgreSQL when set."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # The many sign-up tests post no code; tests/web/people/test_code_signin.py turns proof on.
    SIGNUP_PHONE_PROOF = False
    SMS_ONLY_PROVEN_PHONES = False  # the SMS tests' people have unproven phones
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    SECRET_KEY = "test-secret"
    # The browser solves the proof of work one awaited SHA-256 at a time; under the test
    # command's load (two passes, two browsers, two CPUs) 50,000 steps took over 30 s. The
    # tests prove the mechanism (solved, checked, replay refused), not the difficulty.
    ALTCHA_MAX_NUMBER = 2000
    PUSH_ALLOW_LOOPBACK = True  # tests/unit/pushkit.py serves pushes on 127.0.0.1
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
