"""The job process: the one APScheduler that keeps orders moving (see jobs/__main__.py)."""
