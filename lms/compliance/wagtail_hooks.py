from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import YearPolicy
from .services import year_policy_audit
from .views import YearPolicyViewSet

register_snippet(YearPolicyViewSet)


def _audit_policy(request, instance):
    if isinstance(instance, YearPolicy):
        year_policy_audit(policy=instance, actor=request.user, request=request)


hooks.register("after_create_snippet", _audit_policy)
hooks.register("after_edit_snippet", _audit_policy)
