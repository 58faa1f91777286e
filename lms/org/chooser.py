"""The organisation chooser of the Wagtail admin: a searchable, paged modal in place of
a select of every node (a city has thousands of communities).

It offers only the nodes of the signed-in administrator's subtree (lms.accounts.scoping),
optionally only some levels (`levels` on the widget, carried in the modal's URL), and
shows each node with the names of the nodes above it, read in one query per page.
`ScopedChooserViewSet` and `TextSearchForm` serve the other choosers too
(lms.training.chooser).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from lms.accounts.scoping import scope_root

from .models import LEVEL_ORDER, OrgNode


def ancestor_paths(path: str) -> list[str]:
    step = OrgNode.steplen
    return [path[:end] for end in range(step, len(path), step)]


class TextSearchForm(BaseFilterForm):
    """The chooser's search box: rows matching any of `lookups` (no search index)."""

    lookups: tuple = ()
    placeholder = _("Search")
    q = forms.CharField(label=_("Search term"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = self.placeholder

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            match = Q()
            for lookup in self.lookups:
                match |= Q(**{lookup: query})
            objects = objects.filter(match)
            self.is_searching = True
            self.search_query = query
        return objects


class OrgFilterForm(TextSearchForm):
    lookups = ("name__icontains", "code__startswith")
    placeholder = _("Name or code")


class ScopedNodes:
    """The choosable nodes: the user's subtree, narrowed to `?levels=a,b` if given."""

    filter_form_class = OrgFilterForm
    preserve_url_parameters = ["multiple", "levels"]
    ordering = "path"

    def get_object_list(self):
        root = scope_root(self.request.user)
        if root is None:
            return OrgNode.objects.none()
        nodes = OrgNode.objects.filter(path__startswith=root.path)
        levels = [
            level
            for level in self.request.GET.get("levels", "").split(",")
            if level in LEVEL_ORDER
        ]
        return nodes.filter(level__in=levels) if levels else nodes

    @property
    def columns(self):
        title = self.title_column
        title.label = OrgNode._meta.get_field("name").verbose_name
        return [
            title,
            Column("within", label=_("Part of"), accessor="within"),
            Column("code", label=_("code")),
            Column("level", label=_("level"), accessor="get_level_display"),
        ]

    def get_results_page(self, request):
        page = super().get_results_page(request)
        wanted = {p for node in page for p in ancestor_paths(node.path)}
        names = dict(
            OrgNode.objects.filter(path__in=wanted).values_list("path", "name")
        )
        for node in page:
            node.within = " / ".join(names[p] for p in ancestor_paths(node.path))
        return page


class ScopedChooser(BaseChooser):
    """A chooser widget that shows a chosen value only when it is one of its field's
    choices (a ModelChoiceField hands its scoped queryset to the widget): an id from
    another subtree in `?class=` or a posted form never reveals that record's title."""

    def get_instance(self, value):
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if queryset is None or value is None or isinstance(value, self.model_class):
            if isinstance(value, self.model_class) and queryset is not None:
                value = value.pk
            else:
                return super().get_instance(value)
        try:
            return queryset.filter(pk=value).first()
        except (TypeError, ValueError, ValidationError):
            return None


class OrgNodeChooser(ScopedChooser):
    """`levels`: only nodes of these levels are offered (all when empty)."""

    show_edit_link = False

    def __init__(self, levels=(), **kwargs):
        self.levels = tuple(levels)
        super().__init__(**kwargs)

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        return f"{url}?levels={','.join(self.levels)}" if self.levels else url


class ScopedChooserViewSet(ChooserViewSet):
    """A chooser whose views all go through `scope`, a mixin that gives the rows one
    may choose (get_object_list), their columns and search form: the lists, and the
    chosen item, which outside them is a 404."""

    scope: type
    base_widget_class = ScopedChooser

    def __init__(self, *args, **kwargs):
        self.choose_view_class = type(
            "ChooseView", (self.scope, chooser_views.ChooseView), {}
        )
        self.choose_results_view_class = type(
            "ChooseResultsView", (self.scope, chooser_views.ChooseResultsView), {}
        )
        self.chosen_view_class = type(
            "ChosenView", (_ChosenInScope, self.scope, chooser_views.ChosenView), {}
        )
        super().__init__(*args, **kwargs)


class _ChosenInScope:
    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)


class OrgNodeChooserViewSet(ScopedChooserViewSet):
    model = OrgNode
    scope = ScopedNodes
    base_widget_class = OrgNodeChooser
    icon = "site"
    choose_one_text = _("Choose an organisation")
    choose_another_text = _("Choose another organisation")
    page_title = _("Choose an organisation")


org_chooser_viewset = OrgNodeChooserViewSet("org_chooser")


def org_chooser(levels=()):
    """The form widget: pick one node of the user's subtree (of `levels`, if given)."""
    return org_chooser_viewset.widget_class(levels=levels)
