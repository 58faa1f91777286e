"""The lecture review path: each level's reviewer sees, previews and decides only the
reviews of courses owned in their subtree."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import TaskState

from courses.models import LessonKind
from courses.services import lesson_submit_for_review
from lms.accounts.groups import (
    CITY_ADMINS,
    DISTRICT_ADMINS,
    STREET_ADMINS,
    ensure_admin_groups,
)
from tests.conftest import sign_in
from tests.people.factories import AdminFactory

from .factories import TrainerFactory, make_course, make_lesson

LEVELS = [
    ("city", CITY_ADMINS),
    ("district1", DISTRICT_ADMINS),
    ("street1", STREET_ADMINS),
]


def _reviewer(tree, node, group, username):
    admin = AdminFactory(username=username, org=tree[node])
    admin.groups.add(Group.objects.get(name=group))
    return admin


def _submitted_lesson(tree, node, title):
    trainer = TrainerFactory(org=tree["city"])
    course = make_course(tree[node], title=f"{title}课程", trainers=[trainer])
    lesson = make_lesson(course, kind=LessonKind.TEXT, body="<p>正文</p>", title=title)
    lesson_submit_for_review(lesson=lesson, user=trainer.user)
    return lesson


@pytest.mark.django_db
def test_dashboard_lists_only_reviews_the_reviewer_can_act_on(client, tree):
    """A district administrator's "awaiting your review" holds their district's lesson,
    not the city's (which they could not open); the city administrator sees both."""
    ensure_admin_groups()
    city_lesson = _submitted_lesson(tree, "city", "市级讲座")
    district_lesson = _submitted_lesson(tree, "district1", "区级讲座")
    other_lesson = _submitted_lesson(tree, "district2", "二区讲座")
    district = _reviewer(tree, "district1", DISTRICT_ADMINS, "d1")
    city = _reviewer(tree, "city", CITY_ADMINS, "c1")

    def reviewable(user):
        return {
            s.workflow_state.object_id for s in TaskState.objects.reviewable_by(user)
        }

    assert reviewable(district) == {str(district_lesson.pk)}
    assert reviewable(city) == {
        str(city_lesson.pk),
        str(district_lesson.pk),
        str(other_lesson.pk),
    }
    client.force_login(district)
    html = client.get("/admin/").content.decode()
    assert "区级讲座" in html
    assert "市级讲座" not in html and "二区讲座" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("node", "group"), LEVELS)
def test_reviewer_preview_renders_the_draft(client, tree, node, group):
    """The workflow preview of a lesson renders the lesson page (it was a 500:
    `pageurl tag expected a Page object`) and records no progress."""
    ensure_admin_groups()
    lesson = _submitted_lesson(tree, node, "待审讲座")
    reviewer = _reviewer(tree, node, group, "rev")
    task_id = TaskState.objects.get(status="in_progress").task_id
    client.force_login(reviewer)
    response = client.get(f"/admin/pages/workflow/preview/{lesson.pk}/{task_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "待审讲座" in html and "正文" in html
    assert "待审讲座课程" in html  # the link back to its course


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("node", "group"), LEVELS)
def test_reviewer_opens_previews_and_approves_from_the_dashboard(
    live_server, page, tree, wagtail_site, node, group
):
    """At each level the reviewer finds the lecture on their admin home, opens its
    preview (the lesson as learners will see it) and approves it: it is published."""
    ensure_admin_groups()
    lesson = _submitted_lesson(tree, node, "社区议事协商讲座")
    _reviewer(tree, node, group, "reviewer")
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/admin/")
    row = page.locator("#awaiting-review-content tr", has_text="社区议事协商讲座")
    assert row.count() == 1
    preview_href = row.locator("a", has_text="预览").get_attribute("href")
    page.goto(f"{live_server.url}{preview_href}")
    assert page.locator("h1", has_text="社区议事协商讲座").count() == 1
    page.goto(f"{live_server.url}/admin/")
    row.locator("a", has_text="社区议事协商讲座").click()
    page.wait_for_url(f"**/admin/pages/{lesson.pk}/edit/")
    page.locator("[data-workflow-action-name=approve]").first.evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")
    lesson.refresh_from_db()
    assert lesson.live
