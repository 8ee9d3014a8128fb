"""Records that leave the community (issue 26): certificates, the seal, honours, the national
export — all kept by the community's own admin, as the issuer answers for their truth."""
from ...models import User
from .admin import is_community_admin


def can_revoke_certificate(user: User, cert) -> bool:
    """A certificate is voided only by the admin of the community that issued it."""
    return is_community_admin(user, cert.community_id)


def can_set_seal(user: User, community_id: int) -> bool:
    """The seal printed on a community's certificates is set by that community's admin."""
    return is_community_admin(user, community_id)


def can_run_honours(user: User, community_id: int) -> bool:
    """Notices of honours (公示) are published, withdrawn and read with objections by the
    community's admin."""
    return is_community_admin(user, community_id)


def can_export_national(user: User, community_id: int) -> bool:
    """The export to the national volunteer system is the recorder's: the community admin."""
    return is_community_admin(user, community_id)
