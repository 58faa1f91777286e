"""Building blocks of the training viewsets: read-only listings of records whose
writes go through the services, and a column of action links."""

from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from lms.accounts.admin_scope import ScopedViewSetMixin


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Listing and inspecting only: changes go through the services (reversal, review,
    enrolment), never through a generic edit form."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class ReadOnlyViewSet(ScopedViewSetMixin, ModelViewSet):
    """Listing, inspecting and exporting a scoped model whose writes go through the
    services (its permission policy is `ReadOnlyPolicy`, see wagtail_hooks)."""

    scope_field = "worker__community"
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 100


class LinkColumn(Column):
    """A column with one action link per row (reverse, review…): to `url_name` with
    the row's pk as argument, or as the query parameter `query` when given."""

    def __init__(self, name, *, url_name, text, show=None, query=None, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name, self.text, self.show = url_name, text, show
        self.query = query

    def get_value(self, instance):
        if self.show is not None and not self.show(instance):
            return ""
        if self.query:
            url = f"{reverse(self.url_name)}?{self.query}={instance.pk}"
        else:
            url = reverse(self.url_name, args=[instance.pk])
        return format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a>',
            url,
            self.text,
        )
