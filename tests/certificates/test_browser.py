"""Browser journeys: a worker downloads their certificate; anyone verifies one on a
phone-sized screen."""

import hashlib

import pytest

from tests.conftest import sign_in

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
