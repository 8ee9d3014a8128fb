"""GET /api/v1/openapi.json: OpenAPI 3.1 built from the pydantic schemas and a route table.

Paths and methods come from the URL map itself, security from @token_required; ROUTES says
what each endpoint takes and returns. An /api/v1 rule without a ROUTES entry is left out of the document, and the test
`tests/web/api/test_api_openapi.py` fails until someone documents it here.
"""
import re

from flask import current_app
from pydantic.json_schema import models_json_schema

from ..schemas import inputs as i
from ..schemas.imports import ImportQuery
from . import bp, outputs as o
from .common import reply

ROUTES = {
    "api.create_token": dict(summary="获取令牌 Get a bearer token", body=i.TokenLogin,
                             ok=(201, o.Token), errors=(400, 401, 403, 422, 429),
                             description="An admin with 两步验证 sends `otp` too (401 "
                                         "mfa_required without it); an admin whose street "
                                         "requires it and who has not enrolled: 403."),
    "api.code_challenge": dict(summary="安全验证 An ALTCHA proof-of-work challenge",
                               ok=(200, None), errors=(),
                               description="Find number n with SHA-256(salt + n) == challenge; "
                                           "send base64(JSON) of it as `altcha` to POST /codes."),
    "api.send_code": dict(summary="获取验证码 Send a sign-in code by SMS", body=i.CodeSend,
                          ok=(202, None), errors=(400, 422, 429),
                          description="The same answer whether or not the number has an account."),
    "api.token_by_code": dict(summary="验证码登录 Get a bearer token with an SMS code",
                              body=i.CodeSignIn, ok=(201, o.Token), errors=(400, 401, 422, 429)),
    "api.revoke_token": dict(summary="注销令牌 Revoke the token of this request",
                             ok=(204, None), errors=(401,),
                             description="Signs an app out: the token stops working at once."),
    "api.org_tree": dict(summary="组织树 The grid tree (street → community → grid → building)",
                         query=i.OrgTreeQuery, ok=(200, o.OrgTree), errors=(404, 422),
                         description="?community= gives that community's grids and buildings. "
                                     "A district (more buildings than a sign-up lists at once) "
                                     "answers streets and communities only, complete: false."),
    "api.categories": dict(summary="社区的心愿分类 Categories of a community",
                           query=i.CategoryQuery, ok=(200, o.CategoryList), errors=(404, 422)),
    "api.register": dict(summary="注册（居民 / 个人报到 / 单位报到） Sign up", body=i.Register,
                         ok=(201, o.UserCreated), errors=(400, 422, 429)),
    "api.list_registrations": dict(summary="报到申请列表 Registrations of my communities",
                                   query=i.RegistrationQuery, ok=(200, o.RegistrationList),
                                   errors=(401, 403, 422)),
    "api.approve_registration": dict(summary="通过报到 Approve a registration",
                                     ok=(200, o.RegistrationState), errors=(400, 401, 403, 404, 409)),
    "api.reject_registration": dict(summary="驳回报到 Reject a registration", body=i.RejectInput,
                                    ok=(200, o.RegistrationState),
                                    errors=(400, 401, 403, 404, 409, 422)),
    "api.list_wishes": dict(
        summary="心愿列表 List wishes (keyset pages)", query=i.WishQuery, ok=(200, o.WishPage),
        errors=(401, 422),
        description="view=menu (published, own grid first), posted, claimed or all (staff); "
                    "default by role. Pass next_cursor as cursor for the next page."),
    "api.create_wish": dict(
        summary="发布心愿 Post a wish", body=i.WishInput, ok=(201, o.Created),
        errors=(400, 401, 403, 422),
        description="Grid staff post for a resident with on_behalf_of. Sending the same "
                    "client_uuid again returns the same wish instead of a second one."),
    "api.wish_detail": dict(
        summary="心愿详情 One wish with claims and events", ok=(200, o.WishDetail),
        errors=(401, 404),
        description="`contact` (phone, address) is present only for active claimers and the "
                    "grid's staff; each time it is, a disclosure is logged."),
    "api.edit_wish": dict(
        summary="修改心愿 Edit a wish not yet claimed", body=i.WishEdit, ok=(200, o.WishState),
        errors=(400, 401, 403, 404, 409, 422),
        description="Only the fields sent change; the edit is on the timeline (old → new). "
                    "A rejected wish, or a published one in a reviewed category, goes back to "
                    "review (status pending_review). 409 once someone has claimed it."),
    "api.review_wish": dict(summary="审核 Review a wish", body=i.Review, ok=(200, o.WishState),
                            errors=(400, 401, 403, 404, 409, 422)),
    "api.claim_wish": dict(
        summary="认领 Claim a wish", body=i.ClaimInput, ok=(201, o.ClaimCreated),
        errors=(400, 401, 403, 404, 409, 422),
        description="Empty body: claim for oneself. A unit admin sends unit_id (optional when "
                    "they run one unit) and member_ids. 409 when full or not open."),
    "api.dispatch_wish": dict(summary="派单 Dispatch to a member or unit", body=i.DispatchInput,
                              ok=(201, o.DispatchOut), also=(200,),
                              errors=(400, 401, 403, 404, 409, 422),
                              description="To a member: 201 with the offered claim. To a unit: "
                                          "200, its admins are notified."),
    "api.confirm_wish": dict(summary="确认并评价 Confirm and rate", body=i.ConfirmInput,
                             ok=(200, o.Confirmed), errors=(400, 401, 403, 404, 409, 422),
                             description="Grid staff confirming for the resident must add a note."),
    "api.withdraw_wish": dict(summary="撤回 Withdraw a wish", ok=(200, o.WishState),
                              errors=(400, 401, 403, 404, 409)),
    "api.release_claim": dict(summary="取消认领 Release a claim", ok=(200, o.ClaimState),
                              errors=(400, 401, 403, 404, 409)),
    "api.accept_claim": dict(summary="接受派单 Accept a dispatched task", ok=(200, o.ClaimState),
                             errors=(400, 401, 403, 404, 409)),
    "api.decline_claim": dict(summary="婉拒派单 Decline a dispatched task", ok=(200, o.ClaimState),
                              errors=(400, 401, 403, 404, 409)),
    "api.start_claim": dict(summary="开始服务（签到） Start serving", ok=(200, o.ClaimState),
                            errors=(400, 401, 403, 404, 409)),
    "api.done_claim": dict(summary="标记完成 Mark done with hours", body=i.DoneInput,
                           ok=(200, o.ClaimState), errors=(400, 401, 403, 404, 409, 422)),
    "api.create_import": dict(
        summary="导入名单 Import the tree, residents or 报到名单 from .xlsx/.csv",
        query=ImportQuery, upload=True, ok=(200, o.ImportResult), also=(202,),
        errors=(400, 401, 403, 404, 413, 422), error_models={422: o.ImportRefused},
        description="multipart/form-data with `file`. dry_run=1: the preview (counts and every "
                    "bad row), nothing written. Otherwise all or nothing (skip_bad=1: the good "
                    "rows only, the bad ones left out, listed and counted in `skipped`): "
                    "200 with the counts, "
                    "202 with an id to poll for big files (the job process imports them), or "
                    "422 with the bad rows. Matched by names in the tree, by phone for people: "
                    "the same file twice changes nothing."),
    "api.import_status": dict(summary="导入进度 An import's progress and result",
                              ok=(200, o.ImportResult), errors=(401, 404)),
    "api.openapi": dict(summary="This document", ok=(200, None), errors=()),
}

# Administration (issue 11): the grid tree, staff, accounts looked after, the admin log.
from ..schemas import admin as a  # noqa: E402

ROUTES.update({
    "api.create_org": dict(summary="新增组织节点 Add a community, grid or building",
                           body=a.OrgCreate, ok=(201, o.IdOut),
                           errors=(400, 401, 403, 409, 422),
                           description="Street admins add communities (with the default "
                                       "categories); community admins add grids and buildings. "
                                       "409 when a sibling has the name or the parent is retired."),
    "api.update_org": dict(summary="修改组织节点 Rename, move, retire or restore a node",
                           body=a.OrgUpdate, ok=(200, o.OrgOut),
                           errors=(400, 401, 403, 404, 409, 422),
                           description="parent_id moves a building to another grid of its "
                                       "community (its open wishes follow; finished ones keep "
                                       "their grid). active=false retires: the node leaves "
                                       "pickers and keeps its records; never deleted. A building "
                                       "people live in answers 409 building_has_people unless "
                                       "confirm=true (they stay) or move_to names another "
                                       "building of the community (everyone moves; people the "
                                       "caller does not cover are invited to move)."),
    "api.list_staff": dict(summary="社区工作人员 Staff of a community", query=a.StaffQuery,
                           ok=(200, o.StaffList), errors=(401, 403, 404, 422)),
    "api.appoint_staff": dict(summary="任命工作人员 Appoint by phone", body=a.StaffAppoint,
                              ok=(201, o.StaffAppointed), errors=(400, 401, 403, 409, 422),
                              description="A phone without an account gets one; its one-time "
                                          "password is in the answer, once. An existing account "
                                          "the appointer does not cover is invited instead "
                                          "(grant_id null, invitation_id set)."),
    "api.my_invitations": dict(summary="我的邀请 Invitations waiting for me",
                               ok=(200, o.InvitationList), errors=(401,),
                               description="Changes to this account asked by admins who do not "
                                           "cover it (appoint, home, 报到, move): nothing changes "
                                           "until the owner accepts."),
    "api.accept_invitation": dict(summary="接受邀请 Accept an invitation",
                                  ok=(200, o.InvitationState), errors=(400, 401, 404, 409),
                                  description="The change is made now; 409 when already answered "
                                              "or the inviter no longer serves there."),
    "api.decline_invitation": dict(summary="谢绝邀请 Decline an invitation",
                                   ok=(200, o.InvitationState), errors=(400, 401, 404, 409)),
    "api.remove_staff": dict(summary="撤销职务 Remove a staff role", ok=(204, None),
                             errors=(401, 403, 404, 409),
                             description="The person's sessions and API tokens end at once."),
    "api.reset_password": dict(summary="重置密码 Reset a person's password",
                               ok=(200, o.TemporaryPassword), errors=(400, 401, 403, 404, 409),
                               description="Grid staff and community admins, for people in "
                                           "their scope. The person must change it at sign-in."),
    "api.deactivate_user": dict(summary="停用账号 Deactivate an account", ok=(200, o.AccountState),
                                errors=(400, 401, 403, 404, 409),
                                description="Optional body {reason}. Open claims are released "
                                            "(the residents are told); records stay."),
    "api.reactivate_user": dict(summary="恢复账号 Reactivate an account", ok=(200, o.AccountState),
                                errors=(400, 401, 403, 404, 409)),
    "api.move_house": dict(summary="搬家 Move a resident to another building", body=a.MoveHouse,
                           ok=(200, o.MovedHouse), errors=(400, 401, 403, 404, 409, 422),
                           description="Grid staff and community admins, to a building they "
                                       "serve; the resident role moves along, past wishes keep "
                                       "their building. 409 when nothing changes."),
    "api.change_my_password": dict(summary="修改我的密码 Change my password",
                                   body=a.PasswordChange, ok=(200, o.PasswordChanged),
                                   errors=(400, 401, 422),
                                   description="Every session and API token of the user ends "
                                               "(this token too): get a new one."),
    "api.admin_log": dict(summary="管理日志 The admin log", query=a.AdminLogQuery,
                          ok=(200, o.AdminLogList), errors=(401, 403, 422),
                          description="community=ID (its admins, the street admin) or street=ID "
                                      "(street admin); default: the viewer's street or "
                                      "community. Filter by kind and person (actor or target)."),
    "api.backlog_figures": dict(summary="待办概览 What waits in each community",
                                ok=(200, o.BacklogList), errors=(401, 403),
                                description="One row per community the viewer administers "
                                            "(a street admin: every community of the street)."),
})
ROUTES.update({
    "api.my_info": dict(summary="我的信息 Everything held on me", ok=(200, o.PersonalData),
                        errors=(401,),
                        description="The profile and one section per kind of record (wishes, "
                                    "claims, hours, bookings, pairings, disclosures of my "
                                    "contact, …), as the page and the .xlsx show them."),
})
UPLOAD = {"type": "object", "required": ["file"], "properties": {"file": {
    "type": "string", "format": "binary", "description": ".xlsx or .csv (UTF-8 or GBK)"}}}

ERRORS = {
    400: "请求体不是 JSON 对象 Body is not a JSON object", 401: "缺少或无效的令牌 Missing or bad token",
    403: "无权进行此操作 Not allowed", 404: "不存在或不可见 Not found (or not yours to see)",
    409: "当前状态不允许 Illegal in the current state", 422: "输入有误 Invalid input (see fields)",
    413: "文件太大 Upload too large", 429: "太频繁 Too many requests",
}

_PARAM = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _components():
    models = [(o.ErrorBody, "serialization")]
    for spec in ROUTES.values():
        for key in ("body", "query"):
            if spec.get(key):
                models.append((spec[key], "validation"))
        if spec["ok"][1] is not None:
            models.append((spec["ok"][1], "serialization"))
        models += [(m, "serialization") for m in spec.get("error_models", {}).values()]
    _refs, defs = models_json_schema(list(dict.fromkeys(models)),
                                     ref_template="#/components/schemas/{model}")
    return defs.get("$defs", {})


def _ref(model) -> dict:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(rule, spec, schemas, view) -> dict:
    op = {"operationId": rule.endpoint.split(".", 1)[1], "summary": spec["summary"],
          "tags": [rule.rule.split("/")[3] if rule.rule.count("/") > 2 else "api"]}
    if spec.get("description"):
        op["description"] = spec["description"]
    params = [{"name": a, "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1}} for a in sorted(rule.arguments)]
    if spec.get("query"):
        props = schemas[spec["query"].__name__]
        for name, prop in props.get("properties", {}).items():
            params.append({"name": name, "in": "query", "schema": prop,
                           "required": name in props.get("required", [])})
    if params:
        op["parameters"] = params
    if spec.get("body"):
        op["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _ref(spec["body"])}}}
    if spec.get("upload"):
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": UPLOAD}}}
    status, model = spec["ok"]
    content = {"application/json": {"schema": _ref(model) if model else {"type": "object"}}}
    op["responses"] = {str(s): {"description": "No content"} if s == 204 else
                       {"description": "OK", "content": content}
                       for s in (status, *spec.get("also", ()))}
    for code in spec["errors"]:
        model = spec.get("error_models", {}).get(code, o.ErrorBody)
        op["responses"][str(code)] = {"description": ERRORS[code], "content": {
            "application/json": {"schema": _ref(model)}}}
    if getattr(view, "api_auth", False):  # set by @token_required: the doc cannot drift
        op["security"] = [{"bearer": []}]
    return op


def build(app) -> dict:
    """The OpenAPI document of every documented /api/v1 rule of `app`."""
    schemas = _components()
    paths: dict = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        spec = ROUTES.get(rule.endpoint)
        if spec is None or not rule.endpoint.startswith("api."):
            continue
        path, view = _PARAM.sub(r"{\1}", rule.rule), app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule, spec, schemas, view)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Wishgrid 网格微心愿 API", "version": "1.0.0",
                 "description": "The JSON API over the same services as the web app. Get a "
                                "token with POST /api/v1/tokens and send it as a bearer token. "
                                "Errors are {\"error\": {\"code\", \"message\", \"fields\"?}}; "
                                "datetimes are ISO 8601 with an offset."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API (built once per app: it changes only with the
    code, and building it walks every schema, about 0.15 s)."""
    doc = current_app.extensions.get("wishgrid_openapi")
    if doc is None:
        doc = current_app.extensions["wishgrid_openapi"] = build(current_app)
    return reply(doc)
