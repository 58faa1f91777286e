"""Demo classes, sessions, enrolments, attendance and their ledger entries.

Three levels as in the reports (市级示范, 区县普遍, 镇街兜底), rotation classes for
community party secretaries run by districts, induction for new hires (district for new
committee members, street for new staff), over the previous and the current year. The
mix is realistic: most workers meet their days, some are at risk, some secretaries miss
the rotation class, recent hires wait for induction. At `--workers 66380` the ledger
holds about 550,000 entries (some 440,000 in the current year: the platform started in
the autumn of the previous year, so little history precedes it); everything goes
through bulk_create in chunks.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from lms.people.models import Post
from lms.training.models import (
    Attendance,
    AttendanceMethod,
    ClassSession,
    CreditEntry,
    CreditKind,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    ExtraRequirement,
    TrainingClass,
    TrainingForm,
    TrainingLevel,
    TrainingType,
)
from lms.training.policy import hours_per_day
from lms.training.services import credit_entries_create

FULL = ("full", dt.time(9, 0), dt.time(17, 0))
MORNING = ("half", dt.time(9, 0), dt.time(12, 0))
AFTERNOON = ("half", dt.time(14, 0), dt.time(17, 0))
TWO_COMMITTEE = [Post.SECRETARY, Post.DEPUTY, Post.MEMBER]
STAFF_POSTS = [Post.STAFF, Post.GRID_WORKER, Post.PARTY_AFFAIRS]

# kind: level, type, form, organiser level, target posts, sessions (day offset, spec),
# capacity, titles ({org} is the organiser's name, {n} the class number).
KINDS = {
    "street": dict(
        level=TrainingLevel.STREET,
        type=TrainingType.ON_THE_JOB,
        form=TrainingForm.IN_PERSON,
        organiser="street",
        posts=[],
        sessions=[(0, AFTERNOON), (7, AFTERNOON), (14, AFTERNOON)],
        capacity=80,
        titles=[
            "{org}社区工作者“全岗通”业务培训（第{n}期）",
            "{org}社区工作者岗位能力提升培训班（第{n}期）",
            "{org}社区治理季度讲堂（第{n}期）",
        ],
    ),
    "district": dict(
        level=TrainingLevel.DISTRICT,
        type=TrainingType.CONTINUING,
        form=TrainingForm.IN_PERSON,
        organiser="district",
        posts=[],
        sessions=[(0, FULL), (1, MORNING), (1, AFTERNOON)],
        capacity=120,
        titles=[
            "{org}社区工作者继续教育集中培训班（第{n}期）",
            "{org}社区专职工作者集中培训班（第{n}期）",
            "{org}社区发展治理专题培训班（第{n}期）",
        ],
    ),
    "forum": dict(
        level=TrainingLevel.STREET,
        type=TrainingType.CONTINUING,
        form=TrainingForm.FORUM,
        organiser="street",
        posts=[],
        sessions=[(0, MORNING), (28, MORNING)],
        capacity=150,
        titles=[
            "{org}“基层治理公益云讲堂”（第{n}期）",
            "{org}社区工作者月讲坛（第{n}期）",
        ],
    ),
    "city": dict(
        level=TrainingLevel.CITY,
        type=TrainingType.CONTINUING,
        form=TrainingForm.ON_SITE,
        organiser="city",
        posts=[],
        sessions=[(0, FULL), (1, FULL)],
        capacity=300,
        titles=[
            "{org}社区工作者示范培训班·现场教学（第{n}期）",
            "{org}“社区发展提能”示范培训班（第{n}期）",
        ],
    ),
    "rotation": dict(
        level=TrainingLevel.DISTRICT,
        type=TrainingType.ROTATION,
        form=TrainingForm.IN_PERSON,
        organiser="district",
        posts=[Post.SECRETARY],
        sessions=[(0, FULL), (1, FULL), (2, FULL)],
        capacity=60,
        titles=["{org}社区党组织书记集中轮训班（第{n}期）"],
    ),
    "city_secretary": dict(
        level=TrainingLevel.CITY,
        type=TrainingType.ON_THE_JOB,
        form=TrainingForm.IN_PERSON,
        organiser="city",
        posts=[Post.SECRETARY],
        sessions=[(0, FULL), (1, FULL)],
        capacity=100,
        titles=["{org}社区党组织书记示范培训班（第{n}期）"],
    ),
    "induction_district": dict(
        level=TrainingLevel.DISTRICT,
        type=TrainingType.INDUCTION,
        form=TrainingForm.IN_PERSON,
        organiser="district",
        posts=TWO_COMMITTEE,
        sessions=[(0, FULL), (1, FULL), (2, FULL)],
        capacity=60,
        titles=["{org}新任社区“两委”成员初任培训班（第{n}期）"],
    ),
    "induction_street": dict(
        level=TrainingLevel.STREET,
        type=TrainingType.INDUCTION,
        form=TrainingForm.IN_PERSON,
        organiser="street",
        posts=STAFF_POSTS,
        sessions=[(0, FULL), (1, FULL), (2, FULL)],
        capacity=60,
        titles=["{org}新聘社区干事入职培训班（第{n}期）"],
    ),
}
LOCATIONS = [
    "党群服务中心三楼会议室",
    "区委党校报告厅",
    "社区治理学院多功能厅",
    "街道综合文化站",
]
DESCRIPTION = (
    "围绕社区发展治理、为民服务和专业社会工作方法，采取专题讲授、案例教学和"
    "现场教学相结合的方式，帮助学员提升“全岗通”业务能力。"
)


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 4:  # Monday–Thursday: multi-day classes end in the week
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class _Plan:
    """Who attends which kind of class, per (year, kind, organiser)."""

    def __init__(self):
        self.groups = defaultdict(list)  # (year, kind, organiser id, slot) -> ids

    def add(self, year, kind, organiser, worker_id, slot=0):
        self.groups[(year, kind, organiser.pk, slot)].append(worker_id)


def _plan(rng, workers, orgs_of, today) -> _Plan:
    plan = _Plan()
    city = orgs_of["city"]
    for w in workers:
        street, district = orgs_of[w.community_id]
        for year in (today.year - 1, today.year):
            if w.hire_date.year > year:
                continue
            if w.hire_date.year == year:  # new hire: induction only
                if rng.random() < 0.2:
                    continue  # waiting for induction
                kind, org = (
                    ("induction_district", district)
                    if w.post in TWO_COMMITTEE
                    else ("induction_street", street)
                )
                plan.add(year, kind, org, w.id, slot=w.hire_date.month)
                continue
            if year < today.year and rng.random() > 0.3:
                continue  # the platform started mid-year: little history before
            roll = rng.random()
            if w.post == Post.SECRETARY:
                if roll < 0.82:  # 3 + 2 + 2 = 7 days, with the rotation class
                    plan.add(year, "rotation", district, w.id)
                    plan.add(year, "city_secretary", city, w.id)
                    plan.add(year, "district", district, w.id)
                elif roll < 0.95:  # 2 + 2 + 1.5 days: no rotation class
                    plan.add(year, "city_secretary", city, w.id)
                    plan.add(year, "district", district, w.id)
                    plan.add(year, "street", street, w.id)
                else:
                    plan.add(year, "street", street, w.id)
                continue
            if roll < 0.80:  # 1.5 + 2 (+ 1) days
                plan.add(year, "street", street, w.id)
                if rng.random() < 0.15:
                    plan.add(year, "city", city, w.id)
                else:
                    plan.add(year, "district", district, w.id)
                if rng.random() < 0.9:
                    plan.add(year, "forum", street, w.id)
            elif roll < 0.93:  # at risk: one street class
                plan.add(year, "street", street, w.id)
            elif roll < 0.97:
                plan.add(year, "district", district, w.id)
            # else: no training at all this year
    return plan


def seed(context: dict) -> None:
    rng = context["rng"]
    tree = context["tree"]
    workers = context["workers"]
    today = timezone.localdate()
    city = tree["city"]
    by_path = {n.path: n for n in (*tree["districts"], *tree["streets"])}
    step = city.steplen
    orgs_of = {"city": city}
    for community in tree["communities"]:
        orgs_of[community.pk] = (
            by_path[community.path[: 3 * step]],
            by_path[community.path[: 2 * step]],
        )
    nodes = {n.pk: n for n in (city, *tree["districts"], *tree["streets"])}
    plan = _plan(rng, workers, orgs_of, today)
    hire = {w.id: w.hire_date for w in workers}

    classes, members, session_specs = [], [], []
    numbers = defaultdict(int)
    windows = {
        today.year - 1: _weekdays(
            dt.date(today.year - 1, 9, 1), dt.date(today.year - 1, 11, 20)
        ),
        today.year: _weekdays(
            dt.date(today.year, 2, 20), today - dt.timedelta(days=40)
        ),
    }
    for (year, kind, org_id, slot), ids in sorted(plan.groups.items()):
        spec = KINDS[kind]
        organiser = nodes[org_id]
        ids.sort()
        days = windows[year]
        if slot:  # induction: after the month of hire
            earliest = max(hire[i] for i in ids) + dt.timedelta(days=14)
            days = [d for d in days if d >= earliest] or []
            if not days:
                continue  # hired too recently: induction still pending
        capacity = spec["capacity"]
        for start in range(0, len(ids), capacity):
            chunk = ids[start : start + capacity]
            numbers[(year, kind, org_id)] += 1
            first = rng.choice(days)
            opens = timezone.make_aware(
                dt.datetime.combine(first - dt.timedelta(days=30), dt.time(9))
            )
            title = rng.choice(spec["titles"]).format(
                org=f"{year}年{organiser.name}", n=numbers[(year, kind, org_id)]
            )
            classes.append(
                TrainingClass(
                    title=title[:200],
                    description=DESCRIPTION,
                    level=spec["level"],
                    type=spec["type"],
                    form=spec["form"],
                    organiser=organiser,
                    target_org=organiser,
                    target_posts=list(spec["posts"]),
                    location=rng.choice(LOCATIONS),
                    capacity=max(capacity, len(chunk)),
                    enrol_opens=opens,
                    enrol_closes=opens + dt.timedelta(days=20),
                    cancel_deadline=opens + dt.timedelta(days=25),
                    extra_requirement=ExtraRequirement.NONE,
                )
            )
            members.append(chunk)
            session_specs.append(
                [(first + dt.timedelta(days=o), s) for o, s in spec["sessions"]]
            )
    TrainingClass.objects.bulk_create(classes, batch_size=1000)
    _seed_upcoming(rng, tree, workers, today)
    _link_trainers(rng, context, classes)

    sessions = []
    for klass, specs in zip(classes, session_specs):
        for n, (date, (length, start, end)) in enumerate(specs, 1):
            sessions.append(
                ClassSession(
                    training_class=klass,
                    topic=f"第{n}讲",
                    date=date,
                    start_time=start,
                    end_time=end,
                    length=length,
                )
            )
    ClassSession.objects.bulk_create(sessions, batch_size=2000)
    by_class = defaultdict(list)
    for s in sessions:
        by_class[s.training_class_id].append(s)

    per_day = {y: hours_per_day(y) for y in (today.year - 1, today.year)}
    credit = {
        (y, length): (days, days * per_day[y])
        for y in per_day
        for length, days in (("full", Decimal("1")), ("half", Decimal("0.5")))
    }
    total = 0
    batch = []
    for klass, chunk in zip(classes, members):
        batch.append((klass, chunk))
        if sum(len(c) for _, c in batch) >= 20000:
            total += _attend(rng, batch, by_class, credit)
            batch = []
    total += _attend(rng, batch, by_class, credit)
    context["training_classes"] = len(classes)
    context["ledger_entries"] = total
    out = context.get("stdout")
    if out is not None:
        out.write(
            f"  {len(classes)} classes, {len(sessions)} sessions, {total} ledger entries"
        )


def _attend(rng, batch, by_class, credit) -> int:
    """Enrolments, attendance and one ledger entry per session per worker, in bulk."""
    if not batch:
        return 0
    enrolments = []
    for klass, chunk in batch:
        requested = klass.enrol_opens + dt.timedelta(hours=2)
        for wid in chunk:
            enrolments.append(
                Enrolment(
                    training_class_id=klass.pk,
                    worker_id=wid,
                    status=EnrolmentStatus.ENROLLED,
                    source=EnrolmentSource.BULK,
                    requested_at=requested,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    entries, pending = [], []
    index = 0
    for klass, chunk in batch:
        sessions = by_class[klass.pk]
        windows = [(s, s.starts_at, s.ends_at) for s in sessions]
        for wid in chunk:
            enrolment = enrolments[index]
            index += 1
            for s, starts, ends in windows:
                days, hours = credit[(s.date.year, s.length)]
                entries.append(
                    CreditEntry(
                        worker_id=wid,
                        date=s.date,
                        days=days,
                        hours=hours,
                        kind=CreditKind.IN_PERSON,
                        training_type=klass.type,
                        form=klass.form,
                        organiser_id=klass.organiser_id,
                        title=f"{klass.title} · {s.date:%m-%d}"[:200],
                        source_key=f"session:{s.pk}",
                        evidence={"class": klass.pk, "session": s.pk, "method": "qr"},
                    )
                )
                pending.append(
                    Attendance(
                        session_id=s.pk,
                        enrolment_id=enrolment.pk,
                        checked_in_at=starts
                        + dt.timedelta(minutes=rng.randint(-20, 5)),
                        checked_out_at=ends + dt.timedelta(minutes=rng.randint(0, 15)),
                        method=AttendanceMethod.QR,
                    )
                )
    credit_entries_create(entries=entries)
    for attendance, entry in zip(pending, entries, strict=True):
        attendance.credit_id = entry.pk
    Attendance.objects.bulk_create(pending, batch_size=5000)
    return len(entries)


def _seed_upcoming(rng, tree, workers, today):
    """Classes open for enrolment now (December sessions) and one running today, so the
    portal and the QR screen have something to show."""
    upcoming = []
    opens = timezone.now() - dt.timedelta(days=5)
    closes = timezone.now() + dt.timedelta(days=12)
    first = today + dt.timedelta(days=14)
    for district in tree["districts"]:
        upcoming.append(
            TrainingClass(
                title=f"{district.name}社区工作者年终集中培训班",
                description=DESCRIPTION,
                level=TrainingLevel.DISTRICT,
                type=TrainingType.CONTINUING,
                form=TrainingForm.IN_PERSON,
                organiser=district,
                target_org=district,
                location=rng.choice(LOCATIONS),
                capacity=150,
                enrol_opens=opens,
                enrol_closes=closes,
                cancel_deadline=closes,
            )
        )
    city = tree["city"]
    upcoming.append(
        TrainingClass(
            title=f"{city.name}社区工作者职业资格考前辅导班",
            description="助理社会工作师、社会工作师职业水平考试考前辅导，含结业测试。",
            level=TrainingLevel.CITY,
            type=TrainingType.EXAM_PREP,
            form=TrainingForm.IN_PERSON,
            organiser=city,
            target_org=city,
            location="市社区治理学院",
            capacity=200,
            enrol_opens=opens,
            enrol_closes=closes,
            cancel_deadline=closes,
            extra_requirement=ExtraRequirement.TEST,
        )
    )
    today_class = TrainingClass(
        title=f"{city.name}社区党组织书记能力提升示范班（论文答辩）",
        description="集中授课、撰写调研论文并现场答辩，论文与答辩均合格方可结业。",
        level=TrainingLevel.CITY,
        type=TrainingType.ON_THE_JOB,
        form=TrainingForm.IN_PERSON,
        organiser=city,
        target_org=city,
        target_posts=[Post.SECRETARY],
        location="市社区治理学院报告厅",
        capacity=120,
        enrol_opens=timezone.now() - dt.timedelta(days=20),
        enrol_closes=timezone.now() + dt.timedelta(days=1),
        cancel_deadline=timezone.now() - dt.timedelta(days=2),
        extra_requirement=ExtraRequirement.PAPER_DEFENCE,
    )
    upcoming.append(today_class)
    TrainingClass.objects.bulk_create(upcoming)
    sessions = []
    for klass in upcoming[:-1]:
        sessions += [
            ClassSession(
                training_class=klass,
                topic="第1讲",
                date=first,
                start_time=FULL[1],
                end_time=FULL[2],
                length="full",
            ),
            ClassSession(
                training_class=klass,
                topic="第2讲",
                date=first + dt.timedelta(days=1),
                start_time=MORNING[1],
                end_time=MORNING[2],
                length="half",
            ),
        ]
    sessions += [
        ClassSession(
            training_class=today_class,
            topic="开班式与专题讲授",
            date=today,
            start_time=dt.time(0, 5),
            end_time=dt.time(23, 55),
            length="full",
        ),
        ClassSession(
            training_class=today_class,
            topic="论文答辩",
            date=today + dt.timedelta(days=1),
            start_time=FULL[1],
            end_time=FULL[2],
            length="full",
        ),
    ]
    ClassSession.objects.bulk_create(sessions)
    # the first district's secretaries (the README's demo worker among them) are enrolled
    first_district = tree["districts"][0].path
    community_paths = {c.pk: c.path for c in tree["communities"]}
    secretaries = [
        w.id
        for w in workers
        if w.post == Post.SECRETARY
        and community_paths[w.community_id].startswith(first_district)
    ][: today_class.capacity]
    Enrolment.objects.bulk_create(
        Enrolment(
            training_class=today_class,
            worker_id=wid,
            status=EnrolmentStatus.ENROLLED,
            source=EnrolmentSource.BULK,
        )
        for wid in secretaries
    )


def _link_trainers(rng, context, classes):
    """One or two trainers per class, and the README's demo trainer on the classes
    running now."""
    trainers = context.get("trainers") or []
    if not trainers:
        return
    through = TrainingClass.trainers.through
    links = []
    for klass in classes:
        for trainer in rng.sample(trainers, min(len(trainers), rng.choice([1, 2]))):
            links.append(through(trainingclass_id=klass.pk, trainer_id=trainer.pk))
    demo = next((t for t in trainers if t.user_id), None)
    if demo is not None:
        for klass in TrainingClass.objects.filter(enrol_closes__gte=timezone.now()):
            links.append(through(trainingclass_id=klass.pk, trainer_id=demo.pk))
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    bases = context.get("bases") or []
    if bases:
        on_site = [c for c in classes if c.form == TrainingForm.ON_SITE]
        for klass in on_site:
            klass.base_id = rng.choice(bases).pk
        TrainingClass.objects.bulk_update(on_site, ["base"], batch_size=1000)
