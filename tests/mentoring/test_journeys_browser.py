"""Mentoring journeys in Chromium: the studios and mentors directory; a mentor–mentee
pair from the monthly record to both evaluations; the pool dashboard drilled down
and exported by a district administrator."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import (
    GuidanceProblem,
    GuidanceVisit,
    PairEvaluation,
    Pairing,
    PoolAssignment,
    PoolMember,
)
from mentoring.services.placements import placement_record, placement_sign_off
from tests.api.factories import admin_in_group
from tests.conftest import sign_in
from tests.people.factories import UserFactory, WorkerFactory

from .factories import MentorFactory, PlacementFactory, StudioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_studio_and_mentor_profile(page, live_server, tree):
    """From the directory to the studio, then to its mentor, who lists the worker
    they brought on."""
    studio = StudioFactory(org=tree["community11"], name="马杰书记工作室")
    mentor = MentorFactory(
        org=tree["community11"], name="马杰", studio=studio, specialities="小区治理"
    )
    trained = WorkerFactory(community=tree["community12"], name="李副书记")
    placement = PlacementFactory(worker=trained, mentor=mentor, studio=studio)
    placement_record(
        placement=placement,
        user=mentor.user,
        recorded_days=Decimal("5"),
        assessment="好",
    )
    placement_sign_off(placement=placement, user=mentor.user, today=placement.end)
    WorkerFactory(community=tree["community21"], user=UserFactory(username="reader"))

    sign_in(page, live_server, "reader")
    page.goto(f"{live_server.url}/mentoring/directory/")
    page.get_by_role("link", name="马杰书记工作室").click()
    expect(page.locator("#studio h1")).to_have_text("马杰书记工作室")
    expect(page.locator("#trained")).to_have_text("1")
    page.locator("#studio").get_by_role("link", name="马杰").click()
    expect(page.locator("#mentor h1")).to_have_text("马杰")
    expect(page.locator("#brought-on")).to_contain_text("李副书记")
    expect(page.locator("#brought-on")).not_to_contain_text(trained.id_number_masked)


def test_pair_record_seen_by_the_mentee_and_evaluated_by_both(page, live_server, tree):
    """The mentor writes last month's record; the mentee reads it; in the pair's last
    month each side evaluates once."""
    today = timezone.localdate()
    mentor = MentorFactory(
        org=tree["community11"],
        name="马杰",
        worker=WorkerFactory(
            community=tree["community11"], user=UserFactory(username="majie")
        ),
    )
    mentee = WorkerFactory(
        community=tree["community12"], name="新委员", user=UserFactory(username="xwy")
    )
    pairing = Pairing.objects.create(
        mentor=mentor,
        mentee=mentee,
        start=today - dt.timedelta(days=62),
        end=today,
        goals="熟悉居民工作",
    )
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)

    sign_in(page, live_server, "majie")
    page.goto(f"{live_server.url}/mentoring/")
    page.locator("#pairings").get_by_role("link", name="马杰 · 新委员").click()
    page.select_option("#id_month", last_month.isoformat())
    page.fill("#id_learned", "学习了楼栋议事会的组织方法")
    page.fill("#id_problems", "调解了一起噪音纠纷")
    page.click("button[value=record]")
    expect(page.locator("#records")).to_contain_text("楼栋议事会")
    page.fill("#id_comment", "进步很快，能独立组织议事")
    page.click("button[value=evaluate]")
    expect(page.locator("#evaluations")).to_contain_text("能独立组织议事")
    expect(page.locator("#evaluation-form")).to_have_count(0)
    page.context.clear_cookies()

    sign_in(page, live_server, "xwy")
    page.goto(f"{live_server.url}/mentoring/pairs/{pairing.pk}/")
    expect(page.locator("#records")).to_contain_text("调解了一起噪音纠纷")
    page.select_option("#id_score", "4")
    page.fill("#id_comment", "导师耐心细致")
    page.click("button[value=evaluate]")
    expect(page.locator("#evaluations")).to_contain_text("导师耐心细致")
    assert sorted(PairEvaluation.objects.values_list("side", "score")) == [
        ("mentee", 4),
        ("mentor", 5),
    ]


def _support(community, member, problems):
    assignment = PoolAssignment.objects.create(
        member=member,
        community=community,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    visit = GuidanceVisit.objects.create(
        assignment=assignment, community=community, date=dt.date(2026, 3, 1)
    )
    for topic, resolved in problems:
        GuidanceProblem.objects.create(
            visit=visit,
            community=community,
            topic=topic,
            description="问题",
            resolved=resolved,
        )


def test_pool_dashboard_drill_down_and_export(page, live_server, tree):
    """A district administrator opens the dashboard of their district, drills down
    to a street, then a community, and exports it; the other district's figures
    never count."""
    member = PoolMember.objects.create(
        name="老书记", org=tree["district1"], status="retired"
    )
    _support(tree["community11"], member, [("disputes", True), ("planning", False)])
    _support(tree["community12"], member, [("disputes", True)])
    _support(tree["community21"], member, [("party", True)] * 5)
    admin_in_group(username="d1pool", org=tree["district1"], group="区级管理员")

    sign_in(page, live_server, "d1pool")
    page.goto(f"{live_server.url}/mentoring/pool/")
    expect(page.locator("#current-node")).to_have_text(tree["district1"].name)
    expect(page.locator("#totals")).to_contain_text("2")
    page.locator("#children").get_by_role("link", name=tree["street1"].name).click()
    expect(page.locator("#current-node")).to_have_text(tree["street1"].name)
    community = page.locator("#children").get_by_role(
        "link", name=tree["community11"].name
    )
    community.click()
    expect(page.locator("#current-node")).to_have_text(tree["community11"].name)
    row = page.locator("#children tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(4)).to_have_text("2")
    expect(row.locator("td").nth(5)).to_have_text("1")
    with page.expect_download() as download_info:
        page.click("#export")
    download = download_info.value
    assert download.suggested_filename == (f"pool-{tree['community11'].code}-all.xlsx")
