import datetime as dt
import os

import pytest
import time_machine

from tests.org.factories import make_tree
from tests.people.factories import AdminFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# browser tests around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BEIJING = dt.timezone(dt.timedelta(hours=8), "Beijing")
# The instant `frozen_now` stops the clock at: an ordinary working Wednesday morning.
FROZEN_NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING)


def pytest_addoption(parser):
    parser.addoption(
        "--fake-now",
        metavar="ISO",
        help="start every test with the clock at this instant (ISO 8601 with its "
        "offset, e.g. 2028-02-29T23:59+08:00); it ticks on from there",
    )


def _fake_now(config):
    value = config.getoption("--fake-now")
    if not value:
        return None
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError("--fake-now needs an offset, e.g. +08:00")
    # A timestamp, not the datetime: travelling to a zoned datetime would also change
    # the machine's time zone (TZ), which the suite must not depend on.
    return instant.timestamp()


def pytest_configure(config):
    """Under --fake-now the clock is moved already for collection; each test is then
    moved back to the instant (pytest_runtest_protocol)."""
    instant = _fake_now(config)
    if instant is not None:
        traveller = time_machine.travel(instant, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Under --fake-now, every test starts at that very instant (not minutes after
    it), from before its first fixture; `frozen_now` and the `time_machine` marker
    still move the clock on top of it."""
    instant = _fake_now(item.config)
    if instant is None:
        return (yield)
    with time_machine.travel(instant, tick=True):
        return (yield)


@pytest.fixture
def frozen_now(time_machine):
    """Stops the clock at FROZEN_NOW (10:00 Beijing on a working day) and returns
    it in the configured time zone. Request it before the fixtures that make data
    (first argument), build times from it, and move the clock with
    `time_machine.move_to(...)` or `time_machine.shift(...)`."""
    from django.utils import timezone

    time_machine.move_to(FROZEN_NOW.timestamp(), tick=False)
    return timezone.localtime()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: rate-limit counters (sign-in from
    127.0.0.1 above all) must not carry over from the tests run before it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Private files (imports, certificates, lessons…) of each test in its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def district_admin(tree):
    return AdminFactory(username="d1admin", org=tree["district1"])


@pytest.fixture
def city_admin(tree):
    return AdminFactory(username="cityadmin", org=tree["city"])


@pytest.fixture
def wagtail_site(transactional_db):
    """Wagtail's locale, image collection, root and home pages and site: a flushed
    database (browser tests) has none. Returns the home page."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page, Site

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root")
    )
    home = Page.objects.filter(depth=2).first() or root.add_child(
        instance=Page(title="首页", slug="home")
    )
    Site.objects.get_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, live_server, username, password="pass-for-tests-123"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def play_video(page, seconds):
    """Press play in the lesson player, as a learner would. The player pauses that
    first play while it opens the play session, then plays again, so the promise of
    this first `play()` may be aborted: wait for the video to be really playing."""
    page.evaluate(
        "() => { const v = document.getElementById('player'); v.muted = true;"
        " v.play().catch(() => {}); }"
    )
    page.wait_for_function("() => !document.getElementById('player').paused")
    page.wait_for_timeout(int(seconds * 1000))
