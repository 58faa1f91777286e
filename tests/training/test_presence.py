"""Check-ins that need presence: the venue's distance, a shared phone, the fallback
code the trainer types, and the trainer's roster of present, absent and flagged."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from lms.compliance.models import YearPolicy
from lms.training import qr
from lms.training.models import Attendance
from lms.training.rules import distance_m, presence_verdict
from lms.training.services import (
    AttendanceError,
    attendance_check_in,
    attendance_code_check_in,
    enrolment_create,
)
from tests.bases.factories import BaseFactory

pytestmark = pytest.mark.django_db

VENUE = (30.657, 104.066)  # a base in Chengdu
NEAR = (30.6585, 104.066)  # about 170 m north
FAR = (30.700, 104.066)  # about 4.8 km north


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def at_base(klass, tree):
    klass.base = BaseFactory(
        org=tree["district1"], latitude=Decimal("30.657"), longitude=Decimal("104.066")
    )
    klass.save()
    return klass


@pytest.fixture
def enrolled(klass, workers):
    for w in workers[:2]:
        enrolment_create(training_class=klass, worker=w)
    return workers[:2]


def test_distance_and_verdicts():
    """Pure rules: metres between points; refused or flagged by the setting."""
    assert distance_m(VENUE, VENUE) == 0
    assert 160 <= distance_m(VENUE, NEAR) <= 175
    assert 4700 <= distance_m(VENUE, FAR) <= 4800
    kw = {"venue": VENUE, "max_m": 500}
    assert presence_verdict(position=NEAR, far_action="refuse", **kw)[:2] == (None, [])
    assert presence_verdict(position=FAR, far_action="refuse", **kw)[:2] == (
        "too_far",
        [],
    )
    assert presence_verdict(position=FAR, far_action="flag", **kw)[:2] == (
        None,
        ["far"],
    )
    assert presence_verdict(position=None, far_action="refuse", **kw)[:2] == (
        "location_needed",
        [],
    )
    assert presence_verdict(position=None, far_action="flag", **kw)[:2] == (
        None,
        ["no_location"],
    )
    assert presence_verdict(
        venue=None, position=None, max_m=500, far_action="refuse"
    ) == (None, [], None)


def test_a_forwarded_link_far_away_is_refused(session, at_base, enrolled, during):
    """Acting as the absent colleague: the code forwarded, opened 4.8 km away (or
    with the location withheld) is refused and nothing is recorded."""
    for position, message in ((FAR, "距培训地点"), (None, "位置")):
        with pytest.raises(AttendanceError, match=message):
            attendance_check_in(
                session=session, worker=enrolled[1], now=during, position=position
            )
    assert not Attendance.objects.exists()
    attendance, created = attendance_check_in(
        session=session, worker=enrolled[0], now=during, position=NEAR
    )
    assert created and attendance.flags == [] and 160 <= attendance.distance_m <= 175


def test_far_check_in_is_flagged_when_the_year_says_flag(
    session, at_base, enrolled, during
):
    YearPolicy.objects.create(year=session.date.year, checkin_far_action="flag")
    attendance, created = attendance_check_in(
        session=session, worker=enrolled[0], now=during, position=FAR
    )
    assert created and attendance.flags == ["far"]


def test_one_phone_checking_in_two_workers_flags_both(session, enrolled, during):
    """The same device cookie for two workers of one session: both are flagged."""
    first, _ = attendance_check_in(
        session=session, worker=enrolled[0], now=during, device="phone-1"
    )
    second, _ = attendance_check_in(
        session=session, worker=enrolled[1], now=during, device="phone-1"
    )
    first.refresh_from_db()
    assert first.flags == ["shared_device"] and second.flags == ["shared_device"]
    assert "phone-1" not in first.device  # only a hash is kept


def test_the_check_in_page_sends_the_location_and_sets_a_device(
    client, live_session, klass, tree, workers
):
    """Through the page: a venue with coordinates asks for the location; a post from
    far away is refused with a 400; one from near checks in."""
    klass.base = BaseFactory(
        org=tree["district1"], latitude=Decimal("30.657"), longitude=Decimal("104.066")
    )
    klass.save()
    enrolment_create(training_class=klass, worker=workers[0])
    client.force_login(workers[0].user)
    url = reverse("training:checkin", args=[qr.checkin_code(live_session.pk)])
    page = client.get(url)
    assert 'data-needs-location="1"' in page.content.decode()
    assert page.cookies["lms_device"].value
    far = client.post(
        url, {"action": "check_in", "latitude": "30.7", "longitude": "104.066"}
    )
    assert far.status_code == 400 and not Attendance.objects.exists()
    client.post(
        url, {"action": "check_in", "latitude": "30.6575", "longitude": "104.066"}
    )
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at and attendance.device


def test_trainer_types_a_workers_fallback_code(session, enrolled, during, tree):
    """The code a worker shows checks that worker in; a wrong code is refused."""
    from tests.people.factories import AdminFactory

    trainer = AdminFactory(org=tree["district1"])
    with pytest.raises(AttendanceError, match="没有"):
        attendance_code_check_in(
            session=session, code="000000x", actor=trainer, now=during
        )
    code = qr.fallback_code(session.pk, enrolled[1].pk)
    attendance = attendance_code_check_in(
        session=session, code=code, actor=trainer, now=during
    )
    assert attendance.enrolment.worker == enrolled[1]
    assert (attendance.method, attendance.marked_by) == ("code", trainer)
    assert qr.fallback_code(session.pk, enrolled[0].pk) != code


def test_roster_shows_present_absent_and_flagged(
    client, session, enrolled, during, tree
):
    from tests.people.factories import AdminFactory

    attendance_check_in(session=session, worker=enrolled[0], now=during, device="d")
    Attendance.objects.update(flags=["far"])
    user = AdminFactory(org=tree["district1"], is_superuser=True)
    client.force_login(user)
    html = client.get(
        reverse("training:session_attendance", args=[session.pk])
    ).content.decode()
    assert "出席 1 · 缺席 1 · 标记 1" in html
    assert 'data-flag="far"' in html


def test_live_list_shows_the_flags_as_the_session_page(
    client, session, enrolled, during, tree
):
    """The QR screen's live list carries the same flag labels and distance as the
    session page (same template fragment)."""
    from tests.people.factories import AdminFactory

    attendance_check_in(session=session, worker=enrolled[0], now=during, device="d")
    Attendance.objects.update(flags=["far", "shared_device"], distance_m=900)
    client.force_login(AdminFactory(org=tree["district1"], is_superuser=True))
    data = client.get(reverse("training:qr_data", args=[session.pk]) + "?list=1").json()
    page = client.get(
        reverse("training:session_attendance", args=[session.pk])
    ).content.decode()
    for needle in ('data-flag="far"', 'data-flag="shared_device"', "900 m"):
        assert needle in data["list_html"] and needle in page
    assert "距培训地点过远" in data["list_html"]
    assert enrolled[0].name in data["list_html"]
