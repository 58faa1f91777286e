"""Mentoring: the Wagtail admin libraries (studios, mentors, placements), bulk
placement, and the portal pages of workers, mentors and public profiles."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton

from lms.accounts.admin_scope import ScopedViewSetMixin, subtree_filter
from lms.accounts.library_admin import (
    LibraryIndexView,
    OrgScopedForm,
    OrgScopedModelViewSet,
)
from lms.accounts.models import Role, User
from lms.accounts.scoping import org_in_scope, scope_queryset, scope_root
from lms.jobs.services import job_create
from lms.org.chooser import org_chooser
from lms.org.models import OrgLevel, OrgNode
from lms.people.models import Post

from .. import rules, selectors
from ..chooser import mentor_chooser_viewset, worker_chooser_viewset
from ..models import (
    Mentor,
    MentorKind,
    Placement,
    PlacementKind,
    PlacementStatus,
    Studio,
)
from ..services import (
    PlacementError,
    placement_cancel,
    placement_create,
    placement_record,
    placement_sign_off,
)
from ..tasks import placement_bulk_create_task
from .pairs import PairingViewSet
from .pool import AssignmentViewSet, PoolMemberViewSet, VisitViewSet
from .questions import QuestionViewSet

# --- Studios and mentors ---------------------------------------------------------------


class StudioForm(OrgScopedForm):
    org_levels = (OrgLevel.DISTRICT, OrgLevel.STREET, OrgLevel.COMMUNITY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "leader" in self.fields:
            self.fields["leader"].widget = worker_chooser_viewset.widget_class()
            self.fields["leader"].queryset = scope_queryset(
                self.fields["leader"].queryset, self.for_user, org_field="community"
            )


class StudioFilterSet(WagtailFilterSet):
    org = subtree_filter()

    class Meta:
        model = Studio
        fields = ["is_active"]


class StudioViewSet(OrgScopedModelViewSet):
    model = Studio
    icon = "home"
    menu_label = gettext_lazy("Studios")
    filterset_class = StudioFilterSet
    search_fields = ["name", "specialities", "description", "leader__name"]
    list_display = ["name", "leader", "org", "specialities", "is_active"]
    list_export = ["name", "leader.name", "org.name", "specialities", "is_active"]
    export_filename = "studios"
    inspect_view_fields = [
        "name",
        "leader",
        "org",
        "base",
        "specialities",
        "description",
        "is_active",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("leader")]),
            FieldPanel("org"),
            FieldPanel("base"),
            FieldPanel("specialities"),
            FieldPanel("description"),
            FieldPanel("is_active"),
        ],
        base_form_class=StudioForm,
    )


class MentorForm(OrgScopedForm):
    org_levels = (OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET, OrgLevel.COMMUNITY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "worker" in self.fields:
            self.fields["worker"].widget = worker_chooser_viewset.widget_class()
            self.fields["worker"].queryset = scope_queryset(
                self.fields["worker"].queryset, self.for_user, org_field="community"
            )
        for name in ("trainer", "expert", "studio"):
            if name in self.fields:
                self.fields[name].queryset = scope_queryset(
                    self.fields[name].queryset, self.for_user, org_field="org"
                )
        if "user" in self.fields:
            # An expert mentor signs in with a sign-in of the trainer role not yet
            # linked to another mentor; workers and trainers use their own.
            self.fields["user"].queryset = User.objects.filter(
                Q(role=Role.TRAINER),
                Q(mentor_profile__isnull=True) | Q(mentor_profile=self.instance.pk),
            ).order_by("username")
            self.fields["user"].help_text = _(
                "For an expert: their sign-in. Workers and trainers use their own."
            )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        record = data.get(kind) if kind else None
        if kind and record is None:
            self.add_error(
                kind,
                _("Choose the %(kind)s this mentor is.")
                % {"kind": MentorKind(kind).label},
            )
        # The mentor signs in with the account of the record they are.
        if kind == MentorKind.WORKER and record is not None:
            data["user"] = record.user
        elif kind == MentorKind.TRAINER and record is not None:
            data["user"] = record.user
        for other in {"worker", "trainer", "expert"} - {kind}:
            data[other] = None
        return data


class MentorFilterSet(WagtailFilterSet):
    org = subtree_filter()
    kind = ChoiceFilter(label=gettext_lazy("kind"), choices=MentorKind.choices)

    class Meta:
        model = Mentor
        fields = ["is_active"]


class MentorIndexView(LibraryIndexView):
    def get_base_queryset(self):
        return selectors.mentors_with_counts(super().get_base_queryset())


class MentorViewSet(OrgScopedModelViewSet):
    model = Mentor
    icon = "user"
    menu_label = gettext_lazy("Mentors")
    index_view_class = MentorIndexView
    filterset_class = MentorFilterSet
    search_fields = ["name", "specialities", "bio"]
    list_display = [
        "name",
        "kind",
        "org",
        "studio",
        "specialities",
        Column("brought_on", label=gettext_lazy("brought on"), sort_key="brought_on"),
        Column("hosting", label=gettext_lazy("hosting now"), sort_key="hosting"),
    ]
    list_export = ["name", "kind", "org.name", "studio.name", "specialities"]
    export_filename = "mentors"
    inspect_view_fields = [
        "name",
        "kind",
        "org",
        "studio",
        "specialities",
        "bio",
        "user",
        "is_active",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
            FieldRowPanel(
                [FieldPanel("worker"), FieldPanel("trainer"), FieldPanel("expert")]
            ),
            FieldPanel("org"),
            FieldPanel("studio"),
            FieldPanel("specialities"),
            FieldPanel("bio"),
            FieldPanel("user"),
            FieldPanel("is_active"),
        ],
        base_form_class=MentorForm,
    )


# --- Placements ------------------------------------------------------------------------


class PlacementForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["worker"].widget = worker_chooser_viewset.widget_class()
        self.fields["worker"].queryset = scope_queryset(
            self.fields["worker"].queryset, user, org_field="community"
        )
        self.fields["mentor"].widget = mentor_chooser_viewset.widget_class()
        self.fields["mentor"].queryset = scope_queryset(
            self.fields["mentor"].queryset, user, org_field="org"
        )
        self.fields["studio"].queryset = scope_queryset(
            self.fields["studio"].queryset, user, org_field="org"
        )

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.status != PlacementStatus.PLANNED:
            raise forms.ValidationError(_("This placement is already closed."))
        if data.get("start") and data.get("end") and data.get("planned_days"):
            refusal = rules.placement_refusal(
                start=data["start"], end=data["end"], planned_days=data["planned_days"]
            )
            if refusal:
                raise forms.ValidationError(refusal)
        return data


class PlacementCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
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
        except PlacementError as exc:
            self.form.add_error(None, str(exc))
            raise forms.ValidationError(str(exc)) from exc

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except forms.ValidationError:
            return self.form_invalid(self.form)


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


class PlacementViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Placement
    scope_field = "worker__community"
    icon = "date"
    menu_label = gettext_lazy("Placements")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
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


class MentoringGroup(ViewSetGroup):
    menu_label = gettext_lazy("Mentoring and shadowing")
    menu_icon = "group"
    menu_order = 330
    items = (
        StudioViewSet("studios", url_namespace="studio_admin"),
        MentorViewSet("mentors", url_namespace="mentor_admin"),
        PlacementViewSet("placements", url_namespace="placement_admin"),
        PairingViewSet("pairs", url_namespace="pairing_admin"),
        QuestionViewSet("questions", url_namespace="question_admin"),
        PoolMemberViewSet("pool-members", url_namespace="pool_member_admin"),
        AssignmentViewSet("pool-assignments", url_namespace="pool_assignment_admin"),
        VisitViewSet("pool-visits", url_namespace="pool_visit_admin"),
    )


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
    posts = forms.MultipleChoiceField(
        label=gettext_lazy("posts"),
        choices=Post.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every post."),
    )
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
        if data.get("start") and data.get("end") and data.get("planned_days"):
            refusal = rules.placement_refusal(
                start=data["start"], end=data["end"], planned_days=data["planned_days"]
            )
            if refusal:
                raise forms.ValidationError(refusal)
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


# --- Portal ----------------------------------------------------------------------------


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
