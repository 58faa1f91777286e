"""Trainer library and expert think tank (Wagtail admin), with their teaching figures."""

from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, CharFilter, ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from lms.accounts.admin_scope import subtree_filter
from lms.accounts.library_admin import (
    LibraryIndexView,
    OrgScopedModelViewSet,
    OrgScopedPhoneForm,
)
from lms.accounts.models import Role, User
from lms.org.models import OrgLevel
from trainers.models import Expert, ExpertField, Gender, Trainer, TrainerSource

from ..trainer_selectors import (
    duration_hours,
    experts_with_classes,
    stats_of,
    trainer_stats,
    trainers_with_stats,
)

# --- Filters --------------------------------------------------------------------------


class TrainerFilterSet(WagtailFilterSet):
    org = subtree_filter()
    source = ChoiceFilter(label=_("how found"), choices=TrainerSource.choices)
    speciality = CharFilter(
        label=_("speciality"), field_name="specialities", lookup_expr="icontains"
    )
    gender = ChoiceFilter(label=_("gender"), choices=Gender.choices)
    has_account = BooleanFilter(
        label=_("has a linked account"),
        field_name="user",
        lookup_expr="isnull",
        exclude=True,
    )
    is_active = BooleanFilter(label=_("in the library"))

    class Meta:
        model = Trainer
        fields = []


class ExpertFilterSet(WagtailFilterSet):
    org = subtree_filter()
    field = ChoiceFilter(label=_("field"), choices=ExpertField.choices)
    topic = CharFilter(label=_("topic"), field_name="topics", lookup_expr="icontains")
    affiliation = CharFilter(label=_("affiliation"), lookup_expr="icontains")
    is_active = BooleanFilter(label=_("in the library"))

    class Meta:
        model = Expert
        fields = []


# --- Forms ----------------------------------------------------------------------------


class TrainerForm(OrgScopedPhoneForm):
    org_levels = (OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET, OrgLevel.COMMUNITY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            # Only trainer sign-ins not yet linked to another trainer.
            self.fields["user"].queryset = User.objects.filter(
                Q(role=Role.TRAINER),
                Q(trainer_profile__isnull=True) | Q(trainer_profile=self.instance.pk),
            ).order_by("username")
            self.fields["user"].help_text = _(
                "A sign-in with the trainer role, so the trainer can use the portal."
            )


class ExpertForm(OrgScopedPhoneForm):
    org_levels = (OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET)


# --- Columns --------------------------------------------------------------------------


def _rating(trainer) -> str:
    stats = stats_of(trainer)
    if not stats.rating_count:
        return "—"
    return f"{stats.rating_average}（{stats.rating_count}）"


class TrainerIndexView(LibraryIndexView):
    list_select_related = ("org", "user")

    def get_base_queryset(self):
        return trainers_with_stats(super().get_base_queryset())

    export_values = {
        "hours_taught": lambda t: stats_of(t).hours_taught,
        "rating_average": lambda t: stats_of(t).rating_average,
    }


class TrainerInspectView(generic.InspectView):
    def get_ratings_display_value(self):
        """The average, and the latest comments with their classes."""
        stats = trainer_stats([self.object.pk])[self.object.pk]
        if not stats.rating_count:
            return "—"
        latest = (
            self.object.ratings.exclude(comment="")
            .select_related("training_class")
            .order_by("-created_at")[:10]
        )
        return format_html(
            "<p>{}</p><ul>{}</ul>",
            _("%(average)s average of %(count)s ratings")
            % {"average": stats.rating_average, "count": stats.rating_count},
            format_html_join(
                "",
                "<li>{}/5 {} — {}</li>",
                ((r.score, r.comment, r.training_class.title) for r in latest),
            ),
        )


class ExpertInspectView(generic.InspectView):
    def get_field_display_value(self, field_name=None, field=None):
        # The model field named "field" makes Wagtail look up
        # get_field_display_value() itself, with no arguments.
        if field_name is None:
            return self.object.get_field_display()
        return super().get_field_display_value(field_name, field)


class ExpertIndexView(LibraryIndexView):
    def get_base_queryset(self):
        return experts_with_classes(super().get_base_queryset())


# --- Viewsets -------------------------------------------------------------------------


class TrainerViewSet(OrgScopedModelViewSet):
    model = Trainer
    icon = "user"
    menu_label = _("Trainers")
    menu_order = 100
    index_view_class = TrainerIndexView
    inspect_view_class = TrainerInspectView
    filterset_class = TrainerFilterSet
    search_fields = [
        "name",
        "title",
        "affiliation",
        "specialities",
        "source_detail",
        "bio",
        "org__name",
    ]
    list_display = [
        "name",
        "title",
        "org",
        "specialities",
        "source",
        Column("classes_taught", label=_("classes taught"), sort_key="classes_taught"),
        Column(
            "hours_taught",
            label=_("hours taught"),
            accessor=lambda t: duration_hours(t.duration_taught),
            sort_key="duration_taught",
        ),
        Column(
            "rating", label=_("rating"), accessor=_rating, sort_key="rating_average"
        ),
        "phone_masked",
    ]
    list_export = [
        "name",
        "get_gender_display",
        "org.name",
        "title",
        "affiliation",
        "specialities",
        "get_source_display",
        "source_detail",
        "phone_masked",
        "user.username",
        "classes_taught",
        "hours_taught",
        "upcoming_classes",
        "rating_average",
        "rating_count",
        "is_active",
    ]
    export_headings = {
        "name": _("full name"),
        "get_gender_display": _("gender"),
        "org.name": _("owning organisation"),
        "title": _("position or title"),
        "affiliation": _("work unit"),
        "specialities": _("specialities"),
        "get_source_display": _("how found"),
        "source_detail": _("found through"),
        "phone_masked": _("contact phone"),
        "user.username": _("linked account"),
        "classes_taught": _("classes taught"),
        "hours_taught": _("hours taught"),
        "upcoming_classes": _("upcoming classes"),
        "rating_average": _("average rating"),
        "rating_count": _("ratings"),
        "is_active": _("in the library"),
    }
    export_filename = "trainers"
    inspect_view_fields = [
        "name",
        "gender",
        "org",
        "title",
        "affiliation",
        "specialities",
        "source",
        "source_detail",
        "phone_masked",
        "user",
        "bio",
        "photo",
        "is_active",
        "classes",
        "ratings",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name"), FieldPanel("gender")]),
                    FieldPanel("org"),
                    FieldRowPanel([FieldPanel("title"), FieldPanel("affiliation")]),
                    FieldPanel("specialities"),
                    FieldRowPanel([FieldPanel("source"), FieldPanel("source_detail")]),
                ],
                heading=_("Profile"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("phone"),
                    FieldPanel("phone_clear"),
                    FieldPanel("user"),
                ],
                heading=_("Contact and account"),
            ),
            FieldPanel("bio"),
            FieldPanel("photo"),
            FieldPanel("is_active"),
        ],
        base_form_class=TrainerForm,
    )


class ExpertViewSet(OrgScopedModelViewSet):
    model = Expert
    icon = "pick"
    menu_label = _("Expert think tank")
    menu_order = 200
    index_view_class = ExpertIndexView
    inspect_view_class = ExpertInspectView
    filterset_class = ExpertFilterSet
    search_fields = ["name", "affiliation", "title", "topics", "bio", "org__name"]
    list_display = [
        "name",
        "field",
        "affiliation",
        "title",
        "topics",
        "org",
        Column(
            "classes_advised", label=_("classes advised"), sort_key="classes_advised"
        ),
        "phone_masked",
    ]
    list_export = [
        "name",
        "get_field_display",
        "affiliation",
        "title",
        "topics",
        "org.name",
        "phone_masked",
        "email",
        "classes_advised",
        "is_active",
    ]
    export_headings = {
        "name": _("full name"),
        "get_field_display": _("field"),
        "affiliation": _("affiliation"),
        "title": _("position or title"),
        "topics": _("topics"),
        "org.name": _("owning organisation"),
        "phone_masked": _("contact phone"),
        "email": _("email"),
        "classes_advised": _("classes advised"),
        "is_active": _("in the library"),
    }
    export_filename = "experts"
    inspect_view_fields = [
        "name",
        "field",
        "affiliation",
        "title",
        "topics",
        "org",
        "phone_masked",
        "email",
        "bio",
        "is_active",
        "classes",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("field")]),
            FieldRowPanel([FieldPanel("affiliation"), FieldPanel("title")]),
            FieldPanel("org"),
            FieldPanel("topics"),
            MultiFieldPanel(
                [FieldPanel("phone"), FieldPanel("phone_clear"), FieldPanel("email")],
                heading=_("Contact"),
            ),
            FieldPanel("bio"),
            FieldPanel("is_active"),
        ],
        base_form_class=ExpertForm,
    )


class TrainerLibraryGroup(ViewSetGroup):
    menu_label = _("Trainer library")
    menu_icon = "group"
    menu_order = 320
    items = (
        TrainerViewSet("trainers", url_namespace="trainer_admin"),
        ExpertViewSet("experts", url_namespace="expert_admin"),
    )
