"""Trainers grade the test, paper or defence a class's completion rule asks for."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from lms.training.models import Enrolment, EnrolmentStatus, Grade


class GradingError(Exception):
    pass


@transaction.atomic
def grade_record(
    *,
    enrolment: Enrolment,
    component: str,
    score: Decimal,
    actor,
    comment: str = "",
) -> Grade:
    """Record (or correct) one component's score for an enrolled worker."""
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise GradingError(_("The worker is not enrolled in this class."))
    grade = Grade.objects.filter(enrolment=enrolment, component=component).first()
    grade = grade or Grade(enrolment=enrolment, component=component)
    grade.score = score
    grade.comment = comment.strip()
    grade.graded_by = actor
    grade.full_clean(validate_unique=False, validate_constraints=False)
    grade.save()
    return grade
