import pytest

from tests.people.factories import AdminFactory

from .factories import MentorFactory, PlacementFactory


@pytest.fixture
def d1_admin(tree):
    return AdminFactory(username="d1mentoring", org=tree["district1"])


@pytest.fixture
def placement(tree):
    """A week's placement in district 1, ended, nothing recorded yet."""
    mentor = MentorFactory(org=tree["community11"], name="马杰")
    return PlacementFactory(org=tree["community12"], mentor=mentor)
