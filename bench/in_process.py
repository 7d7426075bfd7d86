"""The in-process half of `make bench`: each page through Django's handler in one process (no
HTTP, no gunicorn), with the signed-in reviewer's own cookies, on the bench's database and
cache. For each page: the queries one request runs, the median time of a warm request, and for
the dashboards the time of a cold one (their cache emptied first); then the top of a cProfile
of the trivial page. Figures on load-shared machines move; the queries and the profile's shape
do not.

    python bench/in_process.py COOKIE PATH...      (run by bench/dashboards.py)

Prints one JSON object per page, then the profile.
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WARM_RUNS = 60
PROFILE_RUNS = 200
PROFILE_LINES = 20


def main(cookie: str, trivial: str, dashboards: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for name, morsel in SimpleCookie(cookie).items():
        client.cookies[name] = morsel.value

    def get(path):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    for path in [trivial, *dashboards]:
        cold_ms = None
        if path != trivial:
            forget_dashboards()
            started = time.perf_counter()
            get(path)
            cold_ms = (time.perf_counter() - started) * 1000
        get(path)
        with CaptureQueriesContext(connection) as queries:
            get(path)
        # Counted now: the next request empties the log. BEGIN and COMMIT are not round trips.
        count = sum(1 for query in queries if query["sql"] not in ("BEGIN", "COMMIT"))
        times = []
        for _ in range(WARM_RUNS):
            started = time.perf_counter()
            get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(
            json.dumps(
                {
                    "path": path,
                    "queries": count,
                    "warm_ms": statistics.median(times),
                    "cold_ms": cold_ms,
                }
            )
        )
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(PROFILE_RUNS):
        get(trivial)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    # By own time: where the time goes (database and Redis round trips, template nodes...).
    stats.strip_dirs().sort_stats("tottime").print_stats(PROFILE_LINES)
    print(f"cProfile of {PROFILE_RUNS} requests to {trivial} (by own time):")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def forget_dashboards() -> None:
    """Empty the dashboards' cache (only theirs: the Redis database may be shared)."""
    import redis
    from django.conf import settings

    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    for key in server.scan_iter(match=f"{prefix}:*:dashboard:*"):
        server.delete(key)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
