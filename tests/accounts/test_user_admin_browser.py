"""A city administrator makes a district administrator in the Wagtail user editor, in
Debian's chromium; the new administrator then sees only their district's accounts."""

import pytest
from django.contrib.auth.models import Group

from lms.accounts.models import Role, User
from tests.conftest import sign_in
from tests.people.factories import AdminFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Wide-Open-Spaces-2031"


def open_org_chooser(page):
    """Open the form's organisation chooser; returns the modal once it lists nodes."""
    page.click("#id_org-chooser [data-chooser-action-choose]")
    modal = page.locator(".modal")
    modal.locator("a[data-chooser-modal-choice]").first.wait_for()
    return modal


def choice(modal, name):
    return modal.locator("a[data-chooser-modal-choice]", has_text=name)


def test_city_admin_creates_a_district_admin_who_sees_only_their_district(
    page, browser, live_server, tree, wagtail_site
):
    city_admin = AdminFactory(username="cityadmin", org=tree["city"])
    city_admin.groups.add(Group.objects.get(name="市级管理员"))
    AdminFactory(username="street-one", org=tree["street1"])
    AdminFactory(username="street-two", org=tree["street2"])
    district_group = Group.objects.get(name="区级管理员")

    sign_in(page, live_server, "cityadmin")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/users/new/")
    page.fill("#id_username", "district-one")
    page.fill("#id_email", "d1@example.cn")
    page.fill("#id_first_name", "一区")
    page.fill("#id_last_name", "管理员")
    page.select_option("#id_role", value=Role.ADMIN)
    modal = open_org_chooser(page)
    modal.locator("input[name=q]").fill("区")  # searched as one types
    choice(modal, tree["district2"].name).wait_for()  # the whole city is offered
    choice(modal, tree["district1"].name).click()
    page.locator("#id_org-chooser", has_text=tree["district1"].name).wait_for()
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("#tab-label-roles")
    assert page.locator("input[name=is_superuser]").count() == 0
    page.check(f"input[name=groups][value='{district_group.pk}']")
    page.click("form[action$='/admin/users/new/'] button[type=submit]")
    page.wait_for_url("**/admin/users/")
    assert "district-one" in page.locator("table.listing").inner_text()

    created = User.objects.get(username="district-one")
    assert (created.role, created.org, created.is_superuser) == (
        Role.ADMIN,
        tree["district1"],
        False,
    )

    context = browser.new_context(locale="zh-CN")
    try:
        second = context.new_page()
        second.set_default_timeout(15000)
        sign_in(second, live_server, "district-one", password=PASSWORD)
        second.wait_for_url("**/admin/")
        second.goto(f"{live_server.url}/admin/users/")
        listing = second.locator("table.listing").inner_text()
        assert "street-one" in listing and "district-one" in listing
        assert "street-two" not in listing and "cityadmin" not in listing
        other = User.objects.get(username="street-two")
        response = second.goto(f"{live_server.url}/admin/users/edit/{other.pk}/")
        assert response.status == 404
        second.goto(f"{live_server.url}/admin/users/new/")
        modal = open_org_chooser(second)
        offered = modal.locator("a[data-chooser-modal-choice]").all_inner_texts()
        assert tree["street1"].name in offered
        assert tree["district2"].name not in offered
    finally:
        context.close()
