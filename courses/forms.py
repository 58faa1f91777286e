from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from lms.accounts.scoping import org_in_scope, scope_root
from lms.org.models import OrgNode


class CoursePageForm(WagtailAdminPageForm):
    """An administrator may only make a course owned inside their own subtree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("owner_org")
        user = getattr(self, "for_user", None)
        if field is not None and user is not None and not user.is_superuser:
            root = scope_root(user)
            field.queryset = (
                OrgNode.objects.filter(path__startswith=root.path)
                if root is not None
                else OrgNode.objects.none()
            ).order_by("path")

    def clean_owner_org(self):
        org = self.cleaned_data.get("owner_org")
        user = getattr(self, "for_user", None)
        if org is not None and user is not None and not org_in_scope(user, org):
            raise forms.ValidationError(
                _("You can only assign courses to organisations in your own subtree.")
            )
        return org
