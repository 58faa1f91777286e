"""import_training: all-or-nothing, per-row bilingual errors, idempotent."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from lms.people import pii
from lms.tabular import ImportFailed, write_table
from lms.training.models import CreditEntry
from lms.training.services import training_import
from tests.people.factories import WorkerFactory, valid_id_number

pytestmark = pytest.mark.django_db

HEADERS = [
    "身份证号",
    "培训名称",
    "培训类型",
    "培训形式",
    "主办单位代码",
    "开始日期",
    "结束日期",
    "天数",
    "学时",
]


@pytest.fixture
def people(tree):
    ids = [valid_id_number() for _ in range(2)]
    workers = [WorkerFactory(community=tree["community11"], id_number=i) for i in ids]
    return list(zip(ids, workers, strict=True))


def _rows(people):
    (id1, _), (id2, _) = people
    return [
        [
            id1,
            "社区治理能力提升专题培训",
            "继续教育",
            "集中培训",
            "510101",
            "2026-06-10",
            "2026-06-11",
            "2",
            "",
        ],
        [
            id2,
            "社会工作师考前辅导",
            "exam_prep",
            "online",
            "",
            "2026-07-01",
            "2026-07-03",
            "",
            "9",
        ],
    ]


def test_import_credits_each_row_and_reimport_adds_nothing(people, tree):
    content = write_table("csv", HEADERS, _rows(people))
    result = training_import(name="t.csv", content=content)
    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "ignored": 0}
    first = CreditEntry.objects.get(worker=people[0][1])
    assert (first.days, first.hours, first.kind) == (
        Decimal("2"),
        Decimal("12"),
        "external",
    )
    assert (first.training_type, first.form, first.organiser) == (
        "continuing",
        "in_person",
        tree["district1"],
    )
    second = CreditEntry.objects.get(worker=people[1][1])
    assert (second.days, second.hours) == (Decimal("1.5"), Decimal("9"))
    assert first.source_key.startswith("import:")
    again = training_import(
        name="t-again.xlsx", content=write_table("xlsx", HEADERS, _rows(people))
    )
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "ignored": 0}
    assert CreditEntry.objects.count() == 2


def test_one_bad_row_imports_nothing_and_names_every_problem(people):
    rows = _rows(people) + [
        [
            "110105194912310021",
            "x",
            "不存在的类型",
            "集中培训",
            "999",
            "2026-13-01",
            "2026-06-01",
            "",
            "",
        ],
    ]
    with pytest.raises(ImportFailed) as failed:
        training_import(name="t.csv", content=write_table("csv", HEADERS, rows))
    problems = {(e.row, e.column) for e in failed.value.errors}
    assert {
        (4, "id_number"),
        (4, "type"),
        (4, "organiser_code"),
        (4, "start_date"),
        (4, "days"),
    } <= problems
    error = next(e for e in failed.value.errors if e.column == "type")
    assert (
        "未知" in error.message_zh or "不存在" in error.message_zh or error.message_zh
    )
    assert "Unknown value" in error.message_en
    assert not CreditEntry.objects.exists()


def test_unknown_worker_and_end_before_start_are_reported(people):
    rows = [
        [
            valid_id_number(),
            "培训",
            "岗位培训",
            "集中培训",
            "",
            "2026-06-10",
            "2026-06-09",
            "1",
            "",
        ]
    ]
    with pytest.raises(ImportFailed) as failed:
        training_import(name="t.csv", content=write_table("csv", HEADERS, rows))
    assert {e.column for e in failed.value.errors} == {"id_number", "end_date"}


def test_command_reports_rows_and_exits_non_zero(people, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(write_table("csv", HEADERS, _rows(people)))
    call_command("import_training", str(good))
    assert "created: 2" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        write_table("csv", HEADERS, [["1", "", "", "", "", "", "", "", ""]])
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_training", str(bad))
    assert CreditEntry.objects.count() == 2
    assert pii.digest(people[0][0]) == people[0][1].id_number_digest


def test_an_office_training_sheet_with_title_serials_and_totals(people, tree):
    """A title, a 序号 column, full-width ID digits and a 合计 row under the table (it
    has a number in 天数 but no ID number): the rows are credited, the total row is
    ignored, and the dry run before it wrote nothing."""
    from tests.tabular.office import office_xlsx

    rows = _rows(people)
    rows[0][0] = rows[0][0].translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    content = office_xlsx(
        HEADERS, rows, footer=[["合计", "", "", "", "", "", "", "", "2"]]
    )
    preview = training_import(name="t.xlsx", content=content, dry_run=True)
    assert preview.counts == {"created": 2, "updated": 0, "unchanged": 0, "ignored": 1}
    assert not CreditEntry.objects.exists()
    report = training_import(name="t.xlsx", content=content)
    assert report.ignored == [{"row": 8, "text": "合计 2"}]
    assert CreditEntry.objects.count() == 2
