from wagtail import hooks

from .admin_home import AttentionPanel


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    if request.user.is_superuser or getattr(request.user, "is_administrator", False):
        panels.insert(0, AttentionPanel())
