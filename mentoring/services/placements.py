"""Placements planned, recorded and signed off into the credit ledger (through
lms.training's one road, `credit_entry_create`), and cancelled."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction
from lms.accounts.scoping import org_in_scope
from lms.accounts.services import audit_log_write
from lms.compliance.selectors import policy_for_year
from lms.org.models import OrgNode
from lms.people.models import Worker
from lms.training.models import TrainingForm, TrainingType
from lms.training.services import credit_entry_create

from .. import rules
from ..models import Mentor, Placement, PlacementStatus, Studio


class PlacementError(Exception):
    """A refused placement write; the message is for the person."""


def _check_host(*, actor, mentor: Mentor, studio: Studio | None) -> None:
    if not org_in_scope(actor, mentor.org):
        raise PermissionDenied
    if studio is not None and not org_in_scope(actor, studio.org):
        raise PermissionDenied
    if not mentor.is_active or (studio is not None and not studio.is_active):
        raise PlacementError(_("This mentor or studio no longer takes placements."))


@transaction.atomic
def placement_create(
    *,
    worker: Worker,
    mentor: Mentor,
    start: dt.date,
    end: dt.date,
    planned_days: Decimal,
    actor,
    studio: Studio | None = None,
    kind: str = "shadowing",
    goals: str = "",
) -> Placement:
    """An administrator places a worker of their subtree with a mentor of it."""
    if not org_in_scope(actor, worker.community):
        raise PermissionDenied
    _check_host(actor=actor, mentor=mentor, studio=studio)
    refusal = rules.placement_refusal(start=start, end=end, planned_days=planned_days)
    if refusal:
        raise PlacementError(refusal)
    if mentor.worker_id is not None and mentor.worker_id == worker.pk:
        raise PlacementError(_("A mentor cannot be placed with themselves."))
    if (
        Placement.objects.filter(worker=worker, mentor=mentor, start=start)
        .exclude(status=PlacementStatus.CANCELLED)
        .exists()
    ):
        raise PlacementError(_("This worker is already placed with this mentor then."))
    placement = Placement(
        worker=worker,
        mentor=mentor,
        studio=studio,
        kind=kind,
        start=start,
        end=end,
        planned_days=planned_days,
        goals=goals.strip(),
        placed_by=actor,
    )
    placement.full_clean(validate_constraints=False)
    placement.save()
    return placement


@transaction.atomic
def placement_bulk_create(
    *,
    org: OrgNode,
    posts: list[str],
    mentor: Mentor,
    start: dt.date,
    end: dt.date,
    planned_days: Decimal,
    actor,
    studio: Studio | None = None,
    kind: str = "shadowing",
    goals: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Place everyone of `org`'s subtree holding one of `posts` (all if empty).

    Idempotent like bulk enrolment: workers already placed with this mentor from
    this start are reported and left alone. A fixed number of queries whatever the
    number of workers. Returns counts and `report` rows (name, masked ID, community,
    outcome).
    """
    if not org_in_scope(actor, org):
        raise PermissionDenied
    _check_host(actor=actor, mentor=mentor, studio=studio)
    refusal = rules.placement_refusal(start=start, end=end, planned_days=planned_days)
    if refusal:
        raise PlacementError(refusal)
    workers = Worker.objects.filter(
        community__path__startswith=org.path, leave_date__isnull=True
    )
    if posts:
        workers = workers.filter(post__in=posts)
    rows = list(
        workers.order_by("community__path", "name", "id").values_list(
            "id", "name", "id_number_masked", "community__name"
        )
    )
    if progress:
        progress(0, len(rows))
    placed = set(
        Placement.objects.filter(mentor=mentor, start=start)
        .exclude(status=PlacementStatus.CANCELLED)
        .values_list("worker_id", flat=True)
    )
    new, report = [], []
    for wid, name, masked, community in rows:
        if wid in placed or wid == mentor.worker_id:
            report.append((name, masked, community, _("skipped")))
            continue
        new.append(
            Placement(
                worker_id=wid,
                mentor=mentor,
                studio=studio,
                kind=kind,
                start=start,
                end=end,
                planned_days=planned_days,
                goals=goals.strip(),
                placed_by=actor,
            )
        )
        report.append((name, masked, community, _("placed")))
    Placement.objects.bulk_create(new, batch_size=1000)
    if progress:
        progress(len(rows), len(rows))
    return {"placed": len(new), "skipped": len(rows) - len(new), "report": report}


def _hosted(placement: Placement, user) -> Placement:
    """The placement locked, if `user` is its mentor's linked account."""
    locked = (
        Placement.objects.select_for_update()
        .select_related("mentor", "worker")
        .get(pk=placement.pk)
    )
    if user is None or not user.is_authenticated or locked.mentor.user_id != user.pk:
        raise PermissionDenied
    if locked.status != PlacementStatus.PLANNED:
        raise PlacementError(_("This placement is already closed."))
    return locked


@transaction.atomic
def placement_record(
    *, placement: Placement, user, recorded_days: Decimal, assessment: str
) -> Placement:
    """The mentor records the days attended and a short assessment."""
    placement = _hosted(placement, user)
    if recorded_days < 0 or recorded_days % rules.HALF:
        raise PlacementError(_("Days are counted in half days."))
    if recorded_days > rules.span_days(placement.start, placement.end):
        raise PlacementError(_("More days than the placement's period holds."))
    placement.recorded_days = recorded_days
    placement.assessment = assessment.strip()
    placement.full_clean(validate_constraints=False)
    placement.save(update_fields=["recorded_days", "assessment"])
    return placement


@transaction.atomic
def placement_sign_off(
    *, placement: Placement, user, today: dt.date | None = None
) -> Placement:
    """The mentor signs off: one ledger entry for the recorded days (form shadowing,
    dated the last day attended, counted as the year's policy says)."""
    placement = _hosted(placement, user)
    today = today or timezone.localdate()
    refusal = rules.sign_off_refusal(
        start=placement.start,
        end=placement.end,
        recorded_days=placement.recorded_days,
        today=today,
    )
    if refusal:
        raise PlacementError(refusal)
    date = min(placement.end, today)
    policy = policy_for_year(date.year)
    credit = rules.shadowing_credit(
        days=placement.recorded_days,
        counts_as=policy.shadowing_counts_as,
        hours_per_day=policy.hours_per_day,
    )
    entry, _created = credit_entry_create(
        worker=placement.worker,
        date=date,
        days=credit.days,
        hours=credit.hours,
        kind=credit.kind,
        title=(
            _("%(kind)s with %(mentor)s")
            % {"kind": placement.get_kind_display(), "mentor": placement.mentor.name}
        )[:200],
        source_key=f"placement:{placement.pk}",
        training_type=TrainingType.ON_THE_JOB,
        form=TrainingForm.SHADOWING,
        organiser=placement.mentor.org,
        evidence={
            "placement": placement.pk,
            "mentor": placement.mentor_id,
            "studio": placement.studio_id,
            "start": placement.start.isoformat(),
            "end": placement.end.isoformat(),
            "assessment": placement.assessment[:500],
        },
        created_by=user,
    )
    placement.status = PlacementStatus.SIGNED_OFF
    placement.signed_off_by = user
    placement.signed_off_at = timezone.now()
    placement.credit = entry
    placement.save(update_fields=["status", "signed_off_by", "signed_off_at", "credit"])
    return placement


@transaction.atomic
def placement_cancel(*, placement: Placement, actor, request=None) -> Placement:
    """An administrator of the worker's subtree cancels a placement not signed off
    (nothing credited); audited."""
    placement = (
        Placement.objects.select_for_update()
        .select_related("worker__community")
        .get(pk=placement.pk)
    )
    if not org_in_scope(actor, placement.worker.community):
        raise PermissionDenied
    if placement.status != PlacementStatus.PLANNED or placement.credit_id is not None:
        raise PlacementError(_("This placement is already closed."))
    placement.status = PlacementStatus.CANCELLED
    placement.save(update_fields=["status"])
    audit_log_write(
        actor=actor,
        action=AuditAction.PLACEMENT_CANCEL,
        target=placement,
        detail={
            "worker": placement.worker_id,
            "mentor": placement.mentor_id,
            "start": placement.start.isoformat(),
        },
        request=request,
    )
    return placement
