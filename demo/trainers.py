"""Demo trainer library and expert think tank, drawn from the reports (seed 001).

About 50 local practitioner lecturers (本土实务类讲师) found through the "Hi!社区"
lecture team, the 社区BBking contest, lecture series and model selections, each with a
trainer sign-in; about 20 experts in social work and social organisations.
"""

from django.contrib.auth.hashers import make_password

from lms.accounts.models import Role, User
from lms.people import pii
from lms.people.rules import mask_phone
from lms.training.models import Attendance, TrainerRating, TrainingClass
from trainers.models import Expert, ExpertField, Trainer, TrainerSource

from .people import DEMO_PASSWORD, GIVEN, SURNAMES

TRAINERS = 50
EXPERTS = 20

# (source, detail, weight)
SOURCES = [
    (TrainerSource.CONTEST, "“Hi!社区”成都社治宣讲团选拔", 14),
    (TrainerSource.CONTEST, "“社区BBking”比赛", 10),
    (TrainerSource.LECTURE_SERIES, "社治月讲坛", 6),
    (TrainerSource.LECTURE_SERIES, "“基层治理公益云讲堂”", 5),
    (TrainerSource.LECTURE_SERIES, "“蓉城社区发展治理·云讲堂”", 5),
    (TrainerSource.RECOMMENDATION, "百佳示范社区评选", 5),
    (TrainerSource.RECOMMENDATION, "区县发掘、市级归集", 3),
    (TrainerSource.RECOMMENDATION, "“续航计划”优秀离任社区干部", 2),
]
TITLES = [
    ("社区党委书记、居委会主任", "{community}党委"),
    ("社区党委书记", "{community}党委"),
    ("社区党委副书记", "{community}党委"),
    ("社区居委会副主任", "{community}居委会"),
    ("街道党工委副书记", "{street}党工委"),
    ("街道社区发展治理办主任", "{street}办事处"),
    ("小区党支部书记", "{community}党委"),
    ("社区社会企业负责人", "{community}社区社会企业"),
    ("社会工作服务中心主任、高级社会工作师", "{district}社会工作服务中心"),
    ("社工站站长、社会工作师", "{street}社会工作服务站"),
    ("社会组织负责人", "{district}社区发展促进会"),
    ("原社区党委书记（续航计划成员）", "{community}"),
]
SPECIALITIES = [
    "党建引领城乡社区发展治理",
    "幸福美好生活十大工程",
    "社区场景营造",
    "社区商业",
    "社区美空间",
    "社区微更新项目",
    "社会组织培育",
    "社区社会企业",
    "小区治理",
    "社区综合体运营",
    "社区党群服务中心建设",
    "小区党群服务站",
    "网格化服务管理",
    "楼栋红管家",
    "居民议事协商",
    "社工站建设",
    "空间美学应用",
    "天府文化传播",
    "社区志愿服务",
    "老旧院落改造",
    "社区减负增效",
    "“全岗通”业务",
    "社区应急管理",
    "陪伴式治理",
]
BIO = (
    "长期扎根基层一线，{years}年社区工作经验，所在社区获评{honour}。"
    "擅长{first}、{second}，通过{detail}进入市级师资库，"
    "已在全市开展宣讲、现场教学{talks}场次。"
)
HONOURS = [
    "成都市百佳示范社区",
    "四川省和谐社区建设示范社区",
    "全国示范性老年友好型社区",
    "成都市社区发展治理示范社区",
    "市级“五好”社区",
]

EXPERT_FIELDS = [
    (ExpertField.SOCIAL_WORK, 5),
    (ExpertField.SOCIAL_ORGANISATIONS, 4),
    (ExpertField.COMMUNITY_GOVERNANCE, 4),
    (ExpertField.PARTY_BUILDING, 2),
    (ExpertField.URBAN_PLANNING, 2),
    (ExpertField.LAW, 1),
    (ExpertField.PUBLIC_ADMINISTRATION, 2),
]
EXPERT_AFFILIATIONS = {
    ExpertField.SOCIAL_WORK: [
        ("四川大学公共管理学院", "教授"),
        ("西南石油大学社会工作系", "副教授"),
        ("成都市社会工作者协会", "高级社会工作师"),
    ],
    ExpertField.SOCIAL_ORGANISATIONS: [
        ("成都市社会组织发展基金会", "研究员"),
        ("西南财经大学社会发展研究院", "副教授"),
        ("“蓉城社治学社”", "青年学者"),
    ],
    ExpertField.COMMUNITY_GOVERNANCE: [
        ("电子科技大学公共管理学院", "教授"),
        ("四川省社会科学院", "研究员"),
        ("“蓉城社治学社”", "青年学者"),
    ],
    ExpertField.PARTY_BUILDING: [
        ("中共成都市委党校", "教授"),
        ("中共四川省委党校", "副教授"),
    ],
    ExpertField.URBAN_PLANNING: [
        ("西南交通大学建筑与设计学院", "副教授"),
        ("成都市规划设计研究院", "高级工程师"),
    ],
    ExpertField.LAW: [("四川大学法学院", "副教授")],
    ExpertField.PUBLIC_ADMINISTRATION: [
        ("西南交通大学公共管理学院", "教授"),
        ("成都大学公共管理学院", "副教授"),
    ],
}
EXPERT_TOPICS = {
    ExpertField.SOCIAL_WORK: [
        "社工站建设",
        "社会工作职业资格考前辅导",
        "个案工作",
        "社区社会工作方法",
    ],
    ExpertField.SOCIAL_ORGANISATIONS: [
        "社会组织培育",
        "社区社会企业",
        "公益创投",
        "社区基金会",
    ],
    ExpertField.COMMUNITY_GOVERNANCE: [
        "小区治理",
        "居民议事协商",
        "社区营造",
        "社区减负增效",
    ],
    ExpertField.PARTY_BUILDING: ["党建引领基层治理", "社区“大党委”建设", "网格党建"],
    ExpertField.URBAN_PLANNING: [
        "社区美空间",
        "社区微更新",
        "老旧院落改造",
        "公园城市社区",
    ],
    ExpertField.LAW: ["人民调解", "社区法律服务", "物业纠纷化解"],
    ExpertField.PUBLIC_ADMINISTRATION: [
        "基层治理现代化",
        "社区工作者职业体系",
        "绩效评价",
    ],
}


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[-1] for p in pairs])[0]


def _name(rng, used: set) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2, 2])))
        if name not in used:
            used.add(name)
            return name


def _phone(rng) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"


def _street_of(community, streets_by_path):
    return streets_by_path.get(community.path[: len(community.path) - 4])


def seed_trainers(*, rng, tree: dict, count: int = TRAINERS) -> list[Trainer]:
    city, districts = tree["city"], tree["districts"]
    communities = tree["communities"]
    streets_by_path = {s.path: s for s in tree["streets"]}
    districts_by_path = {d.path: d for d in districts}
    password = make_password(DEMO_PASSWORD)
    used: set = set()
    users, trainers = [], []
    for n in range(1, count + 1):
        username = "demo_trainer" if n == 1 else f"trainer_{n - 1}"
        community = rng.choice(communities)
        street = _street_of(community, streets_by_path)
        district = districts_by_path.get(street.path[: len(street.path) - 4])
        source, detail, _weight = rng.choices(SOURCES, weights=[s[2] for s in SOURCES])[
            0
        ]
        title, unit = rng.choice(TITLES)
        picked = rng.sample(SPECIALITIES, rng.choice([2, 3, 3, 4]))
        phone = _phone(rng)
        # "区县发掘，市级归集": about a third are held by the city, the rest by districts.
        owner = city if rng.random() < 0.35 else district
        trainers.append(
            Trainer(
                name=_name(rng, used),
                gender=rng.choice("MFF"),
                org=owner,
                title=title,
                affiliation=unit.format(
                    community=community.name, street=street.name, district=district.name
                ),
                specialities="、".join(picked),
                source=source,
                source_detail=detail,
                phone_encrypted=pii.encrypt(phone),
                phone_masked=mask_phone(phone),
                bio=BIO.format(
                    years=rng.randint(6, 24),
                    honour=rng.choice(HONOURS),
                    first=picked[0],
                    second=picked[1],
                    detail=detail,
                    talks=rng.randint(4, 40),
                ),
            )
        )
        users.append(
            User(
                username=username,
                password=password,
                role=Role.TRAINER,
                first_name=trainers[-1].name,
            )
        )
    User.objects.bulk_create(users)
    ids = dict(
        User.objects.filter(username__in=[u.username for u in users]).values_list(
            "username", "id"
        )
    )
    for user, trainer in zip(users, trainers):
        trainer.user_id = ids[user.username]
    return Trainer.objects.bulk_create(trainers)


def seed_experts(*, rng, tree: dict, count: int = EXPERTS) -> list[Expert]:
    city, districts = tree["city"], tree["districts"]
    used: set = set()
    experts = []
    for _n in range(count):
        field = _weighted(rng, EXPERT_FIELDS)
        affiliation, title = rng.choice(EXPERT_AFFILIATIONS[field])
        phone = _phone(rng)
        topics = rng.sample(EXPERT_TOPICS[field], min(3, len(EXPERT_TOPICS[field])))
        name = _name(rng, used)
        experts.append(
            Expert(
                name=name,
                org=city if rng.random() < 0.7 else rng.choice(districts),
                field=field,
                affiliation=affiliation,
                title=title,
                email=f"expert{_n + 1:02d}@example.org",
                topics="、".join(topics),
                phone_encrypted=pii.encrypt(phone),
                phone_masked=mask_phone(phone),
                bio=(
                    f"{affiliation}{title}，长期研究{topics[0]}与{topics[1]}，"
                    "受聘为市委社治委专家智库成员，参与课程研发、现场教学点评和培训班指导。"
                ),
            )
        )
    return Expert.objects.bulk_create(experts)


def seed(context: dict) -> None:
    rng, tree = context["rng"], context["tree"]
    context["trainers"] = seed_trainers(rng=rng, tree=tree)
    context["experts"] = seed_experts(rng=rng, tree=tree)


RATING_WEIGHTS = [(5, 45), (4, 35), (3, 14), (2, 4), (1, 2)]
COMMENTS = {
    5: [
        "案例鲜活，都是身边社区的真实做法，回去就能用。",
        "讲得很接地气，小区治理的经验很有启发。",
        "老师把居民议事的流程讲得清清楚楚。",
        "现场教学安排得好，收获很大。",
    ],
    4: [
        "内容实用，希望多留一些互动交流时间。",
        "案例丰富，课件可以再精简一些。",
        "讲得不错，希望能提供课后资料。",
    ],
    3: ["内容偏理论，和基层实际结合还不够。", "时间有点紧，很多内容没展开。"],
    2: ["节奏太快，跟不上。"],
    1: ["与岗位需求关系不大。"],
}


def seed_feedback(context: dict) -> None:
    """After the classes exist: participants' ratings and the experts who advise.

    About 40% of the workers checked in to a class rate each of its trainers;
    a quarter of the classes have one or two advising experts.
    """
    rng = context["rng"]
    class_trainers: dict[int, list[int]] = {}
    for class_id, trainer_id in TrainingClass.trainers.through.objects.values_list(
        "trainingclass_id", "trainer_id"
    ).order_by("trainingclass_id", "trainer_id"):
        class_trainers.setdefault(class_id, []).append(trainer_id)
    attended = (
        Attendance.objects.filter(checked_in_at__isnull=False)
        .values_list("enrolment__training_class_id", "enrolment__worker_id")
        .distinct()
        .order_by("enrolment__training_class_id", "enrolment__worker_id")
    )
    ratings = []
    for class_id, worker_id in attended.iterator(chunk_size=5000):
        for trainer_id in class_trainers.get(class_id, ()):
            if rng.random() >= 0.4:
                continue
            score = _weighted(rng, RATING_WEIGHTS)
            comment = rng.choice(COMMENTS[score]) if rng.random() < 0.3 else ""
            ratings.append(
                TrainerRating(
                    trainer_id=trainer_id,
                    training_class_id=class_id,
                    worker_id=worker_id,
                    score=score,
                    comment=comment,
                )
            )
    TrainerRating.objects.bulk_create(ratings, batch_size=5000)

    experts = context.get("experts") or list(Expert.objects.all())
    if experts:
        through = TrainingClass.experts.through
        links = []
        class_ids = TrainingClass.objects.order_by("pk").values_list("pk", flat=True)
        for class_id in class_ids:
            if rng.random() < 0.25:
                for expert in rng.sample(
                    experts, min(len(experts), rng.choice([1, 2]))
                ):
                    links.append(
                        through(trainingclass_id=class_id, expert_id=expert.pk)
                    )
        through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
