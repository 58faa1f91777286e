"""Wagtail admin: the textbook library (教材) listing with filters, search, export and
org-scoped editing (reusing the library machinery of lms.accounts.library_admin)."""

from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList

from lms.accounts.admin_scope import subtree_filter
from lms.accounts.library_admin import OrgScopedForm, OrgScopedModelViewSet

from .models import Series, Textbook


class TextbookFilterSet(WagtailFilterSet):
    org = subtree_filter()
    series = ChoiceFilter(label=_("series"), choices=Series.choices)
    topic = CharFilter(label=_("topic"), lookup_expr="icontains")

    class Meta:
        model = Textbook
        fields = ["is_published"]


class TextbookForm(OrgScopedForm):
    pass


class TextbookViewSet(OrgScopedModelViewSet):
    model = Textbook
    icon = "doc-full"
    menu_label = _("Textbooks")
    menu_order = 250
    add_to_admin_menu = True
    filterset_class = TextbookFilterSet
    search_fields = ["title", "summary", "authors", "publisher", "topic"]
    list_display = ["title", "series", "authors", "year", "org", "is_published"]
    list_export = [
        "title",
        "get_series_display",
        "authors",
        "publisher",
        "year",
        "topic",
        "org.name",
        "is_published",
    ]
    export_headings = {
        "title": _("title"),
        "get_series_display": _("series"),
        "authors": _("authors/editors"),
        "publisher": _("publisher"),
        "year": _("year"),
        "topic": _("topic"),
        "org.name": _("owning organisation"),
        "is_published": _("published"),
    }
    export_filename = "textbooks"
    edit_handler = ObjectList(
        [
            FieldPanel("series"),
            FieldPanel("title"),
            FieldPanel("authors"),
            FieldPanel("publisher"),
            FieldPanel("year"),
            FieldPanel("topic"),
            FieldPanel("summary"),
            FieldPanel("cover"),
            FieldPanel("org"),
            FieldPanel("is_published"),
            InlinePanel("attachments", label=_("Attachments")),
        ],
        base_form_class=TextbookForm,
    )
