"""`python -m tests.fleet` (scripts/fleet.sh): start the fleet, print its address, stop it
all on Ctrl-C."""
import signal
import sys

from . import Fleet


def main() -> int:
    """`python -m tests.fleet`: start the fleet, print its address, stop it all on Ctrl-C."""
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers per web host")
    ap.add_argument("--threads", type=int, default=4, help="threads per worker")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs) after stopping")
    args = ap.parse_args()
    fleet = Fleet(workers=args.workers, threads=args.threads)
    stop = {"now": False}

    def on_signal(*_):
        stop["now"] = True
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        fleet.start(say=lambda m: print(f"==> starting {m}", flush=True))
        print(f"""
Wishgrid fleet on {fleet.url}   (demo password: wishgrid-demo; Ctrl-C stops everything)
  proxy   nginx      {fleet.url}   (header X-Wishgrid-Host names the web host that served)
  web1    gunicorn   {fleet.web_url(0)}   log {fleet.root}/web1.log
  web2    gunicorn   {fleet.web_url(1)}   log {fleet.root}/web2.log
  jobs1/2 python -m jobs (one holds the lock, the other waits)   logs {fleet.root}/jobs*.log
  redis   127.0.0.1:{fleet.redis_port}   postgresql {fleet.db_url}
  dev SMS: texts (sign-in codes too) on /staff/dev-sms as the demo street admin 13800000006
""", flush=True)
        while not stop["now"]:
            signal.pause()  # until Ctrl-C / SIGTERM
    except KeyboardInterrupt:
        pass
    finally:
        print("==> stopping the fleet", flush=True)
        fleet.stop(keep=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
