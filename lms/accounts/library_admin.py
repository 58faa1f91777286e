"""Org-scoped Wagtail admin building blocks shared by the library viewsets.

An administrator lists, opens, edits, deletes and exports only the records owned by a
node of their own subtree (lms.accounts.scoping); a record of another district opened
by URL is a 404, and a form can only assign an owner inside the subtree.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy

from lms.accounts.admin_scope import ScopedViewSetMixin, scoped_org_nodes
from lms.accounts.scoping import org_in_scope, scope_queryset
from lms.org.chooser import org_chooser
from lms.people.pii import phone_set

ORG_FIELD = "org"


class OrgScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the records owned inside the user's subtree."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and org_in_scope(
            user, getattr(instance, ORG_FIELD, None)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return scope_queryset(
            self.model._default_manager.all(), user, org_field=ORG_FIELD
        )


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9\- ]{5,18}[0-9]$",
    _("Enter a phone number of digits, e.g. 13812345678 or 028-86612345."),
)


class OrgScopedForm(WagtailAdminModelForm):
    """Owner limited to the editor's subtree (of `org_levels`), picked in the chooser."""

    org_levels: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if ORG_FIELD in self.fields:
            field = self.fields[ORG_FIELD]
            field.queryset = scoped_org_nodes(self.for_user, self.org_levels)
            field.widget = org_chooser(self.org_levels)

    def clean_org(self):
        org = self.cleaned_data.get(ORG_FIELD)
        if org is not None and not org_in_scope(self.for_user, org):
            raise ValidationError(_("You can only choose an organisation you manage."))
        return org


class OrgScopedPhoneForm(OrgScopedForm):
    """And a contact phone entered in clear, stored encrypted.

    The phone box starts empty (the clear number is never sent back to the page):
    leave it blank to keep the current number, or tick 'remove' to clear it.
    """

    phone = forms.CharField(
        label=_("contact phone"),
        required=False,
        max_length=20,
        validators=[phone_validator],
    )
    phone_clear = forms.BooleanField(label=_("Remove the phone number"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phone_masked:
            self.fields["phone"].help_text = _(
                "Current number: %(masked)s. Leave blank to keep it."
            ) % {"masked": self.instance.phone_masked}

    def save(self, commit=True):
        phone = self.cleaned_data.get("phone", "")
        if self.cleaned_data.get("phone_clear"):
            phone_set(self.instance, "")
        elif phone:
            phone_set(self.instance, phone)
        return super().save(commit=commit)


class LibraryIndexView(generic.IndexView):
    """Listing and export of a library; ScopedViewSetMixin adds the scope and audit."""

    list_select_related = (ORG_FIELD,)

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.list_select_related)

    # Export columns computed from the row: {column name: function(item) -> value}.
    export_values: dict = {}

    def to_row_dict(self, item):
        row = {}
        for field in self.list_export:
            if field in self.export_values:
                row[field] = self.export_values[field](item)
                continue
            try:
                row[field] = multigetattr(item, field)
            except AttributeError:  # e.g. user.username with no linked user
                row[field] = ""
        return row


class OrgScopedModelViewSet(ScopedViewSetMixin, ModelViewSet):
    """A library listing with filters, Chinese-safe search and export, scoped by org."""

    scope_field = ORG_FIELD
    index_view_class = LibraryIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    # Plain ORM `icontains` search: substring matching works for Chinese on SQLite and
    # PostgreSQL alike, where full-text tokenisers split Chinese badly or not at all.
    search_backend_name = None
    add_to_admin_menu = False
    list_per_page = 25
