import factory

from lms.org.models import OrgLevel, OrgNode


def make_tree() -> dict:
    """A small tree: a city with two districts, each with a street and two communities."""
    city = OrgNode.add_root(code="510100", name="示范市", level=OrgLevel.CITY)
    tree = {"city": city}
    for d in (1, 2):
        district = OrgNode.objects.get(pk=city.pk).add_child(
            code=f"51010{d}", name=f"第{d}区", level=OrgLevel.DISTRICT
        )
        street = district.add_child(
            code=f"51010{d}001", name=f"第{d}街道", level=OrgLevel.STREET
        )
        tree[f"district{d}"], tree[f"street{d}"] = district, street
        for c in (1, 2):
            tree[f"community{d}{c}"] = OrgNode.objects.get(pk=street.pk).add_child(
                code=f"51010{d}001{c:03d}",
                name=f"第{d}{c}社区",
                level=OrgLevel.COMMUNITY,
            )
    return tree


class CommunityFactory(factory.Factory):
    """Builds a community under a fresh street (treebeard needs add_child)."""

    class Meta:
        model = OrgNode

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        street = kwargs.pop("street")
        return street.add_child(level=OrgLevel.COMMUNITY, **kwargs)

    code = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Sequence(lambda n: f"社区{n}")
