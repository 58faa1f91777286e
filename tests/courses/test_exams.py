"""Tests drawn from question banks: the draw, the deadline, leaving the page, empty
submissions, feedback, and a worker who reads the page for answers."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from courses import models as course_models
from courses.models import AttemptEnd, Question, QuestionKind
from courses.services import LearningError
from courses.services import exams as svc
from lms.compliance.models import YearPolicy
from lms.training.models import CreditEntry
from tests.people.factories import WorkerFactory

from .factories import make_bank, make_course, make_test, right_answers

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 11, 9, 0, tzinfo=dt.UTC)

QUESTIONS = [
    (QuestionKind.SINGLE, "书记每年至少培训几天？", ["3天", "7天", "10天"], "2"),
    (
        QuestionKind.MULTIPLE,
        "培训形式包括？",
        ["实体培训班", "网络课堂", "旅游"],
        "1,2",
    ),
    (QuestionKind.TRUE_FALSE, "网格员服务300至500户。", [], "1"),
    {
        "kind": QuestionKind.FILL_IN,
        "prompt": "社区之下划分____。",
        "answer": "网格|网格单元",
        "explanation": "网格是最小单元。",
    },
]


@pytest.fixture(autouse=True)
def chinese():
    """Messages are checked in Chinese whatever an earlier test activated."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def worker(tree):
    return WorkerFactory(community=tree["community11"])


@pytest.fixture
def course(tree):
    return make_course(tree["city"])


def big_bank(org, n_per_cell=6):
    """A bank with `n_per_cell` single and multiple questions in each of two
    categories."""
    questions = []
    for category in ("社区治理", "政策法规"):
        for i in range(n_per_cell):
            questions.append(
                {
                    "kind": QuestionKind.SINGLE,
                    "prompt": f"{category}单选{i}",
                    "options": "甲\n乙\n丙\n丁",
                    "answer": "3",
                    "category": category,
                }
            )
            questions.append(
                {
                    "kind": QuestionKind.MULTIPLE,
                    "prompt": f"{category}多选{i}",
                    "options": "甲\n乙\n丙\n丁",
                    "answer": "1,4",
                    "category": category,
                }
            )
    return make_bank(org, questions)


def test_each_attempt_draws_by_the_rules_and_shuffles_options(worker, tree, course):
    """'5 single-choice from 社区治理, 3 multiple from 政策法规': each paper has
    exactly those, two workers get different papers, options are reordered."""
    bank = big_bank(tree["city"])
    test = make_test(
        course,
        [],
        rules=[
            {"bank": bank, "count": 5, "kind": "single", "category": "社区治理"},
            {"bank": bank, "count": 3, "kind": "multiple", "category": "政策法规"},
        ],
    )
    papers = []
    for seed in range(6):
        w = WorkerFactory(community=tree["community11"])
        attempt = svc.test_attempt_start(
            worker=w, lesson=test, now=NOW, rng=random.Random(seed)
        )
        ids = [qid for qid, _order in attempt.questions]
        qs = Question.objects.in_bulk(ids)
        assert len(set(ids)) == 8
        kinds = sorted((qs[i].kind, qs[i].category) for i in ids)
        assert kinds == [("multiple", "政策法规")] * 3 + [("single", "社区治理")] * 5
        papers.append((tuple(ids), tuple(tuple(o) for _q, o in attempt.questions)))
    assert len({ids for ids, _orders in papers}) > 1
    assert any(order != (1, 2, 3, 4) for _ids, orders in papers for order in orders)


def test_a_rule_asking_more_than_the_bank_holds_is_refused(worker, tree, course):
    bank = big_bank(tree["city"], n_per_cell=1)
    test = make_test(course, [], rules=[{"bank": bank, "count": 3, "kind": "single"}])
    with pytest.raises(LearningError, match="题库中的题目少于"):
        svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    assert not course_models.TestAttempt.objects.exists()


def test_pass_credits_half_an_hour_once(worker, course):
    test = make_test(course, QUESTIONS, attempt_limit=2, pass_mark=60)
    attempt = svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    attempt = svc.test_attempt_submit(
        worker=worker, lesson=test, answers=right_answers(attempt), now=NOW
    )
    assert (attempt.score, attempt.passed, attempt.end_reason) == (
        100,
        True,
        "submitted",
    )
    entry = CreditEntry.objects.get(worker=worker)
    assert (entry.kind, entry.hours, entry.source_key) == (
        "test",
        Decimal("0.5"),
        f"test:{test.pk}",
    )
    with pytest.raises(LearningError, match="已通过"):
        svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    assert CreditEntry.objects.count() == 1


def test_an_empty_submission_is_refused_and_not_counted(worker, course):
    """Nothing answered: refused, the attempt stays open and unnumbered further."""
    test = make_test(course, QUESTIONS, attempt_limit=1)
    attempt = svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    blank = {str(qid): [""] for qid, _o in attempt.questions}
    with pytest.raises(LearningError, match="请至少回答一题"):
        svc.test_attempt_submit(worker=worker, lesson=test, answers=blank, now=NOW)
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None
    done = svc.test_attempt_submit(
        worker=worker, lesson=test, answers=right_answers(attempt), now=NOW
    )
    assert done.number == 1 and done.passed


def test_the_server_grades_saved_answers_at_the_deadline(worker, course):
    """Time limit 10 min: answers saved before it are graded at the deadline, a
    submission after it changes nothing, and the minute beat ends an abandoned one."""
    test = make_test(course, QUESTIONS, time_limit_minutes=10, pass_mark=50)
    attempt = svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    assert attempt.deadline == NOW + dt.timedelta(minutes=10)
    right = right_answers(attempt)
    first_two = dict(list(right.items())[:2])
    svc.test_attempt_save(worker=worker, lesson=test, answers=first_two, now=NOW)
    late = svc.test_attempt_submit(
        worker=worker, lesson=test, answers=right, now=NOW + dt.timedelta(minutes=11)
    )
    assert (late.score, late.end_reason) == (50, AttemptEnd.DEADLINE)
    assert late.submitted_at == attempt.deadline

    other = WorkerFactory(community=worker.community)
    abandoned = svc.test_attempt_start(worker=other, lesson=test, now=NOW)
    assert svc.test_attempts_expire(now=NOW + dt.timedelta(minutes=9)) == 0
    assert svc.test_attempts_expire(now=NOW + dt.timedelta(minutes=10)) == 1
    abandoned.refresh_from_db()
    assert (abandoned.score, abandoned.passed, abandoned.end_reason) == (
        0,
        False,
        AttemptEnd.DEADLINE,
    )


def test_leaving_the_page_too_often_submits_the_attempt(worker, course):
    """The year's setting (2 here): the second departure submits what is saved."""
    YearPolicy.objects.create(year=2026, test_max_departures=2)
    test = make_test(course, QUESTIONS)
    attempt = svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    svc.test_attempt_save(
        worker=worker, lesson=test, answers=right_answers(attempt), now=NOW
    )
    first = svc.test_attempt_leave(worker=worker, lesson=test, now=NOW)
    assert first.is_open and len(first.departures) == 1
    second = svc.test_attempt_leave(
        worker=worker, lesson=test, now=NOW + dt.timedelta(seconds=30)
    )
    assert (second.is_open, second.end_reason, second.score) == (
        False,
        AttemptEnd.DEPARTURES,
        100,
    )


def test_answers_for_questions_not_drawn_are_refused(worker, course):
    """Hostile input: an id not on this paper, or an option beyond the shown ones."""
    test = make_test(course, QUESTIONS)
    attempt = svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    stranger = make_bank(course.owner_org, QUESTIONS[:1]).questions.get()
    choice = next(str(q) for q, order in attempt.questions if len(order) > 2)
    fill_in = next(str(q) for q, order in attempt.questions if not order)
    for answers in (
        {str(stranger.pk): ["1"]},
        {choice: ["9"]},
        {choice: ["x"]},
        {fill_in: ["网格", "网格单元"]},
        {fill_in: ["网" * 201]},
    ):
        with pytest.raises(LearningError, match="答案无效"):
            svc.test_attempt_submit(
                worker=worker, lesson=test, answers=answers, now=NOW
            )
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {}


def test_the_page_never_holds_the_answers(client, worker, course):
    """Acting as the cheater: the open test page has prompts and options but no
    right answer, no explanation, no original option numbers."""
    test = make_test(course, QUESTIONS)
    client.force_login(worker.user)
    client.post(reverse("courses:test_start", args=[test.pk]))
    html = client.get(test.url).content.decode()
    assert "书记每年至少培训几天？" in html and "社区之下划分____。" in html
    for secret in ("网格|网格单元", "网格是最小单元", 'name="answer"', "data-answer"):
        assert secret not in html


def test_feedback_marks_wrong_questions_and_reveals_only_at_the_end(
    worker, course, client
):
    """After a failed attempt with attempts left: which were wrong, no answers;
    after the last attempt: right answers and explanations."""
    test = make_test(course, QUESTIONS, attempt_limit=2, pass_mark=100)
    client.force_login(worker.user)
    client.post(reverse("courses:test_start", args=[test.pk]))
    attempt = course_models.TestAttempt.objects.get()
    fill_in = next(q for q, o in attempt.questions if not o)
    answers = {f"q-{k}": v for k, v in right_answers(attempt, wrong={fill_in}).items()}
    answers[f"q-{fill_in}"] = "小区"
    client.post(reverse("courses:test_submit", args=[test.pk]), answers)
    html = client.get(test.url).content.decode()
    assert html.count('class="wrong"') == 1 and html.count('class="right"') == 3
    assert "网格是最小单元" not in html
    client.post(reverse("courses:test_start", args=[test.pk]))
    client.post(reverse("courses:test_submit", args=[test.pk]), {f"q-{fill_in}": "x"})
    html = client.get(test.url).content.decode()
    assert "网格是最小单元" in html and "网格 / 网格单元" in html


def test_course_page_shows_tests_passed(worker, course, client):
    test = make_test(course, QUESTIONS)
    attempt = svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    svc.test_attempt_submit(
        worker=worker, lesson=test, answers=right_answers(attempt), now=NOW
    )
    client.force_login(worker.user)
    html = client.get(course.url).content.decode()
    assert f'id="test-passed-{test.pk}"' in html
    assert "测验已通过：1 / 1" in html


def test_drawing_and_grading_take_a_fixed_few_queries(
    worker, tree, course, django_assert_num_queries
):
    """The benchmark's path (benchmarks/drawn_tests.py): the draw reads each rule's
    ids and the drawn questions once; start and submit write the attempt without
    re-reading what the server itself just built (no model validation queries)."""
    bank = big_bank(tree["city"])
    rules = [
        {"bank": bank, "count": 5, "kind": "single", "category": "社区治理"},
        {"bank": bank, "count": 3, "kind": "multiple", "category": "政策法规"},
    ]
    test = make_test(course, [], rules=rules, pass_mark=100)
    test = type(test).objects.get(pk=test.pk)
    with django_assert_num_queries(10):
        attempt = svc.test_attempt_start(worker=worker, lesson=test, now=NOW)
    answers = right_answers(attempt, wrong={attempt.questions[0][0]})
    with django_assert_num_queries(5):
        attempt = svc.test_attempt_submit(
            worker=worker, lesson=test, answers=answers, now=NOW
        )
    assert attempt.score == 88 and not attempt.passed
