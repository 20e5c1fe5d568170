import pytest

from tests.imports.conftest import shared_territory_index  # noqa: F401 - the imports' shared index


@pytest.fixture
def networks(db):
    """COORACE and the DREETS of Hauts-de-France, as the seed describes them."""
    from structures.models import Network

    return {
        "coorace": Network.objects.create(name="COORACE", slug="coorace"),
        "dreets": Network.objects.create(
            name="DREETS Hauts-de-France",
            slug="dreets-hauts-de-france",
            short_name="DREETS HdF",
            kind=Network.Kind.STATE_SERVICE,
        ),
    }
