"""The OpenAPI schema and its browsable documentation, served from our own static files under the
site's Content Security Policy."""

import pytest
import yaml
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperations.filters import CooperationFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_openapi_3_and_describes_every_route(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/cooperations/",
        "/api/v1/cooperations/{slug}/",
        "/api/v1/structures/",
        "/api/v1/structures/{slug}/",
        "/api/v1/data-inclusion/structures/",
        "/api/v1/forms/",
        "/api/v1/levels/",
        "/api/v1/sectors/",
        "/api/v1/regions/",
        "/api/v1/departments/",
    }
    assert set(schema["paths"]["/api/v1/cooperations/"]) == {"get"}


def test_the_schema_states_the_rate_limit_in_force_and_the_licence(client, settings):
    settings.API_ANON_RATE = "60/hour"
    description = yaml.safe_load(client.get(reverse("api:schema")).content)["info"]["description"]
    assert "**Limite**\u00a0: 60 requêtes par heure et par adresse\u00a0;" in description
    assert "Licence Ouverte / Open Licence 2.0" in description
    settings.API_ANON_RATE = None
    description = yaml.safe_load(client.get(reverse("api:schema")).content)["info"]["description"]
    assert "**Limite**\u00a0: aucune\u00a0;" in description


def test_every_filter_of_the_list_is_a_documented_parameter(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/cooperations/"]["get"]["parameters"]}
    assert set(CooperationFilter.base_filters) <= set(parameters)
    assert parameters["structure_kind"]["schema"]["type"] == "array"
    assert "ACI" in parameters["structure_kind"]["schema"]["items"]["enum"]
    assert parameters["year_min"]["schema"]["type"] == "integer"
    assert {"page", "page_size"} <= set(parameters)


def test_the_documentation_loads_only_local_files_and_no_inline_code(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "fr"
    scripts = page.find_all("script")
    assert scripts and all(script.get("src") and not script.string for script in scripts)
    assert not page.find_all("style")
    assets = [s["src"] for s in scripts] + [link["href"] for link in page.find_all("link")]
    assert all(asset.startswith("/") for asset in assets), assets
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets
    # The page's own settings come as a script of ours, pointing at the schema.
    script = client.get(scripts[-1]["src"])
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()
    # The site's policy applies unchanged: scripts and styles from this site only.
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert (policy["script-src"], policy["style-src"]) == ("'self'", "'self'")
