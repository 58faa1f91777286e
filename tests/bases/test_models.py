"""Base and institution models: database constraints."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bases.services import agreement_add
from tests.bases.factories import AgreementFactory, BaseFactory, InstitutionFactory


def test_base_capacity_must_be_positive(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        BaseFactory(org=tree["community11"], capacity=0)


def test_base_latitude_must_be_on_earth(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        BaseFactory(org=tree["community11"], latitude=91, longitude=104)


def test_base_theme_list(tree):
    base = BaseFactory(org=tree["community11"], themes="党建引领，小区治理")
    assert base.theme_list() == ["党建引领", "小区治理"]


def test_agreement_cannot_end_before_it_starts(tree):
    institution = InstitutionFactory(org=tree["city"])
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(
            institution=institution,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2024, 12, 31),
        )


def test_agreement_add_validates_and_orders(tree):
    institution = InstitutionFactory(org=tree["city"])
    first = agreement_add(
        institution=institution, title="培训合作协议", start_date=dt.date(2024, 1, 1)
    )
    second = agreement_add(
        institution=institution,
        title="基地共建协议",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    assert (first.sort_order, second.sort_order) == (0, 1)
    with pytest.raises(ValidationError):
        agreement_add(
            institution=institution,
            title="",
            start_date=dt.date(2025, 1, 1),
        )
    assert institution.agreements.count() == 2
