import pytest

from socialmap.models import Category
from tests.socialmap.factories import OrganisationFactory


@pytest.fixture
def entry(cast):
    """An entry of the cast's school."""
    return OrganisationFactory(
        school=cast.school,
        name="Wijkteam Testdorp",
        category=Category.CJG,
        phone="0118 - 751 400",
        email="wijkteam@example.invalid",
    )


@pytest.fixture
def other_entry(cast):
    """An entry of the other school of the board."""
    return OrganisationFactory(school=cast.other_school, name="Geheim Elders")
