"""Base library and institution library: Wagtail admin viewsets."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, CharFilter, ChoiceFilter, NumberFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import policy_registry

from lms.accounts.admin_scope import subtree_filter
from lms.accounts.files import serve_file
from lms.accounts.library_admin import (
    LibraryIndexView,
    OrgScopedModelViewSet,
    OrgScopedPhoneForm,
)
from lms.accounts.scoping import org_in_scope
from lms.org.models import OrgLevel

from .models import (
    Base,
    BaseType,
    CooperationAgreement,
    Institution,
    InstitutionType,
)
from .selectors import (
    agreement_in_force,
    bases_with_classes,
    institutions_with_agreements,
)

# --- Filters --------------------------------------------------------------------------


class BaseFilterSet(WagtailFilterSet):
    org = subtree_filter()
    base_type = ChoiceFilter(label=_("type"), choices=BaseType.choices)
    theme = CharFilter(
        label=_("teaching theme"), field_name="themes", lookup_expr="icontains"
    )
    min_capacity = NumberFilter(
        label=_("capacity at least"), field_name="capacity", lookup_expr="gte"
    )
    is_active = BooleanFilter(label=_("in the library"))

    class Meta:
        model = Base
        fields = []


class AgreementStatus:
    IN_FORCE = "in_force"
    NOT_IN_FORCE = "not_in_force"
    NONE = "none"
    CHOICES = [
        (IN_FORCE, _("An agreement in force")),
        (NOT_IN_FORCE, _("No agreement in force")),
        (NONE, _("No agreement at all")),
    ]


class InstitutionFilterSet(WagtailFilterSet):
    org = subtree_filter()
    institution_type = ChoiceFilter(label=_("type"), choices=InstitutionType.choices)
    agreement = ChoiceFilter(
        label=_("cooperation agreement"),
        choices=AgreementStatus.CHOICES,
        method="filter_agreement",
    )
    is_active = BooleanFilter(label=_("in the library"))

    class Meta:
        model = Institution
        fields = []

    def filter_agreement(self, qs, name, value):
        today = timezone.localdate()
        in_force = CooperationAgreement.objects.filter(
            agreement_in_force(today)
        ).values("institution_id")
        if value == AgreementStatus.IN_FORCE:
            return qs.filter(pk__in=in_force)
        if value == AgreementStatus.NOT_IN_FORCE:
            return qs.exclude(pk__in=in_force)
        if value == AgreementStatus.NONE:
            return qs.filter(agreements__isnull=True)
        return qs


# --- Forms ----------------------------------------------------------------------------


class BaseForm(OrgScopedPhoneForm):
    org_levels = (
        OrgLevel.CITY,
        OrgLevel.DISTRICT,
        OrgLevel.STREET,
        OrgLevel.COMMUNITY,
    )


class InstitutionForm(OrgScopedPhoneForm):
    org_levels = (OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET)


# --- Views ----------------------------------------------------------------------------


class BaseIndexView(LibraryIndexView):
    def get_base_queryset(self):
        return bases_with_classes(super().get_base_queryset())


class InstitutionIndexView(LibraryIndexView):
    def get_base_queryset(self):
        return institutions_with_agreements(super().get_base_queryset())


class InstitutionInspectView(generic.InspectView):
    def get_agreements_display_value(self):
        """Each agreement with its dates and a scoped download link."""
        rows = []
        for agreement in self.object.agreements.all():
            end = f"{agreement.end_date:%Y-%m-%d}" if agreement.end_date else ""
            link = (
                format_html(
                    ' <a href="{}">{}</a>',
                    reverse("institution_admin:agreement_file", args=[agreement.pk]),
                    _("download"),
                )
                if agreement.file
                else ""
            )
            rows.append(
                (agreement.title, f"{agreement.start_date:%Y-%m-%d}", end, link)
            )
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}（{} – {}）{}</li>", rows),
        )


def agreement_file(request, pk: int):
    """Download an agreement's file: only for administrators of the owner's subtree."""
    agreement = get_object_or_404(
        CooperationAgreement.objects.select_related("institution__org"), pk=pk
    )
    if not org_in_scope(request.user, agreement.institution.org):
        raise Http404
    policy = policy_registry.get_by_type(Institution)
    if not policy.user_has_any_permission(request.user, ["view", "change"]):
        raise PermissionDenied
    if not agreement.file:
        raise Http404
    return serve_file(request, agreement.file)


# --- Viewsets -------------------------------------------------------------------------


class BaseViewSet(OrgScopedModelViewSet):
    model = Base
    icon = "home"
    menu_label = _("Teaching bases")
    menu_order = 100
    index_view_class = BaseIndexView
    filterset_class = BaseFilterSet
    search_fields = [
        "name",
        "address",
        "themes",
        "description",
        "contact_name",
        "org__name",
    ]
    list_display = [
        "name",
        "base_type",
        "org",
        "address",
        "capacity",
        "themes",
        "contact_name",
        "phone_masked",
        Column("class_count", label=_("classes held"), sort_key="class_count"),
    ]
    list_export = [
        "name",
        "get_base_type_display",
        "org.name",
        "address",
        "latitude",
        "longitude",
        "capacity",
        "themes",
        "contact_name",
        "phone_masked",
        "class_count",
        "is_active",
    ]
    export_headings = {
        "name": _("base name"),
        "get_base_type_display": _("type"),
        "org.name": _("owning organisation"),
        "address": _("address"),
        "latitude": _("latitude"),
        "longitude": _("longitude"),
        "capacity": _("capacity"),
        "themes": _("teaching themes"),
        "contact_name": _("host contact"),
        "phone_masked": _("contact phone"),
        "class_count": _("classes held"),
        "is_active": _("in the library"),
    }
    export_filename = "teaching-bases"
    inspect_view_fields = [
        "name",
        "base_type",
        "org",
        "address",
        "latitude",
        "longitude",
        "capacity",
        "themes",
        "contact_name",
        "phone_masked",
        "description",
        "is_active",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("base_type")]),
            FieldPanel("org"),
            MultiFieldPanel(
                [
                    FieldPanel("address"),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                ],
                heading=_("Location"),
            ),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("themes")]),
            MultiFieldPanel(
                [
                    FieldPanel("contact_name"),
                    FieldPanel("phone"),
                    FieldPanel("phone_clear"),
                ],
                heading=_("Host contact"),
            ),
            FieldPanel("description"),
            InlinePanel(
                "photos",
                panels=[FieldPanel("image"), FieldPanel("caption")],
                heading=_("Photos"),
                label=_("photo"),
            ),
            FieldPanel("is_active"),
        ],
        base_form_class=BaseForm,
    )


class InstitutionViewSet(OrgScopedModelViewSet):
    model = Institution
    icon = "doc-full"
    menu_label = _("Institutions")
    menu_order = 200
    index_view_class = InstitutionIndexView
    inspect_view_class = InstitutionInspectView
    filterset_class = InstitutionFilterSet
    search_fields = [
        "name",
        "address",
        "description",
        "contact_name",
        "agreements__title",
        "org__name",
    ]
    list_display = [
        "name",
        "institution_type",
        "org",
        "contact_name",
        "phone_masked",
        BooleanColumn(
            "agreement_in_force",
            label=_("agreement in force"),
            sort_key="agreement_in_force",
        ),
        Column(
            "agreement_last_end",
            label=_("latest agreement ends"),
            sort_key="agreement_last_end",
        ),
        Column("class_count", label=_("classes co-run"), sort_key="class_count"),
    ]
    list_export = [
        "name",
        "get_institution_type_display",
        "org.name",
        "address",
        "contact_name",
        "phone_masked",
        "email",
        "website",
        "agreement_count",
        "agreement_in_force",
        "agreement_last_end",
        "class_count",
        "is_active",
    ]
    export_headings = {
        "name": _("institution name"),
        "get_institution_type_display": _("type"),
        "org.name": _("owning organisation"),
        "address": _("address"),
        "contact_name": _("contact person"),
        "phone_masked": _("contact phone"),
        "email": _("email"),
        "website": _("website"),
        "agreement_count": _("agreements"),
        "agreement_in_force": _("agreement in force"),
        "agreement_last_end": _("latest agreement ends"),
        "class_count": _("classes co-run"),
        "is_active": _("in the library"),
    }
    export_filename = "institutions"
    inspect_view_fields = [
        "name",
        "institution_type",
        "org",
        "address",
        "contact_name",
        "phone_masked",
        "email",
        "website",
        "description",
        "agreements",
        "is_active",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("institution_type")]),
            FieldPanel("org"),
            FieldPanel("address"),
            MultiFieldPanel(
                [
                    FieldPanel("contact_name"),
                    FieldPanel("phone"),
                    FieldPanel("phone_clear"),
                    FieldRowPanel([FieldPanel("email"), FieldPanel("website")]),
                ],
                heading=_("Contact"),
            ),
            FieldPanel("description"),
            InlinePanel(
                "agreements",
                panels=[
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldPanel("file"),
                    FieldPanel("notes"),
                ],
                heading=_("Cooperation agreements"),
                label=_("cooperation agreement"),
            ),
            FieldPanel("is_active"),
        ],
        base_form_class=InstitutionForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("agreement/<int:pk>/file/", agreement_file, name="agreement_file"),
        ]


class BaseLibraryGroup(ViewSetGroup):
    menu_label = _("Base library")
    menu_icon = "site"
    menu_order = 330
    items = (
        BaseViewSet("bases", url_namespace="base_admin"),
        InstitutionViewSet("institutions", url_namespace="institution_admin"),
    )
