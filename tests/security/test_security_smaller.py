"""Class 9: draft media out of subtree, non-finite heartbeats, chooser titles outside
the subtree, and open redirects through next=."""

import json

import pytest
from django.urls import reverse

from lms.compliance.models import Notification
from tests.courses.factories import make_course, make_lesson
from tests.people.factories import WorkerFactory
from tests.trainers.factories import admin_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_draft_lesson_media_only_for_its_reviewers(client, tree):
    """A staff member of another district cannot fetch a draft of a city course."""
    course = make_course(tree["district1"])
    city_course = make_course(tree["city"])
    for course_ in (course, city_course):
        draft = make_lesson(course_, live=False)
        url = reverse("courses:lesson_media", args=[draft.pk])
        client.force_login(admin_in_group(tree["district2"], "区级管理员"))
        assert client.get(url).status_code in (403, 404)
    client.force_login(admin_in_group(tree["district1"], "区级管理员"))
    assert client.get(url).status_code == 404  # city course: not theirs to review
    draft = make_lesson(course, live=False)
    response = client.get(reverse("courses:lesson_media", args=[draft.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "body",
    [
        '{"position": Infinity, "played": []}',
        '{"position": NaN, "played": []}',
        '{"position": 1e309, "played": []}',
        '{"position": -1e309, "played": []}',
        '{"position": 1, "played": [[0, 1e309]]}',
        '{"position": 1, "played": [[NaN, 5]]}',
        '{"position": 1e30, "played": []}',
    ],
)
def test_heartbeat_with_non_finite_numbers_is_a_400(client, tree, body):
    worker = WorkerFactory(community=tree["community11"])
    lesson = make_lesson(make_course(tree["city"]), duration=60)
    client.force_login(worker.user)
    client.get(lesson.url)  # opens the player
    response = client.post(
        reverse("courses:heartbeat", args=[lesson.pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "error" in json.loads(response.content)


def test_bulk_enrolment_shows_no_class_title_of_another_district(client, tree):
    from tests.training.factories import TrainingClassFactory

    theirs = TrainingClassFactory(title="外区秘密培训班", organiser=tree["district2"])
    client.force_login(admin_in_group(tree["district1"], "区级管理员"))
    url = reverse("training_bulk_enrol")
    page = client.get(url, {"class": theirs.pk}).content.decode()
    assert "外区秘密培训班" not in page
    page = client.post(
        url, {"training_class": theirs.pk, "org": tree["district2"].pk}
    ).content.decode()
    assert "外区秘密培训班" not in page and tree["district2"].name not in page


def test_template_chooser_lists_only_the_subtree(client, tree):
    from tests.certificates.factories import CertificateTemplateFactory

    mine = CertificateTemplateFactory(name="本区模板", org=tree["district1"])
    theirs = CertificateTemplateFactory(name="外区模板", org=tree["district2"])
    client.force_login(admin_in_group(tree["district1"], "区级管理员"))
    base = "/admin/snippets/choose/certificates/certificatetemplate/"
    page = client.get(base).json()["html"]
    assert "本区模板" in page and "外区模板" not in page
    page = client.get(base + "results/", {"q": "模板"}).content.decode()
    assert "本区模板" in page and "外区模板" not in page
    assert client.get(f"{base}chosen/{theirs.pk}/").status_code == 404
    assert client.get(f"{base}chosen/{mine.pk}/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "https:/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_notification_read_never_redirects_off_site(client, tree, target):
    worker = WorkerFactory(community=tree["community11"])
    note = Notification.objects.create(
        recipient=worker.user, kind="at_risk", period="2026-01", title="t", body="b"
    )
    client.force_login(worker.user)
    response = client.post(
        reverse("compliance:notification_read", args=[note.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:mine")
    ok = client.post(
        reverse("compliance:notification_read", args=[note.pk]),
        {"next": "/compliance/"},
    )
    assert ok["Location"] == "/compliance/"
