"""Browser journeys: a city administrator makes an API token in the admin (shown once)
and a system uses it; an administrator turns on two-factor sign-in and signs in with
a code."""

import json
import urllib.request

import pyotp
import pytest

from api.models import ApiToken
from tests.api.factories import admin_in_group
from tests.conftest import sign_in
from tests.org.factories import make_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_admin_creates_a_token_shown_once(page, live_server):
    tree = make_tree()
    admin_in_group(username="citybrowser", org=tree["city"], group="市级管理员")
    sign_in(page, live_server, "citybrowser")
    page.wait_for_url("**/admin/**")
    page.goto(f"{live_server.url}/admin/security/tokens/")
    page.click("text=新建令牌")
    page.fill("#id_name", "区人事系统")
    page.click("button[type=submit] >> text=创建令牌")
    raw = page.inner_text("#new-token").strip()
    assert raw.startswith("lms_")
    assert ApiToken.objects.get().digest != raw
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {raw}"}
    )
    body = json.loads(urllib.request.urlopen(request).read())
    assert body["username"] == "citybrowser" and body["scope_code"] == tree["city"].code
    page.goto(f"{live_server.url}/admin/security/tokens/")
    assert raw not in page.content()
    assert raw[:12] in page.content()


def test_admin_turns_on_two_factor_and_signs_in_with_a_code(page, live_server):
    tree = make_tree()
    admin_in_group(username="d1browser", org=tree["district1"], group="区级管理员")
    sign_in(page, live_server, "d1browser")
    page.wait_for_url("**/admin/**")
    page.goto(f"{live_server.url}/security/two-factor/")
    assert page.locator("#totp-qr").is_visible()
    secret = page.inner_text("#totp-secret").strip()
    totp = pyotp.TOTP(secret)
    import datetime as dt

    page.fill("#id_code", totp.at(dt.datetime.now() - dt.timedelta(seconds=30)))
    page.click("form.card button[type=submit]")
    assert "双重验证登录已开启" in page.content()
    page.context.clear_cookies()
    sign_in(page, live_server, "d1browser")
    page.wait_for_url("**/security/two-factor/verify/**")
    page.goto(f"{live_server.url}/admin/")
    assert "/security/two-factor/verify/" in page.url  # nothing else until the code
    page.fill("#id_code", totp.now())
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/admin/**")
    assert "/security/" not in page.url
