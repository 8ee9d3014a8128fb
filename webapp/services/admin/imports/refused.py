"""The rows an import refused, as a file to fix and import again (issue 23 item 6)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ....models import ImportJob, User
from ...errors import Conflict
from . import report
from .service import _table, get_job


def rejects_kept(session, job: ImportJob) -> bool:
    """Whether the bad rows of this import can still be downloaded (the file is kept)."""
    return bool(job.errors) and bool(session.scalar(
        select(ImportJob.content.is_not(None)).where(ImportJob.id == job.id)))


def rejects(session, actor: User, job_id) -> bytes:
    """The refused rows as an .xlsx in the template's columns with the reason per row, to be
    fixed and imported again; Conflict once the file is gone (a day after the preview)."""
    job = get_job(session, actor, job_id)
    if not job.errors:
        raise Conflict(_l("这次导入没有需要修改的行。"), code="import_no_rejects")
    if job.content is None:
        raise Conflict(_l("文件已删除（超过一天），无法再下载有问题的行。请下载错误报告。"),
                       code="import_file_gone")
    table = _table(job)
    bad = {e["row"] for e in job.errors}
    return report.rejected_rows(job.kind, [r for r in table.rows if r[0] in bad], job.errors)
