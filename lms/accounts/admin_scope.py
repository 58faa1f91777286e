"""Data scope for Wagtail admin viewsets: listings, detail pages, forms and exports.

`ScopedViewSetMixin` goes first in a ModelViewSet/SnippetViewSet's bases and names the
path from the model to its OrgNode in `scope_field` ("community", "org",
"worker__community"…), or several paths, any of which may put a row in scope (a user
account: its own `org`, or the community of the worker it belongs to). Every view of the viewset then filters through
`scope_queryset`, a record of another subtree reached by URL is a 404, and exports are
audited.
"""

from operator import attrgetter

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter

from lms.org.chooser import OrgNodeChooser, org_chooser
from lms.org.models import OrgLevel, OrgNode

from .models import AuditAction
from .scoping import org_in_scope, scope_queryset, scope_root
from .services import audit_log_write


def _fields(scope_field) -> tuple[str, ...]:
    return (scope_field,) if isinstance(scope_field, str) else tuple(scope_field)


def scope_org_of(obj, scope_field: str):
    try:
        return attrgetter(scope_field.replace("__", "."))(obj)
    except (AttributeError, ObjectDoesNotExist):  # e.g. an account without a worker
        return None


def scope_rows(qs, user, scope_field):
    """Rows of `qs` in the user's subtree by any of the paths in `scope_field`."""
    fields = _fields(scope_field)
    if len(fields) == 1:
        return scope_queryset(qs, user, org_field=fields[0])
    if user.is_authenticated and user.is_superuser:
        return qs
    root = scope_root(user)
    if root is None:
        return qs.none()
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__path__startswith": root.path})
    return qs.filter(match)


def in_scope(user, obj, scope_field) -> bool:
    return any(
        org_in_scope(user, scope_org_of(obj, field)) for field in _fields(scope_field)
    )


class _ScopedIndex:
    scope_field = ""

    def get_base_queryset(self):
        qs = super().get_base_queryset()
        return scope_rows(qs, self.request.user, self.scope_field)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        audit_log_write(
            actor=self.request.user,
            action=AuditAction.EXPORT,
            detail={
                "model": self.model._meta.label_lower,
                "format": spreadsheet_format,
                "rows": queryset.count(),
                "query": self.request.GET.urlencode()[:500],
            },
            request=self.request,
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class _ScopedObject:
    scope_field = ""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not in_scope(self.request.user, obj, self.scope_field):
            raise Http404
        return obj


class _ScopedChooserRows:
    """A chooser's rows (list, search, chosen item) only from the user's subtree."""

    scope_field = ""

    def get_object_list(self, *args, **kwargs):
        qs = super().get_object_list(*args, **kwargs)
        return scope_rows(qs, self.request.user, self.scope_field)

    def get_object(self, pk):
        obj = super().get_object(pk)
        if not in_scope(self.request.user, obj, self.scope_field):
            raise Http404
        return obj

    def get_objects(self, pks):
        return [
            obj
            for obj in super().get_objects(pks)
            if in_scope(self.request.user, obj, self.scope_field)
        ]


class _ScopedForm:
    """Forms offer only the organisation nodes of the user's subtree, in the chooser
    (a select of a city's every community would be thousands of options)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        root = scope_root(self.request.user)
        for field in form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is OrgNode:
                field.queryset = (
                    queryset.filter(path__startswith=root.path)
                    if root is not None
                    else queryset.none()
                )
                if not isinstance(field.widget, OrgNodeChooser):
                    field.widget = org_chooser()
        return form


def _scoped(view_class, *mixins, scope_field):
    return type(
        f"Scoped{view_class.__name__}",
        (*mixins, view_class),
        {"scope_field": scope_field},
    )


class ScopedViewSetMixin:
    scope_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.scope_field
        self.index_view_class = _scoped(
            self.index_view_class, _ScopedIndex, scope_field=field
        )
        self.add_view_class = _scoped(
            self.add_view_class, _ScopedForm, scope_field=field
        )
        for name in ("edit", "delete", "inspect", "history", "usage", "copy"):
            attr = f"{name}_view_class"
            mixins = (
                (_ScopedObject, _ScopedForm)
                if name in ("edit", "copy")
                else (_ScopedObject,)
            )
            setattr(
                self, attr, _scoped(getattr(self, attr), *mixins, scope_field=field)
            )
        chooser = getattr(self, "chooser_viewset_class", None)
        if chooser is not None:  # snippets: their chooser modal lists in scope too
            self.chooser_viewset_class = type(
                f"Scoped{chooser.__name__}",
                (chooser,),
                {
                    f"{name}_view_class": _scoped(
                        getattr(chooser, f"{name}_view_class"),
                        _ScopedChooserRows,
                        scope_field=field,
                    )
                    for name in (
                        "choose",
                        "choose_results",
                        "chosen",
                        "chosen_multiple",
                    )
                },
            )


def scoped_org_nodes(user, levels=None):
    root = scope_root(user)
    if root is None:
        return OrgNode.objects.none()
    qs = OrgNode.objects.filter(path__startswith=root.path)
    if levels:
        qs = qs.filter(level__in=levels)
    return qs.order_by("path")


def subtree_filter(
    label=None,
    levels=(OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET),
    field="org",
):
    """A filter 'within <node>' of records whose `field` (or any of several) is an
    org node: the node and below it, chosen among the nodes in the user's scope (never a typed code)."""

    def queryset(request):
        return scoped_org_nodes(request.user if request else None, levels)

    def within(qs, name, value):
        if not value:
            return qs
        match = Q()
        for path in _fields(field):
            match |= Q(**{f"{path}__path__startswith": value.path})
        return qs.filter(match)

    return ModelChoiceFilter(
        label=label or _("Owned within"), queryset=queryset, method=within
    )
