"""Password hashing with argon2id (Werkzeug's default cost is below OWASP's floor)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher: PasswordHasher | None = None
_DUMMY: str | None = None


def configure(time_cost: int, memory_cost: int, parallelism: int) -> None:
    """Set the argon2 cost; called by create_app() from config."""
    global _hasher, _DUMMY
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    _DUMMY = None


def _h() -> PasswordHasher:
    global _hasher
    if _hasher is None:
        _hasher = PasswordHasher()
    return _hasher


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _h().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Check a password; unknown users still pay the hashing cost (no timing oracle)."""
    global _DUMMY
    if not stored:
        if _DUMMY is None:
            _DUMMY = _h().hash("wishgrid-dummy")
        stored, password = _DUMMY, password + "x"
    try:
        return _h().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
