"""The demo's administration history (issue 11): the street set up, staff appointed, a residents
list imported from Excel, passwords reset, a house move and a retired building.

Everything after the set-up line goes through the real services with a `now=` weeks in the past,
so the admin log (/staff/log) reads like a street that has been running for a while.
"""
import csv
import io
from datetime import timedelta

from sqlalchemy import select, update

from ..db import begin_write
from .data import ACCOUNTS, STREET
from ..models import ImportJob, User
from ..schemas.admin import StaffAppoint
from ..services.admin import accounts_admin, adminlog, imports, staff, tree

D = timedelta(days=1)
H = timedelta(hours=1)
OLD_FLATS = "老粮站宿舍"  # the grain depot's flats in grid 2, pulled down: retired, not deleted
# The list 城西社区 keeps in Excel (姓名, 手机号, 网格, 楼栋, 门牌/地址); 罗德福 has no phone;
# the good rows are imported, the bad one kept for its download (issue 23 item 6).
IMPORTED = [["姓名", "手机号", "网格", "楼栋", "门牌/地址"],
            ["邓桂兰", "13800050001", "第二网格", OLD_FLATS, "1单元201"],
            ["罗德福", "", "第二网格", OLD_FLATS, "2单元102"],
            ["唐秀珍", "13800050002", "第二网格", "8号楼", "3单元601"],
            # 唐秀珍's husband shares her phone (one household): he is served through the
            # grid worker; a phone typed with a letter O is refused and kept to fix later.
            ["周长林", "138 0005 0002", "第二网格", "8号楼", "3单元601"],
            ["黄丽", "1380005OO03", "第二网格", "8号楼", "5单元102"]]
# (phone, name, role, org, appointed by "street" or "community", days ago)
APPOINTED = [("13800050011", "何文静", "community_admin", "城东社区", "street", 45),
             ("13800050010", "郑晓燕", "grid_worker", "第三网格", "community", 40)]


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # as Excel saves "CSV UTF-8"


def _settle_password(s, user_id: int, temp: str, password: str, at) -> None:
    """The person signs in with the one-time password and chooses their own (the demo's)."""
    accounts_admin.change_password(s, s.get(User, user_id), temp, password, now=at)


def seed_admin(s, ctx, password: str) -> None:
    """The admin log of the demo street, oldest first."""
    o, now = ctx.orgs, ctx.now
    west = o["城西社区"]
    admin, worker = ctx.admins[west.id], ctx.workers[o["第二网格"].id]
    phone = next(p for p, _n, role in ACCOUNTS if role == "street_admin")
    street_admin = s.scalar(select(User).where(User.phone == phone))
    begin_write(s)
    adminlog.record(s, None, "setup", o[STREET], target=street_admin, now=now - 60 * D,
                    summary=f"{STREET} · {street_admin.name}",
                    details={"existing_account": False, "generated_password": True})
    s.commit()
    for phone, name, role, org, by, days in APPOINTED:
        actor = street_admin if by == "street" else admin
        done = staff.appoint(s, actor, StaffAppoint(phone=phone, name=name, role=role,
                                                    org_id=o[org].id), now=now - days * D)
        _settle_password(s, done.user.id, done.temporary_password, password,
                         now - days * D + 3 * H)

    flats = tree.add_node(s, admin, "building", OLD_FLATS, o["第二网格"].id, now=now - 36 * D)
    limits = imports.Limits()
    job = imports.preview(s, admin, "residents", west, "城西社区居民花名册.csv", _csv(IMPORTED),
                          limits)
    imports.confirm(s, admin, job.id, limits, now=now - 35 * D, skip_bad=True)
    begin_write(s)
    s.execute(update(ImportJob).where(ImportJob.id == job.id).values(created_at=now - 35 * D))
    s.commit()

    # 邓桂兰 asked the grid worker for a way in: a one-time password by phone.
    deng = s.scalar(select(User).where(User.phone == "13800050001"))
    temp = accounts_admin.reset_password(s, worker, deng.id, now=now - 30 * D)
    _settle_password(s, deng.id, temp, password, now - 30 * D + 2 * H)
    # The flats are pulled down: both households move to 7号楼, then the building is retired.
    luo = s.scalar(select(User).where(User.name == "罗德福", User.building_id == flats.id))
    for i, (person, room) in enumerate(((deng, "4单元302"), (luo, "4单元101"))):
        accounts_admin.move_house(s, worker, person.id, o["7号楼"].id, room,
                                  now=now - 12 * D + i * H)
    tree.update_node(s, admin, flats.id, active=False, now=now - 11 * D)
