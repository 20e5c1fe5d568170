import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """No limit unless a test sets one: the limit's counts in the shared cache (a database table in
    the tests) would add queries to every count below. tests/api/test_http.py tests the limit."""
    settings.API_ANON_RATE = None


@pytest.fixture
def api_get(client):
    """GET an API route by name, the answer parsed: api_get("cooperation-list", region="32")."""

    def get(name, *args, expect=200, **params):
        response = client.get(reverse(f"api:{name}", args=args), params)
        assert response.status_code == expect, response.content[:500]
        return response.json()

    return get
