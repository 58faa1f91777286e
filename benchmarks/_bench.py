"""Shared set-up for benchmark scripts: Django on a throw-away test database.

Run a benchmark as `.venv/bin/python benchmarks/<name>.py`; with DATABASE_URL set to
PostgreSQL it measures PostgreSQL (a `test_` database is created and dropped).
"""

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


@contextmanager
def bench_database():
    """Set Django up on a fresh test database and drop it afterwards."""
    import django
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    django.setup()
    setup_test_environment()
    if connection.vendor == "sqlite":
        # A file, not memory, so that timings include real writes.
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / "bench.sqlite3")
    (ROOT / "var").mkdir(exist_ok=True)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


@contextmanager
def timer(results: dict, name: str):
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start


def best_of(n: int, fn) -> float:
    """The fastest of `n` timed calls of `fn()`, in seconds."""
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
