"""Demo studios, mentors and shadowing placements (seed 000: 马杰's studio trained 40+
workers). The secretaries of a few model communities lead studios; the demo trainer
is a mentor too, with the demo worker placed with them (ended, not yet signed off,
so that signing off in the portal changes the worker's days)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from courses.models import LessonPage
from lms.accounts.models import Role, User
from lms.people.models import Post, Worker
from mentoring.models import (
    Mentor,
    MentorKind,
    PairSide,
    PlacementKind,
    PoolMember,
    Studio,
)
from mentoring.rules import months_between
from mentoring.services.pairs import pair_evaluate, pair_record_write, pairing_create
from mentoring.services.placements import (
    placement_create,
    placement_record,
    placement_sign_off,
)
from mentoring.services.pool import guidance_visit_record, pool_assignment_create
from mentoring.services.questions import (
    answer_accept,
    answer_create,
    question_ask,
    question_select,
)
from trainers.models import Expert, Trainer

from .people import DEMO_PASSWORD

STUDIO_SPECIALITIES = [
    "小区治理、楼栋红管家",
    "党建引领、社区营造",
    "社区社会企业、社区商业",
    "网格化服务管理、矛盾调解",
    "社会组织培育、志愿服务",
    "社区美空间、微更新项目",
]
GOALS = [
    "跟班学习小区治理的议事协商流程，回社区后牵头成立小区议事会。",
    "学习社区党群服务中心的运营与活动策划。",
    "跟岗学习矛盾纠纷调解和网格化服务管理。",
    "学习社区社会企业的筹建与运营。",
]
ASSESSMENTS = [
    "全程参与议事协商，能独立组织一次居民议事会，表现优秀。",
    "学习认真，掌握活动策划要点，建议回社区后继续实践。",
    "能够独立处理一般矛盾纠纷，沟通能力明显提高。",
]


def seed(context: dict) -> None:
    rng, tree = context["rng"], context["tree"]
    city = tree["city"]
    admin = (
        User.objects.filter(is_superuser=True).first()
        or User.objects.filter(org=city).first()
    )
    today = timezone.localdate()
    communities = tree["communities"]
    secretaries = {
        w.community_id: w
        for w in Worker.objects.filter(
            post=Post.SECRETARY, community__in=communities[1:7]
        ).select_related("community", "user")
    }
    mentors = []
    for n, community in enumerate(communities[1:7]):
        leader = secretaries.get(community.pk)
        if leader is None:
            continue
        studio = Studio.objects.create(
            name=f"{leader.name}书记工作室",
            org=community,
            leader=leader,
            specialities=STUDIO_SPECIALITIES[n % len(STUDIO_SPECIALITIES)],
            description=f"以{community.name}为实践基地，带教周边社区的副职和新任委员。",
        )
        mentors.append(
            Mentor.objects.create(
                name=leader.name,
                org=community,
                kind=MentorKind.WORKER,
                worker=leader,
                studio=studio,
                specialities=studio.specialities,
                user=leader.user,
                bio=f"{community.name}党委书记，{studio.name}领衔人。",
            )
        )
    trainer = Trainer.objects.filter(user__username="demo_trainer").first()
    host = None
    if trainer is not None:
        host = Mentor.objects.create(
            name=trainer.name,
            org=trainer.org,
            kind=MentorKind.TRAINER,
            trainer=trainer,
            user=trainer.user,
            specialities=trainer.specialities,
            bio=trainer.bio,
        )
        mentors.append(host)
    if not mentors:
        return
    year_start = dt.date(today.year, 1, 1)
    trainees = list(
        Worker.objects.filter(post__in=[Post.DEPUTY, Post.MEMBER], leave_date=None)
        .exclude(community__in=communities[1:7])
        .order_by("id")[:48]
    )
    made = 0
    for n, worker in enumerate(trainees):
        mentor = mentors[n % len(mentors)]
        start = year_start + dt.timedelta(days=rng.randrange(0, 200))
        end = start + dt.timedelta(days=rng.choice([4, 6, 13]))
        if end >= today:
            start, end = today - dt.timedelta(days=20), today - dt.timedelta(days=16)
        days = Decimal(min(5, (end - start).days + 1))
        placement = placement_create(
            worker=worker,
            mentor=mentor,
            studio=mentor.studio,
            kind=rng.choice(PlacementKind.values),
            start=start,
            end=end,
            planned_days=days,
            goals=rng.choice(GOALS),
            actor=admin,
        )
        made += 1
        if n % 3 == 2 or mentor.user is None:
            continue  # still under way: the host records and signs off later
        placement_record(
            placement=placement,
            user=mentor.user,
            recorded_days=days - Decimal("0.5") * (n % 2),
            assessment=rng.choice(ASSESSMENTS),
        )
        placement_sign_off(placement=placement, user=mentor.user, today=today)
    demo_worker = Worker.objects.filter(user__username="demo_worker").first()
    if host is not None and demo_worker is not None:
        placement_create(
            worker=demo_worker,
            mentor=host,
            kind=PlacementKind.SHADOWING,
            start=today - dt.timedelta(days=10),
            end=today - dt.timedelta(days=8),
            planned_days=Decimal("3"),
            goals=GOALS[0],
            actor=admin,
        )
        made += 1
    context["placements"] = made
    seed_pairs(context, admin=admin, mentors=mentors, today=today)
    seed_pool(context, admin=admin, today=today)
    seed_questions(context, admin=admin)


LEARNED = [
    "跟随导师参加居民议事会，学习议题收集和会议主持。",
    "学习矛盾纠纷调解的基本流程，旁听两次调解。",
    "整理社区台账，学习“一表通”的填报方法。",
    "参与社区党群服务中心活动策划。",
]
PROBLEMS_HANDLED = ["协调解决楼道堆物问题。", "化解一起邻里噪音纠纷。", ""]


def seed_pairs(context: dict, *, admin, mentors, today) -> None:
    """Pairs of new committee members with the studio mentors, monthly records for
    most months (some missing, so reminders have work), ended pairs evaluated."""

    rng = context["rng"]
    hosts = [m for m in mentors if m.kind == MentorKind.WORKER]
    newcomers = list(
        Worker.objects.filter(post__in=[Post.MEMBER, Post.STAFF], leave_date=None)
        .exclude(placements__isnull=False)
        .order_by("-hire_date", "id")[: 4 * len(hosts)]
    )
    for n, mentee in enumerate(newcomers):
        mentor = hosts[n % len(hosts)]
        start = dt.date(today.year - (n % 3 == 0), rng.randrange(1, 7), 1)
        end = start + dt.timedelta(days=rng.choice([180, 270, 365]))
        pairing = pairing_create(
            mentor=mentor,
            mentee=mentee,
            start=start,
            end=end,
            goals="熟悉社区居民工作，掌握议事协商和矛盾调解方法。",
            actor=admin,
        )
        for m, month in enumerate(months_between(start, min(end, today))):
            if month.month == today.month and month.year == today.year:
                continue
            if (m + n) % 5 == 4:
                continue  # a month without a record
            user = mentee.user if m % 2 else mentor.user
            if user is None:
                continue
            pair_record_write(
                pairing=pairing,
                user=user,
                month=month,
                learned=rng.choice(LEARNED),
                problems=rng.choice(PROBLEMS_HANDLED),
                today=today,
            )
        if end < today:
            for side, user in (
                (PairSide.MENTOR, mentor.user),
                (PairSide.MENTEE, mentee.user),
            ):
                if user is not None:
                    pair_evaluate(
                        pairing=pairing,
                        user=user,
                        score=rng.choice([4, 5]),
                        comment="结对一年，收获很大。"
                        if side == PairSide.MENTEE
                        else "进步明显，已能独立开展工作。",
                        today=today,
                    )


# (title, body, tags): practical problems workers raise (请教一下, seed 001).
PROBLEMS = [
    (
        "老旧院落没有物业，环境脏乱差怎么办",
        "院落无人管理，居民意见很大，如何引导居民自治？",
        "老旧院落改造、小区治理",
    ),
    (
        "小区物业纠纷反复出现如何化解",
        "业主与物业因收费和服务质量矛盾不断。",
        "物业纠纷化解、人民调解",
    ),
    (
        "居民议事会开不起来怎么办",
        "每次召集议事，到场的居民很少，议题也难以推进。",
        "居民议事协商",
    ),
    (
        "社区社会企业如何起步",
        "想成立社区社会企业运营社区食堂，不知从何入手。",
        "社区社会企业",
    ),
    (
        "如何培育社区社会组织",
        "社区里有不少兴趣团队，如何引导其成为社会组织？",
        "社会组织培育",
    ),
    (
        "网格员工作负担重如何减负",
        "各类报表和台账太多，网格员疲于应付。",
        "社区减负增效",
    ),
    (
        "社区党群服务中心利用率低",
        "中心空间很大，但平时来的居民不多。",
        "社区美空间、社区营造",
    ),
    (
        "新任委员如何尽快熟悉工作",
        "刚当选社区委员，对居民工作还不熟悉。",
        "社区工作者职业体系",
    ),
    ("社工站如何与社区协同", "街道社工站建成后，与社区的分工不清楚。", "社工站建设"),
    ("公益创投项目如何申报", "社区想申报公益创投项目，需要准备哪些材料？", "公益创投"),
    (
        "如何发挥小区党支部作用",
        "小区党支部成立后，党员作用发挥不明显。",
        "党建引领基层治理、网格党建",
    ),
    (
        "社区微更新项目如何让居民参与",
        "微更新项目方案由设计单位做，居民参与不足。",
        "社区微更新",
    ),
]
ANSWERS = [
    "建议先摸清居民诉求，再召开院落议事会，推选院落自管小组，逐步建立自治机制。",
    "可以引入第三方专业机构，结合人民调解委员会，建立物业、业委会、社区三方联席会议。",
    "议题要从居民最关心的小事入手，提前入户征求意见，会上形成决议后及时公示结果。",
    "先做需求调研和可行性分析，依托社区资源注册，由社区股份经济合作社或居民出资入股。",
    "建议从兴趣团队中发现骨干，给予场地和孵化支持，逐步规范运作并进行备案。",
    "可以梳理台账清单，合并重复报表，推动“一表通”，把时间还给居民。",
    "建议开展空间微改造和错时开放，引入社会组织运营，策划居民喜欢的活动。",
]
SUFFIXES = ["", "？", "（求助）", "，请专家指点", "，有经验的同行请赐教"]


def seed_questions(context: dict, *, admin) -> None:
    """Experts of the think tank become mentors with sign-ins (the first is
    `demo_expert`); a few hundred questions with answers; some in the knowledge base."""

    rng = context["rng"]
    password = make_password(DEMO_PASSWORD)
    for n, expert in enumerate(Expert.objects.order_by("id")):
        user = User.objects.create(
            username="demo_expert" if n == 0 else f"expert_{n}",
            password=password,
            role=Role.TRAINER,
            first_name=expert.name,
        )
        Mentor.objects.create(
            name=expert.name,
            org=expert.org,
            kind=MentorKind.EXPERT,
            expert=expert,
            user=user,
            specialities=expert.topics,
            bio=expert.bio,
        )
    mentors = list(Mentor.objects.filter(user__isnull=False))
    if not mentors:
        return
    askers = list(Worker.objects.filter(user__isnull=False).order_by("id")[:400])
    lessons = list(LessonPage.objects.live().order_by("id")[:30])
    count = context.get("questions", 300)
    selected = 0
    for n in range(count):
        title, body, tags = PROBLEMS[n % len(PROBLEMS)]
        asker = askers[rng.randrange(len(askers))]
        question = question_ask(
            asker=asker,
            title=f"{title}{SUFFIXES[n % len(SUFFIXES)]}",
            body=body,
            tags=tags,
            is_public=n % 7 != 0,
        )
        if n % 10 >= 7:
            continue  # still waiting for an answer
        routed = list(question.routed_to.all()) or (
            [] if not question.is_public else mentors
        )
        if not routed:
            continue
        first = answer_create(
            question=question,
            user=rng.choice(routed).user,
            body=ANSWERS[n % len(ANSWERS)],
        )
        if n % 3 == 0:
            answer_accept(question=question, user=asker.user, answer=first)
        if question.is_public and n % 4 == 0:
            question_select(
                question=question,
                actor=admin,
                selected=True,
                lesson=lessons[n % len(lessons)] if lessons and n % 8 == 0 else None,
            )
            selected += 1
    context["stdout"].write(f"  {count} questions, {selected} in the knowledge base")


POOL_PROBLEMS = [
    (
        "planning",
        "社区发展治理规划缺少居民参与",
        "组织三次院落坝坝会收集意见，修订规划。",
    ),
    (
        "governance",
        "无物业老旧院落环境脏乱",
        "推动成立院落自管小组，引入“信托制”物业。",
    ),
    (
        "disputes",
        "楼上楼下漏水纠纷长期未解决",
        "联合人民调解员上门调解，双方签订协议。",
    ),
    ("services", "老年人助餐需求大", "链接社区食堂和社会企业，开设长者助餐点。"),
    ("resources", "缺少活动经费", "指导申报公益创投项目，获得资金支持。"),
    ("party", "小区党支部作用发挥不明显", "建立党员“亮身份”机制，认领楼栋服务。"),
]


def seed_pool(context: dict, *, admin, today) -> None:
    """The 续航计划 pool: retired secretaries assigned to communities, with a visit a
    month and the problems raised at each (most resolved)."""

    rng, tree = context["rng"], context["tree"]
    city = tree["city"]
    members = [
        PoolMember.objects.create(
            name=f"{surname}{given}",
            org=city,
            status="retired" if n % 4 else "serving",
            former_post="原社区党委书记" if n % 4 else "社区党委书记",
            specialities=rng.choice(STUDIO_SPECIALITIES),
            availability="每周两天",
        )
        for n, (surname, given) in enumerate(
            zip(
                "王李张刘陈杨赵黄周吴徐孙",
                "建国 秀英 桂兰 志强 淑珍 德明 玉梅 国华 红 平 立新 海燕".split(),
            )
        )
    ]
    start = dt.date(today.year, 1, 1)
    for n, community in enumerate(tree["communities"][:41]):
        assignment = pool_assignment_create(
            member=members[n % len(members)],
            community=community,
            start=start,
            end=dt.date(today.year, 12, 31),
            goals="陪伴式治理支持：规划、疑难问题指导、资源链接。",
            actor=admin,
        )
        day = start + dt.timedelta(days=rng.randrange(5, 25))
        while day < today - dt.timedelta(days=3):
            chosen = rng.sample(POOL_PROBLEMS, rng.randrange(0, 3))
            guidance_visit_record(
                assignment=assignment,
                actor=admin,
                date=day,
                topics="、".join(p[1][:6] for p in chosen) or "回访",
                notes="实地走访，与社区两委座谈。",
                follow_up="下次走访跟进落实情况。",
                problems=[
                    {
                        "topic": topic,
                        "description": text,
                        "resolved": rng.random() < 0.8,
                        "resolution": how,
                    }
                    for topic, text, how in chosen
                ],
                today=today,
            )
            day += dt.timedelta(days=rng.randrange(25, 40))
