"""Chinese everywhere: every portal and admin page, as each demo role, shows no run
of English words outside a short allow-list (brand names, codes)."""

import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from lms.accounts.models import User
from tests.conftest import FROZEN_NOW

# Markup that is never shown as text.
HIDDEN = {"script", "style", "code", "pre", "svg", "template", "noscript"}
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Two or more English words in a row, or a Python boolean/None shown as text.
ENGLISH_RUN = re.compile(
    r"\b[A-Za-z][a-z']+(?:[ \-][A-Za-z][a-z']+)+\b|\b(?:None|True|False)\b"
)
ALLOWED = {"Wagtail", "English"}

PAGES = {
    "demo_worker": [
        "/",
        "/portal/",
        "/portal/me/",
        "/compliance/",
        "/training/",
        "/training/ledger/",
        "/learn/",
        "/portal/certificates/",
    ],
    "demo_district": [
        "/admin/",
        "/admin/workers/",
        "/admin/training_classes/",
        "/admin/training_ledger/",
        "/admin/training_external/",
        "/admin/training_enrolments/",
        "/admin/training/bulk-enrol/",
        "/admin/users/",
        "/admin/pages/",
        "/compliance/dashboard/",
    ],
    "demo_trainer": ["/portal/", "/training/teach/", "/learn/teach/"],
    "demo_city": ["/admin/", "/admin/certificates-admin/issue/"],
    None: ["/", "/verify/", "/accounts/login/", "/no-such-page/"],
}


VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class VisibleText(HTMLParser):
    """The text a reader sees: data and labelling attributes, outside scripts and
    elements marked `hidden`."""

    def __init__(self):
        super().__init__()
        self.open = []  # (tag, hides) of the open elements
        self.texts = []

    def hiding(self):
        return any(hides for _tag, hides in self.open)

    def handle_starttag(self, tag, attrs):
        if not self.hiding():
            self.texts += [v for name, v in attrs if name in ATTRIBUTES and v]
        if tag not in VOID:
            hides = tag in HIDDEN or any(name == "hidden" for name, _v in attrs)
            self.open.append((tag, hides))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        if not self.hiding():
            self.texts.append(data)


def english_runs(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {
        run
        for text in parser.texts
        for run in ENGLISH_RUN.findall(text)
        if run not in ALLOWED
    }


def test_english_runs_are_found():
    """The scanner sees visible text and attributes, not scripts."""
    html = (
        '<p>已学 <b>Search all pages</b></p><input placeholder="Type here">'
        "<script>var Some Thing</script><td>True</td>"
        "<div hidden><p>Not shown</p></div><br><i>Shown again</i>"
    )
    assert english_runs(html) == {
        "Search all pages",
        "Type here",
        "True",
        "Shown again",
    }


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """A small demo city for the module, seeded at a fixed instant and rolled back
    afterwards (the tests' own transactions nest inside)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(FROZEN_NOW.timestamp(), tick=True):
            call_command("seed_demo", workers=40, seed=7)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "path"),
    [(user, path) for user, paths in PAGES.items() for path in paths],
)
def test_page_is_in_chinese(demo_city, username, path):
    """The page shows no English words to a Chinese-speaking user."""
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    response = client.get(path, follow=True)
    assert response.status_code in (200, 404)
    assert english_runs(response.content.decode()) == set()
