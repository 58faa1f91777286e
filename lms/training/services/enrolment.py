"""Enrolment: self-enrolment, waiting list, cancellation, bulk enrolment."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.org.models import OrgNode
from lms.people.models import Worker
from lms.training.models import (
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
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


@transaction.atomic
def enrolment_bulk_create(
    *,
    training_class: TrainingClass,
    org: OrgNode,
    posts: list[str],
    actor=None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 2000,
) -> dict:
    """Enrol everyone of `org`'s subtree holding one of `posts` (all posts if empty).

    Idempotent: workers already enrolled or waiting are reported and left alone; a
    second run adds nothing. Beyond capacity workers join the waiting list. A fixed
    number of queries whatever the number of workers (reads in bulk, bulk_create and
    one bulk update). Returns counts and `report`, a list of
    (name, masked ID, community, outcome, reason) rows.
    """
    now = timezone.now()
    klass = _locked_class(training_class.pk)
    target = _target(klass)
    workers = Worker.objects.filter(community__path__startswith=org.path)
    if posts:
        workers = workers.filter(post__in=posts)
    rows = list(
        workers.order_by("community__path", "name", "id").values_list(
            "id",
            "name",
            "id_number_masked",
            "community__name",
            "community__path",
            "post",
            "leave_date",
        )
    )
    total = len(rows)
    if progress:
        progress(0, total)
    existing = dict(
        Enrolment.objects.filter(training_class=klass).values_list(
            "worker_id", "status"
        )
    )
    free = klass.capacity - sum(
        1 for s in existing.values() if s == EnrolmentStatus.ENROLLED
    )
    new, revive, report = [], [], []
    counts = {OUTCOME_ENROLLED: 0, OUTCOME_WAITING: 0, OUTCOME_SKIPPED: 0}
    actor_id = actor.pk if actor is not None and actor.pk else None
    for index, (wid, name, masked, community, path, post, left) in enumerate(rows, 1):
        status = existing.get(wid)
        reason = ""
        if status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
            reason = (
                _("Already enrolled.")
                if status == EnrolmentStatus.ENROLLED
                else _("Already on the waiting list.")
            )
        else:
            reason = (
                eligibility_refusal(
                    community_path=path,
                    post=post,
                    left=left is not None and left <= timezone.localdate(now),
                    target=target,
                    now=None,
                )
                or ""
            )
        if reason:
            counts[OUTCOME_SKIPPED] += 1
            report.append((name, masked, community, _("Skipped"), reason))
        else:
            if free > 0:
                free -= 1
                outcome, label = EnrolmentStatus.ENROLLED, _("Enrolled")
                counts[OUTCOME_ENROLLED] += 1
                note = ""
            else:
                outcome, label = EnrolmentStatus.WAITING, _("On the waiting list")
                counts[OUTCOME_WAITING] += 1
                note = _("The class is full.")
            enrolment = Enrolment(
                training_class_id=klass.pk,
                worker_id=wid,
                status=outcome,
                source=EnrolmentSource.BULK,
                requested_at=now,
                created_by_id=actor_id,
            )
            (revive if status == EnrolmentStatus.CANCELLED else new).append(enrolment)
            report.append((name, masked, community, label, note))
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
        Enrolment.objects.bulk_update(
            stored,
            ["status", "source", "requested_at", "cancelled_at", "created_by"],
            batch_size=chunk,
        )
    if progress:
        progress(total, total)
    return {"total": total, **counts, "report": report}
