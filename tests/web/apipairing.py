"""The pairing/evaluation API walked once through every documented operation (called by
tests/web/api/test_api_openapi.py, which checks each answer against openapi.json), and the objects
the permission matrix and the page catalogue need (pairing, visit, round)."""
from datetime import datetime, timezone

from webapp.services.pairing.visits import local_today


def exercise(checked, client, doc, world) -> set:
    """Call every pairing operation (successes and refusals); returns the `seen` set."""
    admin, member = checked(client, doc, world.admin), checked(client, doc, world.member)
    today = local_today(datetime.now(timezone.utc)).isoformat()
    admin.call("get", "/pairings/suggestions", "/api/v1/pairings/suggestions",
               community=world.ca.id)
    admin.call("get", "/pairings/suggestions", "/api/v1/pairings/suggestions")
    r = admin.call("post", "/pairings", "/api/v1/pairings",
                   {"member_id": world.member.id, "household_ids": [world.resident2.id]})
    assert r.status_code == 201, r.json
    admin.call("post", "/pairings", "/api/v1/pairings",
               {"member_id": world.member2.id, "household_ids": [world.resident2.id]})  # 409
    admin.call("post", "/pairings", "/api/v1/pairings", {"member_id": world.member.id})  # 422
    # a bulk undo (issue 23 item 2): a second pairing made and ended with the first untouched
    extra = admin.call("post", "/pairings", "/api/v1/pairings", {
        "member_id": world.member3.id, "household_ids": [world.resident.id]}).json["items"]
    ended = admin.call("post", "/pairings/end", "/api/v1/pairings/end",
                       {"pairing_ids": [extra[0]["id"]], "reason": "误操作"})
    assert ended.status_code == 200 and ended.json["items"][0]["status"] == "ended"
    admin.call("post", "/pairings/end", "/api/v1/pairings/end",
               {"pairing_ids": [extra[0]["id"]], "reason": "again"})  # 409
    admin.call("post", "/pairings/end", "/api/v1/pairings/end", {"pairing_ids": []})  # 422
    checked(client, doc, world.admin_b).call("post", "/pairings/end", "/api/v1/pairings/end", {
        "pairing_ids": [r.json["items"][0]["id"]], "reason": "x"})  # 404: not theirs
    mine = member.call("get", "/pairings/mine", "/api/v1/pairings/mine").json["items"]
    assert mine[0]["name"] == world.resident2.name
    admin.call("get", "/pairings/coverage", "/api/v1/pairings/coverage", community=world.ca.id)
    v = member.call("post", "/visits", "/api/v1/visits", {
        "household_id": world.resident2.id, "date": today, "kind": "phone",
        "needs": "想学用智能手机"}).json["id"]
    member.call("post", "/visits", "/api/v1/visits", {"household_id": world.resident2.id,
                                                       "date": "2999-01-01", "kind": "home"})
    tpl = "/api/v1/visits/{visit_id}/wish"
    wish = {"kind": "service", "title": "教用智能手机", "category": world.cat.id}
    member.call("post", f"/visits/{v}/wish", tpl, wish)  # 422: no consent
    assert member.call("post", f"/visits/{v}/wish", tpl,
                       {**wish, "consent": True}).status_code == 201
    rid = admin.call("post", "/evaluations", "/api/v1/evaluations",
                     {"community_id": world.ca.id, "year": 2025}).json["id"]
    admin.call("post", "/evaluations", "/api/v1/evaluations",
               {"community_id": world.ca.id, "year": 2025})  # 409
    close = admin.call("post", f"/evaluations/{rid}/close", "/api/v1/evaluations/{round_id}/close")
    assert close.json["units"][0]["unit_id"] == world.unit.id
    admin.call("post", f"/evaluations/{rid}/close", "/api/v1/evaluations/{round_id}/close")  # 409
    admin.call("post", f"/evaluations/{rid}/publish", "/api/v1/evaluations/{round_id}/publish")
    admin.call("post", f"/evaluations/{rid}/reopen", "/api/v1/evaluations/{round_id}/reopen",
               {"reason": "补录服务记录"})
    admin.call("post", f"/evaluations/{rid}/reopen", "/api/v1/evaluations/{round_id}/reopen",
               {"reason": "x"})  # 409: already open
    return admin.seen | member.seen


def pairing_objects(db, world) -> dict:
    """member ↔ resident2 paired with one visit, and an open 2025 round of 城西社区."""
    from webapp.schemas.pairing import VisitInput
    from webapp.services.pairing import evaluation, pairings, visits
    now = datetime.now(timezone.utc)
    p = pairings.pair(db, world.admin, world.member.id, [world.resident2.id], now=now)[0]
    v = visits.log(db, world.member, VisitInput.model_validate(
        {"household_id": world.resident2.id, "date": local_today(now).isoformat(),
         "kind": "home", "needs": "想修水龙头"}), now=now)
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=now)
    return {"pairing_id": p.id, "visit_id": v.id, "round_id": r.id}
