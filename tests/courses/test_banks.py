"""Question banks: XLSX import (all or nothing, a report per bad row), export, and
the administrators' scoped admin."""

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from courses.models import Question, QuestionBank
from courses.services.banks import HEADERS, question_bank_export, question_bank_import
from lms.accounts.exports import write_table
from lms.accounts.groups import ensure_admin_groups
from lms.tabular import ImportFailed
from tests.people.factories import AdminFactory

pytestmark = pytest.mark.django_db

GOOD = [
    [
        "单选题",
        "书记每年至少培训几天？",
        "3天",
        "7天",
        "10天",
        "",
        "",
        "",
        "B",
        "书记7天。",
        "政策法规",
        "易",
    ],
    [
        "多选题",
        "培训形式包括？",
        "实体培训班",
        "网络课堂",
        "旅游",
        "",
        "",
        "",
        "AB",
        "",
        "政策法规",
        "中",
    ],
    [
        "判断题",
        "网格员服务300至500户。",
        "",
        "",
        "",
        "",
        "",
        "",
        "对",
        "",
        "社区治理",
        "难",
    ],
    [
        "填空题",
        "社区之下划分____。",
        "",
        "",
        "",
        "",
        "",
        "",
        "网格|网格单元",
        "",
        "社区治理",
        "",
    ],
]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def bank(tree):
    return QuestionBank.objects.create(title="通用题库", org=tree["district1"])


def xlsx(rows):
    return write_table("xlsx", HEADERS, rows)


def test_import_reads_every_kind_and_export_gives_the_same_file_back(bank):
    assert question_bank_import(bank=bank, name="q.xlsx", content=xlsx(GOOD)) == 4
    stored = {q.kind: q for q in Question.objects.filter(bank=bank)}
    assert (stored["single"].answer, stored["single"].options) == (
        "2",
        "3天\n7天\n10天",
    )
    assert stored["multiple"].answer == "1,2"
    assert (stored["true_false"].answer, stored["true_false"].difficulty) == (
        "1",
        "hard",
    )
    assert stored["fill_in"].answer == "网格|网格单元"
    assert stored["single"].explanation == "书记7天。"
    sheet = load_workbook(
        __import__("io").BytesIO(question_bank_export(bank=bank))
    ).active
    rows = [
        [c if c is not None else "" for c in r]
        for r in sheet.iter_rows(values_only=True)
    ]
    assert rows[0] == HEADERS
    assert rows[1:] == [r[:-1] + [r[-1] or "中"] for r in GOOD]


def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(bank):
    bad = [
        *GOOD,
        ["单选题", "缺选项", "甲", "", "", "", "", "", "A", "", "", ""],
        ["多选题", "只有一个答案", "甲", "乙", "", "", "", "", "A", "", "", ""],
        ["单选题", "答案越界", "甲", "乙", "", "", "", "", "D", "", "", ""],
        ["问答题", "未知题型", "", "", "", "", "", "", "x", "", "", ""],
        ["单选题", "", "甲", "乙", "", "", "", "", "A", "", "", ""],
        ["单选题", "选项有空缺", "甲", "", "丙", "", "", "", "A", "", "", ""],
    ]
    with pytest.raises(ImportFailed) as failed:
        question_bank_import(bank=bank, name="q.xlsx", content=xlsx(bad))
    assert [(e.row, e.column) for e in failed.value.errors] == [
        (6, "answer"),
        (7, "answer"),
        (8, "answer"),
        (9, "kind"),
        (10, "prompt"),
        (11, "option_A"),
    ]
    assert "多选题至少有两个正确答案" in failed.value.errors[1].message_zh
    assert not Question.objects.exists()


def test_administrators_see_and_import_only_their_subtrees_banks(client, tree, bank):
    from django.contrib.auth.models import Group

    other = QuestionBank.objects.create(title="二区题库", org=tree["district2"])
    ensure_admin_groups()
    admin = AdminFactory(org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(admin)
    listing = client.get(reverse("banks:index")).content.decode()
    assert "通用题库" in listing and "二区题库" not in listing
    url = reverse("courses_bank_import", args=[other.pk])
    assert client.get(url).status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("courses_bank_import", args=[bank.pk]),
        {"file": SimpleUploadedFile("q.xlsx", xlsx(GOOD))},
    )
    assert response.status_code == 302 and bank.questions.count() == 4
    export = client.get(reverse("courses_bank_export", args=[bank.pk]))
    assert export.status_code == 200
    assert (
        client.get(reverse("courses_bank_export", args=[other.pk])).status_code == 404
    )
