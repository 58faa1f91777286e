"""External training claims within reason (学时认定): dates, days, hours, duplicates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lms.compliance.models import YearPolicy
from lms.training.models import CreditEntry, ExternalTraining
from lms.training.rules import ClaimPolicy, claim_credit, claim_problems
from lms.training.services import external_training_approve, external_training_submit
from lms.training.services.external import ExternalTrainingError
from tests.files import png_bytes
from tests.people.factories import AdminFactory, WorkerFactory

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def chinese():
    """Messages are checked in Chinese whatever an earlier test activated."""
    with translation.override("zh-hans"):
        yield


POLICY = ClaimPolicy(
    hours_per_day=Decimal("6"), max_hours_per_day=Decimal("8"), before_hire_days=90
)


def problems(start, end, days=None, hours=None, hire=dt.date(2020, 1, 1)):
    return claim_problems(
        start=start,
        end=end,
        days=None if days is None else Decimal(days),
        hours=None if hours is None else Decimal(hours),
        today=TODAY,
        hire_date=hire,
        policy=POLICY,
    )


@pytest.mark.parametrize(
    ("start", "end", "days", "hours", "expected"),
    [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), "1", None, []),
        (
            dt.date(2026, 3, 1),
            dt.date(2026, 3, 1),
            "999.99",
            None,
            ["days_beyond_dates"],
        ),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 3), "3", None, []),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 3), "3.5", None, ["days_beyond_dates"]),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), None, "8", []),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), None, "8.5", ["hours_beyond_dates"]),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2), None, "16", []),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 1), "1", None, ["end_before_start"]),
        (dt.date(2026, 6, 15), dt.date(2026, 6, 15), "1", None, []),
        (dt.date(2026, 6, 15), dt.date(2026, 6, 16), "1", None, ["in_future"]),
        (dt.date(2027, 3, 1), dt.date(2027, 3, 1), "1", None, ["in_future"]),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), "0", None, ["nothing_claimed"]),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), None, None, ["nothing_claimed"]),
    ],
)
def test_claim_problems(start, end, days, hours, expected):
    assert problems(start, end, days, hours) == expected


def test_claim_before_hire_date_less_the_allowance():
    """Hired 2026-04-01 with 90 days allowed: 2026-01-01 is the earliest start."""
    hire = dt.date(2026, 4, 1)
    assert problems(dt.date(2026, 1, 1), dt.date(2026, 1, 1), "1", hire=hire) == []
    assert problems(dt.date(2025, 12, 31), dt.date(2025, 12, 31), "1", hire=hire) == [
        "before_hire"
    ]


def png():
    return SimpleUploadedFile("c.png", png_bytes())


def submit(worker, **kwargs):
    data = {
        "worker": worker,
        "title": "社区心理服务培训",
        "start_date": dt.date(2026, 3, 1),
        "end_date": dt.date(2026, 3, 1),
        "days": Decimal("1"),
        "certificate": png(),
    } | kwargs
    return external_training_submit(**data)


@pytest.fixture
def worker(tree):
    return WorkerFactory(community=tree["community11"], hire_date=dt.date(2015, 1, 1))


@pytest.mark.django_db
def test_a_claim_beyond_its_dates_is_refused_and_writes_nothing(worker, time_machine):
    """Acting as the cheater: 999.99 days for a one-day course, a course dated next
    year, 30 hours in one day; each is refused with its reason."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 4, tzinfo=dt.UTC), tick=False)
    cases = [
        ({"days": Decimal("999.99")}, "天数超过"),
        ({"start_date": dt.date(2027, 3, 1), "end_date": dt.date(2027, 3, 1)}, "未来"),
        ({"days": None, "hours": Decimal("30")}, "每天"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            submit(worker, **kwargs)
    assert not ExternalTraining.objects.exists()


@pytest.mark.django_db
def test_a_claim_duplicating_a_credited_one_is_refused(worker, tree, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 4, tzinfo=dt.UTC), tick=False)
    first = submit(worker)
    admin = AdminFactory(org=tree["street1"], is_superuser=True)
    external_training_approve(item=first, actor=admin)
    with pytest.raises(ValidationError, match="已计入"):
        submit(worker)
    assert ExternalTraining.objects.count() == 1
    assert CreditEntry.objects.count() == 1


@pytest.mark.django_db
def test_approval_checks_the_claim_again(worker, tree, time_machine):
    """A pending claim that the year's rules no longer allow (a stricter per-day
    maximum set since) cannot be approved; nothing is credited."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 4, tzinfo=dt.UTC), tick=False)
    item = submit(worker, days=None, hours=Decimal("8"))
    YearPolicy.objects.create(year=2026, claim_max_hours_per_day=Decimal("6"))
    admin = AdminFactory(org=tree["street1"], is_superuser=True)
    with pytest.raises(ExternalTrainingError, match="每天允许"):
        external_training_approve(item=item, actor=admin)
    item.refresh_from_db()
    assert item.status == "pending" and not CreditEntry.objects.exists()


@pytest.mark.django_db
def test_the_approver_sees_the_claim_against_the_rules(
    client, worker, tree, time_machine
):
    """A claim stored before the rules (9 hours in one day): the review page marks
    the per-day rule as broken and shows the worker's year."""
    from django.urls import reverse

    time_machine.move_to(dt.datetime(2026, 6, 15, 4, tzinfo=dt.UTC), tick=False)
    item = ExternalTraining.objects.create(
        worker=worker,
        title="社区心理服务培训",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 1),
        hours=Decimal("9"),
        certificate="external/c.png",
    )
    client.force_login(AdminFactory(org=tree["street1"], is_superuser=True))
    html = client.get(reverse("training_external_review", args=[item.pk])).content
    html = html.decode()
    assert html.count('class="check-failed"') == 1
    assert "✗ 每天最多 8 学时" in html
    assert "2026 年已计入 0 天" in html


# --- Other kinds of study, converted by the year's table -------------------------------
TABLE = ClaimPolicy(
    hours_per_day=Decimal("6"),
    max_hours_per_day=Decimal("8"),
    before_hire_days=90,
    party_school_day_days=Decimal("1.5"),
    teaching_hour_hours=Decimal("2"),
    paper_hours=Decimal("6"),
)


@pytest.mark.parametrize(
    "kind, days, hours, papers, expected",
    [
        ("training", "2", None, None, ("2", "12")),
        ("training", None, "3", None, ("0.5", "3")),
        ("party_school", "2", None, None, ("3", "18")),
        ("teaching", None, "3", None, ("1", "6")),
        ("teaching", "0.5", None, None, ("1", "6")),  # half a day taught = 3 hours
        ("paper", None, None, 2, ("2", "12")),
        ("paper", "5", "40", 1, ("1", "6")),  # a paper's days/hours do not count
    ],
)
def test_claim_credit_by_the_years_table(kind, days, hours, papers, expected):
    credit = claim_credit(
        kind=kind,
        days=None if days is None else Decimal(days),
        hours=None if hours is None else Decimal(hours),
        papers=papers,
        policy=TABLE,
    )
    assert (credit.days, credit.hours) == tuple(Decimal(x) for x in expected)


def test_a_paper_claims_a_number_of_papers_not_days():
    day = dt.date(2026, 3, 1)
    common = {"start": day, "end": day, "today": TODAY, "hire_date": None}
    common["policy"] = POLICY
    assert claim_problems(
        days=None, hours=None, kind="paper", papers=None, **common
    ) == ["nothing_claimed"]
    assert claim_problems(days=None, hours=None, kind="paper", papers=1, **common) == []
    # Hours taught are bounded by the dates like any hours.
    assert claim_problems(
        days=None, hours=Decimal("9"), kind="teaching", papers=None, **common
    ) == ["hours_beyond_dates"]


@pytest.mark.django_db
def test_approval_converts_by_the_claims_year_table(worker, tree, time_machine):
    """3 hours taught in 2026, whose table counts an hour taught as 3 study hours:
    9 study hours, 1.5 days, in the ledger; a paper as 6 hours; the approver and the
    worker see how it was reckoned."""
    from django.urls import reverse

    time_machine.move_to(dt.datetime(2026, 6, 15, 4, tzinfo=dt.UTC), tick=False)
    YearPolicy.objects.create(year=2026, teaching_hour_hours=Decimal("3"))
    taught = submit(worker, study_kind="teaching", days=None, hours=Decimal("3"))
    paper = submit(
        worker,
        title="社区议事协商机制研究",
        study_kind="paper",
        days=None,
        papers=1,
        start_date=dt.date(2026, 4, 2),
        end_date=dt.date(2026, 4, 2),
    )
    admin = AdminFactory(org=tree["street1"], is_superuser=True)
    from django.test import Client

    client = Client()
    client.force_login(admin)
    html = client.get(reverse("training_external_review", args=[taught.pk])).content
    assert "授课：3 学时 × 3 = 9 学时（1.5 天）" in html.decode()
    for item in (taught, paper):
        external_training_approve(item=item, actor=admin)
    entries = {
        e.source_key: (e.days, e.hours, e.evidence["study_kind"])
        for e in CreditEntry.objects.all()
    }
    assert entries == {
        f"external:{taught.pk}": (Decimal("1.5"), Decimal("9"), "teaching"),
        f"external:{paper.pk}": (Decimal("1"), Decimal("6"), "paper"),
    }
