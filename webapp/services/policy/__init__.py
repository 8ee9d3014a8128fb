"""The one authorization policy: who may see or do what, scoped by the grid tree.

Every decision about who may do what lives in this package, one module per area; views, the
API and the services ask it and never look at roles themselves. Superadmin gets no implicit
scope on purpose: contact details and reviews stay with the grid's own staff (DESIGN §2).
"""
from .admin import (  # noqa: F401
    can_administer_community, can_decide_registrations, dev_sms_streets, is_community_admin,
    is_street_admin, may_import_into,
)
from .core import (  # noqa: F401
    STAFF_ROLES, community_ids_for, has_role, home_community_id, is_resident, is_unit_admin_in,
    is_volunteer_in, org_ids_for, primary_role, role_signature, unit_ids_admined,
)
from .lists import (  # noqa: F401
    can_attend_project, can_book_for, can_manage_resource, can_run_session, can_serve_project,
    may_book_at, project_side,
)
from .pairing import (  # noqa: F401
    can_answer_evaluation, can_pair_in, can_run_evaluation, can_see_care, care_scope,
)
from .people import (  # noqa: F401
    OUTRANKED_BY, can_activate_grid, can_appoint, can_edit_community, can_edit_in_community,
    can_manage_person, covered_in, covers, home_org, log_scopes, may_move_to, places,
    serves_building,
)
from .records import (  # noqa: F401
    can_export_national, can_revoke_certificate, can_run_honours, can_set_seal,
)
from .selfdealing import (  # noqa: F401
    certify_refusal, confirm_refusal, estimate_is_independent, hours_review_refusal, refuse,
    serve_refusal,
)
from .shop import (  # noqa: F401
    can_offer_goods, can_run_shop, can_see_points, can_shop_in, shop_communities,
)
from .voice import (  # noqa: F401
    can_answer_complaint, can_close_complaint, can_raise_complaint, can_settle_dispute,
    can_view_complaint,
    sees_author,
)
from .wishes import (  # noqa: F401
    can_act_for_resident, can_manage_wish, can_post_for, can_post_own_wish, can_review,
    can_see_contact, can_view_wish, is_grid_staff,
)
from .rights import (  # noqa: F401
    MFA_ROLES, can_act_on_data_of, can_reset_mfa, can_set_street_security, is_staff,
    may_use_mfa, mfa_streets, security_streets,
)
