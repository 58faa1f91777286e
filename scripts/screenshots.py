"""Refresh docs/screenshots/ from a running demo server (`make run`, demo data).

Usage: python scripts/screenshots.py [BASE_URL] [NAME ...]

Signs in as the demo users (password demo-pass-2026) and saves each page on a phone
(390x844) or a desktop (1280x900) with Playwright driving Debian's /usr/bin/chromium.
Give names to refresh only those shots.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "demo-pass-2026"  # noqa: S105 - the published demo password
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

# (file name, user or None, path, viewport)
SHOTS = [
    ("landing-phone", None, "/", PHONE),
    ("worker-home-phone", "demo_worker", "/portal/", PHONE),
    ("worker-lesson-phone", "demo_worker", "@lesson", PHONE),
    ("worker-compliance-phone", "demo_worker", "/compliance/", PHONE),
    ("worker-ledger-phone", "demo_worker", "/training/ledger/", PHONE),
    ("worker-classes-phone", "demo_worker", "/training/", PHONE),
    ("worker-me-phone", "demo_worker", "/portal/me/", PHONE),
    ("district-admin-home-desktop", "demo_district", "/admin/", DESKTOP),
]


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def first_lesson_url(page, base):
    """The worker home's "continue learning" lesson, else the first course's first
    lesson in the catalogue."""
    page.goto(f"{base}/portal/")
    link = page.locator("#continue-lesson")
    if link.count():
        return link.get_attribute("href")
    page.goto(f"{base}/learn/")
    course = page.locator("a[href^='/courses/']").first.get_attribute("href")
    page.goto(f"{base}{course}")
    return page.evaluate(
        "c => [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
        ".find(h => h && h.startsWith(c) && h !== c)",
        course,
    )


def main(base="http://127.0.0.1:8000", *names):
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for name, user, path, viewport in SHOTS:
            if names and name not in names:
                continue
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            if user:
                sign_in(page, base, user)
            if path == "@lesson":
                path = first_lesson_url(page, base)
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            # The phone's bottom tabs stay at the end of a full-page shot.
            page.add_style_tag(content=".tabbar { position: static; }")
            page.screenshot(path=OUT / f"{name}.png", full_page=True)
            print(f"{name}.png  {page.url}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
