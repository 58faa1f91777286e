from wagtail import hooks

from .chooser import org_chooser_viewset


@hooks.register("register_admin_viewset")
def register_org_chooser():
    return org_chooser_viewset
