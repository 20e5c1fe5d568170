import pytest
from django.urls import reverse

from tests.editing.helpers import change_url
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
)

PREVIEW_URL = "/admin/cooperations/cooperation/apercu-markdown/"


@pytest.mark.django_db
def test_the_markdown_preview_renders_and_sanitises(client, editor):
    response = client.post(PREVIEW_URL, {"text": "**Gras** et <script>alert(1)</script>\n\n- un\n- deux"})
    assert response.status_code == 200
    assert "<strong>Gras</strong>" in response.text
    assert "<li>un</li>" in response.text
    assert "<script>" not in response.text


@pytest.mark.django_db
def test_the_markdown_preview_is_for_staff_and_posts_only(client):
    assert client.post(PREVIEW_URL, {"text": "x"}).status_code == 302  # to the admin sign-in
    client.force_login(UserFactory(editor=True))
    assert client.get(PREVIEW_URL).status_code == 405


@pytest.mark.django_db
def test_the_fiche_form_is_laid_out_for_writing(client, editor):
    CooperationFormFactory(name="Groupement momentané d'entreprises")
    page = client.get(change_url(CooperationFactory()))
    text = page.text
    fieldsets = [fieldset.name for fieldset in page.context["adminform"]]
    assert fieldsets == [
        "L'essentiel",
        "Typologie",
        "Territoire",
        "La fiche",
        "Chiffres clés",
        "Sources",
        "Note interne",
        "Suivi",
    ]
    assert text.count(f'data-markdown-preview="{PREVIEW_URL}"') == 10  # summary, 8 sections, other figures
    assert "editing/markdown_preview.js" in text
    assert 'type="checkbox" name="forms"' in text
    assert "Situation de départ, besoin repéré" in text  # help text of a section
    assert '<input type="hidden" name="version" value="1"' in text
    for field in ["departments", "regions", "communes", "sectors", "sources"]:
        assert f'data-model-name="cooperation" data-field-name="{field}"' in text
    # Structures: searched as you type, and created on the spot when missing.
    assert 'data-model-name="participation" data-field-name="structure"' in text
    assert 'id="add_id_participations-0-structure"' in text


@pytest.mark.django_db
def test_the_fiche_list_filters_by_status_region_form_level_and_sector(client, editor):
    RegionFactory()
    CooperationFormFactory()
    SectorFactory()
    page = client.get(reverse("admin:cooperations_cooperation_changelist"))
    titles = [spec.title for spec in page.context["cl"].filter_specs]
    assert titles[:5] == ["statut", "région", "formes de coopération", "niveau", "secteurs d'activité"]


@pytest.mark.django_db
def test_the_fiche_list_costs_the_same_whatever_the_number_of_fiches(
    client, editor, django_assert_max_num_queries
):
    CooperationFactory.create_batch(20, updated_by=editor)
    # Session, user and its two kinds of permissions (4); organisations, regions, forms and sectors for
    # the filters (4); filtered and total counts, and the page with the last editor and the organisation
    # joined (3).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("admin:cooperations_cooperation_changelist"))
    assert response.context["cl"].result_count == 20
