"""Optional two-factor sign-in (TOTP) for administrators."""

import datetime as dt

import pyotp
import pytest
from django.utils import timezone

from api.models import TotpDevice
from api.services import totp_device_confirm, totp_device_start, totp_for
from lms.accounts.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db


def _enable(user) -> pyotp.TOTP:
    """Confirm with the previous step's code, so the current one is still unused."""
    device = totp_device_start(user=user)
    totp = totp_for(device)
    previous = totp.at(timezone.now() - dt.timedelta(seconds=30))
    assert totp_device_confirm(user=user, code=previous)
    return totp


def _sign_in(client, username):
    return client.post(
        "/accounts/login/", {"username": username, "password": "pass-for-tests-123"}
    )


def test_setup_page_shows_a_qr_code_and_enables_with_a_code(client, d1_admin):
    client.force_login(d1_admin)
    page = client.get("/security/two-factor/")
    assert page.status_code == 200
    assert page.context["qr"].startswith("data:image/svg+xml")
    secret = page.context["secret"]
    wrong = client.post("/security/two-factor/", {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not TotpDevice.objects.get(user=d1_admin).confirmed
    ok = client.post("/security/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    assert TotpDevice.objects.get(user=d1_admin).confirmed
    assert AuditLog.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, detail__two_factor="enabled"
    ).exists()


def test_sign_in_asks_for_the_code_when_enabled(client, d1_admin):
    totp = _enable(d1_admin)
    response = _sign_in(client, "d1api")
    assert response.status_code == 302
    blocked = client.get("/admin/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/security/two-factor/verify/")
    api = client.get("/api/v1/me")
    assert api.status_code == 401 and api.json()["code"] == "two_factor_required"
    bad = client.post(
        "/security/two-factor/verify/", {"code": "123456", "next": "/admin/"}
    )
    assert bad.status_code == 200
    good = client.post(
        "/security/two-factor/verify/", {"code": totp.now(), "next": "/admin/"}
    )
    assert good.status_code == 302 and good["Location"] == "/admin/"
    assert client.get("/api/v1/me").status_code == 200


def test_a_code_works_only_once(client, d1_admin):
    """A code that signed one session in cannot sign in a second (replay)."""
    totp = _enable(d1_admin)
    code = totp.now()
    _sign_in(client, "d1api")
    first = client.post("/security/two-factor/verify/", {"code": code})
    assert first.status_code == 302
    from django.test import Client

    other = Client()
    _sign_in(other, "d1api")
    replay = other.post("/security/two-factor/verify/", {"code": code})
    assert replay.status_code == 200
    assert other.get("/api/v1/me").status_code == 401


def test_sign_in_without_two_factor_goes_straight_in(client, d1_admin):
    _sign_in(client, "d1api")
    assert client.get("/api/v1/me").status_code == 200


def test_next_cannot_leave_the_site(client, d1_admin):
    totp = _enable(d1_admin)
    _sign_in(client, "d1api")
    response = client.post(
        "/security/two-factor/verify/",
        {"code": totp.now(), "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
