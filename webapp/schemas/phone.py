"""The one phone-number parser: forms, API and imports all read a phone through parse_phone."""
import re
import unicodedata

from flask_babel import lazy_gettext as _l

PHONE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only: \d would take ١٢٣ too
_SEPARATORS = " \t\u3000-－—()（）.·"  # what people type between digit groups


def _what(c: str):
    if c.isascii() and c.isalpha():
        return _l("字母 %(c)s", c=c)
    return _l("字符“%(c)s”", c=c)


def parse_phone(raw) -> str:
    """A mainland mobile as 11 ASCII digits; "151 9487 5749", "+86 151…" and full-width accepted.

    ValueError says which character is wrong ("第 9 位是字母 l") or why the number is not one."""
    text = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c
                   for c in str(raw if raw is not None else "").strip())
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    digits, position = [], 0
    for c in text:
        if c in _SEPARATORS:
            continue
        position += 1
        if not (c.isascii() and c.isdigit()):
            raise ValueError(str(_l("手机号第 %(n)s 位是%(what)s，只能填数字 0–9。",
                                    n=position, what=_what(c))))
        digits.append(c)
    value = "".join(digits)
    if not PHONE.fullmatch(value):
        raise ValueError(str(_l("手机号应为 11 位数字、以 1 开头（现在是 %(n)s 位）。",
                                n=len(value))))
    return value


def phone_or_blank(raw):
    """Before-validator for Phone: a blank stays blank (the field's "required" message shows)."""
    return parse_phone(raw) if raw not in (None, "") else raw


def search_digits(raw) -> str | None:
    """A search text that is (part of) a phone as typed ("151 9487", "+86 151-9487-5749"): its
    digits; None for anything else (a name)."""
    text = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c
                   for c in str(raw or "").strip())
    text = text[3:] if text.startswith("+86") else text
    digits = "".join(c for c in text if c not in _SEPARATORS)
    return digits if digits and digits.isascii() and digits.isdigit() else None
