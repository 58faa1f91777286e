"""Ask an expert (请教一下): workers ask, mentors and experts answer, the asker picks
the best answer; administrators select threads into the knowledge base (常见问题)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_filters import BooleanFilter, ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.admin_scope import ScopedViewSetMixin

from .. import selectors
from ..models import Answer, Question, QuestionStatus
from ..services import (
    QuestionError,
    answer_accept,
    answer_create,
    question_ask,
    question_can_answer,
    question_select,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class AskForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title"), max_length=120)
    body = forms.CharField(
        label=gettext_lazy("question text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    tags = forms.CharField(
        label=gettext_lazy("topic tags"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Separate several with 、 or commas."),
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("public"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "A private question is seen only by you, the experts it is routed to "
            "and your administrators."
        ),
    )
    photos = MultipleFileField(label=gettext_lazy("photos"), required=False)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("answer"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        raise PermissionDenied
    form = AskForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = question_ask(
                asker=worker,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                is_public=data["is_public"],
                photos=data["photos"],
            )
        except (QuestionError, ValidationError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your question was sent to the experts."))
            return redirect("mentoring:question", pk=question.pk)
    return render(request, "mentoring/ask.html", {"form": form})


@login_required
def questions(request):
    """My questions, the questions routed to me, and the knowledge-base search."""
    worker = getattr(request.user, "worker", None)
    query = request.GET.get("q", "")[:100]
    results, count = selectors.knowledge_base_search(query) if query else ([], 0)
    return render(
        request,
        "mentoring/questions.html",
        {
            "mine": (worker.questions.order_by("-created_at")[:50] if worker else []),
            "routed": selectors.questions_routed_to(request.user)[:50],
            "query": query,
            "results": results,
            "count": count,
        },
    )


@login_required
def faq(request):
    """The knowledge base (常见问题), searched by any two-character word."""
    query = request.GET.get("q", "")[:100]
    results, count = selectors.knowledge_base_search(query)
    return render(
        request,
        "mentoring/faq.html",
        {"query": query, "results": results, "count": count},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_detail(request, pk: int):
    question = get_object_or_404(selectors.questions_visible_to(request.user), pk=pk)
    can_answer = question_can_answer(question, request.user) is not None
    form = AnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                answer_create(
                    question=question, user=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your answer was posted."))
                return redirect("mentoring:question", pk=question.pk)
    context = selectors.question_thread(question)
    context.update(
        form=form,
        is_asker=question.asker.user_id == request.user.pk,
    )
    return render(request, "mentoring/question.html", context)


@login_required
@require_POST
def accept(request, pk: int, answer_id: int):
    question = get_object_or_404(selectors.questions_visible_to(request.user), pk=pk)
    answer = get_object_or_404(Answer, pk=answer_id, question=question)
    try:
        answer_accept(question=question, user=request.user, answer=answer)
    except QuestionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Marked as the best answer."))
    return redirect("mentoring:question", pk=question.pk)


@login_required
def photo(request, pk: int, photo_id: int):
    """A question's photo, to those who may see the question."""
    from django.http import FileResponse

    question = get_object_or_404(selectors.questions_visible_to(request.user), pk=pk)
    item = get_object_or_404(question.photos, pk=photo_id)
    return FileResponse(item.image.open("rb"))


# --- Admin: questions and the knowledge base ---------------------------------------------


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


class QuestionViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Question
    scope_field = "asker__community"
    icon = "help"
    menu_label = gettext_lazy("Questions to experts")
    add_to_admin_menu = False
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
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
