"""Password rules (等保 basics): refuse common passwords and ones built from the phone number.

Every path that sets a password calls `require()` before hashing: sign-up, one's own change,
recovery by code, and `flask setup`. Generated one-time passwords are strong by construction.
"""
from flask_babel import lazy_gettext as _l

from ..errors import Invalid

MIN_LENGTH = 8
# The most used passwords of Chinese leaks (CSDN, 12306, Tianya) and worldwide lists, at 8+
# characters (shorter ones fail the length rule anyway). Compared lower-cased.
COMMON = frozenset("""
12345678 123456789 1234567890 0123456789 87654321 987654321 11111111 00000000 88888888
66666666 12341234 11223344 12121212 123123123 123321123 520520520 5201314520 1314520520
qwertyui qwertyuiop asdfghjk asdfghjkl zxcvbnm1 1qaz2wsx 1q2w3e4r 1q2w3e4r5t qazwsxedc
password password1 password123 passw0rd p@ssw0rd iloveyou abc12345 abcd1234 abc123456
a1234567 a12345678 a123456789 aa123456 qq123456 woaini1314 woaini520 admin123 admin888
administrator 12345qwert qwert12345 123qweasd 123qweasdzxc 1234qwer qwer1234 q1w2e3r4
wishgrid wishgrid1 wishgrid123 88889999 11112222 12344321 147258369 159357456 1472583690
147852369 741852963 963852741 31415926 789456123 456789123 12301230 00001111 zhang123
wang1234 li123456 admin1234 adminadmin root1234 changeme welcome1 11110000 13145200
""".split())


def problem(password: str, phone: str | None = None) -> str | None:
    """Why this password is refused (a message for the field), or None when it is fine."""
    pw = password or ""
    if len(pw) < MIN_LENGTH:
        return str(_l("密码至少 %(n)s 位。", n=MIN_LENGTH))
    low = pw.lower()
    if low in COMMON or len(set(low)) <= 2 or _is_run(low):
        return str(_l("这个密码太常见，很容易被猜到，请换一个（字母和数字混合更安全）。"))
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(digits) >= 6:
        own = "".join(ch for ch in pw if ch.isdigit())
        # The number itself, its last 8 or 6 digits, or the number with a few letters around it.
        if digits in pw or digits[-8:] == own or digits[-6:] == own or (
                len(own) >= 6 and own in digits):
            return str(_l("密码不能使用自己的手机号或其中的一段，请换一个。"))
    return None


def _is_run(pw: str) -> bool:
    """A run like 23456789, abcdefgh or 98765432 (each character one step from the last)."""
    steps = {ord(b) - ord(a) for a, b in zip(pw, pw[1:])}
    return len(steps) == 1 and steps <= {1, -1}


def require(password: str, phone: str | None = None, field: str = "password") -> None:
    """Raise Invalid on the given field when the password breaks a rule."""
    msg = problem(password, phone)
    if msg:
        raise Invalid({field: msg})
