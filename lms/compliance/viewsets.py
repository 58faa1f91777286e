"""The compliance app's Wagtail admin viewsets."""

from django.utils.translation import gettext_lazy
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import YearPolicy


class YearPolicyViewSet(SnippetViewSet):
    """The annual rules: city administrators edit them; every save keeps a revision."""

    model = YearPolicy
    icon = "calendar-alt"
    menu_label = gettext_lazy("Annual rules")
    menu_name = "annual_rules"
    add_to_admin_menu = True
    menu_order = 310
    list_display = [
        "year",
        "days_secretary",
        "days_staff",
        "online_cap_share",
        "closed",
    ]
    list_filter = ["closed"]
