"""The worker's course catalogue with 2,000 courses: server time and query count at two
page sizes (and with a Chinese search), against a trivial view in the same run.

    .venv/bin/python benchmarks/catalogue.py [--courses 2000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_courses .venv/bin/python …

A fresh test database is created and dropped (as the test runner does). The courses
are written in bulk (page rows with their tree paths, then the course rows), each
with one or two trainers. Requests go through the whole Django stack (middleware,
session, template) with the test client; the figure is the median time per request.
Goal: under 150 ms, and the same number of queries whatever the page size.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402


def build(count: int):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from courses.models import CoursePage
    from courses.services import course_library_ensure
    from demo.courses_content import ANGLES, STEMS
    from lms.org.models import OrgLevel, OrgNode
    from tests.people.factories import WorkerFactory
    from trainers.models import Trainer

    city = OrgNode.add_root(code="510100", name="示范市", level=OrgLevel.CITY)
    district = OrgNode.objects.get(pk=city.pk).add_child(
        code="510104", name="锦江区", level=OrgLevel.DISTRICT
    )
    street = OrgNode.objects.get(pk=district.pk).add_child(
        code="510104001", name="书院街街道", level=OrgLevel.STREET
    )
    community = OrgNode.objects.get(pk=street.pk).add_child(
        code="510104001001", name="和平社区", level=OrgLevel.COMMUNITY
    )
    worker = WorkerFactory(community=community)
    trainers = Trainer.objects.bulk_create(
        Trainer(name=f"讲师{i}", org=city, source="contest") for i in range(50)
    )
    index = course_library_ensure()
    ct = ContentType.objects.get_for_model(CoursePage)
    now = timezone.now()
    pages = []
    for i in range(1, count + 1):
        stem, topic, series = STEMS[i % len(STEMS)]
        title = f"{stem}{ANGLES[i % len(ANGLES)]}（{i}）"
        if i % 97 == 0:
            title = f"党建引领社区治理增效（{i}）"
        slug = f"course-{i}"
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(index.path, index.depth + 1, i),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                content_type=ct,
                live=True,
                first_published_at=now,
                last_published_at=now,
                locale_id=index.locale_id,
            )
        )
    pages = Page.objects.bulk_create(pages, batch_size=500)
    Page.objects.filter(pk=index.pk).update(numchild=count)
    rows = []
    for n, page in enumerate(pages, 1):
        stem, topic, series = STEMS[n % len(STEMS)]
        owner = city if n % 3 else district
        rows.append(
            (
                page.pk,
                f"围绕{stem}讲解政策要点与案例，帮助社区工作者学以致用。",
                topic,
                series,
                ["basic", "intermediate", "advanced"][n % 3],
                "" if n % 2 else ",staff,grid_worker,",
                n <= 21,
                "1.25",
                owner.pk,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO courses_coursepage (page_ptr_id, summary, topic, series, level,"
            " target_posts, premium, study_hours, owner_org_id, cover_id)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL)",
            rows,
        )
    through = CoursePage.trainers.through
    through.objects.bulk_create(
        [
            through(coursepage_id=page.pk, trainer_id=trainers[(n * k) % 50].pk)
            for n, page in enumerate(pages, 1)
            for k in range(1, 1 + (n % 2) + 1)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return worker


def measure(client, url, params, runs):
    client.get(url, params)  # warm up (templates, caches)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    return statistics.median(times) * 1000, len(ctx.captured_queries), response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()  # lets the client see the template context
    old = setup_databases(verbosity=0, interactive=False)
    try:
        t0 = time.perf_counter()
        worker = build(args.courses)
        print(
            f"database: {connection.vendor}; {args.courses} courses built in "
            f"{time.perf_counter() - t0:.1f}s"
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(worker.user)
        base_ms, base_q, _ = measure(client, "/healthz", {}, args.runs)
        print(f"baseline /healthz (trivial view): {base_ms:.1f} ms, {base_q} queries")
        results = []
        for label, params in [
            ("catalogue, 10 per page", {"size": 10}),
            ("catalogue, 50 per page", {"size": 50}),
            ("catalogue, search 社区治理, 50 per page", {"size": 50, "q": "社区治理"}),
            (
                "catalogue, filters series+post+level, 20/page",
                {"series": "governance", "post": "staff", "level": "basic"},
            ),
        ]:
            ms, queries, response = measure(client, "/learn/", params, args.runs)
            shown = len(response.context["page"])
            total = response.context["page"].paginator.count
            results.append((label, ms, queries))
            print(
                f"{label}: {ms:.1f} ms (×{ms / base_ms:.1f} the baseline), "
                f"{queries} queries, {shown} shown of {total}"
            )
        same = results[0][2] == results[1][2]
        worst = max(ms for _l, ms, _q in results)
        print(
            f"queries constant across page sizes: {'yes' if same else 'NO'}; "
            f"slowest {worst:.1f} ms — goal < 150 ms: {'met' if worst < 150 else 'MISSED'}"
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
