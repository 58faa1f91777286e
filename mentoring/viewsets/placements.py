"""Placements (跟岗/挂职) in the Wagtail admin: the listing, cancelling one, and
bulk placement."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button, ListingButton

from lms.accounts.scoping import org_in_scope, scope_queryset, scope_root
from lms.jobs.services import job_create
from lms.org.chooser import org_chooser
from lms.org.models import OrgNode
from lms.people.forms import PostsField

from .. import rules
from ..chooser import mentor_chooser_viewset
from ..models import Mentor, Placement, PlacementKind, PlacementStatus, Studio
from ..services.placements import PlacementError, placement_cancel, placement_create
from ..tasks import placement_bulk_create_task
from .base import MentoringViewSet, ServiceCreateView, WorkerMentorForm


def _check_dates(data: dict) -> None:
    """The dates and planned days of a placement, checked once all are given."""
    if data.get("start") and data.get("end") and data.get("planned_days"):
        refusal = rules.placement_refusal(
            start=data["start"], end=data["end"], planned_days=data["planned_days"]
        )
        if refusal:
            raise forms.ValidationError(refusal)


class PlacementForm(WorkerMentorForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = scope_queryset(
            self.fields["studio"].queryset, self.for_user, org_field="org"
        )

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.status != PlacementStatus.PLANNED:
            raise forms.ValidationError(_("This placement is already closed."))
        _check_dates(data)
        return data


class PlacementCreateView(ServiceCreateView):
    refusals = (PlacementError,)

    def create(self, data):
        return placement_create(
            worker=data["worker"],
            mentor=data["mentor"],
            studio=data.get("studio"),
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            planned_days=data["planned_days"],
            goals=data.get("goals", ""),
            actor=self.request.user,
        )


class PlacementFilterSet(WagtailFilterSet):
    kind = ChoiceFilter(label=gettext_lazy("kind"), choices=PlacementKind.choices)
    status = ChoiceFilter(label=gettext_lazy("status"), choices=PlacementStatus.choices)

    class Meta:
        model = Placement
        fields = []


def _may_cancel(user, placement: Placement) -> bool:
    return placement.status == PlacementStatus.PLANNED and user.has_perm(
        "mentoring.change_placement"
    )


class PlacementIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("worker__community", "mentor", "studio")
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if _may_cancel(self.request.user, instance):
            buttons.append(
                ListingButton(
                    _("Cancel the placement"),
                    url=reverse("placement_admin:cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons


class PlacementInspectView(generic.InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if _may_cancel(self.request.user, self.object):
            buttons.append(
                Button(
                    _("Cancel the placement"),
                    url=reverse("placement_admin:cancel", args=[self.object.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons


@require_http_methods(["GET", "POST"])
def placement_cancel_view(request, pk: int):
    """Confirm, then cancel a placement not signed off (administrators of the
    worker's subtree; audited)."""
    if not request.user.has_perm("mentoring.change_placement"):
        raise PermissionDenied
    root = scope_root(request.user)
    if root is None:
        raise PermissionDenied
    placement = get_object_or_404(
        Placement.objects.select_related("worker__community", "mentor"),
        pk=pk,
        worker__community__path__startswith=root.path,
    )
    if request.method == "POST":
        try:
            placement_cancel(placement=placement, actor=request.user, request=request)
        except PlacementError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The placement is cancelled."))
        return redirect("placement_admin:inspect", placement.pk)
    return render(
        request,
        "mentoring/admin/cancel_placement.html",
        {"placement": placement, "closed": placement.status != PlacementStatus.PLANNED},
    )


class PlacementViewSet(MentoringViewSet):
    model = Placement
    scope_field = "worker__community"
    icon = "date"
    menu_label = gettext_lazy("Placements")
    inspect_view_enabled = True
    index_view_class = PlacementIndexView
    inspect_view_class = PlacementInspectView
    add_view_class = PlacementCreateView
    filterset_class = PlacementFilterSet
    search_fields = ["worker__name", "mentor__name", "goals"]
    list_display = [
        "worker",
        "mentor",
        "studio",
        "kind",
        "start",
        "end",
        "recorded_days",
        "status",
    ]
    list_export = [
        "worker.name",
        "worker.id_number_masked",
        "worker.community.name",
        "mentor.name",
        "kind",
        "start",
        "end",
        "planned_days",
        "recorded_days",
        "status",
    ]
    export_filename = "placements"
    inspect_view_fields = [
        "worker",
        "mentor",
        "studio",
        "kind",
        "start",
        "end",
        "planned_days",
        "goals",
        "recorded_days",
        "assessment",
        "status",
        "signed_off_by",
        "signed_off_at",
        "credit",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("worker"), FieldPanel("mentor")]),
            FieldRowPanel([FieldPanel("studio"), FieldPanel("kind")]),
            FieldRowPanel(
                [FieldPanel("start"), FieldPanel("end"), FieldPanel("planned_days")]
            ),
            FieldPanel("goals"),
        ],
        base_form_class=PlacementForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("cancel/<int:pk>/", placement_cancel_view, name="cancel"),
        ]


class BulkPlacementForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=gettext_lazy("mentor"),
        queryset=Mentor.objects.none(),
        widget=mentor_chooser_viewset.widget_class(),
    )
    studio = forms.ModelChoiceField(
        label=gettext_lazy("studio"), queryset=Studio.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=PlacementKind.choices)
    org = forms.ModelChoiceField(
        label=gettext_lazy("place the workers of"),
        queryset=OrgNode.objects.none(),
        widget=org_chooser(),
    )
    posts = PostsField()
    start = forms.DateField(label=gettext_lazy("start date"))
    end = forms.DateField(label=gettext_lazy("end date"))
    planned_days = forms.DecimalField(
        label=gettext_lazy("planned days"), max_digits=5, decimal_places=1
    )
    goals = forms.CharField(
        label=gettext_lazy("goals"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        root = scope_root(user)
        self.fields["org"].queryset = (
            OrgNode.objects.filter(path__startswith=root.path)
            if root
            else OrgNode.objects.none()
        )
        self.fields["mentor"].queryset = scope_queryset(
            Mentor.objects.filter(is_active=True), user, org_field="org"
        )
        self.fields["studio"].queryset = scope_queryset(
            Studio.objects.filter(is_active=True), user, org_field="org"
        )

    def clean(self):
        data = super().clean()
        _check_dates(data)
        return data


def bulk_place_view(request):
    if not request.user.has_perm("mentoring.add_placement"):
        raise PermissionDenied
    form = BulkPlacementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not org_in_scope(request.user, data["org"]):
            raise PermissionDenied
        job = job_create(
            kind="bulk_placement",
            title=_("Bulk placement: %(o)s → %(m)s")
            % {"o": data["org"].name, "m": data["mentor"].name},
            created_by=request.user,
            params={
                "mentor_id": data["mentor"].pk,
                "studio_id": data["studio"].pk if data["studio"] else None,
                "org_id": data["org"].pk,
                "posts": data["posts"],
                "kind": data["kind"],
                "start": data["start"].isoformat(),
                "end": data["end"].isoformat(),
                "planned_days": str(data["planned_days"]),
                "goals": data["goals"],
                "language": request.LANGUAGE_CODE,
            },
            enqueue=placement_bulk_create_task.delay,
        )
        return redirect("jobs:detail", job.pk)
    return render(request, "mentoring/admin/bulk_place.html", {"form": form})
