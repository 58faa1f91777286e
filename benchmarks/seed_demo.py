"""seed_demo --workers 66380 against a bare bulk_create of as many worker rows.

    .venv/bin/python benchmarks/seed_demo.py [--workers 66380]

Goal: the whole seed (every app's demo step) under 3 minutes.
"""

import argparse
import datetime as dt
import io

from _bench import bench_database, timer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=66380)
    workers = parser.parse_args().workers
    with bench_database() as vendor:
        from django.core.management import call_command

        from demo.org import seed_tree
        from lms.org.models import OrgNode
        from lms.people.models import Worker

        results: dict = {}
        import random

        tree = seed_tree(rng=random.Random(1), workers=workers)
        community = tree["communities"][0]
        with timer(results, "baseline"):
            Worker.objects.bulk_create(
                [
                    Worker(
                        name="x",
                        id_number_encrypted="x",
                        id_number_digest=str(i),
                        id_number_masked="x",
                        gender="F",
                        birth_date=dt.date(1990, 1, 1),
                        hire_date=dt.date(2015, 1, 1),
                        community=community,
                        post="staff",
                    )
                    for i in range(workers)
                ],
                batch_size=2000,
            )
        Worker.objects.all().delete()
        OrgNode.objects.all().delete()
        out = io.StringIO()
        with timer(results, "seed"):
            call_command("seed_demo", workers=workers, stdout=out)
        print(out.getvalue().strip())
        print(f"database: {vendor}, workers: {workers}")
        print(
            f"baseline bare bulk_create of {workers} workers: {results['baseline']:.1f} s"
        )
        print(
            f"seed_demo: {results['seed']:.1f} s  ratio "
            f"{results['seed'] / results['baseline']:.1f}x  (goal < 180 s)"
        )


if __name__ == "__main__":
    main()
