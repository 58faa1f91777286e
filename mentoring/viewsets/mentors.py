"""Studios and mentors in the Wagtail admin."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column

from lms.accounts.admin_scope import subtree_filter
from lms.accounts.library_admin import (
    LibraryIndexView,
    OrgScopedForm,
    OrgScopedModelViewSet,
)
from lms.accounts.models import Role, User
from lms.accounts.scoping import scope_queryset
from lms.org.models import OrgLevel

from .. import selectors
from ..chooser import worker_chooser_viewset
from ..models import Mentor, MentorKind, Studio


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
