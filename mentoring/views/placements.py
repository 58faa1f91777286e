"""Placements in the portal: a worker's, mentor's or pool member's own page, one
placement, and the public directory of mentors and studios."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lms.accounts.scoping import scope_root

from .. import selectors
from ..models import Mentor, Placement, PlacementStatus, Studio
from ..services.placements import PlacementError, placement_record, placement_sign_off


class RecordForm(forms.Form):
    recorded_days = forms.DecimalField(
        label=gettext_lazy("days attended"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
    )
    assessment = forms.CharField(
        label=gettext_lazy("assessment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@login_required
def mine(request):
    """A worker's placements; a mentor's or expert's portal page (where they land on
    signing in without a worker file): their unread reminders, the questions routed
    to them, the placements they host, their pairs; a pool member's assignments."""
    user = request.user
    worker = getattr(user, "worker", None)
    context = {
        "is_worker": worker is not None,
        "placements": selectors.placements_of_worker(worker) if worker else [],
        "hosted": selectors.placements_hosted_by(user),
        "mentor": Mentor.objects.filter(user=user).first(),
        "pairings": selectors.pairings_of(user),
        "routed": selectors.questions_routed_to(user)[:20],
        "assignments": selectors.assignments_of_member(user),
        "notifications": ([] if worker else selectors.unread_notifications(user)),
    }
    return render(request, "mentoring/mine.html", context)


def _visible_placement(request, pk: int) -> Placement:
    """The placement for its worker, its mentor, or an administrator of the worker's
    subtree; a 404 for anyone else."""
    qs = Placement.objects.select_related(
        "worker__community", "mentor", "studio", "credit"
    )
    user = request.user
    visible = Q(worker__user=user) | Q(mentor__user=user)
    root = scope_root(user)
    if root is not None:
        visible |= Q(worker__community__path__startswith=root.path)
    return get_object_or_404(qs.filter(visible), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def placement_detail(request, pk: int):
    placement = _visible_placement(request, pk)
    is_host = placement.mentor.user_id == request.user.pk
    open_ = placement.status == PlacementStatus.PLANNED
    form = None
    if is_host and open_:
        form = RecordForm(
            request.POST if request.POST.get("action") == "record" else None,
            initial={
                "recorded_days": placement.recorded_days,
                "assessment": placement.assessment,
            },
        )
    if request.method == "POST":
        if not (is_host and open_):
            raise PermissionDenied
        try:
            if request.POST.get("action") == "sign_off":
                placement_sign_off(placement=placement, user=request.user)
                messages.success(
                    request, _("Signed off: the days are credited to the worker.")
                )
                return redirect("mentoring:placement", pk=placement.pk)
            if form.is_valid():
                placement_record(
                    placement=placement,
                    user=request.user,
                    recorded_days=form.cleaned_data["recorded_days"],
                    assessment=form.cleaned_data["assessment"],
                )
                messages.success(request, _("Saved."))
                return redirect("mentoring:placement", pk=placement.pk)
        except PlacementError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "mentoring/placement.html",
        {"placement": placement, "form": form, "is_host": is_host},
    )


@login_required
def directory(request):
    """Studios and mentors: the public library of the portal."""
    return render(
        request,
        "mentoring/directory.html",
        {
            "studios": Studio.objects.filter(is_active=True).select_related(
                "leader", "org"
            ),
            "mentors": selectors.mentors_with_counts(
                Mentor.objects.filter(is_active=True)
            ),
        },
    )


@login_required
def mentor_page(request, pk: int):
    mentor = get_object_or_404(
        Mentor.objects.filter(is_active=True).select_related("org", "studio"), pk=pk
    )
    return render(request, "mentoring/mentor.html", selectors.mentor_profile(mentor))


@login_required
def studio_page(request, pk: int):
    studio = get_object_or_404(
        Studio.objects.filter(is_active=True).select_related("leader", "org", "base"),
        pk=pk,
    )
    return render(request, "mentoring/studio.html", selectors.studio_profile(studio))
