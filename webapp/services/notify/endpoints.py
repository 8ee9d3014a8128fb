"""Which push endpoints the job process may connect to (SSRF guard).

A browser hands us its push service URL and the job process POSTs to it, so an endpoint is a
request we make on someone's behalf. Only public https hosts on port 443 are accepted, checked
when the subscription is saved and again at delivery, after name resolution (a name may point
anywhere by then). PUSH_ALLOWED_HOSTS narrows it to known push services; the loopback push
service of the tests is allowed only with `allow_loopback` (TestConfig).
"""
import ipaddress
import socket
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


class Refused(ValueError):
    """The endpoint may not be contacted; `str()` says why (for logs and the 422 message)."""


class Unresolved(OSError):
    """The name did not resolve just now (DNS trouble): try again later, nothing was sent."""


def allowed_hosts(setting) -> tuple[str, ...]:
    """PUSH_ALLOWED_HOSTS as a tuple of lower-case names (a list, or a comma-separated string)."""
    if isinstance(setting, str):
        setting = setting.split(",")
    return tuple(h.strip().lower().rstrip(".") for h in (setting or ()) if h and h.strip())


def _listed(host: str, allowed: tuple[str, ...]) -> bool:
    # "fcm.googleapis.com" is that host; ".notify.windows.com" (or "*.notify…") any host under it.
    for entry in allowed:
        entry = entry[1:] if entry.startswith("*.") else entry
        if host == entry or (entry.startswith(".") and host.endswith(entry)):
            return True
    return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    # 2130706433, 0x7f.1, 127.1: the resolver reads them as IPv4 (inet_aton); no real top-level
    # domain is numeric.
    last = host.rsplit(".", 1)[-1]
    return last.isdigit() or last.startswith("0x")


def public_address(address: str) -> bool:
    """True for a globally routable unicast address (not private, loopback, link-local,
    reserved, shared, multicast or an IPv4-mapped/6to4 form of one)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return public_address(str(inner))
    return ip.is_global and not ip.is_multicast


def check_url(url, allowed=(), allow_loopback: bool = False) -> tuple[str, int]:
    """(host, port) of an endpoint the rules accept, else Refused: https only, no user:password,
    port 443, a host name (not an IP literal), on the allow-list when there is one."""
    parts = urlsplit(url) if isinstance(url, str) and len(url) <= 1000 else None
    try:
        host, port = (parts.hostname or "", parts.port) if parts else ("", None)
    except ValueError:  # a port that is not a number
        raise Refused("bad port") from None
    if parts is None or not host:
        raise Refused("not a URL")
    if allow_loopback and host in LOOPBACK_NAMES and parts.scheme in ("http", "https"):
        return host, port or (443 if parts.scheme == "https" else 80)
    if parts.scheme != "https":
        raise Refused("not https")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Refused("user info in the URL")
    if port not in (None, 443):
        raise Refused("port other than 443")
    if _is_ip(host):
        raise Refused("an IP address, not a host name")
    if allowed and not _listed(host, allowed):
        raise Refused("host not in PUSH_ALLOWED_HOSTS")
    return host, port or 443


def check_resolved(host: str, port: int, allow_loopback: bool = False,
                   resolve=None) -> list[str]:
    """Every address `host` resolves to, if all are public; else Refused. Unresolved when the
    name does not resolve (nothing is sent to a name we could not check)."""
    if allow_loopback and host in LOOPBACK_NAMES:
        return [host]
    try:
        infos = (resolve or socket.getaddrinfo)(host, port, proto=socket.IPPROTO_TCP)
    except UnicodeError:
        raise Refused("not a valid host name") from None
    except OSError as exc:
        raise Unresolved(f"{host} does not resolve: {exc}") from None
    addresses = sorted({info[4][0] for info in infos})
    bad = [a for a in addresses if not public_address(a)]
    if bad or not addresses:
        raise Refused(f"{host} resolves to a non-public address {', '.join(bad)}")
    return addresses


def check_subscription(url, allowed=(), allow_loopback: bool = False, resolve=None) -> None:
    """Save-time check: the URL rules, and (when the name resolves here) public addresses only.
    A name that does not resolve from the web host is accepted; delivery checks it again."""
    host, port = check_url(url, allowed, allow_loopback)
    try:
        check_resolved(host, port, allow_loopback, resolve)
    except Unresolved:
        pass


REFUSED_MESSAGE = _l("这个推送地址不被允许（只接受公网 https 推送服务），请关闭后重新开启通知。")
