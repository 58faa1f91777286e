"""The front door (/), the error pages and the offline API docs."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from tests.people.factories import UserFactory


def _boom(request):
    raise RuntimeError("boom")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    *project_urlpatterns,
]


def test_landing_is_chinese_mobile_first_with_sign_in_and_verify(client, db):
    """/ is the platform's own page (not Wagtail's placeholder): Chinese, a phone
    viewport, links to sign in and to the public certificate check."""
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "社区工作者培训平台" in html
    assert 'name="viewport"' in html
    assert 'href="/accounts/login/"' in html
    assert 'href="/verify/"' in html
    assert "Welcome to your new Wagtail site" not in html


def test_landing_offers_the_home_to_a_signed_in_user(client, db):
    """A signed-in user is offered their home instead of the sign-in."""
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert 'id="go-home" href="/portal/"' in html
    assert 'id="sign-in"' not in html


def test_not_found_is_a_chinese_page_with_a_way_back(client, db):
    """An unknown address answers 404 with a Chinese page linking home."""
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert 'href="/portal/"' in html and 'href="/"' in html


@override_settings(ROOT_URLCONF=__name__)
def test_forbidden_and_server_error_are_chinese_pages(client, db):
    """PermissionDenied gives the Chinese 403 page; an unhandled error the Chinese
    500 page (no traceback, no inline script)."""
    client.raise_request_exception = False
    forbidden = client.get("/forbidden/")
    assert forbidden.status_code == 403
    assert "无权访问" in forbidden.content.decode()
    error = client.get("/boom/")
    html = error.content.decode()
    assert error.status_code == 500
    assert "出错了" in html and "boom" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_rate_limited_page_is_a_chinese_page(frozen_now, client, db, settings):
    """Over the sign-in limit a browser gets the Chinese 429 page with the wait (the
    clock stands still: both tries fall in one rate window)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": "1/m"}
    client.post("/accounts/login/", {"username": "x", "password": "y"})
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "操作过于频繁" in html and "秒后再试" in html
    assert response["Retry-After"]


@pytest.mark.parametrize("path", ["/api/v1/docs"])
def test_api_docs_load_their_assets_from_our_static_files(client, db, path):
    """The Swagger UI comes from /static/ (works without internet), not a CDN."""
    html = client.get(path).content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
