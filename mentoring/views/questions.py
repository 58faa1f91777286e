"""Ask an expert (请教一下): workers ask, mentors and experts answer, the asker picks
the best answer."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lms.accounts.files import serve_file

from .. import selectors
from ..models import Answer
from ..selectors import question_can_answer
from ..services.questions import (
    QuestionError,
    answer_accept,
    answer_create,
    question_ask,
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
    question = get_object_or_404(selectors.questions_visible_to(request.user), pk=pk)
    item = get_object_or_404(question.photos, pk=photo_id)
    return serve_file(request, item.image, inline=True)
