import datetime as dt
from typing import Annotated

from ninja import Path, Schema
from pydantic import StringConstraints

# Free text in query strings: bounded, no control characters (NUL breaks PostgreSQL).
QueryText = Annotated[
    str, StringConstraints(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")
]
Code = Annotated[str, StringConstraints(max_length=32, pattern=r"^[0-9A-Za-z_-]+$")]
Id = Annotated[int, "id"]
ObjectId = Path(..., ge=1, le=2**62)


class ErrorOut(Schema):
    code: str
    message: str


class OrgNodeOut(Schema):
    id: int
    code: str
    name: str
    level: str
    depth: int
    parent_code: str | None


class PostSpanOut(Schema):
    id: int
    worker_id: int
    post: str
    community_code: str
    community_name: str
    start: dt.date
    end: dt.date | None


class WorkerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    phone_masked: str
    gender: str
    education: str
    political_status: str
    qualification: str
    hire_date: dt.date
    leave_date: dt.date | None
    post: str
    community_code: str
    community_name: str


class WorkerDetailOut(WorkerOut):
    years_of_service: int
    posts: list[PostSpanOut]


class UnmaskOut(Schema):
    id: int
    id_number: str


class CreditEntryOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    date: dt.date
    days: float
    hours: float
    kind: str
    training_type: str
    form: str
    title: str
    source_key: str
    organiser_code: str | None
    created_at: dt.datetime
    reverses_id: int | None
    reason: str


class LedgerTotalOut(Schema):
    worker_id: int
    year: int
    days: float
    hours: float
    entries: int


class MeOut(Schema):
    username: str
    role: str
    scope_code: str | None
    worker_id: int | None
