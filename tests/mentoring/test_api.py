"""The mentoring API: a mentor records and signs off through /me/mentoring; a worker
reads their own; nobody else reaches a placement."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine

from lms.training.models import CreditEntry
from tests.api.conftest import ApiClient
from tests.api.factories import token_for
from tests.people.factories import AdminFactory

from .factories import MentorFactory

pytestmark = pytest.mark.django_db


def _client(user, tree):
    maker = AdminFactory(
        username=f"maker{user.pk}", org=tree["city"], is_superuser=True
    )
    return ApiClient(token_for(user, created_by=maker))


def _post(client, url, body=None):
    return client.post(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


@time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC), tick=False)
def test_mentor_records_and_signs_off_through_the_api(placement, tree):
    """Record then sign off: one ledger line; the worker sees the placement closed."""
    mentor = _client(placement.mentor.user, tree)
    url = f"/api/v1/me/mentoring/hosted/{placement.pk}"
    hosted = mentor.get("/api/v1/me/mentoring/hosted").json()
    assert [p["id"] for p in hosted] == [placement.pk]
    refused = _post(mentor, f"{url}/sign-off")
    assert refused.status_code == 422 and refused.json()["code"] == "refused"
    too_many = _post(mentor, f"{url}/record", {"recorded_days": 9})
    assert too_many.status_code == 422
    recorded = _post(mentor, f"{url}/record", {"recorded_days": 5, "assessment": "好"})
    assert recorded.status_code == 200 and recorded.json()["recorded_days"] == 5
    done = _post(mentor, f"{url}/sign-off")
    assert done.status_code == 200 and done.json()["status"] == "signed_off"
    entry = CreditEntry.objects.get(worker=placement.worker)
    assert (entry.form, entry.days) == ("shadowing", Decimal("5.00"))
    mine = _client(placement.worker.user, tree).get("/api/v1/me/mentoring/placements")
    assert [(p["id"], p["credit_id"]) for p in mine.json()] == [
        (placement.pk, entry.pk)
    ]


def test_nobody_but_the_mentor_writes(placement, tree):
    """The worker, another mentor and an administrator get a 404 on the writes."""
    other = MentorFactory(org=tree["community11"])
    admin = AdminFactory(username="d1a", org=tree["district1"])
    for user in (placement.worker.user, other.user, admin):
        client = _client(user, tree)
        for action in ("record", "sign-off"):
            response = _post(
                client,
                f"/api/v1/me/mentoring/hosted/{placement.pk}/{action}",
                {"recorded_days": 1},
            )
            assert response.status_code == 404, (user, action)
    assert not CreditEntry.objects.exists()


def test_an_administrator_cancels_a_placement_through_the_api(placement, tree):
    """In scope and planned: cancelled and audited; the other district a 404; once
    closed, refused."""
    from lms.accounts.models import AuditLog
    from tests.api.factories import admin_in_group

    url = f"/api/v1/mentoring/placements/{placement.pk}/cancel"
    d2 = admin_in_group(username="d2cancel", org=tree["district2"], group="区级管理员")
    assert _post(_client(d2, tree), url).status_code == 404
    d1 = admin_in_group(username="d1cancel", org=tree["district1"], group="区级管理员")
    client = _client(d1, tree)
    response = _post(client, url)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert AuditLog.objects.filter(
        action="placement_cancel", target_id=str(placement.pk), actor=d1
    ).exists()
    again = _post(client, url)
    assert again.status_code == 422 and again.json()["code"] == "refused"
    worker = _client(placement.worker.user, tree)
    assert _post(worker, url).status_code == 403


def _image(name="photo.jpg", fmt="JPEG"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_question_photos_through_the_api(tree):
    """The asker uploads a photo (checked by content): HTML named .jpg is refused;
    the photo is served to those who see the question, a 404 to others."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mentoring.models import QuestionPhoto
    from mentoring.services.questions import question_ask
    from tests.people.factories import WorkerFactory

    expert = MentorFactory(org=tree["community11"], specialities="物业管理")
    asker = WorkerFactory(community=tree["community12"])
    question = question_ask(
        asker=asker, title="物业问题", body="怎么办", tags="物业管理", is_public=False
    )
    outsider = MentorFactory(org=tree["community21"], specialities="党建")
    neighbour = WorkerFactory(community=tree["community12"])
    clients = {
        u: _client(u, tree)
        for u in (asker.user, expert.user, outsider.user, neighbour.user)
    }
    client = clients[asker.user]
    url = f"/api/v1/me/mentoring/questions/{question.pk}/photos"
    hostile = SimpleUploadedFile(
        "evil.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    refused = client.post(url, {"photo": hostile})
    assert refused.status_code == 422, refused.content
    assert not QuestionPhoto.objects.exists()
    response = client.post(url, {"photo": _image()})
    assert response.status_code == 201, response.content
    photos = response.json()["photos"]
    assert len(photos) == 1
    photo_url = photos[0]["url"]
    assert photo_url == f"{url}/{photos[0]['id']}"
    for user in (asker.user, expert.user):
        served = clients[user].get(photo_url)
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    for user in (outsider.user, neighbour.user):
        assert clients[user].get(photo_url).status_code == 404
    other = clients[expert.user].post(url, {"photo": _image()})
    assert other.status_code == 404  # only the asker adds photos
    assert QuestionPhoto.objects.count() == 1
