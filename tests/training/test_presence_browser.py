"""Browser journey: a forwarded check-in link opened far from the base is refused;
at the base the phone's location checks the worker in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lms.training import qr
from lms.training.models import Attendance
from lms.training.services import enrolment_create
from tests.bases.factories import BaseFactory
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_at(browser, latitude, longitude):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        geolocation={"latitude": latitude, "longitude": longitude},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_forwarded_link_far_away_is_refused_and_at_the_base_checks_in(
    browser, live_server, live_session, klass, tree, workers
):
    klass.base = BaseFactory(
        org=tree["district1"], latitude=Decimal("30.657"), longitude=Decimal("104.066")
    )
    klass.save()
    for w in workers[:2]:
        enrolment_create(training_class=klass, worker=w)
    path = reverse("training:checkin", args=[qr.checkin_code(live_session.pk)])

    context, page = phone_at(browser, 30.700, 104.066)  # 4.8 km away, at home
    try:
        sign_in(page, live_server, workers[1].user.username)
        page.goto(f"{live_server.url}{path}")
        assert page.locator("#location-note").is_visible()
        page.click("#check-in")
        page.wait_for_selector("#checkin-error")
        assert "距培训地点" in page.locator("#checkin-error").inner_text()
        assert not Attendance.objects.exists()
    finally:
        context.close()

    context, page = phone_at(browser, 30.6572, 104.0661)  # in the hall
    try:
        sign_in(page, live_server, workers[0].user.username)
        page.goto(f"{live_server.url}{path}")
        page.click("#check-in")
        page.wait_for_selector("#checkin-state")
        attendance = Attendance.objects.get()
        assert attendance.enrolment.worker == workers[0]
        assert attendance.distance_m < 50 and attendance.flags == []
    finally:
        context.close()
