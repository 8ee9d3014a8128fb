"""Vendored front-end files are exactly the versions VENDOR.md records (and base.html loads)."""
import hashlib
import re
from pathlib import Path

import pytest

# Runs once, in the SQLite pass of scripts/test.sh: vendored files are files.
pytestmark = pytest.mark.engine_neutral

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "webapp/static/vendor"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_checksums_match_the_record():
    record = (VENDOR / "VENDOR.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+\.js) \|.*\| ([0-9a-f]{64}) \|$", record, re.M)
    assert rows, "VENDOR.md lists no files"
    for name, digest in rows:
        assert _sha(VENDOR / name) == digest, name
    axe = re.search(r"axe-core` ([\d.]+), sha256\s+([0-9a-f]{64})", record)
    assert _sha(ROOT / "tests/e2e/vendor/axe.min.js") == axe.group(2)


def test_base_template_loads_the_recorded_htmx():
    base = (ROOT / "webapp/templates/base.html").read_text(encoding="utf-8")
    assert "vendor/htmx-2.0.11.min.js" in base
