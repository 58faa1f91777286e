"""Placements: planning in scope, recording and sign-off into the credit ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from lms.compliance.models import YearPolicy
from lms.compliance.selectors import worker_compliance
from lms.training.models import CreditEntry, CreditTotal
from mentoring.models import Placement, PlacementStatus
from mentoring.services.placements import (
    PlacementError,
    placement_bulk_create,
    placement_cancel,
    placement_create,
    placement_record,
    placement_sign_off,
)
from tests.people.factories import AdminFactory, UserFactory, WorkerFactory

from .factories import MentorFactory

pytestmark = pytest.mark.django_db
AFTER = dt.date(2026, 3, 20)


def _sign(placement, days="4.5", today=AFTER):
    user = placement.mentor.user
    placement_record(
        placement=placement, user=user, recorded_days=Decimal(days), assessment="好"
    )
    return placement_sign_off(placement=placement, user=user, today=today)


def test_sign_off_credits_the_recorded_days_once_as_in_person(placement):
    """The mentor's sign-off writes one in-person ledger line of form shadowing,
    dated the last day, and the worker's in-person days grow by the recorded days."""
    before = worker_compliance(placement.worker, 2026).result.in_person_days
    done = _sign(placement)
    entry = CreditEntry.objects.get(worker=placement.worker)
    assert (entry.kind, entry.form, entry.days, entry.hours, entry.date) == (
        "in_person",
        "shadowing",
        Decimal("4.50"),
        Decimal("27.00"),
        dt.date(2026, 3, 6),
    )
    assert entry.source_key == f"placement:{placement.pk}"
    assert done.status == PlacementStatus.SIGNED_OFF and done.credit == entry
    after = worker_compliance(placement.worker, 2026).result.in_person_days
    assert after - before == Decimal("4.5")
    with pytest.raises(PlacementError):
        placement_sign_off(placement=placement, user=placement.mentor.user, today=AFTER)
    assert CreditEntry.objects.filter(worker=placement.worker).count() == 1


def test_the_years_policy_can_count_shadowing_as_online(placement):
    """With the year's rules set to online, the credit is online study hours."""
    YearPolicy.objects.create(year=2026, shadowing_counts_as="online")
    _sign(placement, days="2")
    entry = CreditEntry.objects.get(worker=placement.worker)
    assert (entry.kind, entry.days, entry.hours) == (
        "online",
        Decimal("2.00"),
        Decimal("12.00"),
    )
    total = CreditTotal.objects.get(worker=placement.worker, year=2026)
    assert (total.in_person_days, total.online_hours) == (Decimal("0"), Decimal("12"))


def test_only_the_mentor_records_and_signs_off(placement, d1_admin):
    """The worker, an administrator or another user cannot record or sign off."""
    for user in (placement.worker.user, d1_admin, UserFactory()):
        with pytest.raises(PermissionDenied):
            placement_record(
                placement=placement,
                user=user,
                recorded_days=Decimal("5"),
                assessment="",
            )
        with pytest.raises(PermissionDenied):
            placement_sign_off(placement=placement, user=user, today=AFTER)
    assert not CreditEntry.objects.exists()


def test_sign_off_refuses_more_days_than_elapsed(placement):
    """Mid-placement, only the days elapsed so far can be credited; nothing written."""
    placement_record(
        placement=placement,
        user=placement.mentor.user,
        recorded_days=Decimal("4"),
        assessment="",
    )
    with pytest.raises(PlacementError):
        placement_sign_off(
            placement=placement, user=placement.mentor.user, today=dt.date(2026, 3, 4)
        )
    with pytest.raises(PlacementError):
        placement_record(
            placement=placement,
            user=placement.mentor.user,
            recorded_days=Decimal("6"),
            assessment="",
        )
    assert not CreditEntry.objects.exists()
    assert Placement.objects.get().status == PlacementStatus.PLANNED


def test_an_administrator_places_only_inside_the_subtree(tree, d1_admin):
    """A worker or a mentor of the other district is refused; the plan is checked."""
    inside = WorkerFactory(community=tree["community11"])
    outside = WorkerFactory(community=tree["community21"])
    mentor = MentorFactory(org=tree["community12"])
    foreign_mentor = MentorFactory(org=tree["community22"])
    args = dict(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 6), actor=d1_admin)
    placement_create(worker=inside, mentor=mentor, planned_days=Decimal("5"), **args)
    with pytest.raises(PermissionDenied):
        placement_create(
            worker=outside, mentor=mentor, planned_days=Decimal("5"), **args
        )
    with pytest.raises(PermissionDenied):
        placement_create(
            worker=inside, mentor=foreign_mentor, planned_days=Decimal("5"), **args
        )
    with pytest.raises(PlacementError):
        placement_create(
            worker=inside, mentor=mentor, planned_days=Decimal("6"), **args
        )
    with pytest.raises(PlacementError):  # the same placement twice
        placement_create(
            worker=inside, mentor=mentor, planned_days=Decimal("5"), **args
        )
    assert Placement.objects.count() == 1


def test_bulk_placement_is_idempotent_and_uses_fixed_queries(
    tree, d1_admin, django_assert_max_num_queries
):
    """Everyone of the subtree holding the posts is placed; a second run adds none;
    the mentor themselves is skipped."""
    mentor = MentorFactory(org=tree["community11"])
    for _ in range(6):
        WorkerFactory(community=tree["community12"], post="deputy")
    WorkerFactory(community=tree["community12"], post="staff")
    WorkerFactory(community=tree["community21"], post="deputy")
    args = dict(
        org=tree["district1"],
        posts=["deputy"],
        mentor=mentor,
        start=dt.date(2026, 5, 4),
        end=dt.date(2026, 5, 8),
        planned_days=Decimal("5"),
        actor=d1_admin,
    )
    with django_assert_max_num_queries(8):
        first = placement_bulk_create(**args)
    assert (first["placed"], first["skipped"]) == (6, 0)
    second = placement_bulk_create(**args)
    assert (second["placed"], second["skipped"]) == (0, 6)
    assert Placement.objects.filter(worker__community=tree["community21"]).count() == 0
    with pytest.raises(PermissionDenied):
        placement_bulk_create(**{**args, "org": tree["district2"]})


def test_cancel_only_before_sign_off_and_in_scope(placement, tree):
    """A signed-off placement stays (its credit too); another district cannot cancel."""
    other = AdminFactory(username="d2m", org=tree["district2"])
    with pytest.raises(PermissionDenied):
        placement_cancel(placement=placement, actor=other)
    _sign(placement)
    with pytest.raises(PlacementError):
        placement_cancel(
            placement=placement,
            actor=AdminFactory(username="d1m", org=tree["district1"]),
        )
