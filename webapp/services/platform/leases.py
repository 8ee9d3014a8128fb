"""Database leases: one job process runs a given job at a time; dead holders are noticed."""
import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import JobLease, Outbox

# This host's name in lease owners. WISHGRID_HOSTNAME names a host when several share a kernel
# (tests/fleet/ gives each job host its own, so their takeover is the cross-host one).
_HOST = (os.environ.get("WISHGRID_HOSTNAME") or socket.gethostname())[:40]


def new_owner() -> str:
    """An owner id for this process: host, pid and a random part (pids get reused)."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_alive(owner: str) -> bool:
    """False only when the owner is a process of this host that no longer exists."""
    try:
        host, pid, _tok = owner.rsplit(":", 2)
        pid = int(pid)
    except ValueError:
        return True
    if host != _HOST or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire(session, name: str, owner: str, now: datetime, seconds: float) -> bool:
    """Take (or renew) the lease on `name` until now+seconds; False if someone else holds it."""
    begin_write(session)
    until = now + timedelta(seconds=seconds)
    lease = session.scalar(select(JobLease).where(JobLease.name == name)
                           .execution_options(populate_existing=True))
    if lease is None:
        session.add(JobLease(name=name, owner=owner, until=until))
        try:
            session.commit()
            return True
        except IntegrityError:  # another process created it first
            session.rollback()
            return False
    held = lease.owner
    free = held is None or held == owner or lease.until is None or lease.until <= now \
        or not owner_alive(held)
    if not free:
        session.commit()
        return False
    # Compare-and-set on the owner we saw, so two takers cannot both win.
    cond = JobLease.owner.is_(None) if held is None else JobLease.owner == held
    res = session.execute(update(JobLease).where(JobLease.name == name, cond)
                          .values(owner=owner, until=until)
                          .execution_options(synchronize_session=False))
    session.commit()
    return res.rowcount == 1


def release(session, name: str, owner: str, now: datetime) -> None:
    """Give the lease back and remember when the job last ran."""
    begin_write(session)
    session.execute(update(JobLease).where(JobLease.name == name, JobLease.owner == owner)
                    .values(owner=None, until=None, last_run_at=now)
                    .execution_options(synchronize_session=False))
    session.commit()


def holder(session, name: str) -> str | None:
    """Who holds the lease on `name` now (None if free)."""
    return session.scalar(select(JobLease.owner).where(JobLease.name == name))



def take_over(session, owner: str) -> int:
    """Free every job and outbox lease not held by `owner`; returns how many were held.

    Only for the job process that has just taken the job lock: every earlier holder lost it,
    so it has died or stopped itself (jobs/__main__.py's watchdog), and its leases would
    otherwise block jobs and outbox rows until they ran out (5 and 2 minutes) — a lease held
    on another host cannot be checked with a pid like one of this host."""
    begin_write(session)
    n = session.execute(update(JobLease).where(JobLease.owner.is_not(None), JobLease.owner != owner)
                        .values(owner=None, until=None)
                        .execution_options(synchronize_session=False)).rowcount
    n += session.execute(update(Outbox).where(Outbox.status == "pending",
                                              Outbox.lease_owner.is_not(None),
                                              Outbox.lease_owner != owner)
                         .values(leased_until=None, lease_owner=None)
                         .execution_options(synchronize_session=False)).rowcount
    session.commit()
    return n


def held_by_others(session, owner: str) -> int:
    """How many job and outbox leases someone other than `owner` holds now."""
    n = session.scalar(select(func.count()).select_from(JobLease).where(
        JobLease.owner.is_not(None), JobLease.owner != owner))
    n += session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.status == "pending", Outbox.lease_owner.is_not(None), Outbox.lease_owner != owner))
    session.rollback()
    return n
