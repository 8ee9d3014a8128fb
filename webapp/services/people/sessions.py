"""Server-side revocation of sign-ins: a per-user session generation and the user's API tokens.

A session cookie names "<user id>.<generation>"; bumping the generation ends every cookie issued
before, on its very next request, at no extra query (the user row is loaded anyway).
"""
from sqlalchemy import delete, update

from ...models import ApiToken, User


def end_sessions(session, user_id: int, *, tokens: bool = True) -> int:
    """Cut every web session of the user (and, with `tokens`, every API token); returns the new
    generation. Runs in the caller's transaction: the caller commits with its own change."""
    session.execute(update(User).where(User.id == user_id)
                    .values(session_gen=User.session_gen + 1)
                    .execution_options(synchronize_session=False))
    if tokens:
        session.execute(delete(ApiToken).where(ApiToken.user_id == user_id)
                        .execution_options(synchronize_session=False))
    user = session.get(User, user_id)
    if user is not None:
        session.refresh(user, ["session_gen"])
        return user.session_gen
    return 0


def parse_session_id(value: str) -> tuple[int, int] | None:
    """"12.3" → (12, 3); anything else (an old cookie without a generation too) → None."""
    uid, sep, gen = (value or "").partition(".")
    if not sep or not uid.isascii() or not gen.isascii() or not uid.isdigit() or not gen.isdigit():
        return None
    if len(uid) > 18 or len(gen) > 18:
        return None
    return int(uid), int(gen)
