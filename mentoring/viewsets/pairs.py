"""Mentor–mentee pairs (传帮带) in the Wagtail admin: the listing where pairs are
made."""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.admin_scope import ScopedViewSetMixin
from lms.accounts.scoping import scope_queryset

from ..chooser import mentor_chooser_viewset, worker_chooser_viewset
from ..models import Pairing
from ..services.pairs import PairingError, pairing_create


class PairingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["mentee"].widget = worker_chooser_viewset.widget_class()
        self.fields["mentee"].queryset = scope_queryset(
            self.fields["mentee"].queryset, user, org_field="community"
        )
        self.fields["mentor"].widget = mentor_chooser_viewset.widget_class()
        self.fields["mentor"].queryset = scope_queryset(
            self.fields["mentor"].queryset, user, org_field="org"
        )


class PairingCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return pairing_create(
                mentor=data["mentor"],
                mentee=data["mentee"],
                start=data["start"],
                end=data["end"],
                goals=data.get("goals", ""),
                actor=self.request.user,
            )
        except PairingError as exc:
            self.form.add_error(None, str(exc))
            raise forms.ValidationError(str(exc)) from exc

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except forms.ValidationError:
            return self.form_invalid(self.form)


class PairingIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("mentor", "mentee")


class PairingViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Pairing
    scope_field = "mentee__community"
    icon = "group"
    menu_label = gettext_lazy("Mentor–mentee pairs")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    index_view_class = PairingIndexView
    add_view_class = PairingCreateView
    search_fields = ["mentor__name", "mentee__name", "goals"]
    list_display = ["mentor", "mentee", "start", "end"]
    list_export = [
        "mentor.name",
        "mentee.name",
        "mentee.community.name",
        "start",
        "end",
    ]
    export_filename = "pairs"
    inspect_view_fields = ["mentor", "mentee", "start", "end", "goals"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("mentor"), FieldPanel("mentee")]),
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            FieldPanel("goals"),
        ],
        base_form_class=PairingForm,
    )
