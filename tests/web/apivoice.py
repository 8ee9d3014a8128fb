"""The voice API (反映问题, 没办好) exercised for tests/web/api/test_api_openapi.py."""


def exercise(Checked, client, doc, world, make_wish) -> set:
    """Every /complaints and dispute operation, each answer checked against the document."""
    w = make_wish("closed", title="帮忙擦窗户")
    resident, admin = Checked(client, doc, world.resident), Checked(client, doc, world.admin)
    member = Checked(client, doc, world.member)
    cid = resident.call("post", "/complaints", "/api/v1/complaints",
                        {"kind": "wish", "subject_id": w.id, "text": "迟到了", "anonymous": True}
                        ).json["id"]
    resident.call("post", "/complaints", "/api/v1/complaints", {"kind": "wish"})
    member.call("post", "/complaints", "/api/v1/complaints",
                {"kind": "wish", "subject_id": w.id, "text": "我来反映"})  # 403
    got = member.call("get", f"/complaints/{cid}", "/api/v1/complaints/{complaint_id}").json
    assert got["author"] != world.resident.name and got["anonymous"] is True
    assert admin.call("get", f"/complaints/{cid}", "/api/v1/complaints/{complaint_id}"
                      ).json["author"] == world.resident.name
    member.call("post", f"/complaints/{cid}/answer", "/api/v1/complaints/{complaint_id}/answer",
                {"answer": "好"})  # 403
    admin.call("post", f"/complaints/{cid}/answer", "/api/v1/complaints/{complaint_id}/answer",
               {"answer": "已提醒"})
    resident.call("post", f"/complaints/{cid}/close", "/api/v1/complaints/{complaint_id}/close",
                  {"solved": True})
    resident.call("post", f"/complaints/{cid}/close", "/api/v1/complaints/{complaint_id}/close",
                  {"solved": False, "note": "又来了"})  # 409: settled
    resident.call("post", f"/wishes/{w.id}/dispute", "/api/v1/wishes/{wish_id}/dispute",
                  {"reason": "只擦了一半"})
    resident.call("post", f"/wishes/{w.id}/dispute", "/api/v1/wishes/{wish_id}/dispute",
                  {"reason": "again"})  # 409
    admin.call("post", f"/wishes/{w.id}/settle", "/api/v1/wishes/{wish_id}/settle",
               {"decision": "redo"})  # 422: a reason for the volunteer
    admin.call("post", f"/wishes/{w.id}/settle", "/api/v1/wishes/{wish_id}/settle",
               {"decision": "uphold"})
    return {(m, t) for m, t, _s in resident.seen | admin.seen | member.seen}
