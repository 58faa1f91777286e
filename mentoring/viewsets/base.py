"""What the mentoring viewsets share: their settings, a form choosing a worker and
a mentor of the user's subtree, and an add view whose write is a service call."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.admin_scope import ScopedViewSetMixin
from lms.accounts.scoping import scope_queryset

from ..chooser import mentor_chooser_viewset, worker_chooser_viewset


class MentoringViewSet(ScopedViewSetMixin, ModelViewSet):
    """A scoped listing in the mentoring menu (`MentoringGroup`), searched with the
    ORM (substrings work for Chinese)."""

    add_to_admin_menu = False
    copy_view_enabled = False
    search_backend_name = None


class WorkerMentorForm(WagtailAdminModelForm):
    """The worker (the field `worker_field`) and the mentor are picked with the
    choosers, each limited to the user's subtree."""

    worker_field = "worker"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, chooser, org_field in (
            (self.worker_field, worker_chooser_viewset, "community"),
            ("mentor", mentor_chooser_viewset, "org"),
        ):
            field = self.fields[name]
            field.widget = chooser.widget_class()
            field.queryset = scope_queryset(
                field.queryset, self.for_user, org_field=org_field
            )


class ServiceCreateView(generic.CreateView):
    """Adds through a service (`create`, given the cleaned data); a refusal it raises
    (one of `refusals`) shows on the form."""

    refusals: tuple[type[Exception], ...] = ()

    def create(self, data):
        raise NotImplementedError

    def save_instance(self):
        try:
            return self.create(self.form.cleaned_data)
        except self.refusals as exc:
            self.form.add_error(None, str(exc))
            raise forms.ValidationError(str(exc)) from exc

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except forms.ValidationError:
            return self.form_invalid(self.form)
