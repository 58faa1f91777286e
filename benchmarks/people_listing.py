"""A district administrator's people listing at city scale, against a trivial view.

    .venv/bin/python benchmarks/people_listing.py [--workers 66380]

Seeds the demo city, then times the Wagtail listing (first page, a filtered page and a
name search) in-process with the test client. Goal: under 300 ms server time.
"""

import argparse
import io
import statistics
import time

from _bench import bench_database


def measure(client, url: str, n: int = 15) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=66380)
    workers = parser.parse_args().workers
    with bench_database() as vendor:
        from django.core.management import call_command
        from django.test import Client

        from lms.accounts.models import User

        out = io.StringIO()
        started = time.perf_counter()
        call_command("seed_demo", workers=workers, stdout=out)
        print(out.getvalue().strip())
        print(f"seed_demo --workers {workers}: {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(User.objects.get(username="demo_district"))
        baseline, _ = measure(client, "/healthz")
        print(f"database: {vendor}, workers: {workers}")
        print(f"baseline trivial view (/healthz): {baseline * 1000:.1f} ms")
        for label, url in [
            ("listing, page 1", "/admin/workers/"),
            ("listing, page 20", "/admin/workers/?p=20"),
            ("filter post=secretary", "/admin/workers/?post=secretary"),
            ("search 王", "/admin/workers/?q=%E7%8E%8B"),
        ]:
            median, queries = measure(client, url)
            print(
                f"{label}: {median * 1000:.1f} ms, {queries} queries, "
                f"ratio {median / baseline:.1f}x  (goal < 300 ms)"
            )


if __name__ == "__main__":
    main()
