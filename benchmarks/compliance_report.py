"""City-wide compliance report and a district dashboard, against a raw SQL aggregate.

Needs a seeded PostgreSQL database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench \
        .venv/bin/python manage.py seed_demo --workers 66380
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench \
        .venv/bin/python benchmarks/compliance_report.py

If the ledger holds fewer than 400,000 entries for the year (the training app's demo
ledger is not there yet), a BENCHMARK-ONLY generator writes ~550,000 synthetic entries
(source keys "bench:…") first; the platform never writes such rows.

Prints: the baseline (one raw GROUP BY over the year's ledger, all rows fetched), the
city-wide report (compliance of every worker, and the JSON file), each as seconds and
as a ratio to the baseline; and a district dashboard's server time (test client).
"""

import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from lms.accounts.models import Role, User  # noqa: E402
from lms.compliance.reports import report_build  # noqa: E402
from lms.compliance.selectors import compliance_rows  # noqa: E402
from lms.org.models import OrgLevel, OrgNode  # noqa: E402
from lms.people.models import Worker  # noqa: E402
from lms.training.models import CreditEntry  # noqa: E402

TARGET_ENTRIES = 550_000
NULL = "\\N"  # COPY's NULL
RUNS = 3


def _benchmark_only_ledger(year: int) -> int:
    """Write ~550,000 synthetic ledger lines for `year` with COPY (benchmark data only).

    Per worker about 8 lines: in-person class days, online lessons (hours), passed
    tests, some approved external training; induction for the year's hires; a
    rotation class by a district for most secretaries.
    """
    rng = random.Random(year)
    districts = list(
        OrgNode.objects.filter(level=OrgLevel.DISTRICT).values_list("id", flat=True)
    )
    streets = list(
        OrgNode.objects.filter(level=OrgLevel.STREET).values_list("id", flat=True)
    )
    workers = list(
        connection.cursor().execute(
            "SELECT id, post, hire_date FROM people_worker ORDER BY id"
        )
    )
    first = dt.date(year, 1, 1)
    span = (min(timezone.localdate(), dt.date(year, 12, 31)) - first).days + 1
    now = timezone.now().isoformat()
    buffer = io.StringIO()
    n = 0

    def line(worker_id, when, days, hours, kind, ttype, form, organiser):
        nonlocal n
        n += 1
        buffer.write(
            f"{worker_id}\t{when.isoformat()}\t{days}\t{hours}\t{kind}\t{ttype}\t"
            f"{form}\t{organiser or NULL}\t基准测试培训\tbench:{year}:{n}\t{{}}\t\t"
            f"{now}\t\n"
        )

    per_worker = TARGET_ENTRIES / max(1, len(workers))
    for worker_id, post, hire in workers:
        start = max(first, hire)
        if start.year > year:
            continue
        days_left = max(1, span - (start - first).days)

        def day(start=start, days_left=days_left):
            return start + dt.timedelta(days=rng.randrange(days_left))

        count = max(1, round(rng.gauss(per_worker, 2)))
        if hire.year == year:
            line(
                worker_id,
                day(),
                "1.00",
                "6.00",
                "in_person",
                "induction",
                "in_person",
                rng.choice(streets),
            )
            count -= 1
        if post == "secretary" and rng.random() < 0.8:
            line(
                worker_id,
                day(),
                "2.00",
                "12.00",
                "in_person",
                "rotation",
                "in_person",
                rng.choice(districts),
            )
            count -= 1
        for _ in range(max(0, count)):
            roll = rng.random()
            if roll < 0.35:
                d = rng.choice(("0.50", "1.00"))
                line(
                    worker_id,
                    day(),
                    d,
                    f"{float(d) * 6:.2f}",
                    "in_person",
                    "on_the_job",
                    "in_person",
                    rng.choice(streets),
                )
            elif roll < 0.80:
                line(
                    worker_id,
                    day(),
                    "0.00",
                    rng.choice(("1.00", "0.50", "0.25")),
                    "online",
                    "continuing",
                    "online",
                    None,
                )
            elif roll < 0.95:
                line(
                    worker_id,
                    day(),
                    "0.00",
                    "0.50",
                    "test",
                    "continuing",
                    "online",
                    None,
                )
            else:
                line(
                    worker_id,
                    day(),
                    "1.00",
                    "6.00",
                    "external",
                    "continuing",
                    "study_tour",
                    None,
                )
    buffer.seek(0)
    columns = (
        "worker_id, date, days, hours, kind, training_type, form, organiser_id, "
        "title, source_key, evidence, evidence_file, created_at, reason"
    )
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY training_creditentry ({columns}) FROM STDIN") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
    return n


def _best(fn, runs=RUNS):
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), result


def main():
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL=postgres://…).")
    year = timezone.localdate().year
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    entries = CreditEntry.objects.filter(date__gte=first, date__lte=last).count()
    if entries < 400_000:
        t0 = time.perf_counter()
        written = _benchmark_only_ledger(year)
        print(
            f"benchmark-only ledger: wrote {written:,} synthetic entries "
            f"in {time.perf_counter() - t0:.1f}s"
        )
        entries = CreditEntry.objects.filter(date__gte=first, date__lte=last).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum keeps them
    city = OrgNode.get_first_root_node()
    workers = Worker.objects.count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"year {year}: {workers:,} workers, {entries:,} ledger entries; "
        f"load average {load} on {os.cpu_count()} cores"
    )

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT worker_id, kind, SUM(days), SUM(hours) "
                "FROM training_creditentry WHERE date BETWEEN %s AND %s "
                "GROUP BY worker_id, kind",
                [first, last],
            )
            return len(cursor.fetchall())

    raw_best, raw_median, groups = _best(raw)
    print(
        f"baseline raw SQL aggregate ({groups:,} groups): {raw_best:.3f}s "
        f"(median {raw_median:.3f}s)"
    )

    rows_best, rows_median, rows = _best(lambda: compliance_rows(year=year, root=city))
    counts = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    print(
        f"city-wide compliance of {len(rows):,} workers: {rows_best:.3f}s "
        f"(median {rows_median:.3f}s) = {rows_best / raw_best:.2f}x the baseline; "
        f"statuses {dict(sorted(counts.items()))}"
    )
    json_best, json_median, built = _best(
        lambda: report_build(year=year, root=city, fmt="json")
    )
    print(
        f"city-wide JSON report ({len(built[1]) / 1e6:.1f} MB): {json_best:.3f}s "
        f"(median {json_median:.3f}s) = {json_best / raw_best:.2f}x the baseline; "
        f"goal < 2 s: {'OK' if json_best < 2 else 'MISSED'}"
    )

    district = OrgNode.objects.filter(level=OrgLevel.DISTRICT).order_by("path").first()
    admin = User.objects.filter(role=Role.ADMIN, org=district).first()
    client = Client()
    client.force_login(admin)
    url = f"/compliance/dashboard/?org={district.code}&year={year}"
    assert client.get(url).status_code == 200
    dash_best, dash_median, response = _best(lambda: client.get(url), runs=5)
    district_workers = Worker.objects.filter(
        community__path__startswith=district.path
    ).count()
    print(
        f"district dashboard {district.name} ({district_workers:,} workers): "
        f"{dash_best * 1000:.0f} ms (median {dash_median * 1000:.0f} ms) = "
        f"{dash_best / raw_best:.2f}x the city-wide baseline; goal < 300 ms: "
        f"{'OK' if dash_best < 0.3 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
