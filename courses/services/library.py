"""The course library's Wagtail set-up: the index page, the review workflow and the
administrator groups' page permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.accounts.groups import CITY_ADMINS, DISTRICT_ADMINS, STREET_ADMINS

from ..models import CourseIndexPage, CourseReviewTask, LessonPage

REVIEW_GROUPS = [CITY_ADMINS, DISTRICT_ADMINS, STREET_ADMINS]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


class ReviewError(Exception):
    pass


@transaction.atomic
def course_library_ensure() -> CourseIndexPage:
    """The course index under the site root, its review workflow (draft → review by an
    administrator of the owning subtree → publish) and page permissions; idempotent."""
    index = CourseIndexPage.objects.first()
    if index is None:
        root = Page.objects.filter(depth=2).first() or Page.get_first_root_node()
        index = root.add_child(
            instance=CourseIndexPage(title=_("Course library"), slug="courses")
        )
    groups = []
    for name in REVIEW_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        groups.append(group)
    task = CourseReviewTask.objects.filter(name="课程审核").first()
    if task is None:
        task = CourseReviewTask.objects.create(name="课程审核")
    task.groups.add(*groups)
    workflow, _created = Workflow.objects.get_or_create(name="课程发布审核")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    perms = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    )
    for group in groups:
        for perm in perms:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=perm
            )
    return index


@transaction.atomic
def lesson_submit_for_review(*, lesson: LessonPage, user) -> None:
    """Save the lesson's latest draft and start the course review workflow on it."""
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.full_clean()
    if lesson.workflow_in_progress:
        raise ReviewError(_("This lesson is already waiting for review."))
    workflow = lesson.get_workflow()
    if workflow is None:
        raise ReviewError(_("No review workflow is set up for the course library."))
    lesson.save_revision(user=user)
    workflow.start(lesson, user)
