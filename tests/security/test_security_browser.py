"""Class 2 in a real browser: a worker's hostile "certificate" (HTML behind a %PDF
header) is refused with a Chinese message; a real PDF is accepted, and when the street
administrator opens it from the review page Chromium shows it in its PDF viewer under
the sandbox policy, with no script of the upload able to run in the admin's session."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.accounts.models import Role
from lms.training.models import ExternalTraining
from tests.conftest import sign_in
from tests.files import pdf_bytes
from tests.people.factories import UserFactory, WorkerFactory
from tests.trainers.factories import admin_in_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HTML_AS_PDF = b"%PDF-1.4\n<html><script>document.title='pwned'</script></html>\n"


def _fill_claim(page, live_server, name, content, mime):
    day = timezone.localdate() - dt.timedelta(days=10)
    page.goto(f"{live_server.url}/training/external/")
    page.fill("#id_title", "街道安全生产培训")
    page.fill("#id_start_date", day.isoformat())
    page.fill("#id_end_date", day.isoformat())
    page.fill("#id_days", "1")
    page.set_input_files(
        "#id_certificate", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()


def test_hostile_certificate_refused_real_one_opens_sandboxed(
    browser, live_server, tree
):
    worker = WorkerFactory(
        community=tree["community11"],
        user=UserFactory(username="worker1", role=Role.WORKER),
    )
    admin_in_group(tree["street1"], "街道管理员", username="street1")
    worker_page = browser.new_context(locale="zh-CN").new_page()
    admin_page = browser.new_context(locale="zh-CN").new_page()
    for p in (worker_page, admin_page):
        p.set_default_timeout(15000)

    sign_in(worker_page, live_server, "worker1")
    worker_page.wait_for_load_state()
    for name in ("certificate.html", "certificate.pdf"):
        _fill_claim(worker_page, live_server, name, HTML_AS_PDF, "application/pdf")
        errors = worker_page.inner_text(".errorlist")
        assert "文件" in errors, errors
    assert not ExternalTraining.objects.filter(worker=worker).exists()

    _fill_claim(worker_page, live_server, "证书.pdf", pdf_bytes(), "application/pdf")
    item = ExternalTraining.objects.get(worker=worker)

    sign_in(admin_page, live_server, "street1")
    admin_page.wait_for_load_state()
    admin_page.goto(f"{live_server.url}/admin/training/external/{item.pk}/review/")
    with admin_page.context.expect_page() as opened:
        admin_page.click("text=查看证书")
    viewer = opened.value
    viewer.wait_for_url("**/certificate/", wait_until="commit")
    viewer.wait_for_timeout(1500)
    headers = admin_page.request.get(
        f"{live_server.url}/admin/training/external/{item.pk}/certificate/"
    ).headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-security-policy"].startswith("sandbox")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-disposition"].startswith("inline")
    # Chromium shows it in its PDF viewer (a document of type PDF), not as a download
    # or a blocked page, although the sandbox forbids scripts and plugins of the file.
    assert viewer.evaluate("document.contentType") == "application/pdf"
    assert viewer.evaluate("document.title") != "pwned"
