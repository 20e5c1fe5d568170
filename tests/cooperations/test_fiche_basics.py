import pytest
from django.urls import reverse

from cooperations.models import Cooperation

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_title_with_accents_folded():
    cooperation = Cooperation.objects.create(title="Écopôle alimentaire Audruicq", level="reinforced")
    assert cooperation.slug == "ecopole-alimentaire-audruicq"


def test_slug_stays_stable_when_the_title_changes():
    cooperation = Cooperation.objects.create(title="Écopôle alimentaire Audruicq", level="reinforced")
    cooperation.title = "Écopôle alimentaire de la région d'Audruicq"
    cooperation.save()
    cooperation.refresh_from_db()
    assert cooperation.slug == "ecopole-alimentaire-audruicq"


def test_a_new_fiche_is_a_draft():
    assert Cooperation.objects.create(title="Brouillon", level="simple").status == "draft"


def test_a_script_in_a_section_never_reaches_the_page(client):
    cooperation = Cooperation.objects.create(
        title="Fiche piégée",
        level="simple",
        status=Cooperation.Status.PUBLISHED,
        summary="Résumé <script>alert('résumé')</script>",
        context="Contexte <script>alert('contexte')</script> **important**",
    )
    response = client.get(reverse("cooperations:detail", args=[cooperation.slug]))
    html = response.content.decode()
    assert "<strong>important</strong>" in html
    assert "alert('contexte')" not in html
    assert "<script>alert" not in html
