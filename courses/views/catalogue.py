"""The course catalogue and the textbook library (portal pages)."""

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms.accounts.files import serve_file
from lms.people.models import Post

from ..models import (
    CourseIndexPage,
    CourseLevel,
    CourseTopic,
    Series,
)
from ..selectors import (
    catalogue_courses,
    catalogue_textbooks,
    textbook_detail,
)
from . import int_or

PAGE_SIZES = (10, 20, 50)


# --- Catalogue -----------------------------------------------------------------------
@login_required
@require_GET
def catalogue(request):

    filters = {
        "q": request.GET.get("q", "").strip()[:50],
        "series": request.GET.get("series", "")
        if request.GET.get("series") in Series.values
        else "",
        "topic": request.GET.get("topic", "")
        if request.GET.get("topic") in CourseTopic.values
        else "",
        "level": request.GET.get("level", "")
        if request.GET.get("level") in CourseLevel.values
        else "",
        "post": request.GET.get("post", "")
        if request.GET.get("post") in Post.values
        else "",
        "premium": request.GET.get("premium") == "1",
    }
    per_page = int_or(request.GET.get("size"), 20)
    if per_page not in PAGE_SIZES:
        per_page = 20
    page = catalogue_courses(
        user=request.user,
        filters=filters,
        page=int_or(request.GET.get("page"), 1),
        per_page=per_page,
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Every course sits directly under the one course index: its URL is computed
    # once, not per course (Wagtail's per-page URL routing costs ~1 ms a course).
    index = CourseIndexPage.objects.only("id", "url_path", "path").first()
    return render(
        request,
        "courses/catalogue.html",
        {
            "page": page,
            "course_base_url": index.get_url(request) if index else "",
            "filters": filters,
            "query": query.urlencode(),
            "series_choices": Series.choices,
            "topic_choices": CourseTopic.choices,
            "level_choices": CourseLevel.choices,
            "post_choices": Post.choices,
        },
    )


@login_required
@require_GET
def textbooks(request):
    filters = {
        "q": request.GET.get("q", "").strip()[:50],
        "series": request.GET.get("series", "")
        if request.GET.get("series") in Series.values
        else "",
    }
    page = catalogue_textbooks(filters=filters, page=int_or(request.GET.get("page"), 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/textbooks.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "series_choices": Series.choices,
        },
    )


@login_required
@require_GET
def textbook(request, pk):
    book = textbook_detail(pk)
    if book is None:
        raise Http404
    return render(request, "courses/textbook.html", {"book": book})


@login_required
@require_GET
def textbook_attachment(request, pk, attachment_pk):
    book = textbook_detail(pk)
    attachment = (
        next((a for a in book.attachments.all() if a.pk == attachment_pk), None)
        if book
        else None
    )
    if attachment is None:
        raise Http404
    return serve_file(request, attachment.file)
