"""The register in the Wagtail admin: the worker viewset, unmasking an ID number,
and the spreadsheet imports."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.admin_scope import ScopedViewSetMixin, subtree_filter
from lms.accounts.scoping import scoped_object_or_404
from lms.jobs.models import Job
from lms.org.models import OrgLevel
from lms.tabular.forms import SpreadsheetForm
from lms.tabular.views import import_confirm, import_preview_create, import_template

from .models import Education, Gender, PoliticalStatus, Post, Qualification, Worker
from .selectors import search_workers
from .services.rows import POST_COLUMNS, WORKER_COLUMNS
from .services.workers import worker_unmask_id_number
from .tasks import table_import_task


class WorkerFilterSet(WagtailFilterSet):
    org = subtree_filter(
        label=gettext_lazy("Within"),
        levels=(OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET, OrgLevel.COMMUNITY),
        field="community",
    )
    post = django_filters.ChoiceFilter(choices=Post.choices)
    gender = django_filters.ChoiceFilter(choices=Gender.choices)
    education = django_filters.ChoiceFilter(choices=Education.choices)
    political_status = django_filters.ChoiceFilter(choices=PoliticalStatus.choices)
    qualification = django_filters.ChoiceFilter(choices=Qualification.choices[1:])

    class Meta:
        model = Worker
        fields = ["org", "post", "gender", "education", "political_status"]


class WorkerEditForm(forms.ModelForm):
    class Meta:
        model = Worker
        fields = [
            "name",
            "education",
            "political_status",
            "qualification",
            "hire_date",
            "leave_date",
        ]


class WorkerIndexView(IndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_workers(queryset, self.search_query)


class WorkerAddView(CreateView):
    """Workers enter the register through the import, which checks the ID number and
    the post history; "add" leads there."""

    def dispatch(self, request, *args, **kwargs):
        messages.info(
            request, _("Add workers by importing a spreadsheet (a template is below).")
        )
        return redirect("people_import")


class WorkerViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Worker
    index_view_class = WorkerIndexView
    add_view_class = WorkerAddView
    scope_field = "community"
    icon = "user"
    menu_label = gettext_lazy("Community workers")
    menu_order = 200
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 25
    list_display = ["name", "id_number_masked", "community", "post", "hire_date"]
    list_export = [
        "name",
        "id_number_masked",
        "get_gender_display",
        "birth_date",
        "community.code",
        "community.name",
        "get_post_display",
        "get_education_display",
        "get_political_status_display",
        "get_qualification_display",
        "hire_date",
        "years_of_service",
        "phone_masked",
    ]
    export_headings = {
        "id_number_masked": gettext_lazy("ID number"),
        "get_gender_display": gettext_lazy("gender"),
        "community.code": gettext_lazy("Community code"),
        "community.name": gettext_lazy("community"),
        "get_post_display": gettext_lazy("post"),
        "get_education_display": gettext_lazy("education"),
        "get_political_status_display": gettext_lazy("political status"),
        "get_qualification_display": gettext_lazy("social-work qualification"),
        "years_of_service": gettext_lazy("years of service"),
        "phone_masked": gettext_lazy("phone"),
    }
    filterset_class = WorkerFilterSet
    search_fields = ["name"]
    search_backend_name = None
    form_fields = WorkerEditForm.Meta.fields
    inspect_view_fields = [
        "name",
        "id_number_masked",
        "gender",
        "birth_date",
        "community",
        "post",
        "education",
        "political_status",
        "qualification",
        "hire_date",
        "leave_date",
        "years_of_service",
        "phone_masked",
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=_worker_queryset(), **kwargs)


def _worker_queryset():
    return Worker.objects.select_related("community")


# --- Unmasking and imports ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def unmask_view(request, pk: int):
    """Show one full ID number to a permitted administrator; every view is audited."""
    worker = scoped_object_or_404(
        request,
        Worker.objects.all(),
        pk,
        perm="people.unmask_id_number",
        org_field="community",
    )
    id_number = None
    if request.method == "POST":
        id_number = worker_unmask_id_number(
            worker=worker, actor=request.user, request=request
        )
    return render(
        request, "people/admin/unmask.html", {"worker": worker, "id_number": id_number}
    )


class ImportForm(SpreadsheetForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("What to import"),
        choices=[
            ("import_workers", gettext_lazy("Community workers")),
            ("import_posts", gettext_lazy("Post history")),
            ("import_orgs", gettext_lazy("Organisation tree")),
        ],
    )
    field_order = ["kind", "file", "sheet"]


IMPORT_PERMISSIONS = {
    "import_workers": "people.add_worker",
    "import_posts": "people.add_postspan",
    "import_orgs": "org.add_orgnode",
}


def import_view(request):
    """Upload a spreadsheet: a preview job checks it and reports what would change;
    nothing is written until the administrator confirms (`import_confirm_view`)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        if not request.user.has_perm(IMPORT_PERMISSIONS[kind]):
            raise PermissionDenied
        job = import_preview_create(
            request,
            form,
            kind=kind,
            title=f"{dict(form.fields['kind'].choices)[kind]}: "
            f"{form.cleaned_data['file'].name}",
            confirm_url_name="people_import_confirm",
            enqueue=table_import_task.delay,
        )
        messages.success(request, _("Checking the file; nothing is written yet."))
        return redirect("jobs:detail", job.pk)
    return render(request, "people/admin/import.html", {"form": form})


@require_POST
def import_confirm_view(request, pk: int):
    """Run the import the administrator has previewed (their own job, once)."""
    kind = get_object_or_404(Job, pk=pk, created_by=request.user).kind
    if kind not in IMPORT_PERMISSIONS or not request.user.has_perm(
        IMPORT_PERMISSIONS[kind]
    ):
        raise PermissionDenied
    return import_confirm(request, pk, enqueue=table_import_task.delay)


TEMPLATES = {
    "import_workers": (
        WORKER_COLUMNS,
        [
            "张伟",
            "11010519491231002X",
            "本科",
            "中共党员",
            "社会工作师",
            "2020-07-01",
            "510104001001",
            "社区专职工作者",
            "2020-07-01",
            "13800000000",
            "女",
        ],
    ),
    "import_posts": (
        POST_COLUMNS,
        ["11010519491231002X", "副书记", "510104001001", "2023-01-01", ""],
    ),
    "import_orgs": (
        {
            "code": ["代码"],
            "name": ["名称"],
            "level": ["层级"],
            "parent_code": ["上级代码"],
        },
        ["510104001001", "春熙社区", "社区", "510104001"],
    ),
}


def import_template_view(request, kind: str):
    """An XLSX with the expected headers (Chinese and English) and one example row."""
    if kind not in TEMPLATES:
        raise PermissionDenied
    columns, example = TEMPLATES[kind]
    return import_template(columns, example, filename=f"{kind}-template.xlsx")
