"""The training app's models, one module per concern; imported here so Django and
`from lms.training.models import …` find them all."""

from .classes import (
    Attendance,
    AttendanceFlag,
    AttendanceMethod,
    ClassSession,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    ExtraRequirement,
    Grade,
    GradeComponent,
    SessionLength,
    TrainingClass,
    TrainingLevel,
)
from .external import (
    ExternalTraining,
    ReviewStatus,
    StudyKind,
)
from .ledger import (
    IN_PERSON_CREDIT,
    ONLINE_CREDIT,
    ONLINE_KINDS,
    CreditEntry,
    CreditEntryQuerySet,
    CreditKind,
    CreditTotal,
    TrainingForm,
    TrainingType,
)
from .ratings import (
    TrainerRating,
)

__all__ = [
    "Attendance",
    "AttendanceFlag",
    "AttendanceMethod",
    "ClassSession",
    "CreditEntry",
    "CreditEntryQuerySet",
    "CreditKind",
    "CreditTotal",
    "Enrolment",
    "EnrolmentSource",
    "EnrolmentStatus",
    "ExternalTraining",
    "ExtraRequirement",
    "Grade",
    "GradeComponent",
    "IN_PERSON_CREDIT",
    "ONLINE_CREDIT",
    "ONLINE_KINDS",
    "ReviewStatus",
    "SessionLength",
    "StudyKind",
    "TrainerRating",
    "TrainingClass",
    "TrainingForm",
    "TrainingLevel",
    "TrainingType",
]
