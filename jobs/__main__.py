"""`python -m jobs`: the scheduler process (reminders, escalation, expiry, outbox delivery)."""
import logging
import signal
import sys

from webapp import create_app


def main() -> int:
    """Run the scheduler until SIGTERM/SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s jobs %(levelname)s %(message)s")
    app = create_app()
    from webapp.extensions import db
    from webapp.services.platform.singleton import hold_job_lock
    with app.app_context():
        job_lock = hold_job_lock(db.engine)  # noqa: F841 - a second job process waits here
    from .scheduler import build_scheduler
    sched = build_scheduler(app)
    signal.signal(signal.SIGTERM, lambda *_: sched.shutdown(wait=False))
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
