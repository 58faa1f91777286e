"""Every write of mentoring: placements planned, recorded and signed off into the
credit ledger (through lms.training's one road, `credit_entry_create`)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import Role, User
from lms.accounts.scoping import org_in_scope
from lms.compliance.selectors import policy_for_year
from lms.org.models import OrgNode
from lms.people.models import Worker
from lms.training.models import TrainingForm, TrainingType
from lms.training.services import credit_entry_create

from . import rules
from .models import (
    Answer,
    GuidanceProblem,
    GuidanceVisit,
    Mentor,
    PairEvaluation,
    Pairing,
    PairRecord,
    PairReminder,
    PairSide,
    Placement,
    PlacementStatus,
    PoolAssignment,
    PoolMember,
    Question,
    QuestionPhoto,
    QuestionReminder,
    QuestionRoute,
    QuestionStatus,
    Studio,
)


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
def placement_cancel(*, placement: Placement, actor) -> Placement:
    """An administrator of the worker's subtree cancels a placement not signed off."""
    placement = (
        Placement.objects.select_for_update()
        .select_related("worker__community")
        .get(pk=placement.pk)
    )
    if not org_in_scope(actor, placement.worker.community):
        raise PermissionDenied
    if placement.status != PlacementStatus.PLANNED:
        raise PlacementError(_("This placement is already closed."))
    placement.status = PlacementStatus.CANCELLED
    placement.save(update_fields=["status"])
    return placement


# --- Ask an expert (请教一下) ---------------------------------------------------------


class QuestionError(Exception):
    """A refused question or answer write; the message is for the person."""


def _route(question: Question) -> list[Mentor]:
    """Route to the active mentors (experts, trainers, model workers) with an account
    whose specialities fit best, at most MENTORING_ROUTE_MAX of them."""
    text = f"{question.title} {question.body}"
    tags = question.tag_list()
    scored = []
    for mentor in Mentor.objects.filter(is_active=True, user__isnull=False).only(
        "id", "specialities"
    ):
        score = rules.route_score(
            tags=tags, text=text, specialities=mentor.speciality_list()
        )
        if score:
            scored.append((-score, mentor.pk, mentor))
    chosen = [m for _s, _pk, m in sorted(scored)[: settings.MENTORING_ROUTE_MAX]]
    QuestionRoute.objects.bulk_create(
        [QuestionRoute(question=question, mentor=m) for m in chosen]
    )
    return chosen


@transaction.atomic
def question_ask(
    *,
    asker: Worker,
    title: str,
    body: str,
    tags: str = "",
    is_public: bool = True,
    photos: list | None = None,
) -> Question:
    """A worker asks; photos are checked by their content; the question is routed."""
    photos = photos or []
    if len(photos) > settings.MENTORING_MAX_PHOTOS:
        raise QuestionError(
            _("At most %(n)s photos.") % {"n": settings.MENTORING_MAX_PHOTOS}
        )
    question = Question(
        asker=asker,
        title=title.strip(),
        body=body.strip(),
        tags=tags.strip(),
        is_public=is_public,
    )
    question.index_text()
    question.full_clean()
    question.save()
    for upload in photos:
        photo = QuestionPhoto(question=question)
        photo.image.save(upload.name, upload, save=False)
        photo.full_clean(exclude=["question"])
        photo.save()
    _route(question)
    return question


def question_can_answer(question: Question, user) -> Mentor | None:
    """The mentor `user` answers as: a routed mentor, or any mentor on a public
    question; None when they may not answer."""
    mentor = Mentor.objects.filter(user=user, is_active=True).first()
    if mentor is None or not user.is_authenticated:
        return None
    if (
        question.is_public
        or QuestionRoute.objects.filter(question=question, mentor=mentor).exists()
    ):
        return mentor
    return None


@transaction.atomic
def answer_create(*, question: Question, user, body: str) -> Answer:
    question = Question.objects.select_for_update().get(pk=question.pk)
    mentor = question_can_answer(question, user)
    if mentor is None:
        raise PermissionDenied
    answer = Answer(question=question, author=mentor, body=body.strip())
    answer.full_clean()
    answer.save()
    if question.status == QuestionStatus.OPEN:
        question.status = QuestionStatus.ANSWERED
        question.save(update_fields=["status"])
    return answer


@transaction.atomic
def answer_accept(*, question: Question, user, answer: Answer) -> Question:
    """The asker marks the best answer (another one may replace it)."""
    question = (
        Question.objects.select_for_update().select_related("asker").get(pk=question.pk)
    )
    if question.asker.user_id is None or question.asker.user_id != user.pk:
        raise PermissionDenied
    if answer.question_id != question.pk:
        raise QuestionError(_("This answer belongs to another question."))
    question.best_answer = answer
    question.status = QuestionStatus.RESOLVED
    question.save(update_fields=["best_answer", "status"])
    return question


@transaction.atomic
def question_select(
    *, question: Question, actor, selected: bool, lesson=None
) -> Question:
    """An administrator of the asker's subtree puts a public, answered thread into
    the knowledge base (or takes it out), optionally linked to a course lesson."""
    question = (
        Question.objects.select_for_update()
        .select_related("asker__community")
        .get(pk=question.pk)
    )
    if not org_in_scope(actor, question.asker.community):
        raise PermissionDenied
    if selected and (not question.is_public or question.status == QuestionStatus.OPEN):
        raise QuestionError(
            _("Only a public question with an answer can join the knowledge base.")
        )
    question.in_knowledge_base = selected
    question.lesson = lesson
    question.save(update_fields=["in_knowledge_base", "lesson"])
    return question


def question_reminders_send(*, now=None) -> dict:
    """Remind about open questions without an answer: after MENTORING_REMIND_DAYS the
    routed mentors, after twice as long the administrators of the asker's street
    (or the nearest administrators above). Once per question and level."""
    now = now or timezone.now()
    days = settings.MENTORING_REMIND_DAYS
    sent = {1: 0, 2: 0}
    for level, age in ((1, days), (2, 2 * days)):
        due = (
            Question.objects.filter(
                status=QuestionStatus.OPEN,
                created_at__lte=now - dt.timedelta(days=age),
            )
            .exclude(reminders__level=level)
            .select_related("asker__community")
            .prefetch_related("routed_to__user")
        )
        for question in due:
            emails = (
                [m.user.email for m in question.routed_to.all() if m.user]
                if level == 1
                else _admin_emails(question.asker.community)
            )
            _reminder, created = QuestionReminder.objects.get_or_create(
                question=question, level=level, defaults={"recipients": len(emails)}
            )
            if created and emails:
                send_mail(
                    _("A question is waiting for an answer: %(t)s")
                    % {"t": question.title},
                    _("Asked on %(d)s. Answer it in the portal: %(url)s")
                    % {
                        "d": timezone.localdate(question.created_at).isoformat(),
                        "url": reverse("mentoring:question", args=[question.pk]),
                    },
                    None,
                    [e for e in emails if e],
                    fail_silently=True,
                )
            sent[level] += int(created)
    return {"mentors": sent[1], "administrators": sent[2]}


def _admin_emails(community: OrgNode) -> list[str]:
    """The e-mails of the administrators of the nearest node above the community
    that has any (street, then district, then city)."""
    step = OrgNode.steplen
    paths = [community.path[:end] for end in range(step, len(community.path), step)]
    admins = list(
        User.objects.filter(
            role=Role.ADMIN, is_active=True, org__path__in=paths
        ).values_list("org__path", "email")
    )
    for path in reversed(paths):
        found = [email for p, email in admins if p == path and email]
        if found:
            return found
    return []


# --- Mentor–mentee pairs (传帮带) -------------------------------------------------------


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


def pairing_side(pairing: Pairing, user) -> str | None:
    """Which side `user` is on: the mentor's account or the mentee's; None otherwise."""
    if not user.is_authenticated:
        return None
    if pairing.mentor.user_id == user.pk:
        return PairSide.MENTOR
    if pairing.mentee.user_id == user.pk:
        return PairSide.MENTEE
    return None


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
        .select_related("mentor__user", "mentee__user")
    )
    sent = 0
    for pairing in due:
        _reminder, created = PairReminder.objects.get_or_create(
            pairing=pairing, month=last_month
        )
        if not created:
            continue
        emails = [
            u.email for u in (pairing.mentor.user, pairing.mentee.user) if u and u.email
        ]
        if emails:
            send_mail(
                _("No record yet for %(month)s: %(pair)s")
                % {"month": f"{last_month:%Y-%m}", "pair": str(pairing)},
                _("Write what was learned and the problems handled: %(url)s")
                % {"url": reverse("mentoring:pairing", args=[pairing.pk])},
                None,
                emails,
                fail_silently=True,
            )
        sent += 1
    return sent


# --- Mentor pool and accompanying support (续航计划) -----------------------------------


class PoolError(Exception):
    """A refused pool write; the message is for the person."""


@transaction.atomic
def pool_assignment_create(
    *,
    member: PoolMember,
    community: OrgNode,
    start: dt.date,
    end: dt.date,
    actor,
    goals: str = "",
) -> PoolAssignment:
    """An administrator assigns a pool member of their subtree to a community of it."""
    if not org_in_scope(actor, community) or not org_in_scope(actor, member.org):
        raise PermissionDenied
    if community.level != "community":
        raise PoolError(_("Assign a member to a community."))
    if end < start:
        raise PoolError(_("The end date is before the start date."))
    assignment = PoolAssignment(
        member=member, community=community, start=start, end=end, goals=goals.strip()
    )
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    return assignment


@transaction.atomic
def guidance_visit_record(
    *,
    assignment: PoolAssignment,
    actor,
    date: dt.date,
    topics: str = "",
    notes: str = "",
    follow_up: str = "",
    problems: list[dict] = (),
    today: dt.date | None = None,
) -> GuidanceVisit:
    """The member (from their account) or an administrator of the community records a
    visit within the assignment's period, with each problem raised: its topic, what
    it was, whether and how it was resolved."""
    assignment = PoolAssignment.objects.select_related("member", "community").get(
        pk=assignment.pk
    )
    is_member = actor.is_authenticated and assignment.member.user_id == actor.pk
    if not (is_member or org_in_scope(actor, assignment.community)):
        raise PermissionDenied
    today = today or timezone.localdate()
    if not (assignment.start <= date <= min(assignment.end, today)):
        raise PoolError(_("The visit date lies outside the assignment so far."))
    visit = GuidanceVisit(
        assignment=assignment,
        community=assignment.community,
        date=date,
        topics=topics.strip(),
        notes=notes.strip(),
        follow_up=follow_up.strip(),
    )
    visit.full_clean()
    visit.save()
    rows = []
    for problem in problems:
        row = GuidanceProblem(
            visit=visit,
            community=assignment.community,
            topic=problem.get("topic", ""),
            description=(problem.get("description") or "").strip(),
            resolved=bool(problem.get("resolved")),
            resolution=(problem.get("resolution") or "").strip(),
        )
        row.full_clean(exclude=["visit"])
        rows.append(row)
    GuidanceProblem.objects.bulk_create(rows)
    return visit
