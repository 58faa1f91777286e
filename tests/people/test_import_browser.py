"""A street office's roster imported through the admin in Debian's chromium: upload,
read the preview (rows to add, rows to change with old and new values, the signature
footer ignored), confirm, and find the people in the register."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from lms.people.models import Worker
from tests.conftest import sign_in
from tests.people.factories import AdminFactory, WorkerFactory, valid_id_number
from tests.tabular.office import office_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_roster_is_previewed_then_imported(page, live_server, tree):
    admin = AdminFactory(username="district1", org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    known = WorkerFactory(name="老王", community=tree["community11"], post="staff")
    new = valid_id_number(dt.date(1990, 6, 1), "F")
    content = office_xlsx(
        ["姓名", "身份证号码", "入职时间", "社区代码", "职务", "任现职时间", "备注"],
        [
            ["陈晨", new.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
             "2021年3月1日", "510101001001", "网格员", "", ""],
            ["老王", known.id_number, known.hire_date.isoformat(), "510101001001",
             "两委委员", "2026年1月5日", "换届"],
        ],
    )  # fmt: skip
    sign_in(page, live_server, "district1")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/people/import/")
    page.select_option("#id_kind", "import_workers")
    page.set_input_files(
        "#id_file",
        {
            "name": "东华社区花名册.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument"
            ".spreadsheetml.sheet",
            "buffer": content,
        },
    )
    page.click("text=检查文件（预览）")
    page.wait_for_selector("#import-confirm")
    assert "确认之前不会写入任何数据" in page.locator("#job-message").inner_text()
    added = page.locator("#report-added").inner_text()
    assert "陈晨" in added and new[:6] + "********" + new[-4:] in added
    assert new not in page.content()  # masked, never clear
    changed = page.locator("#report-changed").inner_text()
    assert "老王" in changed and "社区专职工作者" in changed and "两委委员" in changed
    assert "填表人：王芳" in page.locator("#report-ignored").inner_text()
    assert Worker.objects.count() == 1
    page.click("text=确认导入")
    page.wait_for_selector("text=导入完成：新增 1，更新 1，未变 0。")
    assert sorted(Worker.objects.values_list("name", "post")) == [
        ("老王", "member"),
        ("陈晨", "grid_worker"),
    ]
    page.goto(f"{live_server.url}/admin/workers/")
    assert "陈晨" in page.locator("table.listing").inner_text()
