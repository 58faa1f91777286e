"""Mentoring in the Wagtail admin, one module a concern, grouped in one menu."""

from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSetGroup

from .mentors import MentorViewSet, StudioViewSet
from .pairs import PairingViewSet
from .placements import PlacementViewSet
from .pool import AssignmentViewSet, PoolMemberViewSet, VisitViewSet
from .questions import QuestionViewSet


class MentoringGroup(ViewSetGroup):
    menu_label = gettext_lazy("Mentoring and shadowing")
    menu_icon = "group"
    menu_order = 330
    items = (
        StudioViewSet("studios", url_namespace="studio_admin"),
        MentorViewSet("mentors", url_namespace="mentor_admin"),
        PlacementViewSet("placements", url_namespace="placement_admin"),
        PairingViewSet("pairs", url_namespace="pairing_admin"),
        QuestionViewSet("questions", url_namespace="question_admin"),
        PoolMemberViewSet("pool-members", url_namespace="pool_member_admin"),
        AssignmentViewSet("pool-assignments", url_namespace="pool_assignment_admin"),
        VisitViewSet("pool-visits", url_namespace="pool_visit_admin"),
    )
