"""The mentor pool's dashboard (续航计划) for a city with 2,000 assignments and 30,000
guidance visits (with their problems): the selector's time and query count at the
city and at a district, against counting the same visits row by row in Python (the
naive rollup), in the same run.

    .venv/bin/python benchmarks/pool_dashboard.py [--assignments 2000] [--visits 30000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_mentoring .venv/bin/python …

Goal: under 300 ms, and the same number of queries whatever the size.
"""

import argparse
import datetime as dt
import random
import time

from _bench import bench_database, best_of


def build(assignments: int, visits: int, rng: random.Random):
    from lms.org.models import OrgLevel, OrgNode
    from mentoring.models import (
        GuidanceProblem,
        GuidanceVisit,
        PoolAssignment,
        PoolMember,
        ProblemTopic,
    )

    city = OrgNode.add_root(code="510100", name="示范市", level=OrgLevel.CITY)
    communities = []
    for d in range(12):
        district = city.add_child(
            code=f"5101{d + 1:02d}", name=f"第{d}区", level="district"
        )
        for s in range(8):
            street = district.add_child(
                code=f"5101{d + 1:02d}{s:03d}", name=f"第{d}-{s}街道", level="street"
            )
            for c in range(12):
                communities.append(
                    street.add_child(
                        code=f"5101{d + 1:02d}{s:03d}{c:03d}",
                        name=f"第{d}-{s}-{c}社区",
                        level="community",
                    )
                )
    members = PoolMember.objects.bulk_create(
        PoolMember(name=f"老书记{n}", org=city, status="retired") for n in range(400)
    )
    rows = PoolAssignment.objects.bulk_create(
        PoolAssignment(
            member=rng.choice(members),
            community=rng.choice(communities),
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
        )
        for _ in range(assignments)
    )
    made = []
    for n in range(visits):
        a = rows[n % len(rows)]
        made.append(
            GuidanceVisit(
                assignment=a,
                community_id=a.community_id,
                date=dt.date(2026, 1, 1) + dt.timedelta(days=n % 330),
                topics="小区治理",
            )
        )
    made = GuidanceVisit.objects.bulk_create(made, batch_size=5000)
    topics = ProblemTopic.values
    GuidanceProblem.objects.bulk_create(
        (
            GuidanceProblem(
                visit=v,
                community_id=v.community_id,
                topic=topics[(i + k) % len(topics)],
                description="问题",
                resolved=(i + k) % 3 != 0,
            )
            for i, v in enumerate(made)
            for k in range(i % 3)
        ),
        batch_size=5000,
    )
    return city, OrgNode.objects.get(code="510101")


def naive(root):
    """Row by row: every visit and problem fetched, counted per child in Python."""
    from mentoring.models import GuidanceProblem, GuidanceVisit

    out = {}
    step = len(root.path) + 4
    for v in GuidanceVisit.objects.filter(
        community__path__startswith=root.path
    ).select_related("community"):
        out.setdefault(v.community.path[:step], [0, 0])[0] += 1
    for p in GuidanceProblem.objects.filter(
        community__path__startswith=root.path
    ).select_related("community"):
        out.setdefault(p.community.path[:step], [0, 0])[1] += 1
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignments", type=int, default=2000)
    parser.add_argument("--visits", type=int, default=30000)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from mentoring.selectors import pool_dashboard

        t0 = time.perf_counter()
        city, district = build(args.assignments, args.visits, random.Random(2026))
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"{vendor}: {args.assignments} assignments, {args.visits} visits "
            f"built in {time.perf_counter() - t0:.1f}s"
        )
        for root in (city, district):
            with CaptureQueriesContext(connection) as ctx:
                data = pool_dashboard(root)
            fast = best_of(5, lambda root=root: pool_dashboard(root))
            slow = best_of(2, lambda root=root: naive(root))
            print(
                f"{root.name}: {data['totals']} in {fast * 1000:.0f} ms, "
                f"{len(ctx.captured_queries)} queries; naive rollup {slow * 1000:.0f} ms "
                f"(x{slow / fast:.1f})"
            )


if __name__ == "__main__":
    main()
