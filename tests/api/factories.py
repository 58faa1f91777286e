import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, Permission

from api.services import api_token_create
from lms.accounts.groups import ensure_admin_groups
from lms.training.services import credit_entry_create
from tests.people.factories import AdminFactory, WorkerFactory

# What the API reads, granted explicitly so these tests do not depend on the
# order in which the other apps add their permissions to accounts/groups.py.
API_READ_PERMISSIONS = [
    "people.view_worker",
    "people.view_postspan",
    "org.view_orgnode",
    "training.view_creditentry",
    "training.view_trainingclass",
    "training.view_enrolment",
    "certificates.view_certificate",
    "trainers.view_trainer",
    "trainers.view_expert",
    "bases.view_base",
    "bases.view_institution",
    "mentoring.view_studio",
    "mentoring.view_mentor",
    "mentoring.view_placement",
    "mentoring.view_question",
    "mentoring.view_pairing",
    "mentoring.view_poolmember",
    "mentoring.view_poolassignment",
]
ADMIN_WRITE_PERMISSIONS = ["training.add_enrolment"]


def admin_in_group(*, username: str, org, group: str):
    ensure_admin_groups()
    group_obj = Group.objects.get(name=group)
    if group != "社区管理员":
        wanted = API_READ_PERMISSIONS + ADMIN_WRITE_PERMISSIONS
        group_obj.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in={p.split(".")[0] for p in wanted},
                codename__in=[p.split(".")[1] for p in wanted],
            )
        )
    user = AdminFactory(username=username, org=org)
    user.groups.add(group_obj)
    return user


def token_for(owner, *, created_by=None) -> str:
    """A clear API token acting as `owner` (made by `created_by`, a city admin)."""
    if created_by is None:
        created_by = AdminFactory(
            username=f"tokenmaker{owner.pk}", org=owner.org, is_superuser=True
        )
    _token, raw = api_token_create(
        name="test system", owner=owner, created_by=created_by
    )
    return raw


def credit(
    worker, *, date=dt.date(2026, 3, 1), days="1.00", kind="in_person", key=None
):
    entry, _ = credit_entry_create(
        worker=worker,
        date=date,
        days=Decimal(days),
        hours=Decimal(days) * 6,
        kind=kind,
        title="社区治理专题培训",
        source_key=key or f"test:{worker.pk}:{date}:{kind}",
    )
    return entry


def populate(tree) -> dict:
    """Two workers per community with a ledger entry each, in both districts."""
    workers = {}
    for name in ("community11", "community12", "community21", "community22"):
        for i in range(2):
            w = WorkerFactory(community=tree[name], name=f"{name}-{i}")
            credit(w)
            credit(w, date=dt.date(2025, 6, 1), kind="online", days="0.50")
            workers.setdefault(name, []).append(w)
    return workers


def png_upload(name: str = "photo.png"):
    """A tiny real PNG, as a browser or an app uploads it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def populate_everything(tree, people) -> dict:
    """Per district: a class with a session and an enrolment, a trainer, an expert,
    a base, an institution, a course with a lesson and a certificate. Names carry
    the district's name, so a leak shows in any response."""
    from certificates import claims
    from certificates.services import certificate_issue
    from mentoring.models import (
        GuidanceProblem,
        GuidanceVisit,
        Pairing,
        PoolAssignment,
        PoolMember,
    )
    from mentoring.services.questions import (
        answer_create,
        question_ask,
        question_select,
    )
    from tests.bases.factories import BaseFactory, InstitutionFactory
    from tests.certificates.factories import CertificateTemplateFactory
    from tests.courses.factories import make_course, make_lesson
    from tests.mentoring.factories import (
        MentorFactory,
        PlacementFactory,
        StudioFactory,
    )
    from tests.trainers.factories import ExpertFactory, TrainerFactory
    from tests.training.factories import (
        ClassSessionFactory,
        EnrolmentFactory,
        TrainingClassFactory,
    )

    CertificateTemplateFactory(kind="honour", org=tree["city"], issuer_code="HR")
    city_actor = AdminFactory(username="kbeditor", org=tree["city"], is_superuser=True)
    made = {}
    for d in (1, 2):
        district = tree[f"district{d}"]
        label = district.name
        worker = people[f"community{d}1"][0]
        klass = TrainingClassFactory(organiser=district, title=f"{label}培训班")
        session = ClassSessionFactory(training_class=klass)
        enrolment = EnrolmentFactory(training_class=klass, worker=worker)
        course = make_course(district, title=f"{label}课程")
        lesson = make_lesson(course, title=f"{label}第一讲")
        veteran = WorkerFactory(
            community=tree[f"community{d}2"],
            name=f"{label}老兵",
            hire_date=dt.date(2000, 3, 1),
        )
        claim = claims.service_claim(
            veteran, years=20, issuer_org=district, on=dt.date(2026, 6, 1)
        )
        studio = StudioFactory(
            org=tree[f"community{d}2"], name=f"{label}工作室", leader=veteran
        )
        mentor = MentorFactory(
            org=tree[f"community{d}2"], name=f"{label}导师", studio=studio
        )
        question = question_ask(
            asker=worker,
            title="老旧小区如何议事",
            body="居民参与少",
            tags="小区治理",
            is_public=False,
            photos=[png_upload()],
        )
        answer_create(question=question, user=mentor.user, body="先成立议事会")
        public = question_ask(asker=worker, title="社区食堂怎么办", body="场地不足")
        answer_create(question=public, user=mentor.user, body="引入社会企业")
        question_select(question=public, actor=city_actor, selected=True)
        pool_member = PoolMember.objects.create(
            name=f"{label}老书记", org=district, status="retired"
        )
        assignment = PoolAssignment.objects.create(
            member=pool_member,
            community=tree[f"community{d}1"],
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
        )
        visit = GuidanceVisit.objects.create(
            assignment=assignment,
            community=assignment.community,
            date=dt.date(2026, 3, 1),
        )
        GuidanceProblem.objects.create(
            visit=visit, community=visit.community, topic="disputes", description="纠纷"
        )
        made[d] = {
            "pairing": Pairing.objects.create(
                mentor=mentor,
                mentee=people[f"community{d}1"][1],
                start=dt.date(2026, 1, 1),
                end=dt.date(2026, 12, 31),
                goals="熟悉居民工作",
            ),
            "question": question,
            "photo": question.photos.get(),
            "studio": studio,
            "mentor": mentor,
            "placement": PlacementFactory(worker=worker, mentor=mentor, studio=studio),
            "class": klass,
            "session": session,
            "enrolment": enrolment,
            "trainer": TrainerFactory(org=district, name=f"{label}讲师"),
            "expert": ExpertFactory(org=district, name=f"{label}专家"),
            "base": BaseFactory(org=district, name=f"{label}基地"),
            "institution": InstitutionFactory(org=district, name=f"{label}学院"),
            "course": course,
            "lesson": lesson,
            "certificate": certificate_issue(claim=claim),
        }
    return made
