"""Issue 13 item 5: no spelling of an ID number passes a scope check or makes a second
file. Every entry point that takes a typed number - the worker, post and training
imports, the admin search and the API search - normalises it before it looks the
number up; each is tried here with full-width, spaced and zero-width spellings of a
number registered in another district. (Unmasking and every other view take a
worker's id, never a typed number.)"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from lms.accounts.exports import write_table
from lms.people.models import PostSpan, Worker
from lms.people.services.posts import post_import
from lms.people.services.workers import worker_import
from lms.tabular import ImportFailed
from lms.training.models import CreditEntry
from lms.training.services import training_import
from tests.api.conftest import ApiClient
from tests.api.factories import admin_in_group, token_for
from tests.people.factories import AdminFactory, WorkerFactory, valid_id_number

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def spellings(number: str) -> list[str]:
    return [
        number.translate(FULL_WIDTH),
        number[:6] + number[6:].translate(FULL_WIDTH),  # partly full-width
        f" {number[:6]} {number[6:14]} {number[14:]} ",
        number[:6] + "\u00a0" + number[6:14] + "\u3000" + number[14:],
        "\u200b".join(number) + "\ufeff",
        number[:10] + "\u2060" + number[10:].lower(),
        "'" + number,
    ]


@pytest.fixture
def outsider(tree):
    """A worker of district 2, whose number a district-1 administrator types."""
    number = valid_id_number(dt.date(1980, 4, 5), "M")
    return WorkerFactory(
        name="外区李四", community=tree["community21"], id_number=number
    )


@pytest.fixture
def d1_admin(tree):
    admin = AdminFactory(org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    return admin


def _worker_csv(number: str) -> bytes:
    return write_table(
        "csv",
        ["姓名", "身份证号", "入职日期", "社区代码", "岗位"],
        [["李四", number, "2020-07-01", "510101001001", "网格员"]],
    )


@pytest.mark.parametrize("index", range(7))
def test_worker_import_finds_the_person_outside_the_area_in_any_spelling(
    outsider, d1_admin, index
):
    """The scope check sees the stored person whatever the spelling; nothing is
    written, no second file."""
    spelling = spellings(outsider.id_number)[index]
    with pytest.raises(ImportFailed) as failed, translation.override("en"):
        worker_import(name="w.csv", content=_worker_csv(spelling), actor=d1_admin)
    assert [(e.column, e.message_en) for e in failed.value.errors] == [
        ("id_number", "This person is registered outside your area.")
    ]
    assert Worker.objects.count() == 1


@pytest.mark.parametrize("index", range(7))
def test_one_person_is_never_stored_twice(tree, index):
    """Re-importing a person under another spelling finds the stored file
    (unchanged); a new person is stored in the canonical ASCII form."""
    number = valid_id_number(dt.date(1985, 1, 2), "F")
    worker_import(name="w.csv", content=_worker_csv(number))
    report = worker_import(name="w.csv", content=_worker_csv(spellings(number)[index]))
    assert report.counts["unchanged"] == 1 and Worker.objects.count() == 1
    Worker.objects.all().delete()
    worker_import(name="w.csv", content=_worker_csv(spellings(number)[index]))
    assert Worker.objects.get().id_number == number


@pytest.mark.parametrize("index", range(7))
def test_post_import_does_not_reach_the_person_outside_the_area(
    outsider, d1_admin, index
):
    content = write_table(
        "csv",
        ["身份证号", "岗位", "社区代码", "开始日期"],
        [
            [
                spellings(outsider.id_number)[index],
                "副书记",
                "510101001001",
                "2024-01-01",
            ]
        ],
    )
    with pytest.raises(ImportFailed) as failed, translation.override("en"):
        post_import(name="p.csv", content=content, actor=d1_admin)
    assert [e.message_en for e in failed.value.errors] == [
        "No worker with this ID number in your register."
    ]
    assert PostSpan.objects.filter(worker=outsider).count() == 1


@pytest.mark.parametrize("index", range(7))
def test_training_import_does_not_credit_the_person_outside_the_area(
    outsider, d1_admin, index
):
    content = write_table(
        "csv",
        [
            "身份证号",
            "培训名称",
            "培训类型",
            "培训形式",
            "开始日期",
            "结束日期",
            "天数",
        ],
        [
            [
                spellings(outsider.id_number)[index],
                "社区治理培训",
                "岗位培训",
                "集中培训",
                "2026-02-01",
                "2026-02-01",
                "1",
            ]
        ],
    )
    with pytest.raises(ImportFailed) as failed, translation.override("en"):
        training_import(name="t.csv", content=content, actor=d1_admin)
    assert [e.message_en for e in failed.value.errors] == [
        "This person is registered outside your area."
    ]
    assert not CreditEntry.objects.exists()


@pytest.mark.parametrize("index", range(7))
def test_admin_search_finds_own_people_and_never_others_in_any_spelling(
    client, tree, outsider, d1_admin, index
):
    mine = WorkerFactory(name="本区张三", community=tree["community11"])
    client.force_login(d1_admin)
    found = client.get("/admin/workers/", {"q": spellings(mine.id_number)[index]})
    assert "本区张三" in found.text
    other = client.get("/admin/workers/", {"q": spellings(outsider.id_number)[index]})
    assert "外区李四" not in other.text


@pytest.mark.parametrize("index", range(7))
def test_api_search_finds_own_people_and_never_others_in_any_spelling(
    tree, outsider, index
):
    admin = admin_in_group(username="d1api", org=tree["district1"], group="区级管理员")
    mine = WorkerFactory(name="本区张三", community=tree["community11"])
    api = ApiClient(token_for(admin))
    found = api.get("/api/v1/people/workers", {"q": spellings(mine.id_number)[index]})
    assert [w["id"] for w in found.json()["items"]] == [mine.pk]
    other = api.get(
        "/api/v1/people/workers", {"q": spellings(outsider.id_number)[index]}
    )
    assert other.json()["items"] == []
