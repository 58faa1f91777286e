"""Demo organisation tree: a city of districts, streets, communities and grids."""

import math

from lms.org.models import OrgLevel, OrgNode

DISTRICTS = [
    "锦江区",
    "青羊区",
    "金牛区",
    "武侯区",
    "成华区",
    "龙泉驿区",
    "青白江区",
    "新都区",
    "温江区",
    "双流区",
    "郫都区",
    "新津区",
    "都江堰市",
    "彭州市",
    "邛崃市",
    "崇州市",
    "简阳市",
    "金堂县",
    "大邑县",
    "蒲江县",
]
PLACE_WORDS = list(
    "春熙盐市书院合江牛市督院东华西华府南府河锦华光华草堂文翁金沙太升少城青龙望江"
    "玉林红牌晋阳永丰浆洗新鸿双桥莲新沙河龙潭保和猛追湾跳蹬桂溪石羊芳草肖家河簇桥"
    "华阳中和万安兴隆正兴永安黄龙溪安仁三道堰德源柳城公平涌泉万春和盛天府凤凰"
)
COMMUNITY_SUFFIXES = ["社区", "社区", "社区", "村"]
GRIDS_PER_COMMUNITY = 4


def _step(index: int) -> str:
    """treebeard's materialised-path step: 4 base-36 digits, 1-based."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out, n = "", index + 1
    for _ in range(4):
        out = digits[n % 36] + out
        n //= 36
    return out


def _place_name(rng, used: set, suffix: str) -> str:
    while True:
        name = "".join(rng.sample(PLACE_WORDS, 2)) + suffix
        if name not in used:
            used.add(name)
            return name


def seed_tree(*, rng, workers: int) -> dict:
    """Build the tree in bulk (paths computed here, as treebeard would) and return it."""
    communities_wanted = max(4, round(workers / 46))
    streets_wanted = max(2, math.ceil(communities_wanted / 12))
    districts_wanted = min(len(DISTRICTS), max(2, math.ceil(streets_wanted / 10)))
    used: set = set()
    nodes: list[OrgNode] = []

    def add(path, depth, code, name, level, numchild):
        node = OrgNode(
            path=path, depth=depth, numchild=numchild, code=code, name=name, level=level
        )
        nodes.append(node)
        return node

    city = add(_step(0), 1, "510100", "示范市", OrgLevel.CITY, districts_wanted)
    per_district = _spread(streets_wanted, districts_wanted)
    community_total = 0
    street_counts = []
    for streets in per_district:
        street_counts.append(
            _spread(communities_wanted * streets // streets_wanted or 1, streets)
        )
    for d, (streets, counts) in enumerate(zip(per_district, street_counts)):
        d_code = f"5101{d + 4:02d}"
        d_path = city.path + _step(d)
        add(d_path, 2, d_code, DISTRICTS[d], OrgLevel.DISTRICT, streets)
        for s, communities in enumerate(counts):
            s_code = f"{d_code}{s + 1:03d}"
            s_path = d_path + _step(s)
            add(
                s_path,
                3,
                s_code,
                _place_name(rng, used, "街道"),
                OrgLevel.STREET,
                communities,
            )
            for c in range(communities):
                c_code = f"{s_code}{c + 1:03d}"
                c_path = s_path + _step(c)
                add(
                    c_path,
                    4,
                    c_code,
                    _place_name(rng, used, rng.choice(COMMUNITY_SUFFIXES)),
                    OrgLevel.COMMUNITY,
                    GRIDS_PER_COMMUNITY,
                )
                community_total += 1
                for g in range(GRIDS_PER_COMMUNITY):
                    add(
                        c_path + _step(g),
                        5,
                        f"{c_code}{g + 1:02d}",
                        f"第{g + 1}网格",
                        OrgLevel.GRID,
                        0,
                    )
    OrgNode.objects.bulk_create(nodes, batch_size=2000)
    return {
        "city": OrgNode.objects.get(code=city.code),
        "districts": list(
            OrgNode.objects.filter(level=OrgLevel.DISTRICT).order_by("path")
        ),
        "streets": list(OrgNode.objects.filter(level=OrgLevel.STREET).order_by("path")),
        "communities": list(
            OrgNode.objects.filter(level=OrgLevel.COMMUNITY).order_by("path")
        ),
    }


def _spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers, each at least 1."""
    base, extra = divmod(max(total, parts), parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def seed(context: dict) -> None:
    context["tree"] = seed_tree(rng=context["rng"], workers=context["workers"])
