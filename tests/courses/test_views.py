"""Catalogue, visibility, media range requests, review workflow and admin scope."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import WorkflowState

from courses.models import CoursePage, LessonKind, LessonPage
from courses.services import course_library_ensure
from lms.accounts.groups import ensure_admin_groups
from tests.people.factories import WorkerFactory

from .factories import (
    TextbookFactory,
    TrainerFactory,
    make_course,
    make_lesson,
    webm_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(tree):
    return WorkerFactory(community=tree["community11"])


def titles(response):
    return [c.title for c in response.context["page"]]


def test_chinese_search_finds_substring_in_title(client, tree, worker):
    make_course(tree["city"], title="党建引领社区治理增效")
    make_course(tree["city"], title="社区服务提质的实践")
    client.force_login(worker.user)
    r = client.get(reverse("courses:catalogue"), {"q": "社区治理"})
    assert titles(r) == ["党建引领社区治理增效"]
    assert "党建引领社区治理增效" in r.content.decode()


def test_search_matches_summary_and_topic_label(client, tree, worker):
    make_course(tree["city"], title="课程甲", summary="讲解网格化管理的方法")
    make_course(tree["city"], title="课程乙", topic="emergency")
    client.force_login(worker.user)
    assert titles(client.get(reverse("courses:catalogue"), {"q": "网格化"})) == [
        "课程甲"
    ]
    assert titles(client.get(reverse("courses:catalogue"), {"q": "应急"})) == ["课程乙"]


def test_filters_series_level_premium_post(client, tree, worker):
    make_course(
        tree["city"],
        title="A",
        series="service",
        premium=True,
        target_posts=["secretary"],
    )
    make_course(tree["city"], title="B", series="service", level="advanced")
    make_course(
        tree["city"],
        title="C",
        series="development",
        target_posts=["staff", "grid_worker"],
    )
    client.force_login(worker.user)
    url = reverse("courses:catalogue")
    assert sorted(titles(client.get(url, {"series": "service"}))) == ["A", "B"]
    assert titles(client.get(url, {"premium": "1"})) == ["A"]
    assert titles(client.get(url, {"level": "advanced"})) == ["B"]
    # Courses for every post (no target) plus the ones naming the post.
    assert sorted(titles(client.get(url, {"post": "staff"}))) == ["B", "C"]
    assert sorted(titles(client.get(url, {"post": "secretary"}))) == ["A", "B"]


def test_worker_sees_city_and_own_district_courses_only(client, tree, worker):
    make_course(tree["city"], title="市级课程")
    make_course(tree["district1"], title="一区课程")
    other = make_course(tree["district2"], title="二区课程")
    make_course(tree["city"], title="草稿课程", live=False)
    client.force_login(worker.user)
    assert sorted(titles(client.get(reverse("courses:catalogue")))) == [
        "一区课程",
        "市级课程",
    ]
    assert client.get(other.url).status_code == 403


def test_catalogue_queries_do_not_grow_with_page_size(client, tree, worker):
    trainer = TrainerFactory(org=tree["city"])
    for i in range(60):
        make_course(tree["city"], title=f"课程{i}", trainers=[trainer])
    client.force_login(worker.user)
    client.get(reverse("courses:catalogue"))  # fills Wagtail's cache of site root paths
    counts = []
    for size in (10, 50):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("courses:catalogue"), {"size": size})
        assert len(r.context["page"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_anonymous_is_sent_to_sign_in(client, tree):
    lesson = make_lesson(make_course(tree["city"]))
    for url in (
        reverse("courses:catalogue"),
        lesson.url,
        reverse("courses:lesson_media", args=[lesson.pk]),
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_video_range_requests(client, tree, worker):
    lesson = make_lesson(make_course(tree["city"]))
    data = webm_bytes()
    client.force_login(worker.user)
    url = reverse("courses:lesson_media", args=[lesson.pk])
    r = client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert r.status_code == 206
    assert r["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert b"".join(r.streaming_content) == data[1000:2000]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == data[-10:]
    full = client.get(url)
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes"
    assert int(full["Content-Length"]) == len(data)
    bad = client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert bad.status_code == 416


def test_media_refused_to_workers_of_another_district(client, tree):
    lesson = make_lesson(make_course(tree["district1"]))
    outsider = WorkerFactory(community=tree["community21"])
    client.force_login(outsider.user)
    assert (
        client.get(reverse("courses:lesson_media", args=[lesson.pk])).status_code == 403
    )


def test_media_is_not_under_a_public_url(client, tree, worker, settings):
    lesson = make_lesson(make_course(tree["city"]))
    assert lesson.file.name.startswith("lessons/")
    # Media files are not routed in production settings (DEBUG off): no guessable URL.
    assert client.get(settings.MEDIA_URL + lesson.file.name).status_code == 404


def test_lesson_without_a_file_is_refused(tree):
    course = make_course(tree["city"])
    lesson = LessonPage(
        title="无文件", slug="nofile", kind=LessonKind.VIDEO, duration_seconds=60
    )
    with pytest.raises(ValidationError) as exc:
        lesson.full_clean()
    assert "file" in exc.value.message_dict
    assert not LessonPage.objects.child_of(course).exists()


def test_trainer_submits_and_district_admin_publishes(client, tree, district_admin):
    ensure_admin_groups()
    course_library_ensure()
    from django.contrib.auth.models import Group

    district_admin.groups.add(Group.objects.get(name="区级管理员"))
    trainer = TrainerFactory(org=tree["city"])
    course = make_course(tree["district1"], trainers=[trainer])
    lesson = make_lesson(course, live=False)
    client.force_login(trainer.user)
    r = client.post(reverse("courses:lesson_submit", args=[lesson.pk]))
    assert r.status_code == 302
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == "in_progress"
    task_state = state.current_task_state
    # The district administrator approves through Wagtail's workflow action.
    client.force_login(district_admin)
    r = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    assert r.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live


def test_other_district_admin_gets_clear_refusal(client, tree):
    from django.contrib.auth.models import Group

    from tests.people.factories import AdminFactory

    ensure_admin_groups()
    course_library_ensure()
    other = AdminFactory(username="d2admin", org=tree["district2"])
    other.groups.add(Group.objects.get(name="区级管理员"))
    course = make_course(tree["district1"], title="一区课程")
    client.force_login(other)
    r = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert r.status_code == 403
    text = r.content.decode()
    assert "一区课程" in text and "第1区" in text and "第2区" in text
    r = client.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]), {"title": "改名"}
    )
    assert r.status_code == 403
    assert CoursePage.objects.get(pk=course.pk).title == "一区课程"
    # Wagtail's own permission tester refuses too (publish, delete, workflow review).
    perms = course.permissions_for_user(other)
    assert not perms.can_edit() and not perms.can_publish() and not perms.can_delete()


def test_own_district_admin_may_edit(client, tree, district_admin):
    from django.contrib.auth.models import Group

    ensure_admin_groups()
    course_library_ensure()
    district_admin.groups.add(Group.objects.get(name="区级管理员"))
    course = make_course(tree["district1"])
    client.force_login(district_admin)
    assert (
        client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).status_code
        == 200
    )
    assert course.permissions_for_user(district_admin).can_publish()


def test_textbook_catalogue_search(client, tree, worker):
    TextbookFactory(title="社区治理增效实务手册", org=tree["city"], series="governance")
    TextbookFactory(title="社区服务提质案例", org=tree["city"], series="service")
    client.force_login(worker.user)
    r = client.get(reverse("courses:textbooks"), {"q": "治理"})
    assert [b.title for b in r.context["page"]] == ["社区治理增效实务手册"]
    r = client.get(reverse("courses:textbooks"), {"series": "service"})
    assert [b.title for b in r.context["page"]] == ["社区服务提质案例"]


def test_admin_cannot_make_a_course_owned_by_another_district(tree, district_admin):
    """The course form offers only the admin's subtree and refuses anything else."""
    from courses.forms import CoursePageForm
    from courses.models import CoursePage

    form_class = CoursePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, CoursePageForm)
    form = form_class(
        data={"owner_org": tree["district2"].pk},
        instance=CoursePage(),
        parent_page=course_library_ensure(),
        for_user=district_admin,
    )
    assert set(form.fields["owner_org"].queryset) == set(tree["district1"].subtree())
    form.is_valid()
    assert "owner_org" in form.errors
