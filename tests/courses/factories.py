import itertools
from pathlib import Path

import factory
from django.core.files.base import ContentFile

from courses.models import (
    CoursePage,
    LessonKind,
    LessonPage,
    Question,
    QuestionBank,
    TestRule,
    Textbook,
)
from courses.services import course_library_ensure
from tests.people.factories import UserFactory
from trainers.models import Trainer

DEMO_VIDEO = Path(__file__).resolve().parents[2] / "demo/media/lecture.webm"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_serial = itertools.count(1)


def webm_bytes() -> bytes:
    return DEMO_VIDEO.read_bytes()


def make_course(
    owner_org, *, title=None, live=True, trainers=(), **kwargs
) -> CoursePage:
    index = course_library_ensure()
    n = next(_serial)
    defaults = {
        "title": title or f"课程{n}",
        "slug": f"course-{n}",
        "summary": kwargs.pop("summary", "社区工作者在线课程"),
        "topic": "governance",
        "series": "governance",
        "level": "basic",
        "owner_org": owner_org,
        "live": live,
    }
    defaults.update(kwargs)
    course = index.add_child(instance=CoursePage(**defaults))
    if trainers:
        course.trainers.set(trainers)
        course.save()
    return CoursePage.objects.get(pk=course.pk)


def make_lesson(course, *, kind=LessonKind.VIDEO, duration=60, live=True, **kwargs):
    n = next(_serial)
    lesson = LessonPage(
        title=kwargs.pop("title", f"第{n}讲"),
        slug=f"lesson-{n}",
        kind=kind,
        duration_seconds=duration,
        live=live,
        **kwargs,
    )
    if kind == LessonKind.VIDEO and "file" not in kwargs:
        lesson.file.save(f"lesson-{n}.webm", ContentFile(webm_bytes()), save=False)
        lesson.file_size = lesson.file.size
    if kind == LessonKind.SLIDES and "file" not in kwargs:
        lesson.file.save(f"lesson-{n}.pdf", ContentFile(PDF_BYTES), save=False)
    course.add_child(instance=lesson)
    return LessonPage.objects.get(pk=lesson.pk)


def make_bank(org, questions, **kwargs):
    """A bank holding `questions`: [(kind, prompt, options, answer)] or dicts of
    Question fields."""
    bank = QuestionBank.objects.create(org=org, title=kwargs.pop("title", "题库"))
    for q in questions:
        if not isinstance(q, dict):
            kind, prompt, options, answer = q
            q = {
                "kind": kind,
                "prompt": prompt,
                "options": "\n".join(options),
                "answer": answer,
            }
        Question.objects.create(bank=bank, **q)
    return bank


def make_test(course, questions, *, rules=None, **kwargs):
    """A test lesson drawing every one of `questions` from a bank of its own, or
    by `rules` ([{bank, count, kind, category, difficulty}])."""
    lesson = make_lesson(course, kind=LessonKind.TEST, duration=0, **kwargs)
    if rules is None:
        bank = make_bank(course.owner_org, questions)
        rules = [{"bank": bank, "count": len(questions)}]
    for i, rule in enumerate(rules):
        TestRule.objects.create(lesson=lesson, sort_order=i, **rule)
    return lesson


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    name = factory.Sequence(lambda n: f"讲师{n}")
    source = "contest"
    user = factory.SubFactory(UserFactory, role="trainer")


class TextbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Textbook

    series = "governance"
    title = factory.Sequence(lambda n: f"社区治理教材{n}")


def right_answers(attempt, *, wrong=()) -> dict:
    """The form answers ({question id: [positions shown] or [text]}) that get every
    question of `attempt` right, except those whose id is in `wrong` (left out)."""
    questions = Question.objects.in_bulk([qid for qid, _order in attempt.questions])
    answers = {}
    for qid, order in attempt.questions:
        if qid in wrong:
            continue
        q = questions[qid]
        if q.kind == "fill_in":
            answers[str(qid)] = [q.answer.split("|")[0]]
        else:
            right = {int(n) for n in q.answer.split(",")}
            answers[str(qid)] = [str(order.index(n) + 1) for n in sorted(right)]
    return answers
