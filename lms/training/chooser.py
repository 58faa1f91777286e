"""The class chooser of the admin (bulk enrolment): the classes organised in the
user's subtree, newest first, searched by title, in place of a select of thousands."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from lms.accounts.scoping import scope_queryset
from lms.org.chooser import TextSearchForm

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


class ChooseView(ScopedClasses, chooser_views.ChooseView):
    pass


class ChooseResultsView(ScopedClasses, chooser_views.ChooseResultsView):
    pass


class ChosenView(ScopedClasses, chooser_views.ChosenView):
    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)


class TrainingClassChooserViewSet(ChooserViewSet):
    model = TrainingClass
    icon = "date"
    choose_one_text = _("Choose a class")
    choose_another_text = _("Choose another class")
    page_title = _("Choose a class")
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView


class_chooser_viewset = TrainingClassChooserViewSet("class_chooser")
