"""Compressed responses straight from the app (the README's run command has no proxy in front).

Static files get fingerprinted names (`css/app.3f2a9c01d4.css`, from their content), are
precompressed once (gzip; brotli too when the `brotli` package is installed) into
instance/static-build/, and are served under those names with a year's cache lifetime:
`url_for('static', ...)` gives the fingerprinted URL, so the pages and the service worker's
precache list follow every change. Plain names keep working (sw-push.js's icon) with the
default short lifetime.

Other text responses (HTML pages, JSON) are gzipped on the fly above COMPRESS_MIN_BYTES. Not
for a request another site started (Sec-Fetch-Site: cross-site): pages carry the CSRF token
and can echo what the URL says (the search box), and letting a third party both choose the
echo and watch the compressed size is the BREACH attack.
"""
import gzip
import hashlib
import json
import mimetypes
import os
import tempfile
from pathlib import Path

from flask import Flask, current_app, request, send_file

try:  # optional: brotli is smaller still; gzip alone when it is not installed
    import brotli
except ImportError:  # pragma: no cover (depends on the environment)
    brotli = None

COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".webmanifest", ".txt", ".html", ".map"}
TEXT_TYPES = {"text/html", "text/css", "text/plain", "text/csv", "text/javascript",
              "application/javascript", "application/json", "application/manifest+json",
              "application/problem+json", "image/svg+xml", "text/calendar", "application/xml"}
YEAR = 365 * 24 * 3600
MIN_PRECOMPRESS = 256  # below this, the encoding header costs about what it saves


def _fingerprinted(rel: str, digest: str) -> str:
    stem, dot, ext = rel.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot and "/" not in ext else f"{rel}.{digest}"


def _write(path: Path, data: bytes) -> None:
    """Atomically (several workers may build at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def build(static_dir: Path, out_dir: Path) -> dict[str, str]:
    """Fingerprint every static file and precompress the text ones; returns {name: fingerprinted
    name}. Only what is missing is written (the names change with the content)."""
    manifest = {}
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(static_dir).as_posix()
        data = path.read_bytes()
        name = _fingerprinted(rel, hashlib.sha256(data).hexdigest()[:10])
        manifest[rel] = name
        if path.suffix not in COMPRESSIBLE or len(data) < MIN_PRECOMPRESS:
            continue
        gz = out_dir / (name + ".gz")
        if not gz.exists():
            _write(gz, gzip.compress(data, 9, mtime=0))
        br = out_dir / (name + ".br")
        if brotli is not None and not br.exists():
            _write(br, brotli.compress(data, quality=11))
    _write(out_dir / "manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


def _accepts(encoding: str) -> bool:
    return request.accept_encodings.quality(encoding) > 0


def serve_static(filename: str):
    """A static file; under its fingerprinted name precompressed and cached for a year."""
    assets = current_app.extensions["wishgrid_assets"]
    real = assets["reverse"].get(filename)
    if real is None:
        return assets["plain"](filename=filename)  # Flask's own view: plain names
    static_dir, out_dir = Path(current_app.static_folder), assets["out"]
    mimetype = mimetypes.guess_type(real)[0] or "application/octet-stream"
    path, encoding = static_dir / real, None
    for enc, ext in (("br", ".br"), ("gzip", ".gz")):
        candidate = out_dir / (filename + ext)
        if _accepts(enc) and candidate.exists():
            path, encoding = candidate, enc
            break
    resp = send_file(path, mimetype=mimetype, conditional=True, etag=True, max_age=YEAR)
    if encoding:
        resp.headers["Content-Encoding"] = encoding
    resp.vary.add("Accept-Encoding")
    resp.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return resp


def compress_response(resp):
    """Gzip a text response above COMPRESS_MIN_BYTES for a client that takes gzip."""
    if (resp.direct_passthrough or resp.is_streamed or resp.status_code < 200 or resp.status_code in (204, 304)
            or "Content-Encoding" in resp.headers or resp.mimetype not in TEXT_TYPES):
        return resp
    resp.vary.add("Accept-Encoding")
    if request.headers.get("Sec-Fetch-Site") == "cross-site" or not _accepts("gzip"):
        return resp
    data = resp.get_data()
    if len(data) < current_app.config["COMPRESS_MIN_BYTES"]:
        return resp
    resp.set_data(gzip.compress(data, current_app.config["COMPRESS_LEVEL"], mtime=0))
    resp.headers["Content-Encoding"] = "gzip"
    if resp.headers.get("ETag"):
        resp.headers["ETag"] = resp.headers["ETag"].rstrip('"') + '-gzip"'
    return resp


def init_app(app: Flask) -> None:
    """Build (or reuse) the fingerprinted, precompressed static files; fingerprint url_for;
    serve them; compress other text responses. Call after the blueprints."""
    app.config.setdefault("COMPRESS_MIN_BYTES", int(os.environ.get("COMPRESS_MIN_BYTES", "1024")))
    app.config.setdefault("COMPRESS_LEVEL", int(os.environ.get("COMPRESS_LEVEL", "6")))
    out = Path(app.instance_path) / "static-build"
    manifest = build(Path(app.static_folder), out)
    app.extensions["wishgrid_assets"] = {
        "manifest": manifest, "reverse": {v: k for k, v in manifest.items()}, "out": out,
        "plain": app.view_functions["static"]}
    app.view_functions["static"] = serve_static

    @app.url_defaults
    def _fingerprint(endpoint, values):
        if endpoint == "static":
            name = manifest.get(values.get("filename"))
            if name:
                values["filename"] = name

    app.after_request(compress_response)
