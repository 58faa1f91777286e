"""Admin pages (API tokens, audit log) and the two-factor sign-in pages."""

from itertools import islice

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.exports import write_table
from lms.accounts.files import serve_bytes
from lms.accounts.models import AuditAction
from lms.accounts.ratelimit import ratelimit
from lms.accounts.redirects import safe_next
from lms.accounts.services import audit_log_write

from . import services
from .audit_detail import detail_text, target_labels
from .forms import AuditFilterForm, CodeForm, TokenCreateForm
from .middleware import TWO_FACTOR_PENDING
from .models import TotpDevice
from .selectors import audit_log_filtered, audit_log_in_scope, tokens_in_scope

EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_MAX_ROWS = 200_000


# --- Audit log (Wagtail admin) ----------------------------------------------------------


def _audit_rows(qs):
    rows = qs.iterator(chunk_size=2000)
    while chunk := list(islice(rows, 2000)):
        targets = target_labels(chunk)
        for entry in chunk:
            yield [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor.username if entry.actor_id else "",
                entry.get_action_display(),
                entry.target_type,
                entry.target_id,
                targets.get((entry.target_type, entry.target_id), ""),
                entry.ip_address or "",
                detail_text(entry.detail),
            ]


def audit_log_index(request):
    if not request.user.has_perm("accounts.view_auditlog"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    qs = audit_log_in_scope(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = audit_log_filtered(qs, **{k: v for k, v in filters.items() if v})
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        audit_log_write(
            actor=request.user,
            action=AuditAction.EXPORT,
            detail={
                "kind": "audit_log",
                "format": fmt,
                "filters": {k: str(v) for k, v in filters.items() if v},
            },
            request=request,
        )
        headers = [
            _("time"),
            _("actor"),
            _("action"),
            _("target type"),
            _("target"),
            _("target in words"),
            _("IP address"),
            _("detail"),
        ]
        content = write_table(fmt, headers, _audit_rows(qs[:EXPORT_MAX_ROWS]))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return serve_bytes(content, filename=f"audit-log-{stamp}.{fmt}")
    page = Paginator(qs, 50).get_page(request.GET.get("p"))
    targets = target_labels(page)
    rows = [
        (
            entry,
            targets.get((entry.target_type, entry.target_id), ""),
            detail_text(entry.detail),
        )
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("p", None)
    query.pop("export", None)
    return render(
        request,
        "api/admin/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


# --- API tokens (Wagtail admin) ---------------------------------------------------------


def token_index(request):
    if not request.user.has_perm("api.view_apitoken"):
        raise PermissionDenied
    tokens = tokens_in_scope(request.user)
    return render(
        request,
        "api/admin/tokens.html",
        {"tokens": tokens, "can_add": request.user.has_perm("api.add_apitoken")},
    )


def token_create(request):
    if not request.user.has_perm("api.add_apitoken"):
        raise PermissionDenied
    form = TokenCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(
            name=form.cleaned_data["name"],
            owner=form.cleaned_data["owner"],
            created_by=request.user,
            request=request,
        )
        # Rendered, not redirected: the clear token is never stored, not even in
        # a message cookie.
        response = render(
            request, "api/admin/token_created.html", {"token": token, "raw": raw}
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "api/admin/token_form.html", {"form": form})


@require_POST
def token_revoke(request, pk: int):
    if not request.user.has_perm("api.change_apitoken"):
        raise PermissionDenied
    token = get_object_or_404(tokens_in_scope(request.user), pk=pk)
    services.api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_admin:tokens")


# --- Two-factor sign-in -----------------------------------------------------------------


@login_required
def two_factor_setup(request):
    """Enable (scan the QR code, enter a code) or disable two-factor sign-in."""
    device = TotpDevice.objects.filter(user=request.user).first()
    form = CodeForm(request.POST or None)
    if device is not None and device.confirmed:
        if request.method == "POST" and form.is_valid():
            if services.totp_verify(user=request.user, code=form.cleaned_data["code"]):
                services.totp_device_remove(
                    user=request.user, actor=request.user, request=request
                )
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("api_security:two_factor_setup")
            form.add_error("code", _("The code is not right. Try the newest one."))
        return render(request, "api/two_factor_on.html", {"form": form})
    if request.method == "POST" and device is not None and form.is_valid():
        if services.totp_device_confirm(
            user=request.user, code=form.cleaned_data["code"], request=request
        ):
            messages.success(
                request,
                _("Two-factor sign-in is on: you will be asked for a code at sign-in."),
            )
            return redirect("api_security:two_factor_setup")
        form.add_error("code", _("The code is not right. Try the newest one."))
    if device is None or request.method == "GET":
        device = services.totp_device_start(user=request.user)
    uri = services.provisioning_uri(device)
    secret = services.totp_for(device).secret
    qr = segno.make(uri, error="m").svg_data_uri(scale=5)
    return render(
        request,
        "api/two_factor_setup.html",
        {"form": form, "qr": qr, "secret": secret},
    )


@login_required
@ratelimit("two_factor", key="user", methods=("POST",))
def two_factor_verify(request):
    """The second step of sign-in for users who enabled two-factor."""
    if not request.session.get(TWO_FACTOR_PENDING):
        return redirect(safe_next(request, "/"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(user=request.user, code=form.cleaned_data["code"]):
            request.session.pop(TWO_FACTOR_PENDING, None)
            request.session.cycle_key()
            return redirect(safe_next(request, "/"))
        audit_log_write(
            actor=request.user,
            action=AuditAction.SIGN_IN_FAILED,
            detail={"step": "two_factor"},
            request=request,
        )
        form.add_error("code", _("The code is not right. Try the newest one."))
    return render(
        request,
        "api/two_factor_verify.html",
        {"form": form, "next": safe_next(request, "/")},
    )
