"""The import as the admin lives it: who may import where, the preview, the confirm (all or
nothing, or the good rows only; re-checked inside the write transaction), and the job
process's share for big files."""
import hashlib
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ....db import begin_write
from ....models import ImportJob, Org, User, utcnow
from ... import policy
from ...errors import Conflict, Forbidden, Invalid, NotFound
from .. import adminlog
from . import people, report, tree
from .columns import KIND_LABELS, KINDS, norm_header
from .reader import Table, read
from .rows import Plan

PLANNERS = {"tree": tree.plan, "residents": people.plan_residents, "members": people.plan_members}
APPLIERS = {"tree": tree.apply, "residents": people.apply_residents,
            "members": people.apply_members}


@dataclass(frozen=True)
class Limits:
    """IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, and IMPORT_ASYNC_ROWS above which the job process works."""

    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 20_000
    async_rows: int = 1_000

    @classmethod
    def of(cls, config) -> "Limits":
        return cls(config.get("IMPORT_MAX_BYTES", cls.max_bytes),
                   config.get("IMPORT_MAX_ROWS", cls.max_rows),
                   config.get("IMPORT_ASYNC_ROWS", cls.async_rows))


class RowsInvalid(Invalid):
    """Bad rows: nothing is imported; `errors` lists each with its row, column and reason."""

    code = "import_rows_invalid"

    def __init__(self, plan: Plan):
        n = len({e["row"] for e in plan.errors})
        super().__init__({"file": _l("有 %(n)s 行需要修改。", n=n)},
                         _l("名单中有 %(n)s 行需要修改，没有导入任何数据。请按错误报告改好后重新上传。", n=n))
        self.errors, self.counts = plan.errors, plan.counts()


NOTHING_GOOD = _l("名单中没有可以导入的行。请按错误报告改好后重新上传。")
STALE = _l("预览之后，社区的数据有了变化（例如有人同时登记或修改了名单）。为避免只导入一半，"
           "这次没有导入任何数据，请重新上传文件预览。")


def may_import(user: User) -> bool:
    """Community and street admins import; grid workers register residents one by one."""
    return bool(policy.org_ids_for(user, "community_admin") or policy.org_ids_for(user, "street_admin"))


_allowed = policy.may_import_into


def scope_for(session, actor: User, kind: str | None, community_id: int | None = None,
              street_id: int | None = None, org_id: int | None = None) -> Org:
    """Where the list goes: the given community (or street, for a street admin's tree; `org_id`
    is either), else the actor's own; Forbidden outside the actor's street or community."""
    if not may_import(actor):
        raise Forbidden(_l("只有社区管理员或街道管理员可以导入名单。"), code="import_forbidden")
    if kind not in KINDS:
        raise Invalid({"kind": _l("请选择导入类型：组织树、居民名单或党员报到名单。")})
    oid, kinds = next(((i, k) for i, k in ((community_id, ("community",)),
                                           (street_id, ("street",)),
                                           (org_id, ("street", "community"))) if i is not None),
                      (None, ()))
    if oid is not None:
        org = session.get(Org, oid) if isinstance(oid, int) else None
        if org is None or org.kind not in kinds:
            raise NotFound(_l("找不到这个社区或街道。"), code="org_not_found")
    else:
        streets = sorted(policy.org_ids_for(actor, "street_admin"))
        communities = sorted(policy.community_ids_for(actor, "community_admin"))
        if kind == "tree" and streets:
            org = session.get(Org, streets[0])
        elif communities:
            org = session.get(Org, communities[0])
        else:
            raise Invalid({"community": _l("请选择要导入的社区。")})
    if org.kind == "street" and kind != "tree" and policy.is_street_admin(actor, org.id):
        raise Invalid({"community": _l("居民和党员名单请选择要导入的社区。")})
    if not _allowed(actor, kind, org):
        raise Forbidden(_l("只能导入本街道、本社区的名单。"), code="import_forbidden")
    return org


def scope_choices(session, actor: User) -> list[Org]:
    """Streets (for their tree) and communities the actor may import into, for the form."""
    streets = sorted(policy.org_ids_for(actor, "street_admin"))
    mine = policy.community_ids_for(actor, "community_admin")
    out = [o for o in (session.get(Org, i) for i in streets) if o and o.kind == "street"]
    q = select(Org).where(Org.kind == "community", (Org.street_id.in_(streets)) | Org.id.in_(mine))
    return out + list(session.scalars(q.order_by(Org.street_id, Org.id)))


def recent(session, actor: User, limit: int = 10) -> list[ImportJob]:
    """The actor's latest imports, newest first."""
    return list(session.scalars(select(ImportJob).where(ImportJob.requested_by_id == actor.id)
                                .order_by(ImportJob.id.desc()).limit(limit)))


_QUIET = {norm_header(h) for h in report.REJECT_HEADERS}


def _ignored(table: Table) -> list[dict]:
    """Headers left out, but not the reason and row columns of our own refused-rows file."""
    return [i for i in table.ignored if norm_header(i["file"]) not in _QUIET]


def _plan(session, kind, scope, table, verified, progress=None) -> Plan:
    plan = PLANNERS[kind](session, scope, table, progress=progress, verified=verified)
    plan.used, plan.ignored = table.used, _ignored(table)
    return plan


def check(session, actor: User, kind: str, scope: Org, filename: str, data: bytes,
          limits: Limits, verified: bool = False) -> Plan:
    """Dry run: what the file would do, writing nothing."""
    table = read(kind, filename, data, max_bytes=limits.max_bytes, max_rows=limits.max_rows)
    plan = _plan(session, kind, scope, table, verified)
    session.rollback()
    return plan


def _pack(table: Table) -> bytes:
    """The rows as read, kept for the confirm and the job (read once: .xlsx parsing is the
    slow part of a big import)."""
    return json.dumps([table.header_row, table.rows, table.used, table.ignored],
                      ensure_ascii=False, separators=(",", ":")).encode()


def _table(job: ImportJob, _limits=None) -> Table:
    header_row, rows, *layout = json.loads(job.content or b"[0, []]")
    return Table([(n, values) for n, values in rows], header_row, *layout)


def _new_job(actor, kind, scope, filename, data, verified, table: Table, status,
             keep: bool = True) -> ImportJob:
    return ImportJob(kind=kind, org_id=scope.id, requested_by_id=actor.id,
                     filename=(filename or "upload")[-200:],
                     content=_pack(table) if keep else None,
                     sha256=hashlib.sha256(data).hexdigest(), verified=verified, status=status,
                     total_rows=len(table.rows), counts={}, errors=[],
                     # the columns are known at once; the job process adds the nodes to create
                     layout=Plan(kind, used=table.used, ignored=_ignored(table)).layout())


def preview(session, actor: User, kind: str, scope: Org, filename: str, data: bytes,
            limits: Limits, verified: bool = False) -> ImportJob:
    """Keep the file and its preview for the confirm; a big file is checked by the job process."""
    table = read(kind, filename, data, max_bytes=limits.max_bytes, max_rows=limits.max_rows)
    big = len(table.rows) > limits.async_rows
    plan = None if big else _plan(session, kind, scope, table, verified)
    begin_write(session)
    job = _new_job(actor, kind, scope, filename, data, verified, table,
                   "queued_check" if big else "previewed")
    if plan is not None:
        job.counts, job.errors, job.plan_hash = plan.counts(), plan.errors, plan.digest()
        job.progress, job.layout = 100, plan.layout()
    session.add(job)
    session.commit()
    return job


def apply_table(session, actor: User, job: ImportJob, table: Table, expect: str | None,
                now=None) -> ImportJob:
    """Re-check and import in ONE write transaction with its admin-log line; a plan that differs
    from the preview's (`expect`) or any bad row aborts it with nothing written, unless the job
    imports the good rows only (`job.skip_bad`): then the bad rows are skipped and kept."""
    begin_write(session)
    scope = session.get(Org, job.org_id)
    actor = session.get(User, actor.id)
    if scope is None or not _allowed(actor, job.kind, scope):
        raise Forbidden(_l("只能导入本街道、本社区的名单。"), code="import_forbidden")
    plan = _plan(session, job.kind, scope, table, job.verified)
    if plan.errors and not job.skip_bad:
        raise Conflict(STALE, code="import_stale") if expect else RowsInvalid(plan)
    if expect and plan.digest() != expect:
        raise Conflict(STALE, code="import_stale")
    if not plan.actions:
        raise Conflict(NOTHING_GOOD, code="import_nothing_good")
    session.add(job)
    session.flush()  # the job's id goes into the admin log
    try:
        APPLIERS[job.kind](session, actor, scope, plan, verified=job.verified)
        counts = plan.counts()
        bad = plan.bad_rows()
        summary = _l("导入%(what)s“%(file)s”：新增 %(create)s，更新 %(update)s，未变 %(unchanged)s",
                     what=KIND_LABELS[job.kind], file=job.filename, **counts)
        if bad:
            counts["skipped"] = len(bad)
            summary = _l("%(s)s；%(n)s 行有问题，未导入", s=summary, n=len(bad))
        adminlog.record(session, actor, "import", scope, now=now, summary=str(summary),
                        details={"kind": job.kind, "file": job.filename, "sha256": job.sha256,
                                 "job_id": job.id, **counts})
        job.status, job.counts, job.errors, job.progress = "done", counts, plan.errors, 100
        job.layout = plan.layout()
        # The refused rows stay (only they) for their download, until expire_previews.
        job.content = _pack(_only(table, bad)) if bad else None
        job.finished_at = now or utcnow()
        session.commit()
    except IntegrityError:  # a unique phone taken meanwhile on PostgreSQL: same as stale
        session.rollback()
        raise Conflict(STALE, code="import_stale") from None
    return job


def _only(table: Table, rows: set[int]) -> Table:
    return Table([r for r in table.rows if r[0] in rows], table.header_row, table.used,
                 table.ignored)


def get_job(session, actor: User, job_id) -> ImportJob:
    """An import of the actor's own, or NotFound."""
    job = session.get(ImportJob, job_id) if isinstance(job_id, int) else None
    if job is None or job.requested_by_id != actor.id:
        raise NotFound(_l("找不到这次导入。"), code="import_not_found")
    return job


def _fail(session, job_id: int, message, errors=None, counts=None, now=None) -> None:
    session.rollback()
    begin_write(session)
    job = session.get(ImportJob, job_id)
    job.status, job.message, job.content = "failed", str(message)[:300], None
    job.finished_at = now or utcnow()
    if errors is not None:
        job.errors, job.counts = errors, counts
    session.commit()


def confirm(session, actor: User, job_id, limits: Limits, now=None,
            skip_bad: bool = False) -> ImportJob:
    """Import a previewed file: at once when small, else queued for the job process. With
    `skip_bad`, the good rows of a file with bad ones (which are kept for their download)."""
    job = get_job(session, actor, job_id)
    if job.status != "previewed":
        raise Conflict(_l("这次导入已经处理过了，不能再次确认。"), code="import_not_previewed")
    if job.errors and not skip_bad:
        raise Conflict(_l("名单中还有错误，请改好后重新上传，或只导入没有问题的行。"),
                       code="import_has_errors")
    good = sum(v for k, v in (job.counts or {}).items() if k != "skipped")
    if job.errors and not good:
        raise Conflict(NOTHING_GOOD, code="import_nothing_good")
    if job.errors:
        begin_write(session)
        job = session.get(ImportJob, job.id)
        job.skip_bad = True
        session.commit()
    if job.total_rows > limits.async_rows:
        begin_write(session)
        job = session.get(ImportJob, job.id)
        job.status, job.progress = "queued_import", 0
        session.commit()
        return job
    table = _table(job, limits)
    try:
        return apply_table(session, actor, job, table, job.plan_hash, now)
    except Conflict as exc:
        _fail(session, job.id, exc.message, now=now)
        raise


def retry(session, actor: User, job_id) -> ImportJob:
    """Queue again an import whose job process died mid-way (nothing of it was written)."""
    begin_write(session)
    job = get_job(session, actor, job_id)
    if job.status != "failed" or not job.retry_as:
        raise Conflict(_l("这次导入不能重新处理，请重新上传文件。"), code="import_not_retryable")
    job.status, job.retry_as, job.progress = job.retry_as, None, 0
    job.message, job.finished_at, job.heartbeat_at = None, None, None
    session.commit()
    return job


def import_now(session, actor: User, kind: str, scope: Org, filename: str, data: bytes,
               limits: Limits, verified: bool = False, now=None,
               skip_bad: bool = False) -> ImportJob:
    """The API without dry_run: import a small file at once (422 with the bad rows, or with
    `skip_bad` the good rows only), queue a big one."""
    table = read(kind, filename, data, max_bytes=limits.max_bytes, max_rows=limits.max_rows)
    big = len(table.rows) > limits.async_rows
    job = _new_job(actor, kind, scope, filename, data, verified, table,
                   "queued_import" if big else "importing", keep=big)
    job.skip_bad = skip_bad
    if big:
        begin_write(session)
        session.add(job)
        session.commit()
        return job
    return apply_table(session, actor, job, table, None, now)
