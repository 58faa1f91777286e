"""Who may see and who may change a course.

Visibility follows the owning org node: a course owned by the city is seen by the whole
city, a district's by its subtree. Changing follows the administrator's scope
(lms.accounts.scoping): an administrator edits, reviews and publishes only courses
owned inside their own subtree; the Wagtail page permissions (groups) still apply on
top of that.
"""

from django.db.models import CharField, Q
from django.db.models.functions import Cast, Length, Substr
from wagtail.models import Page, PagePermissionTester

from lms.accounts.models import Role
from lms.accounts.scoping import org_in_scope, scope_root
from lms.org.models import OrgNode

STEPLEN = OrgNode.steplen


def ancestor_paths(path: str) -> list[str]:
    """The paths of a node and of all its ancestors (materialised path prefixes)."""
    return [path[:i] for i in range(STEPLEN, len(path) + 1, STEPLEN)]


def viewer_org(user) -> OrgNode | None:
    """The org node from which a user looks at the catalogue."""
    worker = getattr(user, "worker", None)
    if worker is not None:
        return worker.community
    if user.role == Role.ADMIN:
        return user.org
    trainer = getattr(user, "trainer_profile", None)
    if trainer is not None:
        return trainer.org
    return None


def visible_courses_q(user, prefix: str = "") -> Q:
    """A filter on CoursePage (through `prefix`, e.g. 'course__') for the courses the
    user may open: owned by their org node or one of its ancestors; administrators
    also see the courses of their subtree, trainers the courses they teach."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    org = viewer_org(user)
    if org is not None:
        q |= Q(**{f"{prefix}owner_org__path__in": ancestor_paths(org.path)})
        if user.role == Role.ADMIN:
            q |= Q(**{f"{prefix}owner_org__path__startswith": org.path})
    if user.role == Role.TRAINER:
        q |= Q(**{f"{prefix}trainers__user": user})
    return q


def course_for(page):
    """The course a course or lesson page belongs to (None for other pages)."""
    from .models import CoursePage, LessonPage  # noqa: PLC0415 (courses.models imports this module)

    page = page.specific if not isinstance(page, (CoursePage, LessonPage)) else page
    if isinstance(page, CoursePage):
        return page
    if isinstance(page, LessonPage):
        return page.get_course()
    return None


def managed_page_ids(user):
    """The ids (as text, like a workflow state's object_id) of the courses and lessons
    whose course is owned inside the user's subtree, as a subquery."""
    from .models import CoursePage  # noqa: PLC0415 (models import this module)

    root = scope_root(user)
    if root is None:
        return Page.objects.none().values("pk")
    course_paths = CoursePage.objects.filter(
        owner_org__path__startswith=root.path
    ).values("path")
    return (
        Page.objects.annotate(
            parent_path=Substr("path", 1, Length("path") - STEPLEN),
            id_text=Cast("pk", CharField()),
        )
        .filter(Q(path__in=course_paths) | Q(parent_path__in=course_paths))
        .values("id_text")
    )


def can_manage_course(user, course) -> bool:
    """Administrators (and superusers) whose subtree holds the course's owner."""
    return org_in_scope(user, course.owner_org)


def is_course_trainer(user, course) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.TRAINER
        and course.trainers.filter(user=user).exists()
    )


class CoursePermissionTester(PagePermissionTester):
    """Wagtail's group page permissions, narrowed to the administrator's subtree."""

    def __init__(self, user, page):
        super().__init__(user, page)
        course = course_for(page)
        self.in_scope = course is None or can_manage_course(user, course)

    def can_edit(self):
        return self.in_scope and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self.in_scope and super().can_delete(ignore_bulk)

    def can_publish(self):
        return self.in_scope and super().can_publish()

    def can_unpublish(self):
        return self.in_scope and super().can_unpublish()

    def can_add_subpage(self):
        return self.in_scope and super().can_add_subpage()

    def can_publish_subpage(self):
        return self.in_scope and super().can_publish_subpage()

    def can_move(self):
        return self.in_scope and super().can_move()

    def can_copy(self):
        return self.in_scope and super().can_copy()

    def can_lock(self):
        return self.in_scope and super().can_lock()

    def can_unlock(self):
        return self.in_scope and super().can_unlock()

    def can_reorder_children(self):
        return self.in_scope and super().can_reorder_children()

    def can_submit_for_moderation(self):
        return self.in_scope and super().can_submit_for_moderation()
