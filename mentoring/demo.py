"""Demo studios, mentors and shadowing placements (seed 000: 马杰's studio trained 40+
workers). The secretaries of a few model communities lead studios; the demo trainer
is a mentor too, with the demo worker placed with them (ended, not yet signed off,
so that signing off in the portal changes the worker's days)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lms.accounts.models import User
from lms.people.models import Post, Worker
from trainers.models import Trainer

from .models import Mentor, MentorKind, PlacementKind, Studio
from .services import placement_create, placement_record, placement_sign_off

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
