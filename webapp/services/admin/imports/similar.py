"""Names that look alike (issue 23 item 3): a typo'd grid or building in a list is shown next to
the existing one it resembles before it becomes a new node. Sequential names (第一网格, 第二网格;
1号楼, 2号楼) are different places, so names whose numbers differ never look alike."""
import re
import unicodedata
from difflib import SequenceMatcher

_NUMERALS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_NOISE = re.compile(r"[\s\u3000·.\-_/()（）]+")
_DIGITS = re.compile(r"[0-9]+")


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").translate(_NUMERALS)
    return _NOISE.sub("", text).lower()


def like(name: str, candidates) -> str | None:
    """The first candidate `name` resembles (same after normalising, or one slip apart with the
    same numbers), or None."""
    n = _norm(name)
    for other in candidates:
        if other == name:
            continue
        o = _norm(other)
        if o == n:
            return other
        if (_DIGITS.findall(o) == _DIGITS.findall(n) and min(len(o), len(n)) >= 2
                and SequenceMatcher(None, o, n).ratio() >= 0.66):
            return other
    return None
