"""Bulk enrolment of 20,000 workers into one class, against a bare bulk_create.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench_enrol \
        .venv/bin/python benchmarks/bulk_enrolment.py [--workers 20000]

Builds its own data in the database named by DATABASE_URL (a fresh test database is
created and dropped, as the test runner does): a district with streets and
communities and `--workers` workers. Then, in the same run:

- baseline: `Enrolment.objects.bulk_create` of the same rows, nothing else (then
  deleted again);
- `enrolment_bulk_create` — the service the Celery task calls: locks the class, reads
  the workers and existing enrolments, checks each worker's eligibility, fills seats
  and the waiting list, writes in bulk and builds the per-worker report — followed by
  the XLSX report the job offers for download;
- the same service a second time (idempotence: nothing added).

Prints seconds, the query counts and the ratio against the baseline. Target: under 30 s.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,  # noqa: E402
    setup_databases,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402


def build(workers: int):
    from lms.org.models import OrgLevel, OrgNode
    from lms.people.models import Post, PostSpan, Worker
    from lms.training.models import TrainingClass

    city = OrgNode.add_root(code="510100", name="示范市", level=OrgLevel.CITY)
    district = OrgNode.objects.get(pk=city.pk).add_child(
        code="510104", name="锦江区", level=OrgLevel.DISTRICT
    )
    communities = []
    for s in range(1, 11):
        street = OrgNode.objects.get(pk=district.pk).add_child(
            code=f"510104{s:03d}", name=f"第{s}街道", level=OrgLevel.STREET
        )
        for c in range(1, 45):
            communities.append(
                OrgNode.objects.get(pk=street.pk).add_child(
                    code=f"510104{s:03d}{c:03d}",
                    name=f"第{s}街道第{c}社区",
                    level=OrgLevel.COMMUNITY,
                )
            )
    posts = [Post.STAFF] * 5 + [Post.GRID_WORKER] * 4 + [Post.MEMBER]
    rows = []
    for i in range(workers):
        rows.append(
            Worker(
                name=f"工作者{i}",
                id_number_encrypted="x",
                id_number_digest=f"bench{i:012d}",
                id_number_masked="510104********0000",
                gender="F",
                birth_date=dt.date(1990, 1, 1),
                hire_date=dt.date(2018, 3, 1),
                community=communities[i % len(communities)],
                post=posts[i % len(posts)],
            )
        )
    Worker.objects.bulk_create(rows, batch_size=5000)
    PostSpan.objects.bulk_create(
        [
            PostSpan(
                worker=w, post=w.post, community_id=w.community_id, start=w.hire_date
            )
            for w in Worker.objects.only("id", "post", "community_id", "hire_date")
        ],
        batch_size=5000,
    )
    now = timezone.now()
    klass = TrainingClass.objects.create(
        title="锦江区社区工作者全员轮训",
        level="district",
        type="continuing",
        organiser=district,
        target_org=district,
        capacity=workers,
        enrol_opens=now - dt.timedelta(days=1),
        enrol_closes=now + dt.timedelta(days=10),
    )
    return klass, district


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20000)
    args = parser.parse_args()

    from lms.accounts.exports import write_table
    from lms.people.models import Worker
    from lms.training.models import Enrolment
    from lms.training.services import enrolment_bulk_create

    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor}; building {args.workers} workers…")
        klass, district = build(args.workers)
        ids = list(Worker.objects.values_list("id", flat=True))

        # warm up the connection and caches so neither measurement pays for it
        Enrolment.objects.bulk_create(
            [
                Enrolment(training_class=klass, worker_id=w, status="enrolled")
                for w in ids[:50]
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM training_enrolment")

        t0 = time.perf_counter()
        with transaction.atomic():
            Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        training_class=klass,
                        worker_id=wid,
                        status="enrolled",
                        source="bulk",
                        requested_at=timezone.now(),
                    )
                    for wid in ids
                ],
                batch_size=2000,
            )
        baseline = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM training_enrolment")

        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            result = enrolment_bulk_create(training_class=klass, org=district, posts=[])
            service = time.perf_counter() - t0
            content = write_table(
                "xlsx",
                ["name", "ID number", "community", "outcome", "reason"],
                result["report"],
            )
            with_report = time.perf_counter() - t0
        enrolled = Enrolment.objects.filter(
            training_class=klass, status="enrolled"
        ).count()
        t0 = time.perf_counter()
        again = enrolment_bulk_create(training_class=klass, org=district, posts=[])
        second = time.perf_counter() - t0

        print(f"baseline bulk_create of {len(ids)} enrolments:  {baseline:7.2f} s")
        print(
            f"enrolment_bulk_create ({result['enrolled']} enrolled, "
            f"{result['waiting']} waiting, {result['skipped']} skipped): "
            f"{service:7.2f} s  ({len(queries)} queries incl. report) "
            f"ratio {service / baseline:.2f}x"
        )
        print(
            f"  + XLSX report ({len(content) // 1024} KiB):           "
            f"{with_report:7.2f} s  ratio {with_report / baseline:.2f}x"
        )
        print(
            f"second run (idempotent: {again['enrolled']} added, "
            f"{again['skipped']} skipped): {second:7.2f} s"
        )
        print(f"enrolled in the database: {enrolled}")
        verdict = "PASS" if with_report < 30 else "FAIL"
        print(
            f"{verdict}: {args.workers} workers in {with_report:.1f} s (target < 30 s)"
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
