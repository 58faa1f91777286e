"""The organisation tree import."""

import pytest
from django.core.management import CommandError, call_command

from lms.org.models import OrgLevel, OrgNode
from lms.org.services import org_import
from lms.tabular import ImportFailed

TREE = """代码,名称,层级,上级代码
510100,示范市,市,
510104,锦江区,区,510100
510121,金堂县,县,510100
510104001,春熙路街道,街道,510104
510121100,赵镇,乡镇,510121
510104001001,和平社区,社区,510104001
51010400100101,第一网格,grid,510104001001
"""


@pytest.mark.django_db
def test_import_builds_the_tree_and_subtrees_are_one_query(django_assert_num_queries):
    assert org_import(name="t.csv", content=TREE.encode()).counts == {
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "ignored": 0,
    }
    district = OrgNode.objects.get(code="510104")
    assert district.level == OrgLevel.DISTRICT
    assert OrgNode.objects.get(code="510121100").level == OrgLevel.STREET
    with django_assert_num_queries(1):
        codes = sorted(n.code for n in district.subtree())
    assert codes == ["510104", "510104001", "510104001001", "51010400100101"]
    assert org_import(name="t.csv", content=TREE.encode()).counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 7,
        "ignored": 0,
    }


@pytest.mark.django_db
def test_bad_rows_are_all_reported_and_nothing_written():
    bad = "代码,名称,层级,上级代码\n510100,示范市,市,\n510104,锦江区,省,510100\n510104001,春熙,街道,999\n510104002,,社区,510100\n"
    with pytest.raises(ImportFailed) as failed:
        org_import(name="t.csv", content=bad.encode())
    assert {(e.row, e.column) for e in failed.value.errors} == {
        (3, "level"),
        (5, "name"),
    }
    assert OrgNode.objects.count() == 0


@pytest.mark.django_db
def test_parent_problems_are_reported():
    bad = "代码,名称,层级,上级代码\n510100,示范市,市,\n510104001,春熙,街道,999\n510104002,和平,社区,510100\n"
    with pytest.raises(ImportFailed) as failed:
        org_import(name="t.csv", content=bad.encode())
    assert [(e.row, e.column) for e in failed.value.errors] == [
        (3, "parent_code"),
        (4, "parent_code"),
    ]


@pytest.mark.django_db
def test_command_reports_and_fails(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("代码,名称,层级\n510100,示范市,省份\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_orgs", str(path))
    assert OrgNode.objects.count() == 0


@pytest.mark.django_db
def test_an_office_tree_with_title_and_notes_previews_then_imports():
    """Title row, 序号 column, notes under the table; the dry run writes nothing."""
    from tests.tabular.office import office_xlsx

    rows = [line.split(",") for line in TREE.strip().splitlines()[1:]]
    content = office_xlsx(
        ["代码", "名称", "层级", "上级代码"],
        rows,
        footer=[["说明：层级填写市、区、街道、社区"]],
    )
    preview = org_import(name="t.xlsx", content=content, dry_run=True)
    assert preview.counts == {"created": 7, "updated": 0, "unchanged": 0, "ignored": 1}
    assert not OrgNode.objects.exists()
    assert org_import(name="t.xlsx", content=content).counts["created"] == 7
    assert OrgNode.objects.count() == 7
