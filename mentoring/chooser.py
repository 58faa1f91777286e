"""Admin choosers of mentoring: workers and mentors of the user's subtree, searched
by name, in place of selects of a city's thousands (lms.org.chooser's building blocks)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from lms.accounts.scoping import scope_queryset
from lms.org.chooser import ScopedChooserViewSet, TextSearchForm
from lms.people.models import Worker

from .models import Mentor


class WorkerSearchForm(TextSearchForm):
    lookups = ("name__icontains",)
    placeholder = _("Name")


class ScopedWorkers:
    filter_form_class = WorkerSearchForm
    ordering = ("name", "id")

    def get_object_list(self):
        workers = Worker.objects.select_related("community")
        return scope_queryset(workers, self.request.user, org_field="community")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("community", label=_("community")),
            Column("post", label=_("post"), accessor="get_post_display"),
            Column("id_number_masked", label=_("ID number")),
        ]


class MentorSearchForm(TextSearchForm):
    lookups = ("name__icontains", "specialities__icontains")
    placeholder = _("Name or speciality")


class ScopedMentors:
    filter_form_class = MentorSearchForm
    ordering = ("name", "id")

    def get_object_list(self):
        mentors = Mentor.objects.filter(is_active=True).select_related("org")
        return scope_queryset(mentors, self.request.user, org_field="org")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("org", label=_("owning organisation")),
            Column("specialities", label=_("specialities")),
        ]


class WorkerChooserViewSet(ScopedChooserViewSet):
    model = Worker
    scope = ScopedWorkers
    icon = "user"
    choose_one_text = _("Choose a worker")
    choose_another_text = _("Choose another worker")
    page_title = _("Choose a worker")


class MentorChooserViewSet(ScopedChooserViewSet):
    model = Mentor
    scope = ScopedMentors
    icon = "group"
    choose_one_text = _("Choose a mentor")
    choose_another_text = _("Choose another mentor")
    page_title = _("Choose a mentor")


worker_chooser_viewset = WorkerChooserViewSet("mentoring_worker_chooser")
mentor_chooser_viewset = MentorChooserViewSet("mentor_chooser")
