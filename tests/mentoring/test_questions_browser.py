"""Ask an expert in Chromium: a worker asks with a photo, the routed expert answers
from their portal, the worker marks the best answer."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from mentoring.models import Mentor, MentorKind, Question, QuestionStatus
from tests.conftest import sign_in
from tests.people.factories import UserFactory, WorkerFactory
from tests.trainers.factories import ExpertFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_asks_expert_answers_worker_accepts(
    page, live_server, tree, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    expert = ExpertFactory(org=tree["district1"], name="王教授", topics="物业纠纷化解")
    Mentor.objects.create(
        name="王教授",
        org=tree["district1"],
        kind=MentorKind.EXPERT,
        expert=expert,
        specialities="物业纠纷化解",
        user=UserFactory(username="wangjs", role="trainer"),
    )
    WorkerFactory(
        community=tree["community11"], name="张社工", user=UserFactory(username="zsg")
    )
    photo = tmp_path / "yard.png"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())

    sign_in(page, live_server, "zsg")
    page.goto(f"{live_server.url}/mentoring/questions/")
    page.click("#ask-link")
    page.fill("#id_title", "小区物业纠纷反复出现如何化解")
    page.fill("#id_body", "业主与物业因收费矛盾不断，社区如何介入？")
    page.fill("#id_tags", "物业纠纷化解")
    page.set_input_files("#id_photos", str(photo))
    page.click("main button[type=submit]")
    expect(page.locator("#question h1")).to_have_text("小区物业纠纷反复出现如何化解")
    expect(page.locator("#question img")).to_have_count(1)
    question = Question.objects.get()
    page.context.clear_cookies()

    sign_in(page, live_server, "wangjs")
    page.goto(f"{live_server.url}/mentoring/questions/")
    page.locator("#routed").get_by_role("link", name="小区物业纠纷").click()
    page.fill(
        "#id_body", "建议召开业主、物业和社区三方联席会议，由人民调解委员会介入。"
    )
    page.click("#answer-form button")
    expect(page.locator("#answers")).to_contain_text("三方联席会议")
    page.context.clear_cookies()

    sign_in(page, live_server, "zsg")
    page.goto(f"{live_server.url}/mentoring/questions/{question.pk}/")
    page.get_by_role("button", name="设为最佳答案").click()
    expect(page.locator(".best-mark")).to_have_count(1)
    question.refresh_from_db()
    assert question.status == QuestionStatus.RESOLVED
