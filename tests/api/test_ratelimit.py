"""Cache-based rate limits: parsing, the decorator and the middleware (429 JSON)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from lms.accounts.ratelimit import InvalidRate, parse_rate, ratelimit


@pytest.mark.parametrize(
    "rate,expected",
    [
        ("10/m", (10, 60)),
        ("30/5m", (30, 300)),
        ("1/s", (1, 1)),
        ("100/d", (100, 86400)),
        ("", None),
        ("0", None),
        (None, None),
    ],
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["ten/m", "10/week", "10"])
def test_parse_rate_rejects_nonsense(rate):
    with pytest.raises(InvalidRate):
        parse_rate(rate)


def test_decorator_limits_per_client_address():
    @ratelimit("test", rate="2/m", key="ip")
    def view(request):
        return HttpResponse("ok")

    rf = RequestFactory()
    a = [view(rf.get("/x", REMOTE_ADDR="10.0.0.1")).status_code for _ in range(3)]
    b = view(rf.get("/x", REMOTE_ADDR="10.0.0.2")).status_code
    assert a == [200, 200, 429] and b == 200


def test_decorator_limits_only_given_methods():
    @ratelimit("test2", rate="1/m", key="ip", methods=("POST",))
    def view(request):
        return HttpResponse("ok")

    rf = RequestFactory()
    assert [view(rf.get("/x")).status_code for _ in range(3)] == [200, 200, 200]
    assert [view(rf.post("/x")).status_code for _ in range(2)] == [200, 429]


@pytest.mark.django_db
def test_api_is_limited_with_429_json(settings, d1_api):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "3/m"}
    codes = [d1_api.get("/api/v1/me").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = d1_api.get("/api/v1/me")
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


@pytest.mark.django_db
def test_sign_in_posts_are_limited(settings, client):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": "2/m"}
    data = {"username": "nobody", "password": "wrong-password-1"}
    codes = [client.post("/accounts/login/", data).status_code for _ in range(3)]
    assert codes[-1] == 429 and 429 not in codes[:2]
    assert client.get("/accounts/login/").status_code == 200  # reading is not limited


def test_proxy_count_reads_forwarded_for(settings):
    from lms.accounts.ratelimit import client_ip

    settings.RATE_LIMIT_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    assert client_ip(request) == "5.6.7.8"
    settings.RATE_LIMIT_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.9"


def test_middleware_rules_match_prefixes_and_patterns(settings, rf):
    """A rule is a path prefix, or a regular expression when it starts with ^."""
    from lms.accounts.ratelimit import RateLimitMiddleware

    settings.RATE_LIMITS = {"hb": "1/m", "ci": "1/m"}
    settings.RATE_LIMIT_PATHS = [
        (r"^/learn/lessons/\d+/heartbeat/$", "hb", ["POST"]),
        ("/training/c/", "ci", ["POST"]),
    ]
    middleware = RateLimitMiddleware(lambda request: HttpResponse("ok"))

    def status(path, method="post"):
        request = getattr(rf, method)(path, REMOTE_ADDR="10.1.1.1")
        return middleware(request).status_code

    assert [status("/learn/lessons/7/heartbeat/") for _ in range(2)] == [200, 429]
    assert status("/learn/lessons/7/test/") == 200  # not a heartbeat
    assert [status("/training/c/abc/") for _ in range(2)] == [200, 429]
    assert status("/training/c/abc/", "get") == 200  # only POSTs are counted
