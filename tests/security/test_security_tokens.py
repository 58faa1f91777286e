"""Class 6: no API token for an account with more rights than its creator's, or
outside their subtree; superuser tokens only by superusers."""

import pytest
from django.core.exceptions import PermissionDenied

from api.models import ApiToken
from api.selectors import token_owners_in_scope
from api.services import api_token_create
from tests.people.factories import AdminFactory
from tests.trainers.factories import admin_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return {
        "root": AdminFactory(username="root", org=tree["city"], is_superuser=True),
        "city": admin_in_group(tree["city"], "市级管理员", username="city"),
        "city2": admin_in_group(tree["city"], "市级管理员", username="city2"),
        "d1": admin_in_group(tree["district1"], "区级管理员", username="d1"),
        "d2": admin_in_group(tree["district2"], "区级管理员", username="d2"),
    }


@pytest.mark.parametrize(
    "creator, owner, allowed",
    [
        ("city", "root", False),  # the reported privilege by proxy
        ("d1", "city", False),  # more rights, and outside the subtree
        ("d1", "d2", False),  # another subtree
        ("city", "d1", True),  # an administrator of the subtree, fewer rights
        ("city", "city2", True),  # the same rights
        ("city", "city", True),  # oneself
        ("root", "root", True),
    ],
)
def test_token_owner_never_outranks_its_creator(people, creator, owner, allowed):
    def create():
        return api_token_create(
            name="x", owner=people[owner], created_by=people[creator]
        )

    if allowed:
        create()
        assert ApiToken.objects.filter(owner=people[owner]).exists()
    else:
        with pytest.raises(PermissionDenied):
            create()
        assert not ApiToken.objects.exists()
    offered = set(token_owners_in_scope(people[creator]))
    assert (people[owner] in offered) is allowed


def test_city_admin_cannot_post_a_superuser_token_through_the_form(client, people):
    client.force_login(people["city"])
    response = client.post(
        "/admin/security/tokens/new/", {"name": "x", "owner": people["root"].pk}
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not ApiToken.objects.exists()
