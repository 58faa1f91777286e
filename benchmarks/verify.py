"""Server time of the public verification page and its JSON, against a trivial view
(/healthz) measured in the same run with Django's test client (no network).

Needs a database with certificates (the demo has some):

    DATABASE_URL=sqlite:////work/main/var/certs.sqlite3 \\
        .venv/bin/python benchmarks/verify.py [--requests 300]

Prints the median and 95th percentile per request for each URL and the ratio of the
verification page to the trivial view. The goal: the page under 20 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Test settings: DEBUG off and static URLs without a collected manifest.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from certificates.models import Certificate  # noqa: E402


def timed(client, url, count):
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 404), (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": ""}  # measure the view
    cert = Certificate.objects.filter(status="valid").order_by("id").first()
    if cert is None:
        sys.exit("No certificate in this database: run `make demo` first.")
    client = Client()
    urls = {
        "trivial /healthz": "/healthz",
        "verify page": f"/verify/{cert.serial}/",
        "verify JSON": f"/verify/{cert.serial}.json",
        "unknown serial (404)": "/verify/SQ-2026-00000-00000-00/",
    }
    for url in urls.values():
        timed(client, url, 20)  # warm-up: templates, connections
    results = {name: timed(client, url, args.requests) for name, url in urls.items()}
    base = results["trivial /healthz"][0]
    for name, (median, p95) in results.items():
        print(
            f"{name:22s} median {median:6.2f} ms  p95 {p95:6.2f} ms  "
            f"ratio {median / base:5.2f}x"
        )
    verdict = "under" if results["verify page"][0] < 20 else "OVER"
    print(f"verify page median is {verdict} the 20 ms goal")


if __name__ == "__main__":
    main()
