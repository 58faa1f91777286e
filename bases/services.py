"""Writes to the base and institution libraries."""

import datetime as dt

from django.db import transaction

from lms.people.pii import phone_set

from .models import CooperationAgreement, Institution

__all__ = ["phone_set", "agreement_add"]


@transaction.atomic
def agreement_add(
    *,
    institution: Institution,
    title: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    notes: str = "",
) -> CooperationAgreement:
    """Record a cooperation agreement (合作协议) with an institution."""
    agreement = CooperationAgreement(
        institution=institution,
        title=title,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
        sort_order=institution.agreements.count(),
    )
    agreement.full_clean()
    agreement.save()
    return agreement
