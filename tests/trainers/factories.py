import factory

from lms.accounts.models import Role
from lms.people import pii
from lms.people.rules import mask_phone
from tests.people.factories import UserFactory
from trainers.models import Expert, ExpertField, Trainer, TrainerSource


class TrainerUserFactory(UserFactory):
    role = Role.TRAINER


class TrainerFactory(factory.django.DjangoModelFactory):
    """A trainer owned by `org` (pass org=...), with an encrypted phone number."""

    class Meta:
        model = Trainer

    class Params:
        phone = "13812345678"

    name = factory.Sequence(lambda n: f"讲师{n}")
    gender = "F"
    title = "社区党委书记"
    affiliation = "示范社区党委"
    specialities = "小区治理、社区营造"
    source = TrainerSource.CONTEST
    source_detail = "“Hi!社区”宣讲团选拔"
    phone_encrypted = factory.LazyAttribute(lambda o: pii.encrypt(o.phone))
    phone_masked = factory.LazyAttribute(lambda o: mask_phone(o.phone))


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    class Params:
        phone = "13987654321"

    name = factory.Sequence(lambda n: f"专家{n}")
    field = ExpertField.SOCIAL_WORK
    affiliation = "四川大学公共管理学院"
    title = "教授"
    topics = "社工站建设、个案工作"
    phone_encrypted = factory.LazyAttribute(lambda o: pii.encrypt(o.phone))
    phone_masked = factory.LazyAttribute(lambda o: mask_phone(o.phone))


def admin_in_group(org, group_name: str, **kwargs):
    """An administrator of `org` in one of the administrator groups (perms in step)."""
    from django.contrib.auth.models import Group

    from lms.accounts.groups import ensure_admin_groups
    from tests.people.factories import AdminFactory

    ensure_admin_groups()
    admin = AdminFactory(org=org, **kwargs)
    admin.groups.add(Group.objects.get(name=group_name))
    return admin
