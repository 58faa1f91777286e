"""Ask an expert (请教一下): questions routed to mentors, answers, the accepted
answer, the knowledge base, and reminders about questions left waiting."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.scoping import org_in_scope
from lms.compliance.models import NotificationKind
from lms.people.models import Worker

from .. import rules
from ..models import (
    Answer,
    Mentor,
    Question,
    QuestionPhoto,
    QuestionReminder,
    QuestionRoute,
    QuestionStatus,
)
from ..selectors import admins_above, question_can_answer
from .notifications import notifications_send


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
        _photo_save(question, upload)
    _route(question)
    return question


def _photo_save(question: Question, upload) -> QuestionPhoto:
    """Store one photo, checked by its content as an image (UploadValidator)."""
    photo = QuestionPhoto(question=question)
    photo.image.save(upload.name, upload, save=False)
    try:
        photo.full_clean(exclude=["question"])
    except ValidationError:
        photo.image.delete(save=False)
        raise
    photo.save()
    return photo


@transaction.atomic
def question_photo_add(*, question: Question, user, upload) -> QuestionPhoto:
    """The asker adds a photo to their question (at most MENTORING_MAX_PHOTOS)."""
    question = (
        Question.objects.select_for_update().select_related("asker").get(pk=question.pk)
    )
    if question.asker.user_id is None or question.asker.user_id != user.pk:
        raise PermissionDenied
    if question.photos.count() >= settings.MENTORING_MAX_PHOTOS:
        raise QuestionError(
            _("At most %(n)s photos.") % {"n": settings.MENTORING_MAX_PHOTOS}
        )
    return _photo_save(question, upload)


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
    (or the nearest administrators above), in the portal and by e-mail. Once per
    question and level."""
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
            users = (
                [
                    m.user
                    for m in question.routed_to.all()
                    if m.user and m.user.is_active
                ]
                if level == 1
                else admins_above(question.asker.community)
            )
            _reminder, created = QuestionReminder.objects.get_or_create(
                question=question, level=level, defaults={"recipients": len(users)}
            )
            if created and users:
                with translation.override(settings.LANGUAGE_CODE):
                    notifications_send(
                        users=users,
                        kind=NotificationKind.QUESTION_WAITING,
                        title=_("A question is waiting for an answer: %(t)s")
                        % {"t": question.title},
                        body=_("Asked on %(d)s, no answer yet.")
                        % {"d": timezone.localdate(question.created_at).isoformat()},
                        link=reverse("mentoring:question", args=[question.pk]),
                        period=f"{timezone.localdate(now):%Y-%m-%d}",
                        org=question.asker.community,
                    )
            sent[level] += int(created)
    return {"mentors": sent[1], "administrators": sent[2]}
