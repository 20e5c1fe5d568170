"""The territory change lists stay fast with 35k communes and search folded names and codes."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    # Like pytest-django's, without hashing a password (half a second per test).
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.com", None))
    return client


@pytest.mark.parametrize(
    ("model", "rows"), [("region", 18), ("department", 100), ("epci", 100), ("commune", 100)]
)
def test_a_change_list_page_takes_a_fixed_number_of_queries(
    admin_client, model, rows, django_assert_max_num_queries
):
    # Session, user, the sidebar filter's regions (departments, communes), the filtered count, the
    # total count, and one page of rows with their department and EPCI joined in.
    with django_assert_max_num_queries(6):
        response = admin_client.get(reverse(f"admin:territories_{model}_changelist"))
    assert response.content.decode().count('name="_selected_action"') == rows


def changelist_codes(client, search):
    response = client.get(reverse("admin:territories_commune_changelist"), {"q": search})
    html = response.content.decode()
    return {code for code in ("59009", "59350", "93039", "93066", "2A004") if f"/{code}/change/" in html}


def test_commune_search_ignores_case_accents_hyphens_and_apostrophes(admin_client):
    assert changelist_codes(admin_client, "VILLENEUVE D’ASCQ") == {"59009"}
    assert changelist_codes(admin_client, "l'Île-Saint-Denis") == {"93039"}


def test_commune_search_by_code_lists_a_department_by_its_prefix(admin_client):
    assert changelist_codes(admin_client, "93") == {"93039", "93066"}
    assert changelist_codes(admin_client, "2a004") == {"2A004"}
