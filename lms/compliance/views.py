"""Pages of the annual minimum: the worker's progress, the administrators' dashboard,
report jobs and closing a year; and the Wagtail viewset of the annual rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.redirects import safe_next
from lms.accounts.scoping import require_org_in_scope, scope_root
from lms.jobs.services import job_create
from lms.org.models import OrgNode
from lms.people.models import Post
from lms.training.selectors import open_classes_for

from . import rules
from .errors import ComplianceError
from .models import ComplianceStatus, Notification
from .reports import REPORT_FORMATS
from .selectors import (
    children_rollup,
    compliance_rows,
    policy_for_year,
    worker_compliance,
    worker_credit_by_kind,
)
from .services import (
    notification_mark_read,
    year_close,
)
from .tasks import compliance_report_build_task

WORKER_LIST_PAGE = 100
RISK_STATUSES = (rules.AT_RISK, rules.NOT_MET)
INDUCTION_LABELS = {
    rules.INDUCTION_DONE: gettext_lazy("completed"),
    rules.INDUCTION_PENDING: gettext_lazy("pending"),
    rules.INDUCTION_MISSING: gettext_lazy("missing"),
}


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _year_choices() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


def _reasons(result) -> list[str]:
    return [r.render(_) for r in result.reasons]


@login_required
def mine(request):
    """The worker's progress toward the year's days, what counts and what is missing."""
    worker = getattr(request.user, "worker", None)
    if worker is None:
        if request.user.is_staff:
            return redirect("compliance:dashboard")
        raise Http404
    year = _year(request)
    policy = policy_for_year(year)
    row = worker_compliance(worker, year)
    result = row.result
    classes = []
    if result.status not in (rules.MET,) and year == timezone.localdate().year:
        types = (
            ["rotation"]
            if result.rotation_required and not result.rotation_done
            else None
        )
        classes = open_classes_for(worker, types=types)[:10]
        if not classes and types:
            classes = open_classes_for(worker)[:10]
    notifications = Notification.objects.filter(
        recipient=request.user, read_at__isnull=True
    )[:5]
    return render(
        request,
        "compliance/mine.html",
        {
            "worker": worker,
            "year": year,
            "years": _year_choices(),
            "result": result,
            "status_label": ComplianceStatus(result.status).label,
            "induction_label": INDUCTION_LABELS.get(result.induction, ""),
            "reasons": _reasons(result),
            "policy": policy,
            "online_cap_days": rules.online_cap(result.required_days, policy),
            "by_kind": worker_credit_by_kind(worker, year, policy),
            "classes": classes,
            "notifications": notifications,
        },
    )


@require_POST
@login_required
def notification_read(request, pk: int):

    notification_mark_read(user=request.user, notification_id=pk)
    return redirect(safe_next(request, "compliance:mine"))


def _admin_root(request) -> OrgNode:
    root = scope_root(request.user)
    if root is None or not request.user.is_staff:
        raise PermissionDenied
    return root


def _chart(children) -> dict:
    """Geometry of a horizontal bar chart (SVG drawn by the template)."""
    bar, gap, label_w, width = 22, 8, 170, 520
    bars = []
    for i, child in enumerate(children):
        rate = float(child.met_rate)
        bars.append(
            {
                "y": i * (bar + gap),
                "text_y": i * (bar + gap) + bar * 0.7,
                "width": round((width - label_w - 60) * rate / 100, 1),
                "rate": child.met_rate,
                "name": child.node.name,
                "code": child.node.code,
            }
        )
    return {
        "bars": bars,
        "height": max(1, len(children)) * (bar + gap),
        "width": width,
        "label_w": label_w,
        "bar": bar,
        "max_w": width - label_w - 60,
    }


@login_required
def dashboard(request):
    """Compliance of the user's subtree: child nodes with a chart, workers at risk."""
    root = _admin_root(request)
    code = request.GET.get("org")
    node = root
    if code:
        node = get_object_or_404(OrgNode, code=code)
        require_org_in_scope(request.user, node)
    year = _year(request)
    post = request.GET.get("post", "")
    if post and post not in Post.values:
        post = ""
    status = request.GET.get("status", "")
    if status and status not in ComplianceStatus.values:
        status = ""
    policy = policy_for_year(year)
    rows = compliance_rows(year=year, root=node, post=post, policy=policy)
    children, total = children_rollup(node, rows)
    if node.level == "community":
        children = []  # grids hold no workers: the community is the last drill-down
    wanted = (status,) if status else RISK_STATUSES
    listed = [r for r in rows if r.status in wanted]
    listed.sort(key=lambda r: (-r.result.shortfall_days, r.org_path, r.name))
    pages = max(1, -(-len(listed) // WORKER_LIST_PAGE))
    try:
        page = min(max(1, int(request.GET.get("page", 1))), pages)
    except ValueError:
        page = 1
    shown = listed[(page - 1) * WORKER_LIST_PAGE : page * WORKER_LIST_PAGE]
    breadcrumbs = [a for a in node.get_ancestors() if a.path.startswith(root.path)] + [
        node
    ]
    statuses = dict(ComplianceStatus.choices)
    posts = dict(Post.choices)
    return render(
        request,
        "compliance/dashboard.html",
        {
            "node": node,
            "root": root,
            "breadcrumbs": breadcrumbs,
            "year": year,
            "years": _year_choices(),
            "post": post,
            "status": status,
            "posts": Post.choices,
            "statuses": ComplianceStatus.choices,
            "children": children,
            "total": total,
            "chart": _chart(children),
            "workers": [
                {
                    "row": r,
                    "status_label": statuses[r.status],
                    "post_label": posts.get(r.post, r.post),
                    "reasons": _reasons(r.result),
                }
                for r in shown
            ],
            "listed_count": len(listed),
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "closed": policy.closed,
            "formats": REPORT_FORMATS,
            "can_close": root.is_root()
            and request.user.has_perm("compliance.close_year")
            and not policy.closed
            and year < timezone.localdate().year,
            "pdf_ok": node.level in ("street", "community"),
            "notifications": Notification.objects.filter(
                recipient=request.user, read_at__isnull=True
            )[:5],
        },
    )


@require_POST
@login_required
def report_start(request):
    """Start a report job (Celery) and go to its progress page."""
    _admin_root(request)
    node = get_object_or_404(OrgNode, code=request.POST.get("org", ""))
    require_org_in_scope(request.user, node)
    fmt = request.POST.get("format", "")
    back = reverse("compliance:dashboard") + f"?org={node.code}"
    if fmt not in REPORT_FORMATS:
        messages.error(request, _("Choose a report format."))
        return redirect(back)
    if fmt == "pdf" and node.level not in ("street", "community"):
        messages.error(
            request, _("The appraisal form (PDF) is made for one street or community.")
        )
        return redirect(back)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Choose a year."))
        return redirect(back)

    job = job_create(
        kind="compliance_report",
        title=_("Compliance report %(year)s: %(org)s (%(fmt)s)")
        % {"year": year, "org": node.name, "fmt": fmt.upper()},
        created_by=request.user,
        params={
            "year": year,
            "org": node.code,
            "format": fmt,
            "post": request.POST.get("post", ""),
            "status": request.POST.get("status", ""),
            "language": get_language(),
        },
        enqueue=lambda job_id: compliance_report_build_task.delay(job_id),
    )
    return redirect("jobs:detail", pk=job.pk)


@require_POST
@login_required
def close_year(request):
    """A city administrator closes a finished year (audited; snapshot frozen)."""
    _admin_root(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if request.POST.get("confirm") != str(year):
        messages.error(request, _("Type the year to confirm closing it."))
        return redirect(reverse("compliance:dashboard") + f"?year={year}")
    try:
        year_close(year=year, actor=request.user, request=request)
    except ComplianceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The year %(year)s is closed; its compliance is frozen.")
            % {"year": year},
        )
    return redirect(reverse("compliance:dashboard") + f"?year={year}")
