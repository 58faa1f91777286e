"""The Wagtail user and group editors (wagtail.users, via `apps.WagtailUsersConfig`).

Users: the create and edit forms carry `role` and `org`. A non-superuser works only
inside their data scope (scoping.py), through `ScopedViewSetMixin` like every other
viewset, and cannot raise anyone above themselves:

* users are listed, edited, deleted and bulk-changed only when their `org` lies in the
  actor's subtree, and never when they are superusers (a 404, as for other records);
* `org` offers the actor's own node and everything below it (the chooser of every
  scoped form) and is required, so a district administrator can make administrators
  of their own district (equal) or of its streets and communities (below), never of
  another district or the city;
* `role` offers no role ranked above the actor's own, and `is_superuser` is not offered;
* `groups` offers only groups that grant nothing the actor lacks (model, page and
  collection permissions); groups the actor cannot grant are kept as they were;
* nobody changes their own role or organisation here (like is_superuser/is_active).

`is_staff`, which the portal and dashboards read as "an administrator", follows the
role: set for administrators (and superusers), cleared otherwise.

Groups: the editor audits the page and collection permissions that Wagtail's
permission panels save in bulk, without signals (see permission_audit.py).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import ProtectedError, Q
from django.db.models.functions import Concat
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_user_display_name
from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import groups as wagtail_groups
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from .admin_scope import ScopedViewSetMixin, scope_rows, subtree_filter
from .models import Role
from .permission_audit import group_object_permissions, group_object_permissions_audit

User = get_user_model()

# Higher may grant lower or equal, never higher.
ROLE_RANK = {Role.WORKER: 0, Role.TRAINER: 1, Role.ADMIN: 2}


# A user is in scope by their own organisation or, for a worker's account, by the
# worker's community (workers' accounts carry no organisation of their own).
USER_SCOPE = ("org", "worker__community")


def manageable_users(actor, queryset=None):
    """The users `actor` may see and change in the user editor."""
    queryset = User._default_manager.all() if queryset is None else queryset
    if actor.is_superuser:
        return queryset
    return scope_rows(queryset, actor, USER_SCOPE).filter(is_superuser=False)


def assignable_groups(actor):
    """Groups that grant nothing `actor` does not hold: their model permissions, and
    their page and collection permissions, are among the actor's own."""
    groups = Group.objects.order_by("name")
    if actor.is_superuser:
        return groups
    own = actor.get_all_permissions()
    own_pages = set(
        GroupPagePermission.objects.filter(group__user=actor).values_list(
            "page_id", "permission_id"
        )
    )
    own_collections = set(
        GroupCollectionPermission.objects.filter(group__user=actor).values_list(
            "collection_id", "permission_id"
        )
    )
    pages, collections = {}, {}
    for model, into in (
        (GroupPagePermission, pages),
        (GroupCollectionPermission, collections),
    ):
        target = "page_id" if model is GroupPagePermission else "collection_id"
        for group_id, obj_id, perm_id in model.objects.values_list(
            "group_id", target, "permission_id"
        ):
            into.setdefault(group_id, set()).add((obj_id, perm_id))
    allowed = [
        group.pk
        for group in groups.prefetch_related("permissions__content_type")
        if {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        <= own
        and pages.get(group.pk, set()) <= own_pages
        and collections.get(group.pk, set()) <= own_collections
    ]
    return groups.filter(pk__in=allowed)


# --- Forms -----------------------------------------------------------------------------


class _RoleAndOrgForm:
    """Adds the guards above to Wagtail's user forms, given the acting user."""

    error_messages_extra = {
        "admin_needs_org": _("An administrator needs an organisation to manage."),
    }

    def __init__(self, *args, for_user=None, **kwargs):
        editing_self = kwargs.get("editing_self", False)
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["org"].help_text = _(
            "For administrators: the organisation whose subtree they manage. "
            "Other users: where they belong."
        )
        if for_user is None or for_user.is_superuser:
            return
        self.fields.pop("is_superuser", None)
        if editing_self:
            # Like is_superuser and is_active: nobody changes their own access here.
            self.fields.pop("role", None)
            self.fields.pop("org", None)
        else:
            # The choices are the actor's subtree (ScopedViewSetMixin's forms).
            self.fields["org"].required = True
            rank = ROLE_RANK.get(for_user.role, -1)
            self.fields["role"].choices = [
                (value, label)
                for value, label in Role.choices
                if ROLE_RANK[value] <= rank
            ]
        self.fields["groups"].queryset = assignable_groups(for_user)

    def clean_groups(self):
        chosen = list(self.cleaned_data.get("groups") or [])
        if self.instance.pk is None:
            return chosen
        # Keep the groups the actor may not grant (nor take away) as they were.
        offered = self.fields["groups"].queryset
        kept = self.instance.groups.exclude(pk__in=offered.values("pk"))
        return chosen + list(kept)

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role", self.instance.role)
        org = cleaned.get("org") if "org" in self.fields else self.instance.org
        if role == Role.ADMIN and org is None and "org" not in self.errors:
            self.add_error("org", self.error_messages_extra["admin_needs_org"])
        if "role" in self.fields:
            # The portal, dashboards and trainer views treat is_staff as "an
            # administrator": it follows the role (superusers keep it).
            superuser = cleaned.get("is_superuser", self.instance.is_superuser)
            self.instance.is_staff = role == Role.ADMIN or bool(superuser)
        return cleaned


class UserCreationForm(_RoleAndOrgForm, wagtail_forms.UserCreationForm):
    class Meta(wagtail_forms.UserCreationForm.Meta):
        fields = wagtail_forms.UserCreationForm.Meta.fields | {"role", "org"}


class UserEditForm(_RoleAndOrgForm, wagtail_forms.UserEditForm):
    class Meta(wagtail_forms.UserEditForm.Meta):
        fields = wagtail_forms.UserEditForm.Meta.fields | {"role", "org"}


# --- User views ------------------------------------------------------------------------


class _NoSuperuserTarget:
    """A superuser's account is out of every non-superuser's scope."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj.is_superuser and not self.request.user.is_superuser:
            raise Http404
        return obj


class _ActorForm:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class UserFilterSet(wagtail_users.UserFilterSet):
    org = subtree_filter(label=_("Within"), field=USER_SCOPE)

    class Meta(wagtail_users.UserFilterSet.Meta):
        fields = ["org"]


def _worker(user):
    try:
        return user.worker
    except ObjectDoesNotExist:
        return None


def _user_name(user) -> str:
    worker = _worker(user)
    return worker.name if worker is not None else get_user_display_name(user)


class UserIndexView(wagtail_users.IndexView):
    """Every account of the subtree, workers' included (by their community); found
    by username, e-mail, name or the worker's name; ID numbers masked."""

    search_fields = ["username", "email", "first_name", "last_name", "worker__name"]

    def get_base_queryset(self):
        users = (
            super()
            .get_base_queryset()
            .select_related("org", "worker__community")
            .annotate(full_name=Concat("last_name", "first_name"))
        )
        if not self.request.user.is_superuser:
            users = users.filter(is_superuser=False)
        return users

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = Q(full_name__icontains=self.search_query)
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": self.search_query})
        return queryset.filter(query)

    @cached_property
    def columns(self):
        columns = list(super().columns)
        name = next(c for c in columns if c.name == "name")
        name.accessor = _user_name
        at = next(i for i, c in enumerate(columns) if c.name == "is_superuser")
        columns[at:at] = [
            Column(
                "role",
                accessor="get_role_display",
                label=_("role"),
                sort_key="role",
                width="10%",
            ),
            Column(
                "org",
                accessor=lambda u: u.org or getattr(_worker(u), "community", None),
                label=_("organisation"),
                width="15%",
            ),
            Column(
                "id_number",
                accessor=lambda u: getattr(_worker(u), "id_number_masked", ""),
                label=_("ID number"),
                width="15%",
            ),
        ]
        return columns


class UserCreateView(_ActorForm, wagtail_users.CreateView):
    pass


class UserEditView(_NoSuperuserTarget, _ActorForm, wagtail_users.EditView):
    pass


class UserDeleteView(_NoSuperuserTarget, wagtail_users.DeleteView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            # Accounts named in records that are kept (the audit log) stay.
            messages.error(
                self.request,
                _(
                    "This account is referred to by records that must be kept, "
                    "such as the audit log; deactivate it instead."
                ),
            )
            return HttpResponseRedirect(
                reverse("wagtailusers_users:edit", args=(self.object.pk,))
            )


class UserHistoryView(_NoSuperuserTarget, wagtail_users.HistoryView):
    pass


class UserUsageView(_NoSuperuserTarget, wagtail_users.UserViewSet.usage_view_class):
    pass


class UserViewSet(ScopedViewSetMixin, wagtail_users.UserViewSet):
    scope_field = USER_SCOPE
    # A copied account would carry its groups along: create accounts afresh.
    copy_view_enabled = False

    index_view_class = UserIndexView
    filterset_class = UserFilterSet
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    history_view_class = UserHistoryView
    usage_view_class = UserUsageView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


# --- Bulk actions on users (listing checkboxes) ----------------------------------------


class _ScopedUserBulkAction:
    """Users out of the actor's scope are not there: dropped, or a 404 if none is."""

    def get_all_objects_in_listing_query(self, parent_id):
        pks = super().get_all_objects_in_listing_query(parent_id)
        return manageable_users(
            self.request.user, User._default_manager.filter(pk__in=pks)
        ).values_list("pk", flat=True)

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        no_access = extra["items_with_no_access"]
        allowed = set(
            manageable_users(
                self.request.user,
                User._default_manager.filter(
                    pk__in=[o.pk for o in objects + no_access]
                ),
            ).values_list("pk", flat=True)
        )
        objects = [o for o in objects if o.pk in allowed]
        no_access = [o for o in no_access if o.pk in allowed]
        if not objects and not no_access:
            raise Http404
        return objects, {**extra, "items_with_no_access": no_access}


class ScopedAssignRoleBulkAction(_ScopedUserBulkAction, AssignRoleBulkAction):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["role"].queryset = assignable_groups(self.request.user)
        return form


class ScopedDeleteBulkAction(_ScopedUserBulkAction, DeleteBulkAction):
    pass


class ScopedSetActiveStateBulkAction(_ScopedUserBulkAction, SetActiveStateBulkAction):
    pass


USER_BULK_ACTIONS = [
    ScopedAssignRoleBulkAction,
    ScopedDeleteBulkAction,
    ScopedSetActiveStateBulkAction,
]


# --- Groups: audit the permission panels -----------------------------------------------


class _AuditPermissionPanels:
    """Wagtail's panels replace a group's page and collection permissions with
    bulk_create and queryset deletes, which send no m2m signal: compare before and
    after instead."""

    def process_form(self):
        before = group_object_permissions(self.object)
        response = super().process_form()
        if self.object.pk is not None:
            group_object_permissions_audit(
                group=self.object,
                before=before,
                actor=self.request.user,
                request=self.request,
            )
        return response


class GroupCreateView(_AuditPermissionPanels, wagtail_groups.CreateView):
    pass


class GroupEditView(_AuditPermissionPanels, wagtail_groups.EditView):
    pass


class GroupViewSet(wagtail_groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
