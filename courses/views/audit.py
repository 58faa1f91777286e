"""The study audit for administrators: suspicious patterns of their subtree and
one worker's play sessions (courses.audit reads them)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lms.accounts.scoping import require_org_in_scope, scope_root
from lms.people.models import Worker

from .. import audit

PERIODS = (7, 30, 90, 365)


def _admin(request):
    if scope_root(request.user) is None or not request.user.is_staff:
        raise PermissionDenied


def _since(request) -> tuple[int, dt.datetime]:
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    return days, timezone.now() - dt.timedelta(days=days)


@login_required
@require_GET
def suspicious(request):
    """Many lessons in one hour, hours of credit at night, one device for several
    workers: within the administrator's subtree."""
    _admin(request)
    days, since = _since(request)
    return render(
        request,
        "courses/audit.html",
        {
            "days": days,
            "periods": PERIODS,
            "busy_hours": audit.many_lessons_per_hour(request.user, since=since),
            "nights": audit.night_credit(request.user, since=since),
            "devices": audit.shared_devices(request.user, since=since),
        },
    )


@login_required
@require_GET
def worker_study(request, pk):
    """One worker's play sessions, prompts, questions and test attempts."""
    _admin(request)
    worker = get_object_or_404(Worker.objects.select_related("community"), pk=pk)
    require_org_in_scope(request.user, worker.community)
    days, since = _since(request)
    return render(
        request,
        "courses/audit_worker.html",
        {
            "worker": worker,
            "days": days,
            "periods": PERIODS,
            "sessions": audit.worker_sessions(worker, since=since),
            "attempts": audit.worker_test_attempts(worker, since=since),
        },
    )
