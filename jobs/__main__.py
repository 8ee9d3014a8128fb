"""`python -m jobs`: the scheduler process (reminders, escalation, expiry, outbox delivery)."""
import gc
import logging
import os
import signal
import sys
import threading
import time

from webapp import create_app

log = logging.getLogger("jobs")


def _watch(lock, every: float) -> None:
    """A holder whose lock connection died (the database restarted, a network cut) no longer
    holds the lock: another job host may have it now. Stop at once (systemd restarts us, and
    we queue for the lock again) rather than run a second scheduler beside it."""
    while True:
        time.sleep(every)  # a periodic check, not a synchronisation
        if not lock.alive():
            log.error("job lock lost (database connection closed); exiting to queue again")
            logging.shutdown()
            os._exit(3)


def main() -> int:
    """Run the scheduler until SIGTERM/SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s jobs %(levelname)s %(message)s")
    app = create_app()
    from webapp.extensions import db
    from webapp.services.platform import leases
    from webapp.services.platform.singleton import hold_job_lock
    from .tasks import OWNER
    with app.app_context():
        job_lock = hold_job_lock(db.engine)  # a second job process waits here
        if leases.held_by_others(db.session, OWNER):
            # Leases of the holder before us: it died, or its watchdog stops it within
            # JOB_LOCK_CHECK_SECONDS of losing the lock; then they are ours to free.
            time.sleep(app.config["JOB_TAKEOVER_GRACE_SECONDS"])
            log.info("took over %d leases of the previous job process",
                     leases.take_over(db.session, OWNER))
        db.session.remove()
    threading.Thread(target=_watch, args=(job_lock, app.config["JOB_LOCK_CHECK_SECONDS"]), daemon=True, name="job-lock").start()
    from .scheduler import build_scheduler
    sched = build_scheduler(app)
    # The app, its modules and mappers live as long as the process: out of the collector's
    # generations, a full collection (which may land in a batch that holds SQLite's write
    # lock, issue 27 §5) walks only what the jobs make, not the ~10^6 objects of the code.
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGTERM, lambda *_: sched.shutdown(wait=False))
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
