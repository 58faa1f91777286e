"""Worker and post-history imports: all-or-nothing, every bad row reported, idempotent."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from lms.accounts.exports import write_table
from lms.people import pii
from lms.people.models import Post, PostSpan, Worker
from lms.people.services.posts import post_import
from lms.people.services.workers import worker_import
from lms.tabular import ImportFailed
from tests.people.factories import AdminFactory, valid_id_number

HEADER = (
    "姓名,身份证号,学历,政治面貌,职业资格,入职日期,社区代码,岗位,岗位开始日期,手机号\n"
)


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def two_rows(tree):
    a = valid_id_number(dt.date(1985, 2, 3), "M")
    b = valid_id_number(dt.date(1990, 11, 30), "F")
    content = csv_bytes(
        f"张伟,{a},本科,中共党员,社会工作师,2020-07-01,510101001001,社区党组织书记,2021/3/1,13800001111",
        f"李娜,{b},大专,群众,,2019/9/1,510101001002,网格员,,",
    )
    return a, b, content


def test_import_creates_workers_with_encrypted_numbers_and_spans(two_rows):
    a, _b, content = two_rows
    result = worker_import(name="w.csv", content=content)
    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "ignored": 0}
    worker = Worker.objects.get(id_number_digest=pii.digest(a))
    assert worker.name == "张伟"
    assert worker.id_number == a
    assert a not in worker.id_number_encrypted
    assert worker.id_number_masked == a[:6] + "********" + a[-4:]
    assert worker.gender == "M" and worker.birth_date == dt.date(1985, 2, 3)
    assert worker.post == Post.SECRETARY and worker.education == "bachelor"
    assert worker.phone == "13800001111" and worker.phone_masked == "138****1111"
    span = PostSpan.objects.get(worker=worker)
    assert (span.post, span.start, span.end) == (
        Post.SECRETARY,
        dt.date(2021, 3, 1),
        None,
    )


def test_reimporting_the_same_file_changes_nothing(two_rows):
    _a, _b, content = two_rows
    worker_import(name="w.csv", content=content)
    before = list(Worker.objects.values_list("id", "updated_at", "phone_encrypted"))
    result = worker_import(name="w.csv", content=content)
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 2, "ignored": 0}
    assert (
        list(Worker.objects.values_list("id", "updated_at", "phone_encrypted"))
        == before
    )
    assert PostSpan.objects.count() == 2


def test_a_new_post_closes_the_open_span(two_rows):
    a, _b, content = two_rows
    worker_import(name="w.csv", content=content)
    changed = csv_bytes(
        f"张伟,{a},本科,中共党员,社会工作师,2020-07-01,510101001001,副书记,2024-05-01,13800001111"
    )
    assert worker_import(name="w.csv", content=changed).counts["updated"] == 1
    spans = list(
        PostSpan.objects.filter(worker__id_number_digest=pii.digest(a)).order_by(
            "start"
        )
    )
    assert [(s.post, s.start, s.end) for s in spans] == [
        (Post.SECRETARY, dt.date(2021, 3, 1), dt.date(2024, 4, 30)),
        (Post.DEPUTY, dt.date(2024, 5, 1), None),
    ]


def test_every_bad_row_is_reported_and_nothing_is_written(tree):
    good = valid_id_number()
    content = csv_bytes(
        f"王芳,{good},本科,群众,,2020-01-01,510101001001,网格员,,",
        "赵强,110105194912310021,本科,群众,,2020-01-01,510101001001,网格员,,",
        f"钱多,{valid_id_number()},博士后,群众,,2020-13-01,999,厨师,,12ab",
        f",{good},本科,群众,,2020-01-01,510101001001,网格员,,",
    )
    with pytest.raises(ImportFailed) as failed:
        worker_import(name="w.csv", content=content)
    found = {(e.row, e.column) for e in failed.value.errors}
    assert found == {
        (3, "id_number"),
        (4, "education"),
        (4, "hire_date"),
        (4, "community_code"),
        (4, "post"),
        (4, "phone"),
        (5, "name"),
        (5, "id_number"),
    }
    check = next(e for e in failed.value.errors if e.row == 3)
    assert check.message_zh == "身份证号无效：校验位不正确。"
    assert check.message_en == "Invalid ID number: check digit does not match."
    assert Worker.objects.count() == 0


def test_xlsx_with_excel_serial_dates(tree):
    number = valid_id_number(dt.date(1992, 6, 1), "F")
    content = write_table(
        "xlsx",
        ["姓名", "身份证号", "入职日期", "社区代码", "岗位"],
        [["周敏", number, 45839, "510102001001", "staff"]],
    )
    worker_import(name="w.xlsx", content=content)
    worker = Worker.objects.get()
    assert worker.hire_date == dt.date(2025, 7, 1)
    assert worker.post == Post.STAFF


def test_district_admin_cannot_import_into_another_district(tree):
    admin = AdminFactory(org=tree["district1"])
    content = csv_bytes(
        f"孙丽,{valid_id_number()},本科,群众,,2020-01-01,510102001001,网格员,,"
    )
    with pytest.raises(ImportFailed) as failed:
        worker_import(name="w.csv", content=content, actor=admin)
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "community_code")]
    assert Worker.objects.count() == 0


def test_command_exits_non_zero_and_lists_rows(tree, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("周敏,123,本科,群众,,2020-01-01,510101001001,网格员,,"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_workers", str(path))
    assert "row 2 [id_number]" in capsys.readouterr().err


def test_post_import_sets_end_date_of_matching_span_and_refuses_overlap(two_rows):
    a, _b, content = two_rows
    worker_import(name="w.csv", content=content)
    header = "身份证号,岗位,社区代码,开始日期,结束日期\n"
    close = f"{header}{a},社区党组织书记,510101001001,2021-03-01,2023-12-31\n{a},副书记,510101001001,2024-01-01,\n"
    assert post_import(name="p.csv", content=close.encode()).counts == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "ignored": 0,
    }
    worker = Worker.objects.get(id_number_digest=pii.digest(a))
    assert worker.post == Post.DEPUTY
    assert post_import(name="p.csv", content=close.encode()).counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "ignored": 0,
    }
    overlap = f"{header}{a},两委委员,510101001001,2023-06-01,2024-02-01\n"
    with pytest.raises(ImportFailed) as failed:
        post_import(name="p.csv", content=overlap.encode())
    assert [(e.row, e.column, e.message_en) for e in failed.value.errors] == [
        (2, "start", "Overlaps the post held from 2021-03-01."),
        (2, "start", "Overlaps the post held from 2024-01-01."),
    ]
    assert PostSpan.objects.filter(worker=worker).count() == 2
