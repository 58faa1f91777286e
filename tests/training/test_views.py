"""Portal views: QR codes (expiry, forgery, binding), check-in/out, enrolment, trainer
pages and their permissions."""

import json
import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from lms.accounts.models import Role
from lms.training import qr
from lms.training.models import Attendance, CreditEntry, Enrolment
from lms.training.services import enrolment_create
from tests.files import pdf_bytes
from tests.people.factories import UserFactory, WorkerFactory

from .factories import TrainingClassFactory

# The clock stops before any fixture signs a worker in (see `klass`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def worker_client(client, workers):
    client.force_login(workers[0].user)
    return client


def test_code_expires_and_forgery_fails(settings):
    code = qr.checkin_code(7)
    assert qr.session_from_code(code) == 7
    with pytest.raises(qr.CodeInvalid):
        qr.session_from_code(code[:-2] + ("A" if code[-2] != "A" else "B") + code[-1])
    with pytest.raises(qr.CodeInvalid):
        qr.session_from_code(code.replace("7:", "8:", 1))  # another session
    forged = signing.TimestampSigner(salt="other").sign("7")
    with pytest.raises(qr.CodeInvalid):
        qr.session_from_code(forged)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 46):
        with pytest.raises(qr.CodeExpired):
            qr.session_from_code(code)


def test_qr_svg_encodes_the_url():
    svg = qr.qr_svg("http://testserver/training/c/abc/")
    assert svg.startswith("<svg") and "viewBox" in svg


def test_scan_check_in_then_out_credits_the_ledger(
    worker_client, klass, live_session, workers
):
    enrolment_create(training_class=klass, worker=workers[0])
    url = reverse("training:checkin", args=[qr.checkin_code(live_session.pk)])
    page = worker_client.get(url)
    assert page.status_code == 200 and b'id="check-in"' in page.content
    worker_client.post(url, {"action": "check_in"})
    worker_client.post(url, {"action": "check_in"})  # twice: harmless
    assert Attendance.objects.filter(session=live_session).count() == 1
    Attendance.objects.filter(session=live_session).update(
        checked_in_at=live_session.starts_at
    )
    worker_client.post(url, {"action": "check_out"})
    entry = CreditEntry.objects.get(worker=workers[0])
    assert entry.source_key == f"session:{live_session.pk}"
    ledger = worker_client.get(reverse("training:ledger"))
    assert klass.title in ledger.content.decode()


def test_expired_code_gives_a_clear_message(
    worker_client, klass, live_session, workers
):
    enrolment_create(training_class=klass, worker=workers[0])
    url = reverse("training:checkin", args=[qr.checkin_code(live_session.pk)])
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 120):
        response = worker_client.post(url, {"action": "check_in"})
    assert response.status_code == 400
    assert "expired" in response.content.decode() or "过期" in response.content.decode()
    assert not Attendance.objects.exists()


def test_not_enrolled_is_refused_with_a_message(worker_client, live_session):
    url = reverse("training:checkin", args=[qr.checkin_code(live_session.pk)])
    response = worker_client.post(
        url, {"action": "check_in"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert b'id="checkin-error"' in response.content
    assert not Attendance.objects.exists()


def test_bad_code_is_refused(worker_client):
    response = worker_client.get(reverse("training:checkin", args=["12:abc:def"]))
    assert response.status_code == 400 and b'id="checkin-error"' in response.content


def test_enrol_and_cancel_from_the_portal(worker_client, klass, workers):
    worker_client.post(reverse("training:enrol", args=[klass.pk]))
    assert Enrolment.objects.get(worker=workers[0]).status == "enrolled"
    page = worker_client.get(reverse("training:classes"))
    assert klass.title in page.content.decode()
    worker_client.post(reverse("training:cancel", args=[klass.pk]))
    assert Enrolment.objects.get(worker=workers[0]).status == "cancelled"


def test_worker_cannot_open_another_subtrees_class(worker_client, tree):
    other = TrainingClassFactory(organiser=tree["district2"])
    assert (
        worker_client.get(reverse("training:class", args=[other.pk])).status_code == 404
    )
    worker_client.post(reverse("training:enrol", args=[other.pk]))
    assert not Enrolment.objects.exists()


def test_qr_screen_only_for_the_class_trainer(
    client, klass, live_session, tree, workers
):
    from trainers.models import Trainer

    trainer_user = UserFactory(role=Role.TRAINER)
    trainer = Trainer.objects.create(
        name="王老师", org=tree["district1"], source="contest", user=trainer_user
    )
    klass.trainers.add(trainer)
    outsider = UserFactory(role=Role.TRAINER)
    data_url = reverse("training:qr_data", args=[live_session.pk])
    client.force_login(outsider)
    assert client.get(data_url).status_code == 403
    client.force_login(workers[0].user)
    assert client.get(data_url).status_code == 403
    client.force_login(trainer_user)
    assert client.get(reverse("training:qr", args=[live_session.pk])).status_code == 200
    data = json.loads(client.get(data_url).content)
    assert data["svg"].startswith("<svg") and data["count"] == 0
    code = data["url"].rstrip("/").rsplit("/", 1)[-1]
    assert qr.session_from_code(code) == live_session.pk
    listing = json.loads(client.get(data_url + "?list=1").content)
    assert "svg" not in listing
    teaching = client.get(reverse("training:teaching"))
    assert klass.title in teaching.content.decode()


def test_trainer_marks_by_hand_with_a_reason(
    client, klass, live_session, district_admin, workers
):
    enrolment, _ = enrolment_create(training_class=klass, worker=workers[0])
    client.force_login(district_admin)
    url = reverse("training:mark", args=[live_session.pk])
    client.post(url, {"enrolment": enrolment.pk, "present": "1", "reason": ""})
    assert not Attendance.objects.exists()
    client.post(url, {"enrolment": enrolment.pk, "present": "1", "reason": "扫码失败"})
    attendance = Attendance.objects.get()
    assert attendance.method == "manual" and attendance.reason == "扫码失败"
    assert CreditEntry.objects.get(worker=workers[0]).created_by == district_admin


def test_other_district_admin_cannot_mark(client, klass, live_session, tree, workers):
    from tests.people.factories import AdminFactory

    enrolment, _ = enrolment_create(training_class=klass, worker=workers[0])
    client.force_login(AdminFactory(org=tree["district2"]))
    response = client.post(
        reverse("training:mark", args=[live_session.pk]),
        {"enrolment": enrolment.pk, "present": "1", "reason": "x"},
    )
    assert response.status_code == 403 and not Attendance.objects.exists()


def test_external_training_submission_checks_the_file(worker_client, workers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("training:external")
    data = {
        "title": "社区心理服务培训",
        "organiser_name": "市社工协会",
        "study_kind": "training",
        "type": "continuing",
        "form": "in_person",
        "start_date": "2026-03-01",
        "end_date": "2026-03-02",
        "days": "2",
    }
    fake = SimpleUploadedFile(
        "cert.pdf", b"MZ not a pdf", content_type="application/pdf"
    )
    response = worker_client.post(url, {**data, "certificate": fake})
    assert response.status_code == 200 and not workers[0].external_trainings.exists()
    pdf = SimpleUploadedFile("cert.pdf", pdf_bytes(), content_type="application/pdf")
    worker_client.post(url, {**data, "certificate": pdf})
    assert workers[0].external_trainings.get().status == "pending"


def test_a_published_paper_is_claimed_by_number_and_shows_its_conversion(
    worker_client, workers
):
    """The worker claims one published paper (no days or hours); the list says what
    it will count as by the year's table (default: 6 study hours, 1 day)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("training:external")
    data = {
        "title": "社区议事协商机制研究",
        "study_kind": "paper",
        "type": "continuing",
        "form": "in_person",
        "start_date": "2026-03-01",
        "end_date": "2026-03-01",
    }
    pdf = SimpleUploadedFile("paper.pdf", pdf_bytes(), content_type="application/pdf")
    response = worker_client.post(url, {**data, "certificate": pdf})
    assert response.status_code == 200 and "篇数" in response.content.decode()
    assert not workers[0].external_trainings.exists()
    pdf = SimpleUploadedFile("paper.pdf", pdf_bytes(), content_type="application/pdf")
    worker_client.post(url, {**data, "papers": "1", "certificate": pdf})
    assert workers[0].external_trainings.get().papers == 1
    page = worker_client.get(url).content.decode()
    assert "发表论文：1 篇 × 6 学时 = 6 学时（1 天）" in page


def test_pages_need_a_worker_file(client, district_admin):
    client.force_login(district_admin)
    assert client.get(reverse("training:classes")).status_code == 404
    assert WorkerFactory  # factories import (keeps the worker fixture path explicit)
