"""Browser journey: a worker takes a drawn test, leaves the page, and runs past the
deadline; the server grades what was saved."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import QuestionKind, TestAttempt
from tests.conftest import sign_in
from tests.people.factories import WorkerFactory

from .factories import make_course, make_test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    (QuestionKind.SINGLE, "网格员服务多少户？", ["100户", "300至500户"], "2"),
    (QuestionKind.TRUE_FALSE, "书记每年至少培训7天。", [], "1"),
    {"kind": QuestionKind.FILL_IN, "prompt": "社区之下划分____。", "answer": "网格"},
]


def hide_page(page):
    """What the browser does when the worker switches to another app or tab."""
    page.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState',"
        " {value: 'hidden', configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )


def test_worker_takes_a_drawn_test_leaves_and_runs_out_of_time(
    page, live_server, tree, wagtail_site
):
    course = make_course(tree["district1"], title="社区治理实务")
    test = make_test(course, QUESTIONS, title="结业测试", time_limit_minutes=10)
    WorkerFactory(name="赵敏", community=tree["community11"], user__username="learner")
    sign_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{test.url}")
    page.click("#start-test")
    expect(page.locator("#time-left")).to_contain_text(":")
    assert page.locator("#time-left").inner_text().startswith(("9:", "10:"))
    html = page.content()
    assert "网格|" not in html and 'value="网格"' not in html
    # An empty submission is refused, and the attempt stays open.
    page.click("#test-form button[type=submit]")
    page.wait_for_selector("text=请至少回答一题再交卷")
    assert TestAttempt.objects.get().is_open
    # Answer two questions (saved on the server as they change), then leave once.
    page.get_by_label("300至500户").check()
    page.fill("input[type=text]", "网格")
    page.locator("input[type=text]").blur()
    page.wait_for_timeout(1500)  # the saves are sent in the background
    hide_page(page)
    page.wait_for_selector("#departures-line:not([hidden])")
    attempt = TestAttempt.objects.get()
    assert len(attempt.departures) == 1 and len(attempt.answers) == 2
    # The deadline comes (moved near by the server side); the page submits itself.
    TestAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + dt.timedelta(seconds=3)
    )
    page.reload()
    page.wait_for_selector("#review", timeout=15000)
    attempt.refresh_from_db()
    assert attempt.end_reason == "deadline" and attempt.score == 67
    assert "时间到" in page.content()
    review = page.locator("#review li")
    assert review.count() == 3
    assert page.locator("#review li.wrong").count() == 1
