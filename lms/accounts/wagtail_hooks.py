from wagtail import hooks

from .permission_audit import audit_bulk_active_state
from .viewsets import USER_BULK_ACTIONS

# Replace Wagtail's user bulk actions (same action types, registered later) with ones
# that keep to the actor's data scope and grant only what the actor holds.
for _action_class in USER_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action_class, order=1)

# Wagtail's "set active state" bulk action sends no save signal (permission_audit.py).
hooks.register("after_bulk_action", audit_bulk_active_state)
