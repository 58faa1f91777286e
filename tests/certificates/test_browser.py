"""Browser journeys: a worker downloads their certificate; anyone verifies one on a
phone-sized screen."""

import hashlib

import pytest

from tests.conftest import play_video, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_downloads_their_certificate(page, live_server, honour_certificate):
    user = honour_certificate.worker.user
    sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/portal/certificates/")
    row = page.locator(f"#cert-{honour_certificate.pk}")
    assert honour_certificate.serial in row.inner_text()
    with page.expect_download() as info:
        row.locator("a.download").click()
    download = info.value
    assert download.suggested_filename == f"{honour_certificate.serial}.pdf"
    content = open(download.path(), "rb").read()
    assert hashlib.sha256(content).hexdigest() == honour_certificate.sha256


def test_anyone_verifies_on_a_phone(browser, live_server, honour_certificate):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/verify/")
        page.fill("#id_serial", honour_certificate.serial.lower())
        page.click("#verify-form button[type=submit]")
        page.wait_for_url(f"**/verify/{honour_certificate.serial}/")
        verdict = page.locator("#verdict")
        assert "有效" in verdict.inner_text() and "valid" in verdict.inner_text()
        assert page.locator("#holder").inner_text() == "张*明"
        # Nothing wider than the phone: no sideways scrolling.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        page.set_input_files(
            "#id_file",
            {
                "name": "c.pdf",
                "mimeType": "application/pdf",
                "buffer": honour_certificate.file.read(),
            },
        )
        page.click("#pdf-check button[type=submit]")
        assert "完全一致" in page.locator("#match").inner_text()
    finally:
        context.close()


def test_worker_completes_a_course_and_gets_its_certificate(
    page, live_server, tree, settings, wagtail_site
):
    """Watch the one video, pass the test: the course certificate (the demo's
    default template) is in the portal, downloads, and verifies as valid."""
    from django.utils import timezone

    from certificates.models import Certificate
    from courses.models import QuestionKind
    from courses.services import learning
    from demo.certificates import seed_templates
    from lms.compliance.models import YearPolicy
    from tests.courses.factories import make_course, make_lesson, make_test
    from tests.people.factories import WorkerFactory

    settings.LESSON_HEARTBEAT_SECONDS = 5
    # The lesson is 6 s long: below the default 60 s minimum, it would earn nothing.
    YearPolicy.objects.create(
        year=timezone.localdate().year, online_min_lesson_seconds=0
    )
    learning._POLICIES.clear()
    seed_templates(city=tree["city"])
    course = make_course(tree["district1"], title="社区应急管理实务")
    video = make_lesson(course, duration=6, title="第一讲 应急预案")
    test = make_test(
        course,
        [(QuestionKind.SINGLE, "网格员服务多少户？", ["100户", "300至500户"], "2")],
        title="结业测试",
    )
    worker = WorkerFactory(
        name="赵敏", community=tree["community11"], user__username="learner"
    )

    sign_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{video.url}")
    play_video(page, 7.5)
    page.evaluate("() => document.getElementById('player').pause()")
    page.wait_for_selector("#complete-badge:not([hidden])")
    assert not Certificate.objects.exists()  # the test is still to pass

    page.goto(f"{live_server.url}{test.url}")
    page.click("#start-test")
    page.get_by_label("300至500户").check()
    page.click(f'form[action="/learn/lessons/{test.pk}/test/"] button')
    page.wait_for_selector("text=您已通过该测验")

    cert = Certificate.objects.get(worker=worker)
    assert cert.kind == "course" and cert.serial.startswith("WK-")
    page.goto(f"{live_server.url}/portal/certificates/")
    row = page.locator(f"#cert-{cert.pk}")
    assert "社区应急管理实务" in row.inner_text()
    assert "网络课程结业证书" in row.inner_text()
    with page.expect_download() as info:
        row.locator("a.download").click()
    content = open(info.value.path(), "rb").read()
    assert hashlib.sha256(content).hexdigest() == cert.sha256
    page.goto(f"{live_server.url}/verify/{cert.serial}/")
    verdict = page.locator("#verdict").inner_text()
    assert "有效" in verdict
    assert "社区应急管理实务" in page.content()
