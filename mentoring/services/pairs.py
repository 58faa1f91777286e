"""Mentor–mentee pairs (传帮带): made, monthly records, evaluations, and reminders
about a month without a record."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.scoping import org_in_scope
from lms.compliance.models import NotificationKind
from lms.people.models import Worker

from .. import rules
from ..models import Mentor, PairEvaluation, Pairing, PairRecord, PairReminder
from ..selectors import pairing_side
from .notifications import notifications_send


class PairingError(Exception):
    """A refused pairing write; the message is for the person."""


@transaction.atomic
def pairing_create(
    *,
    mentor: Mentor,
    mentee: Worker,
    start: dt.date,
    end: dt.date,
    actor,
    goals: str = "",
) -> Pairing:
    """An administrator pairs a worker of their subtree with a mentor of it (inside a
    community or across communities)."""
    if not org_in_scope(actor, mentee.community) or not org_in_scope(actor, mentor.org):
        raise PermissionDenied
    if mentor.worker_id == mentee.pk:
        raise PairingError(_("A mentor cannot be paired with themselves."))
    if end < start:
        raise PairingError(_("The end date is before the start date."))
    if Pairing.objects.filter(mentor=mentor, mentee=mentee, start=start).exists():
        raise PairingError(_("This pair already exists."))
    pairing = Pairing(
        mentor=mentor,
        mentee=mentee,
        start=start,
        end=end,
        goals=goals.strip(),
        created_by=actor,
    )
    pairing.full_clean(validate_constraints=False)
    pairing.save()
    return pairing


def _side_of(pairing: Pairing, user) -> str:
    side = pairing_side(pairing, user)
    if side is None:
        raise PermissionDenied
    return side


@transaction.atomic
def pair_record_write(
    *,
    pairing: Pairing,
    user,
    month: dt.date,
    learned: str,
    problems: str = "",
    today: dt.date | None = None,
) -> PairRecord:
    """Either side writes (or rewrites) its record of a month of the pairing, never of
    a month still to come."""
    pairing = Pairing.objects.select_related("mentor", "mentee").get(pk=pairing.pk)
    side = _side_of(pairing, user)
    today = today or timezone.localdate()
    month = rules.month_start(month)
    if month not in rules.months_between(pairing.start, min(pairing.end, today)):
        raise PairingError(_("That month is outside the pairing so far."))
    record, _created = PairRecord.objects.update_or_create(
        pairing=pairing,
        month=month,
        side=side,
        defaults={"learned": learned.strip(), "problems": problems.strip()},
    )
    record.full_clean()
    return record


@transaction.atomic
def pair_evaluate(
    *, pairing: Pairing, user, score: int, comment: str, today: dt.date | None = None
) -> PairEvaluation:
    """Each side evaluates once, from the last month of the pairing on."""
    pairing = Pairing.objects.select_related("mentor", "mentee").get(pk=pairing.pk)
    side = _side_of(pairing, user)
    today = today or timezone.localdate()
    if today < rules.month_start(pairing.end):
        raise PairingError(_("The evaluation opens in the pairing's last month."))
    if PairEvaluation.objects.filter(pairing=pairing, side=side).exists():
        raise PairingError(_("You have already evaluated this pairing."))
    evaluation = PairEvaluation(
        pairing=pairing, side=side, score=score, comment=comment.strip()
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


def pair_reminders_send(*, today: dt.date | None = None) -> int:
    """Monthly: a reminder to both sides of each pairing whose last month has no
    record, once per pairing and month. Returns how many went out."""
    today = today or timezone.localdate()
    last_month = rules.month_start(rules.month_start(today) - dt.timedelta(days=1))
    due = (
        Pairing.objects.filter(start__lt=rules.month_start(today), end__gte=last_month)
        .exclude(records__month=last_month)
        .exclude(reminders__month=last_month)
        .select_related("mentor__user", "mentee__user", "mentee__community")
    )
    sent = 0
    for pairing in due:
        _reminder, created = PairReminder.objects.get_or_create(
            pairing=pairing, month=last_month
        )
        if not created:
            continue
        users = [
            u
            for u in (pairing.mentor.user, pairing.mentee.user)
            if u is not None and u.is_active
        ]
        if users:
            with translation.override(settings.LANGUAGE_CODE):
                notifications_send(
                    users=users,
                    kind=NotificationKind.PAIR_RECORD,
                    title=_("No record yet for %(month)s: %(pair)s")
                    % {"month": f"{last_month:%Y-%m}", "pair": str(pairing)},
                    body=_("Write what was learned and the problems handled."),
                    link=reverse("mentoring:pairing", args=[pairing.pk]),
                    period=f"{last_month:%Y-%m}",
                    org=pairing.mentee.community,
                )
        sent += 1
    return sent
