"""Likely duplicates listed, two structures merged field by field, and the merge undone from the history."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperations.models import Participation
from structures.duplicates import duplicate_pairs
from structures.models import DuplicateDismissal, Network, Structure, StructureMerge
from tests.factories import CooperationFactory, DepartmentFactory, StructureFactory

pytestmark = pytest.mark.django_db
LEAD, PARTNER, FUNDER = Participation.Role.LEAD, Participation.Role.PARTNER, Participation.Role.FUNDER


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


# --- Likely duplicates ---------------------------------------------------------------------------------
def test_the_three_rules_find_their_pairs_and_nothing_else():
    nord, rhone = DepartmentFactory(code="59"), DepartmentFactory(code="69")
    StructureFactory(name="Atelier Vélo", siret="41234567000019")
    StructureFactory(name="Vélo Atelier Bis", kind=Structure.Kind.EI, siret="41234567000027")
    StructureFactory(name="Envie", kind=Structure.Kind.EI, department=nord)
    StructureFactory(name="ENVIE", kind=Structure.Kind.NETWORK, department=nord)
    StructureFactory(name="DIRECCTE", kind=Structure.Kind.STATE_SERVICE)
    StructureFactory(name="DIRECCTE Île-de-France", kind=Structure.Kind.STATE_SERVICE)
    # Close names, but in two departments: two branches, not duplicates.
    StructureFactory(name="Envie Rhône", kind=Structure.Kind.EI, department=rhone)
    pairs = {(a.name, b.name): reasons for a, b, reasons in duplicate_pairs()}
    assert pairs == {
        ("Atelier Vélo", "Vélo Atelier Bis"): ["même SIREN"],
        ("Envie", "ENVIE"): ["même nom, même département"],
        ("DIRECCTE", "DIRECCTE Île-de-France"): ["noms proches, même type"],
    }


def test_a_pair_said_not_to_be_duplicates_is_no_longer_proposed(client, editor):
    a = StructureFactory(name="DIRECCTE", kind=Structure.Kind.STATE_SERVICE)
    b = StructureFactory(name="DIRECCTE Île-de-France", kind=Structure.Kind.STATE_SERVICE)
    page = soup(client.get(reverse("editing:duplicates")))
    assert [p.get_text() for p in page.select(".duplicate-reasons .tag")] == ["noms proches, même type"]
    merge_link = page.select_one(".duplicate-actions a")["href"]
    assert merge_link == f"{reverse('editing:structure_merge')}?a={a.pk}&b={b.pk}"

    client.post(reverse("editing:duplicate_dismiss"), {"a": b.pk, "b": a.pk})
    assert DuplicateDismissal.objects.filter(first=a, second=b).exists()
    assert "Aucun doublon possible" in client.get(reverse("editing:duplicates")).content.decode()


def test_the_duplicates_page_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    for word in ("Aubépine", "Bruyère", "Châtaignier", "Digitale", "Églantier", "Fougère"):
        StructureFactory(name=word, kind=Structure.Kind.OTHER)
        StructureFactory(name=word.upper(), kind=Structure.Kind.ACI)
    # session, user, its own and its groups' permissions (4); the structures with their partners by rule
    # (1); the pairs' structures with their places (1)
    with django_assert_num_queries(6):
        response = client.get(reverse("editing:duplicates"))
    assert len(soup(response).select(".duplicate-pair")) == 6
    # The pairs are kept until the directory changes: then only their structures are read.
    with django_assert_num_queries(5):
        client.get(reverse("editing:duplicates"))
    DuplicateDismissal.objects.create(
        first=Structure.objects.order_by("pk")[0], second=Structure.objects.order_by("pk")[1]
    )
    assert len(soup(client.get(reverse("editing:duplicates"))).select(".duplicate-pair")) == 5


# --- Merging -------------------------------------------------------------------------------------------
@pytest.fixture
def pair():
    coorace = Network.objects.create(name="COORACE")
    survivor = StructureFactory(
        name="Envie Nord", kind=Structure.Kind.EI, email="contact@envie.example", slug="envie-nord"
    )
    absorbed = StructureFactory(
        name="ENVIE NORD (Lille)", kind=Structure.Kind.EI, siret="41234567000019", phone="03 20 00 00 00"
    )
    absorbed.networks.add(coorace)
    shared = CooperationFactory(published=True, participants=[(survivor, PARTNER), (absorbed, LEAD)])
    own = CooperationFactory(published=True, participants=[(absorbed, FUNDER)])
    return {"survivor": survivor, "absorbed": absorbed, "shared": shared, "own": own, "coorace": coorace}


def merge_data(survivor, absorbed, **choices):
    """The merge form as sent: `survivor` is « a »; each choice names « a » or « b » (or « both »)."""
    return {
        "a": survivor.pk,
        "b": absorbed.pk,
        "survivor": "a",
        "version_a": survivor.version,
        "version_b": absorbed.version,
        **{f"field_{name}": value for name, value in choices.items()},
    }


def merge(client, pair, **choices):
    survivor, absorbed = pair["survivor"], pair["absorbed"]
    defaults = {"name": "a", "siret": "b", "email": "a", "phone": "b", "networks": "both"}
    return client.post(
        reverse("editing:structure_merge"), merge_data(survivor, absorbed, **(defaults | choices))
    )


def test_the_merge_page_shows_each_differing_field_with_a_choice(client, editor, pair):
    url = f"{reverse('editing:structure_merge')}?a={pair['survivor'].pk}&b={pair['absorbed'].pk}"
    page = soup(client.get(url))
    labels = [legend.get_text(strip=True) for legend in page.select(".merge-choice legend")]
    assert labels == ["Nom", "SIRET", "Adresse e-mail", "Téléphone", "Réseaux"]
    siret = page.select(".merge-choice")[1]
    assert [label.get_text(strip=True) for label in siret.select("label")] == ["(vide)", "41234567000019"]
    assert siret.select_one("input[value=b]").has_attr("checked")  # the filled value, by default


def test_a_merge_moves_every_participation_and_keeps_the_chosen_values(client, editor, pair):
    response = merge(client, pair)
    survivor = Structure.objects.get(pk=pair["survivor"].pk)
    assert response.url == reverse("editing:structure_edit", args=[survivor.pk])
    assert not Structure.objects.filter(pk=pair["absorbed"].pk).exists()
    assert (survivor.name, survivor.siret, survivor.email, survivor.phone_display) == (
        "Envie Nord",
        "41234567000019",
        "contact@envie.example",
        "03 20 00 00 00",
    )
    assert list(survivor.networks.all()) == [pair["coorace"]]
    # The fiche they shared keeps one participation, with the stronger role; the other moved as it was.
    assert list(pair["shared"].participations.values_list("structure", "role")) == [(survivor.pk, LEAD)]
    assert list(pair["own"].participations.values_list("structure", "role")) == [(survivor.pk, FUNDER)]
    record = survivor.history.first()
    assert record.history_change_reason == f"Fusion avec « ENVIE NORD (Lille) » (n° {pair['absorbed'].pk})"


def test_the_absorbed_structure_s_address_leads_to_the_survivor(client, editor, pair):
    old_address = pair["absorbed"].get_absolute_url()
    merge(client, pair)
    client.logout()
    response = client.get(old_address)
    assert (response.status_code, response["Location"]) == (301, "/structures/envie-nord/")
    api = client.get(reverse("api:structure-detail", args=[pair["absorbed"].slug]))
    assert api.status_code == 301 and api["Location"].endswith("/api/v1/structures/envie-nord/")


def test_both_histories_are_kept_and_the_merge_is_undone_from_the_survivor_s(client, editor, pair):
    absorbed_pk = pair["absorbed"].pk
    merge(client, pair)
    merge_row = StructureMerge.objects.get()
    history = soup(client.get(reverse("editing:structure_history", args=[pair["survivor"].pk])))
    note = history.select_one(".merge-note")
    assert "« ENVIE NORD (Lille) » a été fusionnée dans cette structure" in note.get_text()
    absorbed_history = soup(client.get(reverse("editing:structure_history", args=[absorbed_pk])))
    assert len(absorbed_history.select("li.version")) >= 2  # its creation… and its disappearance
    assert "Elle a été fusionnée le" in absorbed_history.select_one(".lead").get_text()

    undo = history.select_one(f"form#{note.button['form']}")
    response = client.post(undo["action"])
    assert response.url == reverse("editing:structure_edit", args=[absorbed_pk])
    absorbed = Structure.objects.get(pk=absorbed_pk)
    survivor = Structure.objects.get(pk=pair["survivor"].pk)
    assert (absorbed.name, absorbed.siret, absorbed.slug) == (
        "ENVIE NORD (Lille)",
        "41234567000019",
        pair["absorbed"].slug,
    )
    assert list(absorbed.networks.all()) == [pair["coorace"]]
    assert (survivor.siret, survivor.phone, list(survivor.networks.all())) == (None, "", [])
    assert sorted(pair["shared"].participations.values_list("structure", "role")) == sorted(
        [(survivor.pk, PARTNER), (absorbed_pk, LEAD)]
    )
    assert list(pair["own"].participations.values_list("structure", "role")) == [(absorbed_pk, FUNDER)]
    merge_row.refresh_from_db()
    assert merge_row.is_undone and merge_row.undone_by == editor
    client.logout()
    assert client.get(absorbed.get_absolute_url()).status_code == 200  # no longer redirected


def test_a_field_changed_since_the_merge_is_kept_by_the_undo(client, editor, pair):
    merge(client, pair)
    survivor = Structure.objects.get(pk=pair["survivor"].pk)
    survivor.phone = "03 20 99 99 99"
    survivor.save()
    client.post(reverse("editing:structure_merge_undo", args=[StructureMerge.objects.get().pk]), follow=True)
    survivor.refresh_from_db()
    assert survivor.phone_display == "03 20 99 99 99"


def test_a_merge_after_a_colleague_s_save_is_refused(client, editor, pair):
    data = merge_data(
        pair["survivor"], pair["absorbed"], name="a", siret="b", email="a", phone="b", networks="both"
    )
    absorbed = pair["absorbed"]
    absorbed.phone = "03 20 11 11 11"  # a field the form already asks about
    absorbed.save()
    response = client.post(reverse("editing:structure_merge"), data, follow=True)
    assert "enregistrée entre-temps" in soup(response).select_one(".message-error").get_text()
    assert Structure.objects.filter(pk=absorbed.pk).exists()
