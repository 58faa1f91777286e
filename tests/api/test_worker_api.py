"""A worker's own calls over the portal session: check-in/out by QR code, lesson
heartbeats, own compliance, enrolments and certificates; enrolment by an admin."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.training import qr
from lms.training.models import Attendance, Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_client(client, people):
    worker = people["community11"][0]
    client.force_login(worker.user)
    return client, worker


def test_check_in_and_out_with_a_code(frozen_now, worker_client, everything):
    """At 10:00, inside the session of the day (09:00-17:00)."""
    client, worker = worker_client
    session = everything[1]["session"]
    code = qr.checkin_code(session.pk)
    response = client.post(
        "/api/v1/training/check-in", {"code": code}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["session_id"] == session.pk
    assert response.json()["checked_in_at"] is not None
    again = client.post(
        "/api/v1/training/check-in", {"code": code}, content_type="application/json"
    )
    assert again.status_code == 200
    assert Attendance.objects.filter(session=session).count() == 1


def test_bad_codes_are_refused_with_reasons(worker_client, everything):
    client, _worker = worker_client
    bad = client.post(
        "/api/v1/training/check-in", {"code": "forged"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "code_invalid"
    old = qr.checkin_code(everything[1]["session"].pk)
    with_time = timezone.now() + dt.timedelta(hours=2)
    from unittest import mock

    with mock.patch("time.time", return_value=with_time.timestamp()):
        expired = client.post(
            "/api/v1/training/check-in", {"code": old}, content_type="application/json"
        )
    assert expired.status_code == 422 and expired.json()["code"] == "code_expired"


def test_not_enrolled_worker_is_refused(client, people, everything):
    outsider = people["community12"][1]
    client.force_login(outsider.user)
    code = qr.checkin_code(everything[1]["session"].pk)
    response = client.post(
        "/api/v1/training/check-in", {"code": code}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "refused"


def test_heartbeat_records_progress(worker_client, everything):
    """Beats need a play session opened with a play token; then they record."""
    client, worker = worker_client
    lesson = everything[1]["lesson"]
    url = f"/api/v1/learning/lessons/{lesson.pk}/heartbeat"
    device = "app-device-0001"
    beat = {"seq": 1, "device": device, "position": 10, "played": [[0, 10]]}
    unknown = "00000000-0000-0000-0000-000000000000"
    before = client.post(
        url, {**beat, "session": unknown}, content_type="application/json"
    )
    assert before.status_code == 404  # no play session was opened
    token = client.post(
        f"/api/v1/learning/lessons/{lesson.pk}/play-token",
        {"device": device},
        content_type="application/json",
    ).json()["token"]
    session = client.post(
        f"/api/v1/learning/lessons/{lesson.pk}/play",
        {"token": token, "device": device},
        content_type="application/json",
    ).json()["session"]
    response = client.post(
        url, {**beat, "session": session}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lesson_id"] == lesson.pk and body["position"] == 10
    assert body["state"] == "active"
    bad = client.post(
        url,
        {**beat, "seq": 2, "session": session, "played": [[1, 2, 3]]},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_own_compliance_enrolments_and_certificates(worker_client, everything):
    client, worker = worker_client
    compliance = client.get("/api/v1/me/compliance/2026").json()
    assert compliance["worker_id"] == worker.pk and compliance["year"] == 2026
    enrolments = client.get("/api/v1/me/enrolments").json()
    assert [e["class_id"] for e in enrolments] == [everything[1]["class"].pk]
    assert client.get("/api/v1/me/certificates").json() == []


def test_admin_enrols_a_worker_once(d1_api, people, everything):
    klass = everything[1]["class"]
    worker = people["community12"][0]
    url = f"/api/v1/training/classes/{klass.pk}/enrolments"
    first = d1_api.post(url, {"worker_id": worker.pk}, content_type="application/json")
    assert first.status_code == 201 and first.json()["status"] == "enrolled"
    second = d1_api.post(url, {"worker_id": worker.pk}, content_type="application/json")
    assert second.status_code == 200
    assert Enrolment.objects.filter(training_class=klass, worker=worker).count() == 1
    foreign = people["community21"][0]
    refused = d1_api.post(
        url, {"worker_id": foreign.pk}, content_type="application/json"
    )
    assert refused.status_code == 404
