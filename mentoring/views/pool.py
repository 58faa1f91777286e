"""The mentor pool (续航计划): the district/city dashboard with drill-down and its
export, and a pool member recording a visit."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.exports import write_table
from lms.accounts.files import serve_bytes
from lms.accounts.models import AuditAction
from lms.accounts.scoping import scope_root
from lms.accounts.services import audit_log_write
from lms.org.models import OrgNode

from ..models import GuidanceVisit, PoolAssignment, ProblemTopic
from ..selectors import pool_dashboard
from ..services.pool import PoolError, guidance_visit_record


def _node(request) -> OrgNode:
    root = scope_root(request.user)
    if root is None:
        raise PermissionDenied
    code = request.GET.get("node")
    if not code:
        return root
    node = OrgNode.objects.filter(code=code, path__startswith=root.path).first()
    if node is None:
        raise Http404
    return node


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def dashboard(request):
    """Communities supported, visits and problems per child node and by topic."""
    if not request.user.has_perm("mentoring.view_poolassignment"):
        raise PermissionDenied
    node, year = _node(request), _year(request)
    data = pool_dashboard(node, year=year)
    if request.GET.get("format") in ("xlsx", "csv"):
        fmt = request.GET["format"]
        headers = [
            _("organisation"),
            _("communities supported"),
            _("members"),
            _("visits"),
            _("problems raised"),
            _("problems resolved"),
        ]
        rows = [
            [
                r["node"].name,
                r["communities"],
                r["members"],
                r["visits"],
                r["raised"],
                r["resolved"],
            ]
            for r in data["rows"]
        ]
        rows.append([])
        rows.append(
            [
                _("problem topic"),
                "",
                "",
                "",
                _("problems raised"),
                _("problems resolved"),
            ]
        )
        rows += [
            [t["label"], "", "", "", t["raised"], t["resolved"]]
            for t in data["by_topic"]
        ]
        audit_log_write(
            actor=request.user,
            action=AuditAction.EXPORT,
            detail={
                "model": "mentoring.pool_dashboard",
                "node": node.code,
                "format": fmt,
            },
            request=request,
        )
        return serve_bytes(
            write_table(fmt, headers, rows),
            filename=f"pool-{node.code}-{year or 'all'}.{fmt}",
        )
    ancestors = [
        a
        for a in node.get_ancestors()
        if a.path.startswith(scope_root(request.user).path)
    ]
    return render(
        request,
        "mentoring/pool_dashboard.html",
        {**data, "year": year, "ancestors": ancestors},
    )


# --- Portal: a pool member records a visit of their own assignment ----------------------


class VisitRecordForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    topics = forms.CharField(label=gettext_lazy("visit topics"), max_length=200)
    notes = forms.CharField(
        label=gettext_lazy("guidance given"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.CharField(
        label=gettext_lazy("follow-up"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProblemForm(forms.Form):
    topic = forms.ChoiceField(
        label=gettext_lazy("problem topic"),
        choices=[("", "—"), *ProblemTopic.choices],  # unchosen: an unused row
    )
    description = forms.CharField(
        label=gettext_lazy("problem raised"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolved = forms.BooleanField(label=gettext_lazy("resolved"), required=False)
    resolution = forms.CharField(
        label=gettext_lazy("how it was resolved"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ProblemFormSet = forms.formset_factory(ProblemForm, extra=3, max_num=20)


@login_required
def visit_record(request, pk: int):
    """A pool member records a guidance visit of one of their own assignments: date,
    topics, each problem raised and how it was resolved, the follow-up."""
    assignment = get_object_or_404(
        PoolAssignment.objects.select_related("community", "member"),
        pk=pk,
        member__user=request.user,
    )
    form = VisitRecordForm(request.POST or None)
    problems = ProblemFormSet(request.POST or None, prefix="problems")
    if request.method == "POST" and form.is_valid() and problems.is_valid():
        data = form.cleaned_data
        try:
            guidance_visit_record(
                assignment=assignment,
                actor=request.user,
                date=data["date"],
                topics=data["topics"],
                notes=data["notes"],
                follow_up=data["follow_up"],
                problems=[p for p in problems.cleaned_data if p],
            )
        except (PoolError, ValidationError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("mentoring:mine")
    return render(
        request,
        "mentoring/visit.html",
        {
            "assignment": assignment,
            "form": form,
            "problems": problems,
            "visits": GuidanceVisit.objects.filter(assignment=assignment)
            .prefetch_related("problems")
            .order_by("-date", "-id")[:20],
        },
    )
