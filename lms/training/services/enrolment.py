"""Enrolment: self-enrolment, waiting list, cancellation, bulk enrolment."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.org.models import OrgNode
from lms.people.models import Worker
from lms.training.models import (
    Attendance,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Grade,
    TrainingClass,
)
from lms.training.rules import Target, eligibility_refusal, seats_to_fill


class EnrolmentError(Exception):
    """A refused enrolment or cancellation; the message is for the person."""


def _target(training_class: TrainingClass) -> Target:
    return Target(
        org_path=training_class.target_org.path,
        posts=frozenset(training_class.target_posts or ()),
        opens=training_class.enrol_opens,
        closes=training_class.enrol_closes,
    )


def _locked_class(training_class_id: int) -> TrainingClass:
    """The class row locked for this transaction: every enrolment of one class
    queues here, so the count of enrolled workers cannot race past capacity."""
    return (
        TrainingClass.objects.select_for_update()
        .select_related("target_org")
        .get(pk=training_class_id)
    )


def _enrolled_count(training_class_id: int) -> int:
    return Enrolment.objects.filter(
        training_class_id=training_class_id, status=EnrolmentStatus.ENROLLED
    ).count()


@transaction.atomic
def enrolment_create(
    *,
    training_class: TrainingClass,
    worker: Worker,
    actor=None,
    source: str = EnrolmentSource.SELF,
    now=None,
) -> tuple[Enrolment, bool]:
    """Enrol `worker`, or put them on the waiting list when the class is full.

    Returns (enrolment, created). Enrolling again while enrolled or waiting changes
    nothing. Self-enrolment checks the window, post and subtree; an administrator
    (source admin) may enrol outside the window but not outside the target.
    """
    now = now or timezone.now()
    klass = _locked_class(training_class.pk)
    if not klass.published and source == EnrolmentSource.SELF:
        raise EnrolmentError(_("This class is not open for enrolment."))
    worker = Worker.objects.select_related("community").get(pk=worker.pk)
    existing = Enrolment.objects.filter(training_class=klass, worker=worker).first()
    if existing is not None and existing.status != EnrolmentStatus.CANCELLED:
        return existing, False
    refusal = eligibility_refusal(
        community_path=worker.community.path,
        post=worker.post,
        left=worker.leave_date is not None
        and worker.leave_date <= timezone.localdate(now),
        target=_target(klass),
        now=now if source == EnrolmentSource.SELF else None,
    )
    if refusal:
        raise EnrolmentError(refusal)
    status = (
        EnrolmentStatus.ENROLLED
        if _enrolled_count(klass.pk) < klass.capacity
        else EnrolmentStatus.WAITING
    )
    enrolment = existing or Enrolment(training_class=klass, worker=worker)
    enrolment.status = status
    enrolment.source = source
    enrolment.requested_at = now  # a returning worker joins the end of the queue
    enrolment.cancelled_at = None
    enrolment.created_by = actor if actor is not None and actor.pk else None
    enrolment.batch = None  # no longer one of a bulk enrolment's
    enrolment.full_clean(validate_unique=False, validate_constraints=False)
    enrolment.save()
    return enrolment, True


def _promote_waiting(klass: TrainingClass) -> list[Enrolment]:
    """Fill free seats from the waiting list, first come first served."""
    enrolled = _enrolled_count(klass.pk)
    waiting = list(
        Enrolment.objects.filter(
            training_class=klass, status=EnrolmentStatus.WAITING
        ).order_by("requested_at", "id")[: max(klass.capacity - enrolled, 0)]
    )
    promoted = waiting[: seats_to_fill(klass.capacity, enrolled, len(waiting))]
    if promoted:
        Enrolment.objects.filter(pk__in=[e.pk for e in promoted]).update(
            status=EnrolmentStatus.ENROLLED
        )
    return promoted


@transaction.atomic
def enrolment_cancel(
    *, enrolment: Enrolment, actor=None, by_admin: bool = False, now=None
) -> list[Enrolment]:
    """Cancel an enrolment or a place on the waiting list; returns who was promoted.

    A worker cannot cancel after the class's cancellation deadline; an administrator
    can.
    """
    now = now or timezone.now()
    klass = _locked_class(enrolment.training_class_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return []
    if not by_admin and klass.cancel_deadline and now > klass.cancel_deadline:
        raise EnrolmentError(
            _("The cancellation deadline (%(t)s) has passed.")
            % {
                "t": timezone.localtime(klass.cancel_deadline).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
        )
    if enrolment.attendances.exists():
        raise EnrolmentError(_("Attendance is recorded; the enrolment stays."))
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = now
    enrolment.save(update_fields=["status", "cancelled_at"])
    return _promote_waiting(klass)


# --- Bulk enrolment ------------------------------------------------------------------

OUTCOME_ENROLLED = "enrolled"
OUTCOME_WAITING = "waiting"
OUTCOME_SKIPPED = "skipped"


@dataclass(frozen=True)
class PlannedRow:
    """One worker of a bulk enrolment: what it would do (or did) and why."""

    worker_id: int
    name: str
    id_masked: str
    community: str
    outcome: str  # OUTCOME_ENROLLED, OUTCOME_WAITING or OUTCOME_SKIPPED
    reason: str
    was_cancelled: bool  # an earlier cancelled enrolment comes back

    @property
    def report_row(self) -> tuple:
        labels = {
            OUTCOME_ENROLLED: _("Enrolled"),
            OUTCOME_WAITING: _("On the waiting list"),
            OUTCOME_SKIPPED: _("Skipped"),
        }
        return (
            self.name,
            self.id_masked,
            self.community,
            labels[self.outcome],
            self.reason,
        )


def enrolment_bulk_plan(
    *, training_class: TrainingClass, org: OrgNode, posts: list[str], now=None
) -> list[PlannedRow]:
    """What `enrolment_bulk_create` would do, writing nothing: everyone of `org`'s
    subtree holding one of `posts` (all posts if empty), enrolled while seats are
    free, then on the waiting list, or skipped with the reason (already enrolled or
    waiting, outside the class's organisation, another post, left). Three queries
    whatever the number of workers."""
    now = now or timezone.now()
    klass = training_class
    target = _target(klass)
    workers = Worker.objects.filter(community__path__startswith=org.path)
    if posts:
        workers = workers.filter(post__in=posts)
    rows = workers.order_by("community__path", "name", "id").values_list(
        "id",
        "name",
        "id_number_masked",
        "community__name",
        "community__path",
        "post",
        "leave_date",
    )
    existing = dict(
        Enrolment.objects.filter(training_class=klass).values_list(
            "worker_id", "status"
        )
    )
    free = klass.capacity - sum(
        1 for s in existing.values() if s == EnrolmentStatus.ENROLLED
    )
    today = timezone.localdate(now)
    plan = []
    for wid, name, masked, community, path, post, left in rows:
        status = existing.get(wid)
        if status == EnrolmentStatus.ENROLLED:
            reason = _("Already enrolled.")
        elif status == EnrolmentStatus.WAITING:
            reason = _("Already on the waiting list.")
        else:
            reason = eligibility_refusal(
                community_path=path,
                post=post,
                left=left is not None and left <= today,
                target=target,
                now=None,
            )
        if reason:
            outcome = OUTCOME_SKIPPED
        elif free > 0:
            free -= 1
            outcome, reason = OUTCOME_ENROLLED, ""
        else:
            outcome, reason = OUTCOME_WAITING, _("The class is full.")
        plan.append(
            PlannedRow(
                wid,
                name,
                masked,
                community,
                outcome,
                reason,
                status == EnrolmentStatus.CANCELLED,
            )
        )
    return plan


def plan_counts(plan: list[PlannedRow]) -> dict:
    counts = {OUTCOME_ENROLLED: 0, OUTCOME_WAITING: 0, OUTCOME_SKIPPED: 0}
    for row in plan:
        counts[row.outcome] += 1
    return {"total": len(plan), **counts}


@transaction.atomic
def enrolment_bulk_create(
    *,
    training_class: TrainingClass,
    org: OrgNode,
    posts: list[str],
    actor=None,
    batch=None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 2000,
) -> dict:
    """Enrol everyone of `org`'s subtree holding one of `posts` (all posts if empty),
    as `enrolment_bulk_plan` plans it under the class's lock.

    Idempotent: workers already enrolled or waiting are reported and left alone; a
    second run adds nothing. Beyond capacity workers join the waiting list. The
    enrolments written carry `batch` (the job), so `enrolment_bulk_undo` can remove
    exactly them. A fixed number of queries whatever the number of workers (reads
    in bulk, bulk_create and one bulk update). Returns counts and `report`, a list
    of (name, masked ID, community, outcome, reason) rows.
    """
    now = timezone.now()
    klass = _locked_class(training_class.pk)
    plan = enrolment_bulk_plan(training_class=klass, org=org, posts=posts, now=now)
    total = len(plan)
    if progress:
        progress(0, total)
    actor_id = actor.pk if actor is not None and actor.pk else None
    batch_id = batch.pk if batch is not None else None
    new, revive = [], []
    for index, row in enumerate(plan, 1):
        if row.outcome != OUTCOME_SKIPPED:
            enrolment = Enrolment(
                training_class_id=klass.pk,
                worker_id=row.worker_id,
                status=(
                    EnrolmentStatus.ENROLLED
                    if row.outcome == OUTCOME_ENROLLED
                    else EnrolmentStatus.WAITING
                ),
                source=EnrolmentSource.BULK,
                requested_at=now,
                created_by_id=actor_id,
                batch_id=batch_id,
            )
            (revive if row.was_cancelled else new).append(enrolment)
        if progress and index % chunk == 0:
            progress(index, total)
    Enrolment.objects.bulk_create(new, batch_size=chunk)
    if revive:  # cancelled earlier: the same row comes back, at the end of the queue
        by_worker = {e.worker_id: e for e in revive}
        stored = list(
            Enrolment.objects.filter(training_class=klass, worker_id__in=by_worker)
        )
        for e in stored:
            e.status = by_worker[e.worker_id].status
            e.source = EnrolmentSource.BULK
            e.requested_at = now
            e.cancelled_at = None
            e.created_by_id = actor_id
            e.batch_id = batch_id
        Enrolment.objects.bulk_update(
            stored,
            ["status", "source", "requested_at", "cancelled_at", "created_by", "batch"],
            batch_size=chunk,
        )
    if progress:
        progress(total, total)
    return {**plan_counts(plan), "report": [row.report_row for row in plan]}


def class_starts_at(training_class: TrainingClass):
    """When the class's first session begins (aware), or None without sessions."""
    first = training_class.sessions.order_by("date", "start_time").first()
    if first is None:
        return None
    return timezone.make_aware(dt.datetime.combine(first.date, first.start_time))


def bulk_undo_refusal(*, training_class: TrainingClass, batch, now=None) -> str:
    """Why the bulk enrolment `batch` can no longer be undone ("" if it can)."""
    now = now or timezone.now()
    if batch.params.get("undone_at"):
        return _("This bulk enrolment has already been undone.")
    starts = class_starts_at(training_class)
    if starts is not None and starts <= now:
        return _("The class has started: the bulk enrolment stays.")
    enrolments = Enrolment.objects.filter(batch=batch, source=EnrolmentSource.BULK)
    if (
        Attendance.objects.filter(enrolment__in=enrolments).exists()
        or Grade.objects.filter(enrolment__in=enrolments).exists()
    ):
        return _("Attendance or grades are recorded: the bulk enrolment stays.")
    return ""


@transaction.atomic
def enrolment_bulk_undo(*, batch, actor, request=None, now=None) -> int:
    """Remove exactly the enrolments bulk enrolment `batch` (its job) wrote, while
    the class has not started and nothing is recorded for them; the freed seats go
    to the waiting list. Audited. Returns how many were removed."""
    now = now or timezone.now()
    batch = type(batch).objects.select_for_update().get(pk=batch.pk)
    klass = _locked_class(batch.params["class_id"])
    refusal = bulk_undo_refusal(training_class=klass, batch=batch, now=now)
    if refusal:
        raise EnrolmentError(refusal)
    removed, _per_model = Enrolment.objects.filter(
        batch=batch, source=EnrolmentSource.BULK
    ).delete()
    batch.params = {**batch.params, "undone_at": now.isoformat(), "undone": removed}
    batch.save(update_fields=["params", "updated_at"])
    promoted = _promote_waiting(klass)
    audit_log_write(
        actor=actor,
        action=AuditAction.ENROLMENT_UNDO,
        target=klass,
        detail={"job": batch.pk, "removed": removed, "promoted": len(promoted)},
        request=request,
    )
    return removed
