"""Demo people register: workers with valid ID numbers, post histories and sign-ins."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from lms.accounts.groups import (
    CITY_ADMINS,
    COMMUNITY_ADMINS,
    DISTRICT_ADMINS,
    STREET_ADMINS,
)
from lms.accounts.models import Role, User

from . import pii
from .models import Education, PoliticalStatus, Post, PostSpan, Qualification, Worker
from .rules import division_exists, id_check_char, mask_id_number, mask_phone

DEMO_PASSWORD = "demo-pass-2026"
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晨欣怡宇轩浩然子涵梓萱思远雨婷佳琪俊杰志强建国德华淑珍丹凤文博晓东海燕"
)
EDUCATION_WEIGHTS = [
    (Education.SENIOR_HIGH, 10),
    (Education.COLLEGE, 38),
    (Education.BACHELOR, 45),
    (Education.MASTER, 4),
    (Education.JUNIOR_HIGH, 3),
]
QUALIFICATION_WEIGHTS = [
    ("", 55),
    (Qualification.ASSISTANT, 30),
    (Qualification.SOCIAL_WORKER, 13),
    (Qualification.SENIOR, 2),
]


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _id_number(rng, area: str, birth: dt.date, gender: str, used: set) -> str:
    if not division_exists(area):  # the demo's district codes run past real ones
        area = "510100"
    while True:
        seq = rng.randrange(0, 100) * 10 + rng.choice(
            [1, 3, 5, 7, 9] if gender == "M" else [0, 2, 4, 6, 8]
        )
        first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
        if first17 not in used:
            used.add(first17)
            return first17 + id_check_char(first17)


def _community_posts(rng, size: int) -> list[str]:
    """One secretary, deputies, members, a party-affairs worker, grid workers, staff."""
    posts = [Post.SECRETARY, Post.DEPUTY, Post.MEMBER, Post.MEMBER, Post.PARTY_AFFAIRS]
    if size > 20:
        posts += [Post.DEPUTY, Post.MEMBER]
    rest = max(0, size - len(posts))
    grid = rest * 45 // 100
    posts += [Post.GRID_WORKER] * grid + [Post.STAFF] * (rest - grid)
    return posts[: max(size, 1)]


def seed_people(*, rng, tree: dict, workers: int) -> dict:
    today = timezone.localdate()
    year_start = dt.date(today.year, 1, 1)
    communities = tree["communities"]
    sizes = [workers // len(communities)] * len(communities)
    for i in range(workers - sum(sizes)):
        sizes[i] += 1
    password = make_password(DEMO_PASSWORD)
    used: set = set()
    people, plans = [], []
    for community, size in zip(communities, sizes):
        area = community.code[:6]
        for post in _community_posts(rng, size):
            gender = (
                rng.choice("MF")
                if post != Post.GRID_WORKER
                else _weighted(rng, [("F", 60), ("M", 40)])
            )
            birth = dt.date(
                rng.randint(1966, 2001), rng.randint(1, 12), rng.randint(1, 28)
            )
            id_number = _id_number(rng, area, birth, gender, used)
            earliest = max(birth.replace(year=birth.year + 21), dt.date(2004, 1, 1))
            roll = rng.random()
            if roll < 0.06:  # hired during this year
                hire = year_start + dt.timedelta(
                    days=rng.randrange(0, max(1, (today - year_start).days))
                )
            else:
                span = max(1, (dt.date(today.year - 1, 12, 31) - earliest).days)
                hire = earliest + dt.timedelta(days=rng.randrange(0, span))
            phone = f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"
            people.append(
                Worker(
                    name=rng.choice(SURNAMES)
                    + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
                    id_number_encrypted=pii.encrypt(id_number),
                    id_number_digest=pii.digest(id_number),
                    id_number_masked=mask_id_number(id_number),
                    gender=gender,
                    birth_date=birth,
                    education=_weighted(rng, EDUCATION_WEIGHTS),
                    political_status=PoliticalStatus.CPC_MEMBER
                    if post in (Post.SECRETARY, Post.DEPUTY, Post.PARTY_AFFAIRS)
                    else _weighted(
                        rng,
                        [
                            (PoliticalStatus.CPC_MEMBER, 45),
                            (PoliticalStatus.MASSES, 40),
                            (PoliticalStatus.CYL_MEMBER, 15),
                        ],
                    ),
                    qualification=_weighted(rng, QUALIFICATION_WEIGHTS),
                    hire_date=hire,
                    phone_encrypted=pii.encrypt(phone),
                    phone_masked=mask_phone(phone),
                    community=community,
                    post=post,
                )
            )
            # About 3% changed post this year (e.g. staff promoted to deputy).
            change = None
            if (
                hire < year_start
                and rng.random() < 0.03
                and post in (Post.DEPUTY, Post.MEMBER)
            ):
                change = year_start + dt.timedelta(days=rng.randrange(30, 300))
            plans.append(change)
    users = [
        User(username=f"w{index:06d}", password=password, role=Role.WORKER)
        for index in range(1, len(people) + 1)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    for worker, user in zip(people, users, strict=True):
        worker.user = user
    Worker.objects.bulk_create(people, batch_size=2000)
    spans = []
    for worker, change in zip(people, plans, strict=True):
        if change and change > worker.hire_date:
            spans.append(
                PostSpan(
                    worker=worker,
                    post=Post.STAFF,
                    community_id=worker.community_id,
                    start=worker.hire_date,
                    end=change - dt.timedelta(days=1),
                )
            )
            spans.append(
                PostSpan(
                    worker=worker,
                    post=worker.post,
                    community_id=worker.community_id,
                    start=change,
                )
            )
        else:
            spans.append(
                PostSpan(
                    worker=worker,
                    post=worker.post,
                    community_id=worker.community_id,
                    start=worker.hire_date,
                )
            )
    PostSpan.objects.bulk_create(spans, batch_size=5000)
    saved = people
    return {"workers": saved, "admins": _seed_admins(tree, password)}


ADMIN_GROUPS = {
    "city": CITY_ADMINS,
    "district": DISTRICT_ADMINS,
    "street": STREET_ADMINS,
    "community": COMMUNITY_ADMINS,
}


def _seed_admins(tree: dict, password: str) -> dict:
    """Named demo sign-ins (README) and one administrator per district and street."""
    groups = {
        level: Group.objects.get(name=name) for level, name in ADMIN_GROUPS.items()
    }
    admins = [
        User(
            username="admin",
            password=password,
            role=Role.ADMIN,
            org=tree["city"],
            is_staff=True,
            is_superuser=True,
            first_name="系统管理员",
        )
    ]
    named = [
        ("demo_city", tree["city"]),
        ("demo_district", tree["districts"][0]),
        ("demo_district2", tree["districts"][1]),
        ("demo_street", tree["streets"][0]),
        ("demo_community", tree["communities"][0]),
    ]
    for username, org in named:
        admins.append(
            User(
                username=username,
                password=password,
                role=Role.ADMIN,
                org=org,
                is_staff=True,
                first_name=org.name,
            )
        )
    for org in tree["districts"] + tree["streets"]:
        admins.append(
            User(
                username=f"admin_{org.code}",
                password=password,
                role=Role.ADMIN,
                org=org,
                is_staff=True,
                first_name=org.name,
            )
        )
    User.objects.bulk_create(admins)
    memberships = []
    for user in User.objects.filter(role=Role.ADMIN).select_related("org"):
        memberships.append(
            User.groups.through(user_id=user.id, group_id=groups[user.org.level].id)
        )
    User.groups.through.objects.bulk_create(memberships)
    # The README's demo worker: the secretary of the first community.
    secretary = Worker.objects.filter(
        community=tree["communities"][0], post=Post.SECRETARY
    ).first()
    User.objects.filter(pk=secretary.user_id).update(username="demo_worker")
    return {u.username: u for u in User.objects.filter(role=Role.ADMIN)}


def seed(context: dict) -> None:
    context.update(
        seed_people(
            rng=context["rng"], tree=context["tree"], workers=context["workers"]
        )
    )
