from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrgLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District/county")
    STREET = "street", _("Street/town")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


LEVEL_ORDER = [choice.value for choice in OrgLevel]


class OrgNode(MP_Node):
    """A node of the organisation tree; its materialised path makes a subtree one query."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=OrgLevel.choices)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["level"])]

    def __str__(self):
        return self.name

    def subtree(self):
        """This node and everything below it, in one indexed query."""
        return OrgNode.objects.filter(path__startswith=self.path)
