"""Mentor–mentee pairs: made in scope, monthly records by either side, evaluation by
both at the end, reminders for a month without a record."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from mentoring import rules
from mentoring.models import PairRecord, PairReminder
from mentoring.services.pairs import (
    PairingError,
    pair_evaluate,
    pair_record_write,
    pair_reminders_send,
    pairing_create,
)
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import MentorFactory

D = dt.date


def test_months_missing_records_counts_only_finished_months():
    """Months before today's month without a record; the current one is not due."""
    missing = rules.months_missing_records(
        start=D(2026, 1, 15),
        end=D(2026, 12, 31),
        today=D(2026, 4, 2),
        recorded={D(2026, 2, 1)},
    )
    assert missing == [D(2026, 1, 1), D(2026, 3, 1)]
    assert rules.months_between(D(2025, 12, 5), D(2026, 2, 1)) == [
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]


@pytest.fixture
def pairing(tree, db):
    admin = AdminFactory(username="d1p", org=tree["district1"])
    mentor = MentorFactory(org=tree["community11"], name="马杰")
    mentee = WorkerFactory(community=tree["community12"], name="新委员")
    return pairing_create(
        mentor=mentor,
        mentee=mentee,
        start=D(2026, 1, 10),
        end=D(2026, 6, 30),
        goals="熟悉居民工作",
        actor=admin,
    )


@pytest.mark.django_db
def test_pairs_are_made_inside_the_subtree_only(tree):
    """A mentee or mentor of the other district is refused."""
    admin = AdminFactory(username="d1pp", org=tree["district1"])
    args = dict(start=D(2026, 1, 1), end=D(2026, 6, 30), actor=admin)
    with pytest.raises(PermissionDenied):
        pairing_create(
            mentor=MentorFactory(org=tree["community11"]),
            mentee=WorkerFactory(community=tree["community21"]),
            **args,
        )
    with pytest.raises(PermissionDenied):
        pairing_create(
            mentor=MentorFactory(org=tree["community21"]),
            mentee=WorkerFactory(community=tree["community11"]),
            **args,
        )


@pytest.mark.django_db
def test_either_side_writes_monthly_records_nobody_else(pairing, tree):
    """Mentor and mentee each write one record per month (rewriting replaces it);
    a month to come or an outsider is refused."""
    today = D(2026, 3, 20)
    for user in (pairing.mentor.user, pairing.mentee.user):
        pair_record_write(
            pairing=pairing,
            user=user,
            month=D(2026, 2, 14),
            learned="议事",
            today=today,
        )
    pair_record_write(
        pairing=pairing,
        user=pairing.mentee.user,
        month=D(2026, 2, 1),
        learned="议事协商流程",
        today=today,
    )
    assert sorted(PairRecord.objects.values_list("side", "learned")) == [
        ("mentee", "议事协商流程"),
        ("mentor", "议事"),
    ]
    with pytest.raises(PairingError):
        pair_record_write(
            pairing=pairing,
            user=pairing.mentee.user,
            month=D(2026, 4, 1),
            learned="x",
            today=today,
        )
    with pytest.raises(PermissionDenied):
        pair_record_write(
            pairing=pairing,
            user=WorkerFactory(community=tree["community12"]).user,
            month=D(2026, 2, 1),
            learned="x",
            today=today,
        )


@pytest.mark.django_db
def test_both_sides_evaluate_once_at_the_end(pairing):
    """Not before the last month; each side once."""
    with pytest.raises(PairingError):
        pair_evaluate(
            pairing=pairing,
            user=pairing.mentee.user,
            score=5,
            comment="很好",
            today=D(2026, 5, 31),
        )
    for user in (pairing.mentor.user, pairing.mentee.user):
        pair_evaluate(
            pairing=pairing,
            user=user,
            score=4,
            comment="收获很大",
            today=D(2026, 6, 20),
        )
    with pytest.raises(PairingError):
        pair_evaluate(
            pairing=pairing,
            user=pairing.mentee.user,
            score=5,
            comment="再评",
            today=D(2026, 7, 1),
        )
    assert pairing.evaluations.count() == 2


@pytest.mark.django_db
def test_a_month_without_a_record_reminds_both_sides_once(pairing):
    """February has no record: one reminder on 3 March (to both), none again; March
    has one: no reminder on 3 April."""
    pairing.mentor.user.email = "mentor@example.org"
    pairing.mentor.user.save()
    pairing.mentee.user.email = "mentee@example.org"
    pairing.mentee.user.save()
    pair_record_write(
        pairing=pairing,
        user=pairing.mentee.user,
        month=D(2026, 3, 1),
        learned="调解",
        today=D(2026, 3, 31),
    )
    assert pair_reminders_send(today=D(2026, 3, 3)) == 1
    assert sorted(mail.outbox[-1].to) == ["mentee@example.org", "mentor@example.org"]
    assert pair_reminders_send(today=D(2026, 3, 5)) == 0
    assert pair_reminders_send(today=D(2026, 4, 3)) == 0
    assert list(PairReminder.objects.values_list("month", flat=True)) == [D(2026, 2, 1)]


@pytest.mark.django_db
def test_a_missing_pair_record_is_a_notification_on_both_homes(
    frozen_now, client, tree
):
    """The mentee (a worker) sees it on the portal home, the mentor too; once."""
    from lms.compliance.models import Notification

    today = frozen_now.date()
    mentee = WorkerFactory(community=tree["community12"], name="新委员")
    pairing = pairing_create(
        mentor=MentorFactory(org=tree["community11"]),
        mentee=mentee,
        start=D(today.year, 1, 10),
        end=D(today.year, 12, 31),
        actor=AdminFactory(username="d1n", org=tree["district1"]),
    )
    assert pair_reminders_send(today=today) == 1
    assert pair_reminders_send(today=today) == 0
    notes = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.kind) for n in notes] == sorted(
        [(pairing.mentor.user_id, "pair_record"), (mentee.user_id, "pair_record")]
    )
    for user in (mentee.user, pairing.mentor.user):
        client.force_login(user)
        page = client.get("/portal/", follow=True).content.decode()
        assert f"/mentoring/pairs/{pairing.pk}/" in page
