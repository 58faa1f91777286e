"""Every write of the training app (see the modules for each entity)."""

from .attendance import (
    AttendanceError,
    attendance_check_in,
    attendance_check_out,
    attendance_code_check_in,
    attendance_mark,
)
from .enrolment import (
    EnrolmentError,
    bulk_undo_refusal,
    enrolment_bulk_create,
    enrolment_bulk_plan,
    enrolment_bulk_undo,
    enrolment_cancel,
    enrolment_create,
)
from .external import (
    ExternalTrainingError,
    external_training_approve,
    external_training_reject,
    external_training_submit,
)
from .grading import GradingError, grade_record
from .imports import training_import
from .ledger import (
    LedgerError,
    credit_entries_create,
    credit_entry_create,
    credit_entry_reverse,
)
from .ratings import trainer_rating_submit

__all__ = [
    "AttendanceError",
    "EnrolmentError",
    "ExternalTrainingError",
    "GradingError",
    "LedgerError",
    "attendance_check_in",
    "attendance_code_check_in",
    "attendance_check_out",
    "attendance_mark",
    "credit_entries_create",
    "credit_entry_create",
    "credit_entry_reverse",
    "bulk_undo_refusal",
    "enrolment_bulk_create",
    "enrolment_bulk_plan",
    "enrolment_bulk_undo",
    "enrolment_cancel",
    "enrolment_create",
    "external_training_approve",
    "external_training_reject",
    "external_training_submit",
    "grade_record",
    "trainer_rating_submit",
    "training_import",
]
