"""Mentor–mentee pairs (传帮带) in the Wagtail admin: the listing where pairs are
made."""

from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic

from ..models import Pairing
from ..services.pairs import PairingError, pairing_create
from .base import MentoringViewSet, ServiceCreateView, WorkerMentorForm


class PairingForm(WorkerMentorForm):
    worker_field = "mentee"


class PairingCreateView(ServiceCreateView):
    refusals = (PairingError,)

    def create(self, data):
        return pairing_create(
            mentor=data["mentor"],
            mentee=data["mentee"],
            start=data["start"],
            end=data["end"],
            goals=data.get("goals", ""),
            actor=self.request.user,
        )


class PairingIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("mentor", "mentee")


class PairingViewSet(MentoringViewSet):
    model = Pairing
    scope_field = "mentee__community"
    icon = "group"
    menu_label = gettext_lazy("Mentor–mentee pairs")
    inspect_view_enabled = True
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
