"""Eligibility: what a certificate would certify, and whether it has been earned.

Each kind reads its own source of truth: the training app's completion rule for a
class, the compliance verdict (from the credit ledger) for a year, the people
register's hire and leave dates for years of service. A `Claim` carries the facts
printed on the certificate and, when not eligible, the reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonKind, LessonProgress
from courses.rules import completion_source_key, lessons_left, short_lesson_counts
from lms.compliance.selectors import (
    compliance_rows,
    policy_for_year,
    worker_compliance,
)
from lms.org.models import OrgNode
from lms.people.models import Worker
from lms.training.models import Attendance, CreditEntry, Enrolment, EnrolmentStatus
from lms.training.selectors import enrolments_completion

from . import rules
from .errors import CertificateError
from .models import CertificateKind
from .selectors import (
    course_credits,
    course_entries,
    course_lessons,
    issued_for,
    year_entries,
)

ZERO = Decimal("0")
# Lines of the year's training printed on an annual record (the rest are counted).
ANNUAL_LINES = 10


@dataclass
class Claim:
    kind: str
    worker: object  # people.Worker, with its community loaded
    subject_key: str
    issuer_org: OrgNode
    title: str
    year: int
    days: Decimal | None = None
    hours: Decimal | None = None
    details: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    eligible: bool = True
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.kind, self.worker.pk, self.subject_key)


# --- Class completion -----------------------------------------------------------------


def completion_claims(*, class_id: int) -> list[Claim]:

    enrolments = Enrolment.objects.filter(
        training_class_id=class_id, status=EnrolmentStatus.ENROLLED
    ).select_related("worker__community", "training_class__organiser")
    return completion_claims_for(list(enrolments))


def completion_claims_for(enrolments: list) -> list[Claim]:
    """Eligible when the class's completion rule (attendance share, test, paper and
    defence) is met, as `lms.training.selectors.enrolments_completion` decides. Days
    and hours are the standing ledger credits the class's attendance earned. A fixed
    number of queries whatever the number of enrolments."""

    completions = enrolments_completion(enrolments)
    entries = defaultdict(list)
    for attendance in Attendance.objects.filter(
        enrolment__in=enrolments, credit__in=CreditEntry.objects.standing()
    ).select_related("credit"):
        entries[attendance.enrolment_id].append(attendance.credit)
    return [_completion(e, *completions[e.pk], entries[e.pk]) for e in enrolments]


def _completion(enrolment, met: bool, reasons: list, entries: list) -> Claim:
    klass = enrolment.training_class
    last = max((e.date for e in entries), default=timezone.localdate())
    organiser = klass.organiser
    return Claim(
        kind=CertificateKind.COMPLETION,
        worker=enrolment.worker,
        subject_key=f"enrolment:{enrolment.pk}",
        issuer_org=organiser,
        title=klass.title,
        year=last.year,
        days=sum((e.days for e in entries), ZERO),
        hours=sum((e.hours for e in entries), ZERO),
        details={"class_id": klass.pk, "organiser": organiser.name},
        values={"organiser": organiser.name},
        eligible=bool(met),
        reasons=[str(r) for r in reasons],
    )


# --- Annual training record -----------------------------------------------------------


def _annual(worker, year: int, org: OrgNode, result, entries: list) -> Claim:
    status = getattr(result, "status", "")
    reasons = [
        r.render(_) if hasattr(r, "render") else str(r)
        for r in getattr(result, "reasons", ())
    ]
    eligible = status == "met"
    if not eligible and not reasons:
        reasons = [_("The %(year)s training requirement is not met.") % {"year": year}]
    lines = [
        {
            "date": e.date.isoformat(),
            "title": e.title,
            "days": rules.format_amount(e.days),
            "hours": rules.format_amount(e.hours),
        }
        for e in entries
    ]
    return Claim(
        kind=CertificateKind.ANNUAL,
        worker=worker,
        subject_key=f"year:{year}",
        issuer_org=org,
        title=_("%(year)s annual training record") % {"year": year},
        year=year,
        days=getattr(result, "achieved_days", None),
        hours=sum((e.hours for e in entries), ZERO),
        details={"training": lines},
        values={"community": worker.community.name},
        eligible=eligible,
        reasons=reasons,
    )


def annual_claim(worker, *, year: int, issuer_org: OrgNode) -> Claim:
    """For a worker whose `year` is met (lms.compliance); lists the year's training."""

    result = worker_compliance(worker, year).result
    entries = year_entries([worker.pk], year)[worker.pk]
    return _annual(worker, year, issuer_org, result, entries)


def annual_claims(*, org: OrgNode, year: int) -> list[Claim]:
    """Every worker of `org`'s subtree employed in `year`, in a fixed number of
    queries (compliance is computed for the whole subtree at once)."""

    results = {r.worker_id: r.result for r in compliance_rows(year=year, root=org)}
    workers = (
        Worker.objects.filter(pk__in=list(results))
        .select_related("community")
        .order_by("community__path", "name", "pk")
    )
    workers = list(workers)
    entries = year_entries([w.pk for w in workers], year)
    return [
        _annual(w, year, org, results[w.pk], entries.get(w.pk, [])) for w in workers
    ]


# --- Years of service -----------------------------------------------------------------


def service_claim(
    worker, *, years: int, issuer_org: OrgNode, on: dt.date | None = None
) -> Claim:
    """Honour certificate (20 years) or medal record (30 years) of continuous
    service, counted from the hire date in the people register."""
    on = on or timezone.localdate()
    kind = (
        CertificateKind.MEDAL
        if years >= settings.CERTIFICATE_MEDAL_YEARS
        else CertificateKind.HONOUR
    )
    day = rules.service_milestone_date(worker.hire_date, years, worker.leave_date)
    reasons = []
    if day is None:
        reasons.append(
            _("The worker left before completing %(years)s years of service.")
            % {"years": years}
        )
    elif day > on:
        reasons.append(
            _("%(years)s years of service are complete only on %(date)s.")
            % {"years": years, "date": day.isoformat()}
        )
    return Claim(
        kind=kind,
        worker=worker,
        subject_key=f"service:{years}",
        issuer_org=issuer_org,
        title=_("%(years)s years of community service") % {"years": years},
        year=(day or on).year,
        details={"hire_date": worker.hire_date.isoformat(), "years": years},
        values={"service_years": str(years)},
        eligible=not reasons,
        reasons=reasons,
    )


def service_claims_due(
    *, on: dt.date, issuer_org: OrgNode, include_issued: bool = False
) -> list[Claim]:
    """Workers of `issuer_org`'s subtree who have reached a service milestone by
    `on` and (unless `include_issued`) hold no certificate for it yet."""

    milestones = (settings.CERTIFICATE_HONOUR_YEARS, settings.CERTIFICATE_MEDAL_YEARS)
    latest_hire = dt.date(on.year - min(milestones), 12, 31)
    workers = Worker.objects.filter(
        community__path__startswith=issuer_org.path, hire_date__lte=latest_hire
    ).select_related("community")
    claims = [
        service_claim(worker, years=years, issuer_org=issuer_org, on=on)
        for worker in workers
        for years in rules.milestones_reached(
            worker.hire_date, worker.leave_date, on, milestones
        )
    ]
    if include_issued:
        return claims
    issued = issued_for(claims)
    return [c for c in claims if c.key not in issued]


# --- Online course completion ---------------------------------------------------------


def _course_short_watched(worker_ids, lessons) -> dict[int, dict[int, dt.date]]:
    """{worker id: {lesson id: date}} of the videos shorter than the minimum of the
    year they were completed in, watched through (courses.rules.short_lesson_counts):
    one query, and one policy per year."""
    durations = {
        lesson.pk: lesson.duration_seconds
        for lesson in lessons
        if lesson.kind == LessonKind.VIDEO
    }
    watched = defaultdict(dict)
    policies = {}
    for worker_id, lesson_id, completed_at in LessonProgress.objects.filter(
        worker_id__in=worker_ids, lesson_id__in=durations, completed_at__isnull=False
    ).values_list("worker_id", "lesson_id", "completed_at"):
        day = timezone.localdate(completed_at)
        if day.year not in policies:
            policies[day.year] = policy_for_year(day.year)
        if short_lesson_counts(
            duration_seconds=durations[lesson_id],
            min_seconds=policies[day.year].online_min_lesson_seconds,
        ):
            watched[worker_id][lesson_id] = day
    return watched


def _course(worker, course, lessons: list, entries: list, watched: dict) -> Claim:

    left = set(
        lessons_left(
            [(lesson.pk, lesson.kind) for lesson in lessons],
            {e.source_key for e in entries},
            set(watched),
        )
    )
    reasons = []
    if all(completion_source_key(lesson.pk, lesson.kind) is None for lesson in lessons):
        reasons.append(_("This course has no video lesson or test to complete."))
    for lesson in lessons:
        if lesson.pk not in left:
            continue
        if lesson.kind == LessonKind.TEST:
            reasons.append(_("Test not passed: %(title)s") % {"title": lesson.title})
        else:
            reasons.append(
                _("Lesson not completed: %(title)s") % {"title": lesson.title}
            )
    completed_on = max(
        [e.date for e in entries] + list(watched.values()),
        default=timezone.localdate(),
    )
    organiser = course.owner_org
    return Claim(
        kind=CertificateKind.COURSE,
        worker=worker,
        subject_key=f"course:{course.pk}",
        issuer_org=organiser,
        title=course.title,
        year=completed_on.year,
        hours=sum((e.hours for e in entries), ZERO),
        details={
            "course_id": course.pk,
            "organiser": organiser.name,
            "completed_on": completed_on.isoformat(),
        },
        values={
            "organiser": organiser.name,
            "completion_date": rules.date_text(completed_on),
        },
        eligible=not reasons,
        reasons=reasons,
    )


def course_claim(worker, course) -> Claim:
    """Eligible when the ledger credits every live lesson of the online course that
    records completion: each video watched to the year's share, each test passed
    (slides and text record none). Hours are those credits; the completion date
    is the last of them."""
    lessons = course_lessons(course)
    return _course(
        worker,
        course,
        lessons,
        course_entries([worker.pk], lessons)[worker.pk],
        _course_short_watched([worker.pk], lessons)[worker.pk],
    )


def course_claims(*, course_id: int) -> list[Claim]:
    """Every worker credited for at least one lesson of the course (a backfill)."""

    course = CoursePage.objects.select_related("owner_org").filter(pk=course_id).first()
    if course is None:
        raise CertificateError([_("No online course with this number.")])
    lessons = course_lessons(course)
    workers = list(
        Worker.objects.filter(pk__in=course_credits(lessons).values("worker_id"))
        .select_related("community")
        .order_by("community__path", "name", "pk")
    )
    ids = [w.pk for w in workers]
    entries = course_entries(ids, lessons)
    watched = _course_short_watched(ids, lessons)
    return [
        _course(w, course, lessons, entries.get(w.pk, []), watched.get(w.pk, {}))
        for w in workers
    ]


def bulk_claims(
    *, kind: str, org_code: str = "", year=None, class_id=None, course_id=None
) -> list:
    """What a bulk run considers: a class's enrolments, an online course's learners,
    a subtree's workers for a year, or a subtree's service milestones reached by
    today."""
    if kind == "completion":
        return completion_claims(class_id=int(class_id))
    if kind == "course":
        return course_claims(course_id=int(course_id))
    org = OrgNode.objects.filter(code=org_code).first()
    if org is None:
        raise CertificateError([_("No organisation with this code.")])
    if kind == "annual":
        return annual_claims(org=org, year=int(year))
    if kind == "service":
        return service_claims_due(
            on=timezone.localdate(), issuer_org=org, include_issued=True
        )
    raise CertificateError([_("Unknown certificate kind.")])
