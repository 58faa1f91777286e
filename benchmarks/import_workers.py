"""import_workers of 66,380 rows from an office-shaped XLSX (a merged title row, a note,
a 序号 column, values as typed, a signature footer) against a bare bulk_create of the
same rows (encrypted, as stored) in the same run.

The baseline writes exactly what the rows carry, as the import does: one worker and
the post span of the post it names (a roster row is a person holding a post since a
date; the register keeps that as a span). Both are written with bulk_create in
batches of 2,000 on the same database, the baseline first.

    .venv/bin/python benchmarks/import_workers.py [--rows 66380]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_imports .venv/bin/python benchmarks/import_workers.py

Goal: the import (reading, checking and writing workers and their post spans) stays
within 1.5x the bare bulk_create of the same workers and spans.
"""

import argparse
import datetime as dt
import io
import random

from _bench import bench_database, timer

GOAL = 1.5
AREAS = ["510104", "510105", "510106", "510107", "510108", "510112", "510113"]
EDUCATIONS = ["大学本科", "本科", "大专", "硕士研究生", "中专", "高中"]
POLITICAL = ["中共党员", "中共预备党员", "群众", "共青团员", "民盟", "无党派人士"]


def office_workbook(headers: list[str], data: list[list]) -> bytes:
    """The rows as a street office's roster: title, note, 序号, footer."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["示范市社区工作者花名册（2025年）"])
    sheet.append(["填报单位：示范市民政局（盖章）"])
    sheet.append(["序号", *headers])
    for index, row in enumerate(data, start=1):
        sheet.append([index, *row])
    sheet.append([])
    sheet.append(["填表人：王芳", None, "审核人：李强", None, "填表日期：2025年3月1日"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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
        from lms.people.services.workers import worker_import
        from lms.tabular import ImportFailed

        rng = random.Random(1)
        tree = seed_tree(rng=rng, workers=rows)
        communities = tree["communities"]
        used: set = set()
        data = []
        for i in range(rows):
            community = communities[i % len(communities)]
            birth = dt.date(
                rng.randint(1966, 2001), rng.randint(1, 12), rng.randint(1, 28)
            )
            number = _id_number(rng, rng.choice(AREAS), birth, "F", used)
            hired = dt.date(2018, 7, 1) + dt.timedelta(days=rng.randrange(2000))
            data.append(
                [
                    f"测试{i}",
                    number,
                    rng.choice(EDUCATIONS),
                    rng.choice(POLITICAL),
                    "",
                    # dates as offices type them, and date cells
                    rng.choice(
                        [hired, hired.strftime("%Y/%-m/%-d"), f"{hired:%Y年%-m月%-d日}"]
                    ),
                    community.code,
                    rng.choice(["网格员", "社区干事", "社区专职工作者", "两委委员"]),
                    "",
                    f"+86 139-{rng.randrange(1000, 10000)}-{rng.randrange(1000, 10000)}",
                ]
            )
        headers = [
            "姓名",
            "身份证号码",
            "学历",
            "政治面貌",
            "职业资格",
            "入职时间",
            "社区代码",
            "职务",
            "任现职时间",
            "联系电话",
        ]
        content = office_workbook(headers, data)
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
            PostSpan.objects.bulk_create(
                [
                    PostSpan(
                        worker=w,
                        post=w.post,
                        community_id=w.community_id,
                        start=w.hire_date,
                    )
                    for w in objects
                ],
                batch_size=2000,
            )
        PostSpan.objects.all().delete()
        Worker.objects.all().delete()

        with timer(results, "import"):
            try:
                outcome = worker_import(name="花名册.xlsx", content=content)
            except ImportFailed as failed:
                raise SystemExit("\n".join(map(str, failed.errors[:20]))) from None
        with timer(results, "reimport"):
            again = worker_import(name="花名册.xlsx", content=content, dry_run=True)
        assert outcome.counts == {
            "created": rows,
            "updated": 0,
            "unchanged": 0,
            "ignored": 1,
        }, outcome.counts
        assert again.counts["unchanged"] == rows
        ratio = results["import"] / results["bulk_create"]
        print(
            f"database: {vendor}, rows: {rows}, file: {len(content) / 1024**2:.1f} MB"
        )
        print(
            f"bare bulk_create of workers and spans (with encryption): "
            f"{results['bulk_create']:.1f} s"
        )
        print(
            f"import_workers (xlsx, title, footer): {results['import']:.1f} s  "
            f"ratio {ratio:.2f}x  (goal <= {GOAL}x: {'met' if ratio <= GOAL else 'NOT met'})"
        )
        print(
            f"preview of the same file again (all unchanged): "
            f"{results['reimport']:.1f} s  "
            f"ratio {results['reimport'] / results['bulk_create']:.2f}x"
        )


if __name__ == "__main__":
    main()
