"""Token and session authentication, and JSON errors."""

import pytest

from api.models import ApiToken
from api.services import api_token_revoke, token_digest
from tests.api.conftest import ApiClient
from tests.api.factories import token_for

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed(d1_admin, city_adm):
    raw = token_for(d1_admin, created_by=city_adm)
    token = ApiToken.objects.get()
    assert raw.startswith("lms_") and len(raw) > 40
    assert token.digest == token_digest(raw) and raw not in token.digest
    assert token.prefix == raw[:12]


def test_token_authenticates_as_owner_and_notes_use(d1_admin, city_adm):
    raw = token_for(d1_admin, created_by=city_adm)
    body = ApiClient(raw).get("/api/v1/me").json()
    assert body == {
        "username": "d1api",
        "role": "admin",
        "scope_code": d1_admin.org.code,
        "worker_id": None,
    }
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["", "Bearer nope", "Bearer lms_wrong", "Basic x"])
def test_without_valid_token_is_401_json(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/people/workers", **extra)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_revoked_token_is_refused(d1_admin, city_adm):
    raw = token_for(d1_admin, created_by=city_adm)
    api_token_revoke(token=ApiToken.objects.get(), actor=city_adm)
    assert ApiClient(raw).get("/api/v1/me").status_code == 401


def test_token_of_inactive_user_is_refused(d1_admin, city_adm):
    raw = token_for(d1_admin, created_by=city_adm)
    d1_admin.is_active = False
    d1_admin.save()
    assert ApiClient(raw).get("/api/v1/me").status_code == 401


def test_district_admin_cannot_make_tokens(d1_admin, city_adm):
    """Only city administrators hold api.add_apitoken."""
    from django.core.exceptions import PermissionDenied

    from api.services import api_token_create

    with pytest.raises(PermissionDenied):
        api_token_create(name="x", owner=d1_admin, created_by=d1_admin)


def test_session_post_needs_csrf(d1_admin, people):
    """The portal session may call the API, but unsafe methods need the CSRF token."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(d1_admin)
    worker = people["community11"][0]
    assert client.get(f"/api/v1/people/workers/{worker.pk}").status_code == 200
    response = client.post(f"/api/v1/people/workers/{worker.pk}/unmask")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
