"""A clear refusal when an administrator opens another subtree's course in the admin.

Wagtail's page permission tester (courses.permissions) already refuses the action; this
answers with a message that says why, instead of Wagtail's generic one."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import CoursePage, LessonPage
from .permissions import can_manage_course, course_for

ACTIONS = {"edit", "delete", "unpublish", "copy", "add_subpage", "revisions_index"}


class CourseScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "wagtailadmin_pages":
            return None
        if match.url_name not in ACTIONS or "page_id" not in view_kwargs:
            return None
        if not request.user.is_authenticated:
            return None

        page = Page.objects.filter(pk=view_kwargs["page_id"]).first()
        if page is None or page.specific_class not in (CoursePage, LessonPage):
            return None
        course = course_for(page.specific)
        if can_manage_course(request.user, course):
            return None
        return render(
            request,
            "courses/refused.html",
            {
                "message": _(
                    "“%(course)s” belongs to %(owner)s. You can only change courses "
                    "owned within %(mine)s."
                )
                % {
                    "course": course.title,
                    "owner": course.owner_org.name,
                    "mine": getattr(request.user.org, "name", "—"),
                },
            },
            status=403,
        )
