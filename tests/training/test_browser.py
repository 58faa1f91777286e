"""A worker enrols, checks in by the trainer's QR code, checks out, and sees the
credit in their ledger — in Debian's chromium."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lms.accounts.models import Role
from lms.training import qr
from lms.training.models import Attendance, CreditEntry
from lms.training.services import enrolment_create
from tests.conftest import sign_in
from tests.people.factories import UserFactory, WorkerFactory
from trainers.models import Trainer

from .factories import ClassSessionFactory, TrainingClassFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_class(tree, settings):
    # The share-of-session rule is covered in test_services; here the journey matters.
    settings.TRAINING_SESSION_MIN_SHARE = 0.0
    klass = TrainingClassFactory(
        organiser=tree["district1"], title="社区治理能力提升培训班", capacity=10
    )
    now = timezone.localtime()
    start = now - dt.timedelta(minutes=20)
    end = now + dt.timedelta(minutes=20)
    if start.date() != end.date():
        start, end = now.replace(hour=0, minute=0), now.replace(hour=23, minute=59)
    session = ClassSessionFactory(
        training_class=klass,
        date=start.date(),
        start_time=start.time().replace(microsecond=0),
        end_time=end.time().replace(microsecond=0),
        length="half",
    )
    trainer_user = UserFactory(username="teacher1", role=Role.TRAINER)
    klass.trainers.add(
        Trainer.objects.create(
            name="王老师", org=tree["district1"], source="contest", user=trainer_user
        )
    )
    worker = WorkerFactory(
        community=tree["community11"], user=UserFactory(username="worker1")
    )
    return klass, session, worker


def test_enrol_check_in_by_qr_check_out_and_see_the_credit(
    browser, live_server, running_class
):
    klass, session, worker = running_class
    worker_page = browser.new_context(locale="zh-CN").new_page()
    trainer_page = browser.new_context(locale="zh-CN").new_page()
    for p in (worker_page, trainer_page):
        p.set_default_timeout(15000)

    sign_in(worker_page, live_server, "worker1")
    worker_page.wait_for_url("**/portal/")
    worker_page.goto(f"{live_server.url}/training/")
    worker_page.click(f"#open-classes >> text={klass.title}")
    worker_page.click("#enrol")
    assert "已报名" in worker_page.inner_text("#enrolment-status") or "Enrolled" in (
        worker_page.inner_text("#enrolment-status")
    )

    # The trainer's screen shows the QR code and the link it encodes.
    sign_in(trainer_page, live_server, "teacher1")
    trainer_page.wait_for_load_state()
    trainer_page.goto(f"{live_server.url}/training/teach/session/{session.pk}/qr/")
    trainer_page.wait_for_selector("#qr-code svg")
    checkin_url = trainer_page.get_attribute("#qr-link", "href")
    assert "/training/c/" in checkin_url

    # The worker opens the scanned URL on their phone: check in, then again: harmless.
    worker_page.goto(checkin_url)
    worker_page.click("#check-in")
    worker_page.wait_for_selector("#check-out")
    worker_page.goto(checkin_url)
    assert worker_page.is_visible("#check-out")

    # The trainer's live list shows the worker as in.
    expect(trainer_page.locator("#qr-count")).to_have_text("1", timeout=12000)
    assert worker.name in trainer_page.inner_text("#qr-present")

    worker_page.click("#check-out")
    worker_page.wait_for_selector("#checkin-state")
    assert (
        CreditEntry.objects.filter(
            worker=worker, source_key=f"session:{session.pk}"
        ).count()
        == 1
    )

    worker_page.goto(f"{live_server.url}/training/ledger/")
    ledger = worker_page.inner_text("#ledger")
    assert klass.title in ledger and "\t0.5\t" in ledger  # 0.5, not 0.50


def test_signed_out_worker_scans_signs_in_after_the_code_expired_and_is_checked_in(
    page, live_server, running_class, settings
):
    """The phone is signed out: the QR link leads to sign-in; the code expires while
    the password is typed; signing in still checks the worker in, exactly once."""
    settings.TRAINING_QR_MAX_AGE = 2  # a short-lived code instead of waiting 45 s
    klass, session, worker = running_class
    enrolment_create(training_class=klass, worker=worker)
    code = qr.checkin_code(session.pk)
    checkin_url = f"{live_server.url}{reverse('training:checkin', args=[code])}"

    page.goto(checkin_url)
    assert "/accounts/login/?next=" in page.url
    assert page.locator("ul.messages").is_visible()  # "sign in within 5 minutes"
    page.fill("#id_username", "worker1")
    time.sleep(3)  # typing the password, slowly
    with pytest.raises(qr.CodeExpired):
        qr.session_from_code(code)
    page.fill("#id_password", "pass-for-tests-123")
    page.click("main button[type=submit]")

    page.wait_for_selector("#checkin-state")
    assert "/training/c/" in page.url
    assert not page.locator("#checkin-error").count()
    assert page.locator("#check-out").is_visible()
    attendance = Attendance.objects.get()
    assert attendance.enrolment.worker == worker and attendance.checked_in_at

    # Reloading the old code does not check in again.
    page.reload()
    page.wait_for_selector("#checkin-error")
    assert Attendance.objects.count() == 1
