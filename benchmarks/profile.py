"""Where a page's time goes: cProfile over the test client against the database `make bench` left behind.

    python -m benchmarks.profile /overview/consortia/ bench_city [requests] [sort]

Prints the queries of one request (count and SQL) and the profile of ``requests`` more (default 50), sorted by
``sort`` (default tottime). The profile counts CPU time (time.process_time), as `make bench` does: the time a query
waits for PostgreSQL is not the worker's. Uses benchmarks.overview's settings and BENCH_DATABASE_URL; run `make bench` first.
"""

import cProfile
import os
import pstats
import sys
import time

from benchmarks import overview


def main(path, username, count=50, sort="tottime"):
    overview.configure()
    # Imported only now: the settings come from the environment overview.configure() set.
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(username=username) if username != "-" else None
    client = Client(SERVER_NAME="127.0.0.1")
    if user is not None:
        client.cookies.load(overview.sessions(user, 1)[0])
    first = client.get(path)
    assert first.status_code == 200, first.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(f"{len(queries)} queries")
    for query in queries.captured_queries:
        print("  ", query["sql"][:300])
    profile = cProfile.Profile(time.process_time)
    started = time.process_time()
    profile.enable()
    for _ in range(count):
        client.get(path)
    profile.disable()
    print(f"CPU per request (profiled): {(time.process_time() - started) * 1000 / count:.1f} ms")
    pstats.Stats(profile).sort_stats(sort).print_stats(int(os.environ.get("LINES", "40")))


if __name__ == "__main__":
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zj_perf_bench")
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 50, sys.argv[4] if len(sys.argv) > 4 else "tottime")
