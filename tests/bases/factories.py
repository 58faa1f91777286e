import datetime as dt

import factory

from bases.models import (
    Base,
    BaseType,
    CooperationAgreement,
    Institution,
    InstitutionType,
)
from lms.people import pii
from lms.people.rules import mask_phone


class BaseFactory(factory.django.DjangoModelFactory):
    """A teaching base owned by `org` (pass org=...)."""

    class Meta:
        model = Base

    class Params:
        phone = "13611112222"

    name = factory.Sequence(lambda n: f"示范社区{n}")
    base_type = BaseType.MODEL_COMMUNITY
    address = "成都市锦江区人民南路1号"
    capacity = 60
    themes = "党建引领、居民议事协商"
    contact_name = "王芳"
    phone_encrypted = factory.LazyAttribute(lambda o: pii.encrypt(o.phone))
    phone_masked = factory.LazyAttribute(lambda o: mask_phone(o.phone))


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    class Params:
        phone = "02887654321"

    name = factory.Sequence(lambda n: f"培训学院{n}")
    institution_type = InstitutionType.UNIVERSITY
    contact_name = "李明"
    phone_encrypted = factory.LazyAttribute(lambda o: pii.encrypt(o.phone))
    phone_masked = factory.LazyAttribute(lambda o: mask_phone(o.phone))


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationAgreement

    title = factory.Sequence(lambda n: f"合作协议{n}")
    start_date = dt.date(2024, 1, 1)
    end_date = dt.date(2026, 12, 31)
