"""A district administrator drills down to a community and sees the workers at risk;
a worker sees their progress bar — in Debian's chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lms.people.models import Post
from tests.conftest import sign_in
from tests.people.factories import UserFactory, WorkerFactory
from tests.training.factories import TrainingClassFactory

from .factories import credit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year


@pytest.fixture
def people(tree):
    # Late in the year a worker with nothing is at risk; one with 3 days has met it.
    behind = WorkerFactory(
        community=tree["community12"],
        name="落后者",
        post=Post.STAFF,
        user=UserFactory(username="behind"),
    )
    done = WorkerFactory(community=tree["community12"], name="达标者", post=Post.STAFF)
    credit(done, dt.date(YEAR, 1, 3), days="3")
    WorkerFactory(community=tree["community21"], name="别区的人", post=Post.STAFF)
    credit(behind, dt.date(YEAR, 1, 2), days="1")
    TrainingClassFactory(organiser=tree["district1"], title="社区治理能力提升培训班")
    return behind, done


def test_district_admin_drills_down_to_workers_at_risk(
    page, live_server, tree, district_admin, people
):
    today = timezone.localdate()
    if today < dt.date(YEAR, 4, 15):
        pytest.skip("nobody is behind schedule in the first quarter of a year")
    sign_in(page, live_server, "d1admin")
    page.goto(f"{live_server.url}/compliance/dashboard/")
    expect(page.locator("#current-node")).to_have_text("第1区")
    expect(page.locator("svg.chart")).to_be_visible()
    page.click("#children a.drill:has-text('第1街道')")
    expect(page.locator("#current-node")).to_have_text("第1街道")
    page.click("#children a.drill:has-text('第12社区')")
    expect(page.locator("#current-node")).to_have_text("第12社区")
    rows = page.locator("#workers tr.worker")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("落后者")
    expect(page.locator("#workers")).not_to_contain_text("别区的人")
    # Filter: the met workers of the community.
    page.select_option("select[name=status]", "met")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#workers tr.worker")).to_have_count(1)
    expect(page.locator("#workers tr.worker").first).to_contain_text("达标者")
    # Another district is out of scope.
    response = page.goto(f"{live_server.url}/compliance/dashboard/?org=510102")
    assert response.status == 403


def test_worker_sees_their_progress_bar(page, live_server, tree, people):
    sign_in(page, live_server, "behind")
    page.goto(f"{live_server.url}/compliance/")
    # Numbers as people write them: 1, not 1.00.
    expect(page.locator("#achieved")).to_have_text("1")
    expect(page.locator("#required")).to_have_text("3")
    bar = page.locator("#progress-bar")
    expect(bar).to_have_attribute("value", "33")
    expect(page.locator("#shortfall")).to_have_text("2")
    expect(page.locator("#close-gap")).to_be_visible()
    expect(page.locator("#open-classes")).to_contain_text("社区治理能力提升培训班")
