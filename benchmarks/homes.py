"""The worker's home and a district administrator's home at city scale, against a
trivial view measured in the same run.

    .venv/bin/python benchmarks/homes.py [--workers 66380]
    DATABASE_URL=postgres://…/lms_ux .venv/bin/python benchmarks/homes.py --existing

Without --existing it seeds the demo city on a throw-away test database; with it, it
reads an already seeded database (nothing is written but sessions and the cache).
Goals: worker home < 150 ms server time with the same number of queries for every
worker; the administrator's home of a district < 300 ms. Also timed: the beat task
that stores every node's at-risk count, and the home's first load after a cache clear
(which queues that task, as with a real worker, and never evaluates the count).
"""

import argparse
import io
import os
import statistics
import time
from contextlib import nullcontext

from _bench import bench_database

# Queued tasks are sent to the broker, as in production, not run in the request.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def measure(client, url: str, n: int = 15) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (site, translations)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def existing_database():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    return nullcontext(connection.vendor)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=66380)
    parser.add_argument("--existing", action="store_true")
    args = parser.parse_args()
    with existing_database() if args.existing else bench_database() as vendor:
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client

        from lms.accounts.models import User
        from lms.people.models import Worker

        if not args.existing:
            out = io.StringIO()
            call_command("seed_demo", workers=args.workers, stdout=out)
        client = Client()
        client.force_login(User.objects.get(username="demo_worker"))
        baseline, _ = measure(client, "/healthz")
        print(f"database: {vendor}, workers: {Worker.objects.count()}")
        print(f"baseline trivial view (/healthz): {baseline * 1000:.1f} ms")

        median, queries = measure(client, "/portal/")
        print(
            f"worker home (demo_worker): {median * 1000:.1f} ms, {queries} queries, "
            f"ratio {median / baseline:.1f}x  (goal < 150 ms)"
        )
        counts = set()
        for worker in Worker.objects.filter(user__isnull=False).order_by("?")[:8]:
            other = Client()
            other.force_login(worker.user)
            counts.add(measure(other, "/portal/", n=1)[1])
        print(f"worker home, 8 other workers: query counts {sorted(counts)}")

        from django.utils import timezone

        from portal.at_risk import at_risk_counts_refresh

        admin = Client()
        admin.force_login(User.objects.get(username="demo_district"))
        cache.clear()
        start = time.perf_counter()
        admin.get("/admin/")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        nodes = at_risk_counts_refresh(year=timezone.localdate().year)
        refresh = time.perf_counter() - start
        print(
            f"at-risk counts of {nodes} nodes (beat task): {refresh:.1f} s; district "
            f"admin home before it, count queued: {cold * 1000:.0f} ms"
        )
        median, queries = measure(admin, "/admin/")
        print(
            f"district admin home: {median * 1000:.1f} ms, {queries} queries, "
            f"ratio {median / baseline:.1f}x  (goal < 300 ms)"
        )


if __name__ == "__main__":
    main()
