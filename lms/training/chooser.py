"""The class chooser of the admin (bulk enrolment): the classes organised in the
user's subtree, newest first, searched by title, in place of a select of thousands."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from lms.accounts.scoping import scope_queryset
from lms.org.chooser import ScopedChooserViewSet, TextSearchForm

from .models import TrainingClass


class ClassSearchForm(TextSearchForm):
    lookups = ("title__icontains",)
    placeholder = _("Class title")


class ScopedClasses:
    filter_form_class = ClassSearchForm
    ordering = ("-enrol_opens", "id")

    def get_object_list(self):
        classes = TrainingClass.objects.select_related("organiser")
        return scope_queryset(classes, self.request.user, org_field="organiser")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("organiser", label=_("organiser")),
            Column("capacity", label=_("capacity")),
            Column("enrol_closes", label=_("enrolment closes")),
        ]


class TrainingClassChooserViewSet(ScopedChooserViewSet):
    model = TrainingClass
    scope = ScopedClasses
    icon = "date"
    choose_one_text = _("Choose a class")
    choose_another_text = _("Choose another class")
    page_title = _("Choose a class")


class_chooser_viewset = TrainingClassChooserViewSet("class_chooser")
