"""The mentor pool (续航计划) in the Wagtail admin: members, assignments and
visits."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList

from lms.accounts.admin_scope import (
    scoped_org_nodes,
    subtree_filter,
)
from lms.accounts.library_admin import OrgScopedForm, OrgScopedModelViewSet
from lms.accounts.scoping import scope_queryset
from lms.org.chooser import org_chooser
from lms.org.models import OrgLevel

from ..models import GuidanceVisit, MemberStatus, PoolAssignment, PoolMember
from .base import MentoringViewSet


class PoolMemberForm(OrgScopedForm):
    org_levels = (OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET)


class PoolMemberFilterSet(WagtailFilterSet):
    org = subtree_filter()
    status = ChoiceFilter(label=gettext_lazy("status"), choices=MemberStatus.choices)

    class Meta:
        model = PoolMember
        fields = ["is_active"]


class PoolMemberViewSet(OrgScopedModelViewSet):
    model = PoolMember
    icon = "user"
    menu_label = gettext_lazy("Mentor pool")
    filterset_class = PoolMemberFilterSet
    search_fields = ["name", "former_post", "specialities"]
    list_display = [
        "name",
        "status",
        "former_post",
        "org",
        "specialities",
        "availability",
    ]
    list_export = [
        "name",
        "status",
        "former_post",
        "org.name",
        "specialities",
        "availability",
    ]
    export_filename = "pool-members"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("status")]),
            FieldRowPanel([FieldPanel("former_post"), FieldPanel("former_community")]),
            FieldPanel("org"),
            FieldPanel("specialities"),
            FieldPanel("availability"),
            FieldPanel("user"),
            FieldPanel("is_active"),
        ],
        base_form_class=PoolMemberForm,
    )


class AssignmentForm(OrgScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        field = self.fields["community"]
        field.queryset = scoped_org_nodes(self.for_user, (OrgLevel.COMMUNITY,))
        field.widget = org_chooser((OrgLevel.COMMUNITY,))

        self.fields["member"].queryset = scope_queryset(
            PoolMember.objects.filter(is_active=True), self.for_user, org_field="org"
        )


class AssignmentViewSet(MentoringViewSet):
    model = PoolAssignment
    scope_field = "community"
    icon = "site"
    menu_label = gettext_lazy("Support assignments")
    search_fields = ["member__name", "community__name", "goals"]
    list_display = ["member", "community", "start", "end"]
    list_export = ["member.name", "community.name", "start", "end", "goals"]
    export_filename = "pool-assignments"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("member"), FieldPanel("community")]),
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            FieldPanel("goals"),
        ],
        base_form_class=AssignmentForm,
    )


class VisitForm(OrgScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["assignment"].queryset = scope_queryset(
            PoolAssignment.objects.select_related("member", "community"),
            self.for_user,
            org_field="community",
        )

    def save(self, commit=True):
        visit = super().save(commit=False)
        visit.community_id = visit.assignment.community_id
        for form in self.formsets["problems"].forms:
            if form.instance is not None:
                form.instance.community_id = visit.community_id
        if commit:
            visit.save()
            self.save_m2m()
        return visit

    def clean(self):
        data = super().clean()
        assignment, date = data.get("assignment"), data.get("date")
        if assignment and date and not (assignment.start <= date <= assignment.end):
            self.add_error("date", _("The visit date lies outside the assignment."))
        return data


class VisitViewSet(MentoringViewSet):
    model = GuidanceVisit
    scope_field = "community"
    icon = "doc-full"
    menu_label = gettext_lazy("Guidance visits")
    search_fields = ["topics", "notes"]
    list_display = ["date", "assignment", "topics"]
    export_filename = "guidance-visits"
    list_export = [
        "date",
        "assignment.member.name",
        "community.name",
        "topics",
        "notes",
        "follow_up",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("assignment"), FieldPanel("date")]),
            FieldPanel("topics"),
            FieldPanel("notes"),
            FieldPanel("follow_up"),
            InlinePanel("problems", label=gettext_lazy("problems raised")),
        ],
        base_form_class=VisitForm,
    )
