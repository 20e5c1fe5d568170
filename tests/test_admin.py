"""Every model's admin answers for a superuser: change list, search, and change form."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from cooperations.models import Cooperation, CooperationForm, LevelSheet, OutcomeFigure, Participation, Source
from structures.models import Network, Sector, Structure
from territories.models import EPCI, Commune, Department, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(db):
    """One row of every model, wired together."""
    region, _ = Region.objects.get_or_create(
        code="32", defaults={"name": "Hauts-de-France", "slug": "hauts-de-france"}
    )
    department, _ = Department.objects.get_or_create(
        code="62", defaults={"name": "Pas-de-Calais", "slug": "pas-de-calais", "region": region}
    )
    epci, _ = EPCI.objects.get_or_create(
        code="246200364", defaults={"name": "CC de la Région d'Audruicq", "kind": "CC"}
    )
    commune, _ = Commune.objects.get_or_create(
        code="62057", defaults={"name": "Audruicq", "department": department, "epci": epci}
    )
    sector = Sector.objects.create(slug="alimentation-test", name="Alimentation (test)")
    network = Network.objects.create(name="Réseau de test")
    structure = Structure.objects.create(name="Les Anges Gardins", kind="ACI", commune=commune)
    structure.networks.add(network)
    structure.sectors.add(sector)
    form = CooperationForm.objects.create(code="ptce-test", name="PTCE (test)")
    level = LevelSheet.objects.create(code="reinforced", summary="Faire ensemble")
    source = Source.objects.create(key="avise-test", title="Article de test", publisher="Avise")
    cooperation = Cooperation.objects.create(title="Écopôle alimentaire", level="reinforced")
    cooperation.forms.add(form)
    cooperation.departments.add(department)
    cooperation.sources.add(source)
    Participation.objects.create(cooperation=cooperation, structure=structure, role="lead")
    OutcomeFigure.objects.create(cooperation=cooperation, value=15, unit="", label="producteurs")
    return [region, department, epci, commune, sector, network, structure, form, level, source, cooperation]


def registered_models():
    return [
        model
        for model in admin.site._registry
        if model._meta.app_label in {"territories", "structures", "cooperations"}
    ]


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_change_list_search_and_change_form_answer_for_a_superuser(admin_client, sample, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert escape(str(opts.verbose_name)).lower() in response.content.decode().lower()
    assert admin_client.get(changelist, {"q": "a"}).status_code == 200

    obj = model.objects.first()
    assert obj is not None, f"the sample has no {opts.label}"
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = admin_client.get(change)
    assert response.status_code == 200
    assert escape(str(obj)) in response.content.decode()


def test_the_cooperation_change_form_has_the_participations_inline(admin_client, sample):
    cooperation = Cooperation.objects.get()
    response = admin_client.get(reverse("admin:cooperations_cooperation_change", args=[cooperation.pk]))
    html = response.content.decode()
    assert "participations-TOTAL_FORMS" in html
    assert "Les Anges Gardins" in html
