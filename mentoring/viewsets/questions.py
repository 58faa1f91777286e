"""Ask an expert (请教一下) in the Wagtail admin: administrators select threads into
the knowledge base (常见问题)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import BooleanFilter, ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic

from ..models import Question, QuestionStatus
from ..services.questions import question_select
from .base import MentoringViewSet


class QuestionSelectForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        if data.get("in_knowledge_base") and (
            not self.instance.is_public or self.instance.status == QuestionStatus.OPEN
        ):
            raise forms.ValidationError(
                _("Only a public question with an answer can join the knowledge base.")
            )
        return data


class QuestionEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return question_select(
            question=self.object,
            actor=self.request.user,
            selected=data["in_knowledge_base"],
            lesson=data.get("lesson"),
        )


class QuestionFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=gettext_lazy("status"), choices=QuestionStatus.choices)
    in_knowledge_base = BooleanFilter(label=gettext_lazy("in the knowledge base"))
    is_public = BooleanFilter(label=gettext_lazy("public"))

    class Meta:
        model = Question
        fields = []


class QuestionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("asker__community")


class QuestionViewSet(MentoringViewSet):
    model = Question
    scope_field = "asker__community"
    icon = "help"
    menu_label = gettext_lazy("Questions to experts")
    add_view_enabled = False
    inspect_view_enabled = True
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    filterset_class = QuestionFilterSet
    search_fields = ["title", "body", "tags"]
    list_display = [
        "title",
        "asker",
        "tags",
        "is_public",
        "status",
        "in_knowledge_base",
    ]
    list_export = [
        "title",
        "tags",
        "asker.community.name",
        "is_public",
        "status",
        "in_knowledge_base",
        "created_at",
    ]
    export_filename = "questions"
    inspect_view_fields = [
        "title",
        "body",
        "tags",
        "asker",
        "is_public",
        "status",
        "best_answer",
        "in_knowledge_base",
        "lesson",
        "created_at",
    ]
    edit_handler = ObjectList(
        [FieldPanel("in_knowledge_base"), FieldPanel("lesson")],
        base_form_class=QuestionSelectForm,
    )
