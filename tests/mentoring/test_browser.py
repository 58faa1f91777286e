"""A mentor records and signs off a placement in the portal; the worker's days change."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import sign_in
from tests.people.factories import UserFactory, WorkerFactory

from .factories import MentorFactory, PlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentor_signs_off_and_the_workers_days_change(page, live_server, tree):
    # A one-day placement today: the credit lands in this year whatever the hour.
    today = timezone.localdate()
    mentor = MentorFactory(
        org=tree["community11"],
        name="马杰",
        worker=WorkerFactory(
            community=tree["community11"], user=UserFactory(username="majie")
        ),
    )
    worker = WorkerFactory(
        community=tree["community12"],
        name="李副书记",
        post="deputy",
        user=UserFactory(username="lifu"),
    )
    placement = PlacementFactory(
        worker=worker, mentor=mentor, start=today, end=today, planned_days=Decimal("1")
    )

    sign_in(page, live_server, "lifu")
    page.goto(f"{live_server.url}/compliance/")
    expect(page.locator("#achieved")).to_have_text("0")
    page.goto(f"{live_server.url}/mentoring/")
    expect(page.locator("#my-placements")).to_contain_text("马杰")
    page.context.clear_cookies()

    sign_in(page, live_server, "majie")
    page.goto(f"{live_server.url}/mentoring/")
    page.locator("#hosted").get_by_role("link", name="李副书记").click()
    page.fill("#id_recorded_days", "2")  # more than the one-day period
    page.fill("#id_assessment", "全程参与议事协商，表现优秀。")
    page.click("button[value=record]")
    expect(page.locator(".messages")).to_contain_text("超过")
    page.fill("#id_recorded_days", "1")
    page.fill("#id_assessment", "全程参与议事协商，表现优秀。")
    page.click("button[value=record]")
    expect(page.locator("#recorded-days")).to_have_text("1.0")
    page.click("button[value=sign_off]")
    expect(page.locator("#status")).to_have_text("已签认")
    expect(page.locator("#credit")).to_contain_text("1.00")
    placement.refresh_from_db()
    assert placement.credit is not None
    page.context.clear_cookies()

    sign_in(page, live_server, "lifu")
    page.goto(f"{live_server.url}/compliance/")
    expect(page.locator("#achieved")).to_have_text("1")
