"""Class 3: every sign-in entry point is limited per client address and per account,
whatever headers the client sends; lockout (axes) uses the same client address."""

import pytest
from django.urls import resolve

from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
ENTRY_POINTS = ("/accounts/login/", "/admin/login/", "/_util/login/")


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_bearer_or_forwarded_headers_do_not_open_new_buckets(settings, client, path):
    """The reported bypass: a fresh `Authorization: Bearer …` (or X-Forwarded-For)
    on each attempt used to be counted as a new client."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": "3/m"}
    codes = [
        client.post(
            path,
            {"username": f"user{i}", "password": "wrong-password-1"},
            HTTP_AUTHORIZATION=f"Bearer random-{i}",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        ).status_code
        for i in range(5)
    ]
    assert 429 not in codes[:3] and codes[3:] == [429, 429]


def test_one_account_is_limited_from_any_address(settings, client):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "sign_in": "100/m",
        "sign_in_account": "3/h",
    }
    codes = [
        client.post(
            "/accounts/login/",
            {"username": "Zhang " if i % 2 else "zhang", "password": "wrong-1"},
            REMOTE_ADDR=f"10.1.0.{i}",
        ).status_code
        for i in range(4)
    ]
    assert codes[-1] == 429 and 429 not in codes[:3]


def test_admin_sign_in_locks_out_like_the_portal(client, settings):
    """Axes locks the account (per user and address) at every entry point."""
    UserFactory(username="zhang", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "zhang", "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": "zhang", "password": "pass-for-tests-123"}
    )
    assert response.status_code == 429


def test_lockout_ignores_forwarded_for_without_trusted_proxies(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.RATE_LIMIT_PROXY_COUNT = 0
    request = rf.post("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert get_client_ip_address(request) == "192.0.2.7"


def test_the_unused_django_admin_is_gone():
    """No account signs in at /django-admin/ (no model was registered there): the
    path falls through to Wagtail's page serving (a 404 page)."""
    assert resolve("/django-admin/login/").url_name == "wagtail_serve"


def test_made_up_api_tokens_do_not_escape_the_clients_limit(settings, client):
    """Each request with a new made-up bearer token used to get a bucket of its own
    (an unlimited token-guessing rate); the client's address is counted as well."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_client": "3/m"}
    codes = [
        client.get(
            "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer lms_made-up-{i}"
        ).status_code
        for i in range(5)
    ]
    assert 429 not in codes[:3] and codes[3:] == [429, 429]
