"""Signing in as a worker and as a district administrator, in Debian's chromium."""

import pytest
from django.contrib.auth.models import Group

from tests.conftest import sign_in
from tests.people.factories import AdminFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(tree):
    worker = WorkerFactory(
        name="王小红", community=tree["community11"], user=UserFactory(username="wang")
    )
    other = WorkerFactory(name="外区赵六", community=tree["community21"])
    admin = AdminFactory(username="district1", org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    return worker, other


def test_worker_sees_their_own_file_in_chinese_with_the_id_masked(
    page, live_server, people
):
    worker, _other = people
    sign_in(page, live_server, "wang")
    page.wait_for_url("**/portal/")
    page.locator("a[href='/portal/me/']:visible").first.click()
    page.wait_for_url("**/portal/me/")
    assert page.locator("h1").inner_text() == "王小红"
    assert page.locator("#id-number").inner_text() == worker.id_number_masked
    assert "身份证号" in page.content() and "任职记录" in page.content()
    page.click("text=English")
    page.wait_for_selector("text=Posts held")
    assert page.locator("#id-number").inner_text() == worker.id_number_masked


def test_district_admin_sees_only_their_district(page, live_server, people):
    worker, other = people
    sign_in(page, live_server, "district1")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/workers/")
    listing = page.locator("table.listing").inner_text()
    assert worker.name in listing and other.name not in listing
    assert worker.id_number_masked in listing
    response = page.goto(f"{live_server.url}/admin/workers/edit/{other.pk}/")
    assert response.status == 404


def test_wrong_password_shows_an_error_and_stays_signed_out(page, live_server, people):
    sign_in(page, live_server, "wang", password="not-the-password")
    assert page.locator(".error").is_visible()
    assert "/accounts/login/" in page.url


def test_group_given_in_the_wagtail_user_editor_shows_in_the_audit_log(
    page, live_server, tree
):
    """A superuser gives a district administrator a group; the audit log lists it."""
    AdminFactory(username="root", org=tree["city"], is_superuser=True)
    target = AdminFactory(
        username="newdistrict",
        org=tree["district1"],
        email="nd@example.cn",
        first_name="新",
        last_name="区管",
    )
    group = Group.objects.get(name="区级管理员")
    sign_in(page, live_server, "root")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/users/edit/{target.pk}/")
    page.click("#tab-label-roles")
    page.check(f"input[name=groups][value='{group.pk}']")
    page.click(f"form[action$='/admin/users/edit/{target.pk}/'] button[type=submit]")
    page.wait_for_url("**/admin/users/")
    page.goto(f"{live_server.url}/admin/security/audit-log/?action=permission_change")
    row = page.locator("#audit-log tbody tr").filter(has_text="用户所属组")
    assert row.count() == 1
    text = row.inner_text()
    assert "root" in text and "变更权限" in text
    assert "添加: 区级管理员" in text
