"""No worker page scrolls sideways on a phone (390×844): tables become cards —
in Debian's chromium."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.training.services import (
    credit_entry_create,
    enrolment_create,
    external_training_submit,
)
from tests.conftest import sign_in
from tests.files import png_bytes
from tests.people.factories import UserFactory, WorkerFactory
from tests.training.factories import ClassSessionFactory, TrainingClassFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/portal/",
    "/portal/me/",
    "/training/",
    "/training/ledger/",
    "/training/external/",
    "/compliance/",
    "/portal/certificates/",
    "/mentoring/",
]
LONG = "社区治理能力提升暨基层网格化服务管理与居民议事协商专题培训班"


@pytest.fixture
def busy_worker(tree, wagtail_site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    worker = WorkerFactory(
        community=tree["community11"], user=UserFactory(username="phone1")
    )
    klass = TrainingClassFactory(organiser=tree["district1"], title=LONG)
    today = timezone.localdate()
    for day in (1, 8):
        ClassSessionFactory(training_class=klass, date=today + dt.timedelta(days=day))
    enrolment_create(training_class=klass, worker=worker)
    for n in range(3):
        credit_entry_create(
            worker=worker,
            date=today - dt.timedelta(days=n + 1),
            days=Decimal("0.5"),
            hours=Decimal("3"),
            kind="in_person",
            title=f"{LONG}{n}",
            source_key=f"import:{n}",
        )
    external_training_submit(
        worker=worker,
        title=LONG,
        organiser_name="省委党校",
        type="continuing",
        form="in_person",
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=29),
        days=Decimal("2"),
        hours=Decimal("12"),
        certificate=SimpleUploadedFile("c.png", png_bytes(), "image/png"),
    )
    return worker


def test_no_worker_page_scrolls_sideways_on_a_phone(browser, live_server, busy_worker):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "phone1")
    page.wait_for_url("**/portal/")
    wide, tables = {}, {}
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
        # every table is read as cards: no header row squeezed above narrow columns
        plain = page.locator("table:not(.cards) thead").count()
        if plain:
            tables[path] = plain
    context.close()
    assert wide == {}
    assert tables == {}
