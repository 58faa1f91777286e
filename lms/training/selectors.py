"""Reads of the training app; each a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.templatetags.numbers import num
from lms.people.models import Worker
from lms.policy import year_facts

from .models import (
    IN_PERSON_CREDIT,
    ONLINE_CREDIT,
    Attendance,
    AttendanceFlag,
    ClassSession,
    CreditEntry,
    CreditKind,
    CreditTotal,
    Enrolment,
    EnrolmentStatus,
    ExternalTraining,
    Grade,
    ReviewStatus,
    StudyKind,
    TrainingClass,
)
from .rules import (
    ClaimCredit,
    ClaimPolicy,
    CompletionRule,
    claim_credit,
    claim_problems,
    completion,
)


def completion_rule(training_class: TrainingClass) -> CompletionRule:
    return CompletionRule(
        min_attendance_share=training_class.min_attendance_share,
        extra=training_class.extra_requirement,
        pass_score=training_class.pass_score,
    )


def enrolments_completion(enrolments) -> dict[int, tuple[bool, list[str]]]:
    """{enrolment id: (met, reasons)}: whether each enrolment meets its class's
    completion rule, and why not, in three queries whatever their number.

    A session counts when its attendance earned (and still holds) its ledger credit.
    """
    enrolled = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    classes = {
        c.pk: c
        for c in TrainingClass.objects.filter(
            pk__in={e.training_class_id for e in enrolled}
        )
        .only("min_attendance_share", "extra_requirement", "pass_score")
        .annotate(sessions_total=Count("sessions"))
        .order_by()
    }
    credited = dict(
        Attendance.objects.filter(enrolment__in=enrolled, credit__isnull=False)
        .values("enrolment")
        .annotate(n=Count("id"))
        .values_list("enrolment", "n")
        .order_by()
    )
    grades = defaultdict(dict)
    for enrolment_id, component, score in Grade.objects.filter(
        enrolment__in=enrolled
    ).values_list("enrolment", "component", "score"):
        grades[enrolment_id][component] = score
    out = {
        e.pk: (False, [_("The worker is not enrolled in this class.")])
        for e in enrolments
        if e.status != EnrolmentStatus.ENROLLED
    }
    for e in enrolled:
        klass = classes[e.training_class_id]
        out[e.pk] = completion(
            rule=completion_rule(klass),
            sessions_total=klass.sessions_total,
            sessions_credited=credited.get(e.pk, 0),
            grades=grades[e.pk],
        )
    return out


def eligible_classes(worker: Worker) -> QuerySet:
    """Published classes whose target subtree includes the worker's community (the
    post is checked by the caller: JSON `contains` is not portable to SQLite)."""
    path, step = worker.community.path, worker.community.steplen
    ancestors = [path[:i] for i in range(step, len(path) + 1, step)]
    return TrainingClass.objects.filter(published=True, target_org__path__in=ancestors)


def open_classes_for(
    worker: Worker, *, now: dt.datetime | None = None, types: list[str] | None = None
) -> list[TrainingClass]:
    """Classes the worker may enrol in now (window open, eligible, not yet enrolled),
    soonest first, with `seats_left` and `first_date` annotated."""
    now = now or timezone.now()
    qs = (
        eligible_classes(worker)
        .filter(enrol_opens__lte=now, enrol_closes__gte=now)
        .exclude(
            pk__in=Enrolment.objects.filter(
                worker=worker,
                status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING],
            ).values("training_class")
        )
        .select_related("organiser")
        .annotate(
            enrolled=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.ENROLLED),
                distinct=True,
            ),
        )
        .order_by("enrol_closes", "id")
    )
    if types:
        qs = qs.filter(type__in=types)
    classes = list(qs)
    classes = [
        c for c in classes if not c.target_posts or worker.post in c.target_posts
    ]
    firsts = dict(
        ClassSession.objects.filter(training_class__in=classes)
        .values("training_class")
        .annotate(first=Min("date"))
        .values_list("training_class", "first")
    )
    for c in classes:
        c.seats_left = max(c.capacity - c.enrolled, 0)
        c.first_date = firsts.get(c.pk)
    return classes


def worker_enrolments(worker: Worker) -> list[Enrolment]:
    """The worker's enrolments (not cancelled) with sessions and their attendance."""
    enrolments = list(
        Enrolment.objects.filter(worker=worker)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("training_class__organiser")
        .prefetch_related("training_class__sessions")
        .order_by("-requested_at")
    )
    attendance = {
        a.session_id: a for a in Attendance.objects.filter(enrolment__in=enrolments)
    }
    for e in enrolments:
        e.session_rows = [
            (s, attendance.get(s.pk)) for s in e.training_class.sessions.all()
        ]
    return enrolments


def waiting_positions(enrolments) -> dict[int, int]:
    """{enrolment id: place in its class's waiting list} of the waiting ones among
    `enrolments`, in one query."""
    waiting = {e.pk for e in enrolments if e.status == EnrolmentStatus.WAITING}
    if not waiting:
        return {}
    places, queue_length = {}, defaultdict(int)
    for class_id, pk in (
        Enrolment.objects.filter(
            training_class_id__in={
                e.training_class_id for e in enrolments if e.pk in waiting
            },
            status=EnrolmentStatus.WAITING,
        )
        .order_by("requested_at", "id")
        .values_list("training_class_id", "id")
    ):
        queue_length[class_id] += 1
        if pk in waiting:
            places[pk] = queue_length[class_id]
    return places


def waiting_position(enrolment: Enrolment) -> int | None:
    return waiting_positions([enrolment]).get(enrolment.pk)


def worker_ledger(worker: Worker, year: int | None = None) -> dict:
    entries = CreditEntry.objects.filter(worker=worker).select_related("organiser")
    if year:
        entries = entries.filter(date__year=year)
    entries = entries.order_by("-date", "-id")
    totals = entries.aggregate(days=Sum("days"), hours=Sum("hours"))
    return {
        "entries": list(entries),
        "total_days": totals["days"] or Decimal("0"),
        "total_hours": totals["hours"] or Decimal("0"),
    }


def trainer_classes(user) -> QuerySet:
    """Classes a trainer teaches (by their trainer-library record)."""
    return (
        TrainingClass.objects.filter(trainers__user=user)
        .select_related("organiser")
        .annotate(
            enrolled=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.ENROLLED),
                distinct=True,
            ),
            session_count=Count("sessions", distinct=True),
        )
        .order_by("-enrol_opens")
        .distinct()
    )


def class_roster(training_class: TrainingClass) -> list[Enrolment]:
    """Enrolled workers with per-session attendance and grades, for trainers."""
    enrolments = list(
        Enrolment.objects.filter(
            training_class=training_class, status=EnrolmentStatus.ENROLLED
        )
        .select_related("worker__community")
        .prefetch_related("grades")
        .order_by("worker__community__path", "worker__name")
    )
    credited = dict(
        Attendance.objects.filter(enrolment__in=enrolments, credit__isnull=False)
        .values("enrolment")
        .annotate(n=Count("id"))
        .values_list("enrolment", "n")
    )
    for e in enrolments:
        e.credited_sessions = credited.get(e.pk, 0)
        e.grade_map = {g.component: g for g in e.grades.all()}
    return enrolments


def flag_labels(flags) -> list[tuple[str, str]]:
    """(code, label) of an attendance's presence flags, as the trainer sees them."""
    labels = dict(AttendanceFlag.choices)
    return [(f, str(labels.get(f, f))) for f in flags]


def session_presence(session: ClassSession) -> list[dict]:
    """Who is in (for the trainer's live list): checked in, out, credited, and the
    presence flags (too far, shared device) with their labels."""
    rows = (
        Attendance.objects.filter(session=session, checked_in_at__isnull=False)
        .select_related("enrolment__worker__community")
        .order_by("checked_in_at")
    )
    return [
        {
            "name": a.enrolment.worker.name,
            "community": a.enrolment.worker.community.name,
            "checked_in_at": timezone.localtime(a.checked_in_at).strftime("%H:%M"),
            "checked_out_at": timezone.localtime(a.checked_out_at).strftime("%H:%M")
            if a.checked_out_at
            else "",
            "method": a.method,
            "credited": a.credit_id is not None,
            "flags": a.flags,
            "flag_labels": flag_labels(a.flags),
            "distance_m": a.distance_m,
        }
        for a in rows
    ]


def credit_totals_mismatches() -> list[tuple]:
    """(worker, year, kept totals, ledger sums) wherever the yearly totals kept by the
    database differ from the ledger: two grouped reads, compared in Python."""
    zero = (Decimal("0"), Decimal("0"))
    ledger = {
        (worker_id, year): (in_person or zero[0], online or zero[1])
        for worker_id, year, in_person, online in CreditEntry.objects.annotate(
            year=ExtractYear("date")
        )
        .values("worker_id", "year")
        .annotate(
            in_person=Sum("days", filter=IN_PERSON_CREDIT),
            online=Sum("hours", filter=ONLINE_CREDIT),
        )
        .values_list("worker_id", "year", "in_person", "online")
        .order_by()
    }
    kept = {
        (worker_id, year): (in_person, online)
        for worker_id, year, in_person, online in CreditTotal.objects.values_list(
            "worker_id", "year", "in_person_days", "online_hours"
        )
    }
    return [
        (*key, kept.get(key, zero), ledger.get(key, zero))
        for key in sorted(ledger.keys() | kept.keys())
        if kept.get(key, zero) != ledger.get(key, zero)
    ]


# --- External training claims ---------------------------------------------------------
CLAIM_MESSAGES = {
    "end_before_start": gettext_lazy("The end date is before the start date."),
    "in_future": gettext_lazy("A training in the future cannot be claimed."),
    "before_hire": gettext_lazy(
        "The training is too long before the worker was hired."
    ),
    "days_beyond_dates": gettext_lazy("More days are claimed than the dates span."),
    "hours_beyond_dates": gettext_lazy(
        "More study hours are claimed than the dates allow per day."
    ),
    "nothing_claimed": gettext_lazy(
        "Give the days or the study hours of the training (for a paper, how many)."
    ),
    "duplicate": gettext_lazy(
        "This training (same name and dates) has already been credited to the worker."
    ),
}


def claim_policy(year: int) -> ClaimPolicy:
    p = year_facts(year)
    return ClaimPolicy(
        hours_per_day=Decimal(str(p.hours_per_day)),
        max_hours_per_day=Decimal(str(p.claim_max_hours_per_day)),
        before_hire_days=p.claim_before_hire_days,
        party_school_day_days=Decimal(str(p.party_school_day_days)),
        teaching_hour_hours=Decimal(str(p.teaching_hour_hours)),
        paper_hours=Decimal(str(p.paper_hours)),
    )


def claim_check(item: ExternalTraining, *, today=None) -> list[str]:
    """The rules a claim breaks (codes of CLAIM_MESSAGES), duplicates included."""
    today = today or timezone.localdate()
    problems = claim_problems(
        start=item.start_date,
        end=item.end_date,
        days=item.days,
        hours=item.hours,
        today=today,
        hire_date=item.worker.hire_date,
        policy=claim_policy(item.start_date.year),
        kind=item.study_kind,
        papers=item.papers,
    )
    duplicate = (
        ExternalTraining.objects.filter(
            worker_id=item.worker_id,
            title=item.title,
            start_date=item.start_date,
            end_date=item.end_date,
            status=ReviewStatus.APPROVED,
        )
        .exclude(pk=item.pk)
        .exists()
    )
    if duplicate:
        problems.append("duplicate")
    return problems


CONVERSION_TEXT = {
    StudyKind.TRAINING: gettext_lazy(
        "Training as claimed: %(days)s days (%(hours)s study hours)"
    ),
    StudyKind.PARTY_SCHOOL: gettext_lazy(
        "Party school: %(basis)s days × %(rate)s = %(days)s training days"
    ),
    StudyKind.TEACHING: gettext_lazy(
        "Teaching: %(basis)s hours taught × %(rate)s = %(hours)s study hours "
        "(%(days)s days)"
    ),
    StudyKind.PAPER: gettext_lazy(
        "Papers: %(basis)s × %(rate)s study hours = %(hours)s study hours "
        "(%(days)s days)"
    ),
}


def claim_conversions(items) -> dict[int, tuple[ClaimCredit, str]]:
    """{claim id: (its credit, how it was reckoned in words)} by each claim's year's
    conversion table (one policy read per year, not per claim)."""
    policies: dict[int, ClaimPolicy] = {}
    out = {}
    for item in items:
        year = item.start_date.year
        if year not in policies:
            policies[year] = claim_policy(year)
        credit = claim_credit(
            kind=item.study_kind,
            days=item.days,
            hours=item.hours,
            papers=item.papers,
            policy=policies[year],
        )
        text = CONVERSION_TEXT[item.study_kind] % {
            name: num(getattr(credit, name))
            for name in ("days", "hours", "basis", "rate")
        }
        out[item.pk] = (credit, text)
    return out


def claim_review(item: ExternalTraining, *, today=None) -> dict:
    """What the approver weighs: each rule with its verdict, and the worker's year
    (days credited, of them external, other claims waiting)."""
    today = today or timezone.localdate()
    policy = claim_policy(item.start_date.year)
    broken = set(claim_check(item, today=today))
    span = (item.end_date - item.start_date).days + 1
    year = item.end_date.year
    totals = CreditEntry.objects.filter(worker_id=item.worker_id, date__year=year)
    totals = totals.aggregate(
        total=Sum("days"), external=Sum("days", filter=Q(kind=CreditKind.EXTERNAL))
    )
    checks = [
        (
            _("Days claimed within the %(span)s days the dates span") % {"span": span},
            not broken & {"days_beyond_dates", "end_before_start"},
        ),
        (
            _("At most %(h)s study hours a day") % {"h": policy.max_hours_per_day},
            "hours_beyond_dates" not in broken,
        ),
        (_("Dates not in the future"), "in_future" not in broken),
        (
            _("Not more than %(n)s days before the hire date (%(date)s)")
            % {"n": policy.before_hire_days, "date": item.worker.hire_date},
            "before_hire" not in broken,
        ),
        (
            _("No credited claim with the same name and dates"),
            "duplicate" not in broken,
        ),
        (_("Evidence attached"), bool(item.certificate)),
    ]
    credit, conversion = claim_conversions([item])[item.pk]
    return {
        "checks": checks,
        "all_pass": all(ok for _label, ok in checks),
        "credit": credit,
        "conversion": conversion,
        "year": year,
        "year_days": totals["total"] or Decimal("0"),
        "year_external_days": totals["external"] or Decimal("0"),
        "pending_others": ExternalTraining.objects.filter(
            worker_id=item.worker_id, status=ReviewStatus.PENDING
        )
        .exclude(pk=item.pk)
        .count(),
    }
