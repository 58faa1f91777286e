"""Reading an import's rows: the columns it knows, and each cell checked (errors
recorded on the row); nothing is written."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_noop

from lms.org.models import OrgNode
from lms.tabular import (
    Row,
    Table,
    choice_lookup,
    missing_columns,
    parse_choice,
    parse_date,
)
from lms.tabular.values import parse_phone, squeeze

from .. import pii
from ..models import Education, PoliticalStatus, Post, Qualification
from ..rules import (
    EDUCATION_ALIASES,
    POLITICAL_ALIASES,
    POST_ALIASES,
    QUALIFICATION_ALIASES,
    GenderMismatch,
    InvalidIdNumber,
    mask_id_number,
    old_enough_to_hire,
    parse_gender,
    parse_id_number,
)
from ..selectors import communities_by_code

ID_NUMBER_HEADERS = ["身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"]
WORKER_COLUMNS = {
    "name": ["姓名"],
    "id_number": ID_NUMBER_HEADERS,
    "education": ["学历", "文化程度", "最高学历", "全日制学历"],
    "political_status": ["政治面貌"],
    "qualification": ["职业资格", "社工资格", "职业水平", "社会工作者职业资格"],
    "hire_date": ["入职日期", "入职时间", "聘用日期", "参加社区工作时间"],
    "community_code": ["社区代码", "社区编码", "所在社区代码"],
    "post": ["岗位", "职务", "现任职务", "岗位名称", "现任岗位"],
    "post_start": ["岗位开始日期", "任现职时间", "任职时间", "任职日期"],
    "phone": ["手机号", "手机号码", "联系电话", "手机", "联系方式", "电话"],
    "gender": ["性别"],
}
POST_COLUMNS = {
    "id_number": ID_NUMBER_HEADERS,
    "post": ["岗位", "职务", "岗位名称"],
    "community_code": ["社区代码", "社区编码"],
    "start": ["开始日期", "start_date", "任职时间", "起始日期"],
    "end": ["结束日期", "end_date", "离任时间", "终止日期"],
}


@dataclass
class WorkerRow:
    row: Row
    name: str
    id_number: str
    digest: str
    birth_date: dt.date
    gender: str
    education: str
    political_status: str
    qualification: str
    hire_date: dt.date
    community: OrgNode
    post: str
    post_start: dt.date
    phone: str

    @property
    def label(self) -> str:
        return f"{self.name} {mask_id_number(self.id_number)}"


def row_choice(row: Row, key: str, table: dict, required: bool = False) -> str:
    text = row.get(key)
    if not text:
        if required:
            row.error(key, gettext_noop("This column is required."))
        return ""
    try:
        return parse_choice(text, table)
    except ValueError:
        row.error(key, gettext_noop("Unknown value %(value)s."), value=text)
        return ""


def row_date(row: Row, key: str, required: bool = True) -> dt.date | None:
    text = row.get(key)
    if not text:
        if required:
            row.error(key, gettext_noop("This column is required."))
        return None
    try:
        return parse_date(text)
    except ValueError:
        row.error(
            key, gettext_noop("Not a date: %(value)s (write 2025-07-01)."), value=text
        )
        return None


def id_number_from_row(row: Row, today: dt.date):
    """The row's ID number checked (any spelling, normalised first), or None with
    the reason recorded on the row."""
    text = row.get("id_number")
    if not text:
        row.error("id_number", gettext_noop("This column is required."))
        return None
    try:
        return parse_id_number(text, today=today)
    except InvalidIdNumber as exc:
        row.error(
            "id_number", gettext_noop("Invalid ID number: %(reason)s."), reason=str(exc)
        )
        return None


# The labels of Gender, as msgids (rendered in both languages in a row's reason).
GENDER_NAMES = {"M": gettext_noop("Male"), "F": gettext_noop("Female")}


def _gender(row: Row, facts) -> str:
    """性别 as typed, checked against the ID number (blank: the ID number's)."""
    text = row.get("gender")
    try:
        return parse_gender(text, facts.gender)
    except GenderMismatch:
        row.error(
            "gender",
            gettext_noop(
                "Gender %(value)s contradicts the ID number (its 17th digit says "
                "%(gender)s)."
            ),
            value=text,
            gender=GENDER_NAMES[facts.gender],
        )
    except ValueError:
        row.error("gender", gettext_noop("Unknown value %(value)s."), value=text)
    return ""


def missing_column_errors(table: Table, required: list[str]) -> list:
    errors = []
    for column in missing_columns(table, required):
        header = Row(number=table.header_row, values={})
        header.error(column, gettext_noop("Missing column."))
        errors.extend(header.errors)
    return errors


def parse_worker_rows(
    table: Table,
    progress: Callable[[int, int], None] | None = None,
    actor=None,
    today: dt.date | None = None,
) -> tuple[list[WorkerRow], list]:
    """Check every row; return the parsed rows and every error found."""
    today = today or timezone.localdate()
    rows = table.rows
    communities = communities_by_code(actor)
    posts = choice_lookup(Post.choices, POST_ALIASES)
    educations = choice_lookup(Education.choices, EDUCATION_ALIASES)
    politicals = choice_lookup(PoliticalStatus.choices, POLITICAL_ALIASES)
    qualifications = choice_lookup(Qualification.choices, QUALIFICATION_ALIASES)
    errors = missing_column_errors(
        table, ["name", "id_number", "hire_date", "community_code", "post"]
    )
    parsed, seen = [], {}
    for index, row in enumerate(rows, start=1):
        if progress is not None and index % 2000 == 0:
            progress(index, len(rows))
        name = row.get("name")
        if not name:
            row.error("name", gettext_noop("This column is required."))
        elif len(name) > 50:
            row.error("name", gettext_noop("Name is longer than 50 characters."))
        facts = id_number_from_row(row, today)
        digest = pii.digest(facts.id_number) if facts else ""
        if facts and digest in seen:
            row.error(
                "id_number",
                gettext_noop("Same ID number as row %(row)s."),
                row=seen[digest],
            )
        elif facts:
            seen[digest] = row.number
        hire_date = row_date(row, "hire_date")
        post_start = row_date(row, "post_start", required=False) or hire_date
        community = communities.get(squeeze(row.get("community_code")))
        if community is None:
            row.error(
                "community_code",
                gettext_noop(
                    "Unknown community code %(value)s (or outside your area)."
                ),
                value=row.get("community_code") or "-",
            )
        post = row_choice(row, "post", posts, required=True)
        education = row_choice(row, "education", educations)
        political = row_choice(row, "political_status", politicals)
        qualification = row_choice(row, "qualification", qualifications)
        phone = ""
        if row.get("phone"):
            try:
                phone = parse_phone(row.get("phone"))
            except ValueError:
                row.error(
                    "phone",
                    gettext_noop("Not a phone number: %(value)s."),
                    value=row.get("phone"),
                )
        gender = _gender(row, facts) if facts else ""
        if facts and hire_date and not old_enough_to_hire(facts.birth_date, hire_date):
            row.error(
                "hire_date",
                gettext_noop("Younger than 16 on the hire date (born %(birth)s)."),
                birth=facts.birth_date.isoformat(),
            )
        if hire_date and post_start and post_start < hire_date:
            row.error("post_start", gettext_noop("Post starts before the hire date."))
        if row.errors:
            errors.extend(row.errors)
            continue
        parsed.append(
            WorkerRow(
                row=row,
                name=name,
                id_number=facts.id_number,
                digest=digest,
                birth_date=facts.birth_date,
                gender=gender,
                education=education,
                political_status=political,
                qualification=qualification,
                hire_date=hire_date,
                community=community,
                post=post,
                post_start=post_start,
                phone=phone,
            )
        )
    return parsed, errors
