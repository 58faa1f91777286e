"""Rate limits kept in Django's cache (Redis in production), configurable in settings.

Two ways to use them:

- a decorator on a view::

      from lms.accounts.ratelimit import ratelimit

      @ratelimit("verify")              # rate from settings.RATE_LIMITS["verify"]
      def verify(request, serial): ...

      @ratelimit("check_in", key="user", methods=("POST",))
      def check_in(request, token): ...

- `RateLimitMiddleware` with `settings.RATE_LIMIT_PATHS` (path prefix, limit name,
  methods), which covers views one cannot decorate (the sign-in view, the API).

A rate is ``"<count>/<period>"`` with period ``s``, ``m``, ``h``, ``d`` or a number of
seconds before the unit (``"30/5m"``); an empty rate or ``"0"`` turns the limit off.
Over the limit the client gets 429: JSON ``{"code": "rate_limited", ...}`` under the
API or when JSON is asked for, a short page otherwise, with ``Retry-After``.
"""

import functools
import hashlib
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class InvalidRate(ValueError):
    pass


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """``"10/m"`` → (10, 60); ``"30/5m"`` → (30, 300); empty or ``"0"`` → None (off)."""
    if rate is None or str(rate).strip() in ("", "0"):
        return None
    match = RATE.match(str(rate))
    if match is None:
        raise InvalidRate(f"Not a rate: {rate!r} (write e.g. 10/m or 30/5m)")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * UNIT_SECONDS[unit]


def rate_for(name: str) -> str:
    return getattr(settings, "RATE_LIMITS", {}).get(name, "")


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind N trusted proxies, the Nth from the right of
    X-Forwarded-For (settings.RATE_LIMIT_PROXY_COUNT, 0 when clients connect directly)."""
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def account_key(request: HttpRequest) -> str:
    """The account a sign-in form names (case-folded, hashed: no user name in keys)."""
    username = request.POST.get("username", "") if request.method == "POST" else ""
    return "a:" + hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


def axes_client_ip(request: HttpRequest) -> str | None:
    """`client_ip` for django-axes (AXES_CLIENT_IP_CALLABLE): None when unknown, as
    its access log stores an IP address."""
    address = client_ip(request)
    return None if address == "unknown" else address


def client_key(request: HttpRequest, key: str | Callable = "auto") -> str:
    """Who is counted: ``ip``, ``user`` (falls back to ip), ``auto`` (an API token,
    else the user, else the ip) or a callable taking the request. Sign-in limits use
    ``ip`` and `account_key`: headers the client sends never choose the bucket."""
    if callable(key):
        return str(key(request))
    if key in ("auto", "token"):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.lower().startswith("bearer "):
            return "t:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    if key in ("auto", "user", "token"):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u:{user.pk}"
    return "ip:" + client_ip(request)


def hit(name: str, who: str, rate: str | None = None) -> tuple[bool, int]:
    """Count one request of `who` against limit `name`; (allowed, seconds to wait)."""
    parsed = parse_rate(rate if rate is not None else rate_for(name))
    if parsed is None:
        return True, 0
    limit, period = parsed
    window = int(time.time() // period)
    cache_key = f"rl:{name}:{who}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    wait = period - int(time.time()) % period
    return count <= limit, wait


def wants_json(request: HttpRequest) -> bool:
    prefixes = tuple(getattr(settings, "RATE_LIMIT_JSON_PREFIXES", ("/api/",)))
    return request.path.startswith(prefixes) or "application/json" in request.META.get(
        "HTTP_ACCEPT", ""
    )


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {
        "seconds": wait
    }
    if wants_json(request):
        response = JsonResponse(
            {"code": "rate_limited", "message": message}, status=429
        )
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(wait, 1))
    return response


def ratelimit(
    name: str,
    *,
    key: str | Callable = "auto",
    methods: tuple[str, ...] | None = None,
    rate: str | None = None,
):
    """Limit a view to settings.RATE_LIMITS[name] (or `rate`) per client `key`.

    `methods` limits only those HTTP methods (all when None).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                allowed, wait = hit(name, client_key(request, key), rate)
                if not allowed:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RateLimitMiddleware:
    """Apply settings.RATE_LIMIT_PATHS: [(path, limit name, methods or None)], where
    path is a prefix, or a regular expression when it starts with ``^``.

    The ``sign_in`` limit (every sign-in entry point) counts the client address and,
    separately, the account named (``sign_in_account``), whatever Authorization or
    other headers come with the request; the ``api`` limit counts the token or user
    and, separately, the client address (``api_client``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.rules = [
            (
                re.compile(path).match
                if path.startswith("^")
                else (lambda p, prefix=path: p.startswith(prefix)),
                name,
                tuple(methods) if methods else None,
            )
            for path, name, methods in getattr(settings, "RATE_LIMIT_PATHS", [])
        ]

    def __call__(self, request):
        for matches, name, methods in self.rules:
            if matches(request.path) and (methods is None or request.method in methods):
                if name == "sign_in":
                    checks = [
                        ("sign_in", client_key(request, "ip")),
                        ("sign_in_account", account_key(request)),
                    ]
                elif name == "api":
                    # The token (or user) has its bucket, and the address its own:
                    # a made-up token never escapes the client's limit.
                    checks = [
                        ("api", client_key(request)),
                        ("api_client", client_key(request, "ip")),
                    ]
                else:
                    checks = [(name, client_key(request))]
                for limit, who in checks:
                    allowed, wait = hit(limit, who)
                    if not allowed:
                        return too_many_requests(request, wait)
                break
        return self.get_response(request)
