"""Wagtail admin: classes (sessions inline), and the training menu grouping them
with the records (`records`); all org-scoped."""

import django_filters
from django.db.models import Count, Max, Min, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.admin_scope import ScopedViewSetMixin
from lms.training.forms import TrainingClassForm
from lms.training.models import (
    EnrolmentStatus,
    TrainingClass,
    TrainingLevel,
    TrainingType,
)

from .base import LinkColumn
from .records import (
    AttendanceViewSet,
    EnrolmentViewSet,
    ExternalTrainingViewSet,
    LedgerViewSet,
)


class TrainingClassFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(choices=TrainingLevel.choices)
    type = django_filters.ChoiceFilter(choices=TrainingType.choices)

    class Meta:
        model = TrainingClass
        fields = ["level", "type", "form", "published"]


class TrainingClassIndexView(generic.IndexView):
    """Each class with its dates and enrolled/capacity (aggregated in the query); the
    bulk-enrolment link only for those who may enrol."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("organiser")
            .annotate(
                first_date=Min("sessions__date"),
                last_date=Max("sessions__date"),
                enrolled=Count(
                    "enrolments",
                    filter=Q(enrolments__status=EnrolmentStatus.ENROLLED),
                    distinct=True,
                ),
            )
        )

    @cached_property
    def columns(self):
        columns = super().columns
        if self.request.user.has_perm("training.add_enrolment"):
            return columns
        return [c for c in columns if c.name != "bulk_enrol"]


class TrainingClassViewSet(ScopedViewSetMixin, ModelViewSet):
    model = TrainingClass
    index_view_class = TrainingClassIndexView
    scope_field = "organiser"
    icon = "date"
    menu_label = gettext_lazy("Training classes")
    copy_view_enabled = True
    inspect_view_enabled = True
    list_per_page = 50
    list_display = [
        "title",
        "level",
        "type",
        "organiser",
        Column(
            "dates",
            label=gettext_lazy("Dates"),
            accessor=lambda c: (
                f"{c.first_date:%Y-%m-%d} – {c.last_date:%m-%d}"
                if c.first_date
                else "—"
            ),
        ),
        Column(
            "enrolled",
            label=gettext_lazy("Enrolled / capacity"),
            accessor=lambda c: f"{c.enrolled} / {c.capacity}",
        ),
        "enrol_closes",
        LinkColumn(
            "roster",
            label=gettext_lazy("Roster"),
            url_name="training:roster",
            text=gettext_lazy("Roster"),
        ),
        LinkColumn(
            "bulk_enrol",
            label=gettext_lazy("Bulk enrolment"),
            url_name="training_bulk_enrol",
            query="class",
            text=gettext_lazy("Enrol workers"),
        ),
    ]
    list_filter = ["level", "type", "form", "published"]
    filterset_class = TrainingClassFilterSet
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("description"),
            FieldRowPanel(
                [FieldPanel("level"), FieldPanel("type"), FieldPanel("form")]
            ),
            FieldRowPanel([FieldPanel("organiser"), FieldPanel("target_org")]),
            FieldPanel("target_posts"),
            MultiFieldPanel(
                [
                    FieldPanel("trainers"),
                    FieldPanel("experts"),
                    FieldRowPanel([FieldPanel("base"), FieldPanel("institution")]),
                    FieldPanel("location"),
                ],
                heading=gettext_lazy("Who and where"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("capacity"),
                    FieldRowPanel(
                        [FieldPanel("enrol_opens"), FieldPanel("enrol_closes")]
                    ),
                    FieldPanel("cancel_deadline"),
                    FieldPanel("published"),
                ],
                heading=gettext_lazy("Enrolment"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("min_attendance_share"),
                    FieldRowPanel(
                        [FieldPanel("extra_requirement"), FieldPanel("pass_score")]
                    ),
                ],
                heading=gettext_lazy("Completion rule"),
            ),
            InlinePanel(
                "sessions",
                heading=gettext_lazy("Sessions"),
                label=gettext_lazy("session"),
            ),
        ],
        base_form_class=TrainingClassForm,
    )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=TrainingClass.objects.select_related("organiser"), **kwargs
        )


class TrainingViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Training")
    menu_icon = "date"
    menu_order = 220
    items = (
        TrainingClassViewSet("training_classes"),
        EnrolmentViewSet("training_enrolments"),
        AttendanceViewSet("training_attendance"),
        LedgerViewSet("training_ledger"),
        ExternalTrainingViewSet("training_external"),
    )
