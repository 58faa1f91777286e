import datetime as dt
import itertools

import factory

from lms.accounts.models import Role, User
from lms.people import pii
from lms.people.models import Post, PostSpan, Worker
from lms.people.rules import id_check_char, mask_id_number

_serial = itertools.count(1)


def valid_id_number(birth=dt.date(1988, 5, 17), gender="F", area="510104") -> str:
    seq = next(_serial) % 500 * 2 + (1 if gender == "M" else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-for-tests-123")
    role = Role.WORKER


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True


class WorkerFactory(factory.django.DjangoModelFactory):
    """A worker with a valid ID number and one open post span from the hire date."""

    class Meta:
        model = Worker

    class Params:
        id_number = factory.LazyAttribute(
            lambda o: valid_id_number(o.birth_date, o.gender)
        )

    name = factory.Sequence(lambda n: f"测试{n}")
    gender = "F"
    birth_date = dt.date(1988, 5, 17)
    hire_date = dt.date(2015, 3, 1)
    post = Post.STAFF
    id_number_encrypted = factory.LazyAttribute(lambda o: pii.encrypt(o.id_number))
    id_number_digest = factory.LazyAttribute(lambda o: pii.digest(o.id_number))
    id_number_masked = factory.LazyAttribute(lambda o: mask_id_number(o.id_number))
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def span(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            PostSpan.objects.create(
                worker=obj, post=obj.post, community=obj.community, start=obj.hire_date
            )
