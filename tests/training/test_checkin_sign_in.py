"""QR check-in across sign-in: a code scanned while signed out counts when the sign-in
finishes within TRAINING_QR_SIGN_IN_GRACE_MINUTES, once, as of the scan; old codes,
late sign-ins and the usual refusals still fail with their messages."""

import datetime as dt
import time
from contextlib import contextmanager
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from api.services import totp_device_confirm, totp_device_start, totp_for
from lms.training import qr
from lms.training.models import Attendance
from lms.training.services import enrolment_create

from .factories import ClassSessionFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-123"


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English (the language switch's cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def worker(klass, workers):
    enrolment_create(training_class=klass, worker=workers[0])
    return workers[0]


def _url(session) -> str:
    return reverse("training:checkin", args=[qr.checkin_code(session.pk)])


@contextmanager
def _later(seconds: int):
    """Every code signed before now looks `seconds` older."""
    with mock.patch(
        "django.core.signing.time.time", return_value=time.time() + seconds
    ):
        yield


def _sign_in(client, username, next_url, password=PASSWORD):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password, "next": next_url},
    )


def _scan_signed_out(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    return response


def test_signed_out_scan_then_slow_sign_in_checks_in_once(client, live_session, worker):
    """The code expires while the worker types their password; the sign-in still
    checks them in, as of the scan, exactly once."""
    url = _url(live_session)
    before = timezone.now()
    _scan_signed_out(client, url)
    assert not Attendance.objects.exists()
    with _later(120):
        signed_in = _sign_in(client, worker.user.username, url)
        assert signed_in.status_code == 302 and signed_in["Location"] == url
        page = client.get(url)
        assert page.status_code == 200
        assert b'id="checkin-state"' in page.content
        assert "Checked in. Welcome!" in page.content.decode()
        attendance = Attendance.objects.get()
        assert attendance.enrolment.worker == worker
        assert attendance.method == "qr"
        assert before <= attendance.checked_in_at <= timezone.now()
        # the remembered scan is spent: the old code alone does nothing more
        again = client.get(url)
        assert again.status_code == 400 and b"expired" in again.content
        client.post(url, {"action": "check_in"})
    assert Attendance.objects.count() == 1


def test_only_the_session_and_time_are_remembered(client, live_session):
    """The browser session keeps which session and when, never the code."""
    url = _url(live_session)
    code = url.split("/")[-2]
    _scan_signed_out(client, url)
    record = client.session[qr.PRESENTED_KEY]
    assert set(record) == {"session", "at"}
    assert record["session"] == live_session.pk
    assert code not in str(dict(client.session.items()))


def test_a_photo_of_an_old_code_fails_signed_out_and_after_sign_in(
    client, live_session, worker
):
    url = _url(live_session)
    with _later(46):
        response = client.get(url)
        assert response.status_code == 400  # said at once, not after signing in
        assert b'id="checkin-error"' in response.content
        assert b"expired" in response.content
        assert qr.PRESENTED_KEY not in client.session
        _sign_in(client, worker.user.username, url)
        assert client.get(url).status_code == 400
        assert client.post(url, {"action": "check_in"}).status_code == 400
    assert not Attendance.objects.exists()


def test_a_bad_code_signed_out_is_refused_at_once(client):
    response = client.get(reverse("training:checkin", args=["12:abc:def"]))
    assert response.status_code == 400 and b'id="checkin-error"' in response.content


def test_sign_in_after_the_grace_is_refused_with_a_message(
    client, live_session, worker, settings
):
    settings.TRAINING_QR_SIGN_IN_GRACE_MINUTES = 5
    url = _url(live_session)
    _scan_signed_out(client, url)
    store = client.session
    record = store[qr.PRESENTED_KEY]
    record["at"] = (timezone.now() - dt.timedelta(minutes=5, seconds=5)).isoformat()
    store[qr.PRESENTED_KEY] = record
    store.save()
    with _later(300):
        _sign_in(client, worker.user.username, url)
        response = client.get(url)
    assert response.status_code == 400
    assert "More than 5 minutes passed" in response.content.decode()
    assert qr.PRESENTED_KEY not in client.session
    assert not Attendance.objects.exists()


def test_the_scan_counts_for_its_own_session_only(client, klass, live_session, worker):
    other = ClassSessionFactory(
        training_class=klass,
        date=live_session.date,
        start_time=live_session.start_time,
        end_time=live_session.end_time,
    )
    url = _url(live_session)
    other_url = _url(other)
    _scan_signed_out(client, url)
    with _later(120):
        _sign_in(client, worker.user.username, url)
        assert client.get(other_url).status_code == 400
        assert not Attendance.objects.exists()
        assert client.get(url).status_code == 200
    assert list(Attendance.objects.values_list("session", flat=True)) == [
        live_session.pk
    ]


def test_not_enrolled_is_refused_after_sign_in(client, live_session, workers):
    url = _url(live_session)
    _scan_signed_out(client, url)
    with _later(120):
        _sign_in(client, workers[1].user.username, url)
        response = client.get(url)
    assert response.status_code == 400
    assert "You are not enrolled in this class" in response.content.decode()
    assert not Attendance.objects.exists()
    assert qr.PRESENTED_KEY not in client.session  # spent, even when refused


def test_outside_the_session_window_is_refused_after_sign_in(client, klass, workers):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ended = ClassSessionFactory(training_class=klass, date=yesterday)
    enrolment_create(training_class=klass, worker=workers[0])
    url = _url(ended)
    _scan_signed_out(client, url)
    with _later(120):
        _sign_in(client, workers[0].user.username, url)
        response = client.get(url)
    assert response.status_code == 400
    assert "This session has ended; check-in is closed." in response.content.decode()
    assert not Attendance.objects.exists()


def test_already_checked_in_may_check_out_once_after_sign_in(
    client, live_session, worker
):
    """A worker already in is not checked out by the sign-in itself: the page offers
    check-out, which the remembered scan allows once."""
    Attendance.objects.create(
        session=live_session,
        enrolment=worker.enrolments.get(),
        checked_in_at=live_session.starts_at,
        method="qr",
    )
    url = _url(live_session)
    _scan_signed_out(client, url)
    scanned = client.session[qr.PRESENTED_KEY]["at"]
    with _later(120):
        _sign_in(client, worker.user.username, url)
        page = client.get(url)
        assert page.status_code == 200 and b'id="check-out"' in page.content
        assert Attendance.objects.get().checked_out_at is None
        done = client.post(url, {"action": "check_out"})
        assert done.status_code == 200
        assert Attendance.objects.get().checked_out_at == dt.datetime.fromisoformat(
            scanned
        )
        assert client.post(url, {"action": "check_out"}).status_code == 400
    assert Attendance.objects.count() == 1


def test_a_wrong_password_first_keeps_the_scan(client, live_session, worker):
    """django-axes counts the failure; the scan survives it and the next sign-in."""
    url = _url(live_session)
    _scan_signed_out(client, url)
    with _later(120):
        failed = _sign_in(client, worker.user.username, url, password="wrong-one-1")
        assert failed.status_code == 200
        _sign_in(client, worker.user.username, url)
        assert client.get(url).status_code == 200
    assert Attendance.objects.count() == 1


def test_the_two_factor_step_keeps_the_scan(client, live_session, worker):
    device = totp_device_start(user=worker.user)
    totp = totp_for(device)
    previous = totp.at(timezone.now() - dt.timedelta(seconds=30))
    assert totp_device_confirm(user=worker.user, code=previous)
    url = _url(live_session)
    _scan_signed_out(client, url)
    with _later(120):
        _sign_in(client, worker.user.username, url)
        asked = client.get(url)
        assert asked.status_code == 302
        assert asked["Location"].startswith(reverse("api_security:two_factor_verify"))
        assert not Attendance.objects.exists()
        code = totp.at(timezone.now())  # the real clock, not the shifted time.time
        verified = client.post(asked["Location"], {"code": code, "next": url})
        assert verified.status_code == 302 and verified["Location"] == url
        assert client.get(url).status_code == 200
    assert Attendance.objects.count() == 1


def test_a_quick_sign_in_with_the_code_still_fresh_checks_in_too(
    client, live_session, worker
):
    url = _url(live_session)
    _scan_signed_out(client, url)
    _sign_in(client, worker.user.username, url)
    assert client.get(url).status_code == 200
    assert Attendance.objects.count() == 1
    assert qr.PRESENTED_KEY not in client.session
