"""The register imported from spreadsheets as street offices keep them, with a preview
(dry run) that writes nothing, and the downloadable template filled in by an office."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from lms.jobs.models import Job, JobStatus
from lms.people.models import PostSpan, Worker
from lms.people.services.workers import worker_import
from lms.tabular import ImportFailed
from tests.people.factories import AdminFactory, valid_id_number
from tests.tabular.office import office_xlsx, xls

HEADER = [
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
    "备注",
]
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def numbers():
    return [valid_id_number(dt.date(1980 + i, 3, 4), "MF"[i % 2]) for i in range(5)]


def roster(numbers) -> bytes:
    """Five people as an office types them."""
    return office_xlsx(
        HEADER,
        [
            ["张伟", numbers[0].lower(), "大学本科", "中共党员", "社会工作师",
             dt.datetime(2019, 5, 6), "510101001001", "社区党委书记", "2019.5.6",
             "+86 138-0000-1111", ""],
            ["李娜", " " + numbers[1], "硕士研究生", "中共预备党员", "助理社工师",
             "2019/5/6", "510101001001", "副主任", "20190506", "0086 13900002222",
             "调入"],
            ["王芳", numbers[2], "大专", "民盟", "无", "2019年5月6日", "510101001002",
             "网格员", "", "028-8765 4321", ""],
            ["赵强", numbers[3], "中专", "无党派人士", "", 43591, "５１０１０１００１００２",
             "社区干事", "", "", ""],
            ["孙丽", numbers[4], "初中及以下", "群众", "", "2019-5-6", "510101001002",
             "党务专干", "2020-1-1", "13700003333", ""],
        ],
    )  # fmt: skip


def test_an_office_roster_imports_whole(tree, numbers):
    """Title, note, 序号 and 备注 columns, blank row and signature footer; every value
    as typed: all five people are stored, the footer is listed as ignored."""
    report = worker_import(name="花名册.xlsx", content=roster(numbers), today=TODAY)
    assert report.counts == {"created": 5, "updated": 0, "unchanged": 0, "ignored": 1}
    assert report.ignored == [
        {"row": 11, "text": "填表人：王芳 审核人：李强 填表日期：2025年3月1日"}
    ]
    got = {
        w.name: (
            w.id_number,
            w.education,
            w.political_status,
            w.qualification,
            w.hire_date,
            w.community.code,
            w.post,
            w.phone,
        )
        for w in Worker.objects.select_related("community")
    }
    may6 = dt.date(2019, 5, 6)
    assert got == {
        "张伟": (numbers[0], "bachelor", "cpc_member", "social_worker", may6,
                 "510101001001", "secretary", "13800001111"),
        "李娜": (numbers[1], "master", "cpc_probationary", "assistant", may6,
                 "510101001001", "deputy", "13900002222"),
        "王芳": (numbers[2], "college", "other_party", "", may6, "510101001002",
                 "grid_worker", "02887654321"),
        "赵强": (numbers[3], "senior_high", "non_party", "", may6, "510101001002",
                 "staff", ""),
        "孙丽": (numbers[4], "junior_high", "masses", "", may6, "510101001002",
                 "party_affairs", "13700003333"),
    }  # fmt: skip
    assert PostSpan.objects.get(worker__name="孙丽").start == dt.date(2020, 1, 1)


def test_the_same_roster_as_old_xls(tree, numbers):
    rows = [
        ["东华社区工作者花名册"],
        ["序号", "姓名", "身份证号", "入职日期", "社区代码", "岗位"],
    ]
    rows.append([1, "张伟", numbers[0], dt.date(2019, 5, 6), "510101001001", "网格员"])
    rows.append(["审核人：李强"])
    report = worker_import(name="花名册.xls", content=xls(rows), today=TODAY)
    assert report.counts == {"created": 1, "updated": 0, "unchanged": 0, "ignored": 1}
    assert Worker.objects.get().hire_date == dt.date(2019, 5, 6)


def test_dry_run_lists_changes_old_to_new_and_writes_nothing(tree, numbers):
    """The preview of a second roster: one person changes post and phone (old and new
    shown, the phone masked), the others are unchanged, nothing is written."""
    worker_import(name="a.xlsx", content=roster(numbers), today=TODAY)
    before = list(Worker.objects.values_list("id", "updated_at", "post"))
    workbook = load_workbook(io.BytesIO(roster(numbers)))
    sheet = workbook.active
    sheet["I4"] = "网格员"  # 张伟's post, from 2025
    sheet["J4"] = "2025-01-01"
    sheet["K4"] = "13811112222"
    out = io.BytesIO()
    workbook.save(out)
    with translation.override("zh-hans"):
        report = worker_import(
            name="b.xlsx", content=out.getvalue(), today=TODAY, dry_run=True
        )
    assert report.dry_run
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 4, "ignored": 1}
    assert report.changed == [
        {
            "row": 4,
            "label": f"张伟 {numbers[0][:6]}********{numbers[0][-4:]}",
            "changes": [
                ["手机号", "138****1111", "138****2222"],
                ["岗位", "社区党组织书记", "网格员"],
            ],
        }
    ]
    assert list(Worker.objects.values_list("id", "updated_at", "post")) == before


def test_bad_rows_are_all_reported_in_both_languages(tree, numbers):
    """A county code that never existed, a birth date in the future, a hire before
    16: each named, in Chinese and English; nothing written."""
    never = "99999919900101001"
    from lms.people.rules import id_check_char

    young = valid_id_number(dt.date(2005, 1, 1), "F")
    future = "11010520300101002"
    content = office_xlsx(
        HEADER[:7] + ["职务"],
        [
            ["甲", never + id_check_char(never), "", "", "", "2020-1-1", "510101001001", "网格员"],
            ["乙", young, "", "", "", "2020-1-1", "510101001001", "网格员"],
            ["丙", future + id_check_char(future), "", "", "", "2020-1-1", "510101001001", "网格员"],
        ],
    )  # fmt: skip
    with pytest.raises(ImportFailed) as failed:
        worker_import(name="x.xlsx", content=content, today=TODAY)
    assert [(e.row, e.column, e.message_zh, e.message_en) for e in failed.value.errors] == [
        (4, "id_number",
         "身份证号无效：前六位不是县级行政区划代码（GB/T 2260）。",
         "Invalid ID number: the first six digits are not a county-level division "
         "code (GB/T 2260)."),
        (6, "hire_date", "入职时未满 16 周岁（出生于 2005-01-01）。",
         "Younger than 16 on the hire date (born 2005-01-01)."),
        (7, "id_number", "身份证号无效：出生日期在未来。",
         "Invalid ID number: birth date is in the future."),
    ]  # fmt: skip
    assert failed.value.ignored == [
        {"row": 9, "text": "填表人：王芳 审核人：李强 填表日期：2025年3月1日"}
    ]
    assert not Worker.objects.exists()


def test_the_command_has_a_dry_run_with_the_same_report(
    tree, numbers, tmp_path, capsys
):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(roster(numbers))
    call_command("import_workers", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert f"add row 4: 张伟 {numbers[0][:6]}********{numbers[0][-4:]}" in out
    assert "ignored row 11: 填表人：王芳" in out
    assert out.strip().endswith(
        "dry run (nothing written) - created: 5, updated: 0, unchanged: 0, ignored: 1"
    )
    assert not Worker.objects.exists()
    call_command("import_workers", str(path))
    assert Worker.objects.count() == 5


def test_the_template_filled_in_as_an_office_would(client, tree, numbers):
    """Download the template, give it a title row above the header, delete the
    example, type rows the office's way, sign it below: it imports whole."""
    admin = AdminFactory(org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(admin)
    response = client.get("/admin/people/import/template/import_workers.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    sheet.delete_rows(2)  # the example row
    sheet.insert_rows(1)
    sheet["A1"] = "东华社区工作者花名册（2025年）"
    sheet.append(["陈晨", f"{numbers[0][:6]} {numbers[0][6:]}", "本科", "群众", "",
                  "2021年3月1日", "510101001001", "网格员", "", "139 0000 1234"])  # fmt: skip
    sheet.append([])
    sheet.append(["填表人：王芳", "", "审核人：李强"])
    out = io.BytesIO()
    workbook.save(out)
    report = worker_import(name="t.xlsx", content=out.getvalue(), actor=admin)
    assert report.counts == {"created": 1, "updated": 0, "unchanged": 0, "ignored": 1}
    worker = Worker.objects.get()
    assert (worker.id_number, worker.hire_date, worker.phone) == (
        numbers[0],
        dt.date(2021, 3, 1),
        "13900001234",
    )


def test_an_import_job_that_fails_for_any_reason_ends_failed_with_the_reason(
    client, tree, django_capture_on_commit_callbacks, monkeypatch
):
    """A picture named .xlsx, and an error nobody foresaw: both jobs end failed with
    a message, never left running."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = AdminFactory(org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(admin)

    def upload(content: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/admin/people/import/",
                {
                    "kind": "import_workers",
                    "file": SimpleUploadedFile("w.xlsx", content),
                },
            )
        return Job.objects.latest("pk")

    job = upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert (job.status, job.message) == (
        JobStatus.FAILED,
        "文件不是可读取的表格：请使用 XLSX、XLS 或 CSV。",
    )

    def broken(**kwargs):
        raise RuntimeError("disk on fire 110105194912310021")

    monkeypatch.setitem(
        __import__("lms.people.tasks", fromlist=["IMPORTERS"]).IMPORTERS,
        "import_workers",
        broken,
    )
    job = upload(b"a,b\n1,2\n")
    assert job.status == JobStatus.FAILED
    assert job.message == (
        "导入因意外错误（RuntimeError）中止，未导入任何数据。详细信息见服务器日志。"
    )


def test_a_change_of_post_needs_the_day_it_starts(tree, numbers):
    """A roster that changes someone's post without 任现职时间 (the hire date would be
    taken) is refused on that row: the post held now would end before it began.
    (Before, the job stopped on a database error.)"""
    first = roster(numbers)
    worker_import(name="a.xlsx", content=first, today=TODAY)
    workbook = load_workbook(io.BytesIO(first))
    workbook.active["I6"] = "网格员"  # 李娜, deputy since 2019-05-06 (20190506)
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()
    with pytest.raises(ImportFailed) as failed, translation.override("en"):
        worker_import(name="b.xlsx", content=content, today=TODAY)
    assert [(e.row, e.column, e.message_en) for e in failed.value.errors] == [
        (6, "post_start", "The post changes: give the day the new post starts, "
         "after 2019-05-06.")
    ]  # fmt: skip
    workbook.active["J6"] = "2025-01-01"
    out = io.BytesIO()
    workbook.save(out)
    worker_import(name="c.xlsx", content=out.getvalue(), today=TODAY)
    spans = PostSpan.objects.filter(worker__name="李娜").order_by("start")
    assert [(s.post, s.start, s.end) for s in spans] == [
        ("deputy", dt.date(2019, 5, 6), dt.date(2024, 12, 31)),
        ("grid_worker", dt.date(2025, 1, 1), None),
    ]


def test_blank_optional_cells_keep_what_is_stored(tree, numbers):
    """A later roster without phones or qualifications changes nothing; 无 clears a
    qualification."""
    worker_import(name="a.xlsx", content=roster(numbers), today=TODAY)
    workbook = load_workbook(io.BytesIO(roster(numbers)))
    for row in range(4, 10):
        workbook.active[f"K{row}"] = None  # 联系电话
        workbook.active[f"F{row}"] = None  # 职业资格
    workbook.active["F6"] = "无"
    out = io.BytesIO()
    workbook.save(out)
    report = worker_import(name="b.xlsx", content=out.getvalue(), today=TODAY)
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 4, "ignored": 1}
    assert [c["label"][:2] for c in report.changed] == ["李娜"]
    zhang = Worker.objects.get(name="张伟")
    assert (zhang.phone, zhang.qualification) == ("13800001111", "social_worker")
    assert Worker.objects.get(name="李娜").qualification == ""


def test_gender_must_agree_with_the_id_number_and_is_read_from_it_when_blank(
    tree, numbers
):
    """numbers[0] and [2] are men's (odd 17th digit), numbers[1] a woman's."""
    header = ["姓名", "性别", "身份证号码", "入职时间", "社区代码", "职务"]

    def content(first_gender: str) -> bytes:
        return office_xlsx(
            header,
            [
                ["张伟", first_gender, numbers[0], "2020-1-1", "510101001001", "网格员"],
                ["李娜", "女", numbers[1], "2020-1-1", "510101001001", "网格员"],
                ["王强", "", numbers[2], "2020-1-1", "510101001001", "网格员"],
            ],
        )  # fmt: skip

    with pytest.raises(ImportFailed) as failed:
        worker_import(name="x.xlsx", content=content("女"), today=TODAY)
    assert [(e.row, e.column, e.message_zh, e.message_en) for e in failed.value.errors] == [
        (4, "gender", "性别 女 与身份证号码不符（第 17 位表示男）。",
         "Gender 女 contradicts the ID number (its 17th digit says Male)."),
    ]  # fmt: skip
    assert not Worker.objects.exists()
    worker_import(name="x.xlsx", content=content("男"), today=TODAY)
    assert dict(Worker.objects.values_list("name", "gender")) == {
        "张伟": "M",
        "李娜": "F",
        "王强": "M",
    }
