"""import_workers of 66,380 rows against a bare bulk_create of the same rows.

    .venv/bin/python benchmarks/import_workers.py [--rows 66380]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench .venv/bin/python benchmarks/import_workers.py

Goal: under 60 s on SQLite and on PostgreSQL.
"""

import argparse
import random

from _bench import bench_database, timer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=66380)
    rows = parser.parse_args().rows
    with bench_database() as vendor:
        from demo.org import seed_tree
        from demo.people import _id_number
        from lms.people import pii
        from lms.people.models import PostSpan, Worker
        from lms.people.rules import mask_id_number, mask_phone
        from lms.people.services import worker_import
        from lms.tabular import write_table

        rng = random.Random(1)
        tree = seed_tree(rng=rng, workers=rows)
        communities = tree["communities"]
        used: set = set()
        data = []
        for i in range(rows):
            community = communities[i % len(communities)]
            birth = f"{rng.randint(1966, 2001)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            import datetime as dt

            number = _id_number(
                rng, community.code[:6], dt.date.fromisoformat(birth), "F", used
            )
            data.append(
                [
                    f"测试{i}",
                    number,
                    "本科",
                    "群众",
                    "",
                    "2018-07-01",
                    community.code,
                    "网格员",
                    "2018-07-01",
                    f"139{rng.randrange(10**7, 10**8)}",
                ]
            )
        headers = [
            "姓名",
            "身份证号",
            "学历",
            "政治面貌",
            "职业资格",
            "入职日期",
            "社区代码",
            "岗位",
            "岗位开始日期",
            "手机号",
        ]
        content = write_table("csv", headers, data)
        results: dict = {}

        by_code = {c.code: c for c in communities}
        with timer(results, "bulk_create"):
            objects = [
                Worker(
                    name=r[0],
                    id_number_encrypted=pii.encrypt(r[1]),
                    id_number_digest=pii.digest(r[1]),
                    id_number_masked=mask_id_number(r[1]),
                    gender="F",
                    birth_date=dt.date(1990, 1, 1),
                    education="bachelor",
                    political_status="masses",
                    hire_date=dt.date(2018, 7, 1),
                    phone_encrypted=pii.encrypt(r[9]),
                    phone_masked=mask_phone(r[9]),
                    community=by_code[r[6]],
                    post="grid_worker",
                )
                for r in data
            ]
            Worker.objects.bulk_create(objects, batch_size=2000)
        PostSpan.objects.all().delete()
        Worker.objects.all().delete()

        with timer(results, "import"):
            outcome = worker_import(name="workers.csv", content=content)
        with timer(results, "reimport"):
            again = worker_import(name="workers.csv", content=content)
        assert outcome["created"] == rows and again["unchanged"] == rows
        print(f"database: {vendor}, rows: {rows}")
        print(f"bare bulk_create (with encryption): {results['bulk_create']:.1f} s")
        print(
            f"import_workers:   {results['import']:.1f} s  "
            f"ratio {results['import'] / results['bulk_create']:.2f}x  (goal < 60 s)"
        )
        print(
            f"re-import (no change): {results['reimport']:.1f} s  "
            f"ratio {results['reimport'] / results['bulk_create']:.2f}x"
        )


if __name__ == "__main__":
    main()
