"""The one check for a `next=` address a client chose: this site only, else a default."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """`next` from POST or GET when it points at this site (and keeps https), else
    `default` (a URL or URL name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)
