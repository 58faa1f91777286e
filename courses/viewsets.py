"""Wagtail admin: the textbook library (教材) and the question banks (题库) with their
questions: listings with filters, search, export and org-scoped editing (reusing the
library machinery of lms.accounts.library_admin); a bank's XLSX import and export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.admin_scope import ScopedViewSetMixin, subtree_filter
from lms.accounts.files import serve_bytes
from lms.accounts.library_admin import OrgScopedForm, OrgScopedModelViewSet
from lms.accounts.scoping import scope_queryset
from lms.tabular import ImportFailed
from lms.tabular.forms import SpreadsheetForm
from lms.training.viewsets.training import LinkColumn

from .models import Difficulty, Question, QuestionBank, QuestionKind, Series, Textbook
from .services.banks import question_bank_export, question_bank_import


class TextbookFilterSet(WagtailFilterSet):
    org = subtree_filter()
    series = ChoiceFilter(label=_("series"), choices=Series.choices)
    topic = CharFilter(label=_("topic"), lookup_expr="icontains")

    class Meta:
        model = Textbook
        fields = ["is_published"]


class TextbookForm(OrgScopedForm):
    pass


class TextbookViewSet(OrgScopedModelViewSet):
    model = Textbook
    icon = "doc-full"
    menu_label = _("Textbooks")
    menu_order = 250
    add_to_admin_menu = True
    filterset_class = TextbookFilterSet
    search_fields = ["title", "summary", "authors", "publisher", "topic"]
    list_display = ["title", "series", "authors", "year", "org", "is_published"]
    list_export = [
        "title",
        "get_series_display",
        "authors",
        "publisher",
        "year",
        "topic",
        "org.name",
        "is_published",
    ]
    export_headings = {
        "title": _("title"),
        "get_series_display": _("series"),
        "authors": _("authors/editors"),
        "publisher": _("publisher"),
        "year": _("year"),
        "topic": _("topic"),
        "org.name": _("owning organisation"),
        "is_published": _("published"),
    }
    export_filename = "textbooks"
    edit_handler = ObjectList(
        [
            FieldPanel("series"),
            FieldPanel("title"),
            FieldPanel("authors"),
            FieldPanel("publisher"),
            FieldPanel("year"),
            FieldPanel("topic"),
            FieldPanel("summary"),
            FieldPanel("cover"),
            FieldPanel("org"),
            FieldPanel("is_published"),
            InlinePanel("attachments", label=_("Attachments")),
        ],
        base_form_class=TextbookForm,
    )


# --- Question banks -------------------------------------------------------------------
class QuestionBankFilterSet(WagtailFilterSet):
    org = subtree_filter()

    class Meta:
        model = QuestionBank
        fields = []


class QuestionBankViewSet(OrgScopedModelViewSet):
    model = QuestionBank
    icon = "help"
    menu_label = _("Question banks")
    menu_order = 240
    add_to_admin_menu = True
    filterset_class = QuestionBankFilterSet
    search_fields = ["title", "description"]
    list_display = [
        "title",
        "org",
        LinkColumn(
            "questions",
            label=_("Questions"),
            url_name="questions:index",
            text=_("Questions"),
            query="bank",
        ),
        LinkColumn(
            "import",
            label=_("Import"),
            url_name="courses_bank_import",
            text=_("Import"),
        ),
        LinkColumn(
            "export",
            label=_("Export"),
            url_name="courses_bank_export",
            text=_("Export XLSX"),
        ),
    ]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("description"), FieldPanel("org")],
        base_form_class=OrgScopedForm,
    )


class QuestionForm(WagtailAdminModelForm):
    """A question goes only into a bank of the editor's subtree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "bank" in self.fields:
            self.fields["bank"].queryset = scope_queryset(
                QuestionBank.objects.all(), self.for_user, org_field="org"
            )


class QuestionFilterSet(WagtailFilterSet):
    kind = ChoiceFilter(label=_("kind"), choices=QuestionKind.choices)
    difficulty = ChoiceFilter(label=_("difficulty"), choices=Difficulty.choices)
    category = CharFilter(label=_("category"), lookup_expr="exact")

    class Meta:
        model = Question
        fields = ["bank"]


class QuestionViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Question
    scope_field = "bank__org"
    icon = "help"
    menu_label = _("Questions")
    menu_order = 241
    add_to_admin_menu = True
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["prompt", "category"]
    filterset_class = QuestionFilterSet
    list_display = ["prompt", "kind", "category", "difficulty", "bank"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("bank"),
            FieldPanel("kind"),
            FieldPanel("prompt"),
            FieldPanel("options"),
            FieldPanel("answer"),
            FieldPanel("explanation"),
            FieldPanel("category"),
            FieldPanel("difficulty"),
        ],
        base_form_class=QuestionForm,
    )


def _bank_for(request, pk: int) -> QuestionBank:
    if not request.user.has_perm("courses.change_questionbank"):
        raise PermissionDenied
    return get_object_or_404(
        scope_queryset(QuestionBank.objects.all(), request.user, org_field="org"),
        pk=pk,
    )


def bank_export_view(request, pk: int):
    bank = _bank_for(request, pk)
    return serve_bytes(question_bank_export(bank=bank), filename=f"bank-{bank.pk}.xlsx")


def bank_import_view(request, pk: int):
    """Add questions from the template; every bad row reported, nothing written if
    any row is bad."""
    bank = _bank_for(request, pk)
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            added = question_bank_import(
                bank=bank,
                name=upload.name,
                content=upload.read(),
                sheet=form.cleaned_data["sheet"],
            )
        except ImportFailed as exc:
            errors = exc.errors
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("%(n)s questions added.") % {"n": added})
            return redirect(f"{_question_index()}?bank={bank.pk}")
    return render(
        request,
        "courses/admin/bank_import.html",
        {"bank": bank, "form": form, "errors": errors},
    )


def _question_index() -> str:
    return reverse("questions:index")
