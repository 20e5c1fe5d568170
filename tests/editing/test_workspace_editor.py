"""The fiche editor: create, save, publish, participants and figures, conflicts settled field by field."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperations.models import Cooperation
from cooperations.models.reference import Level
from structures.models import Structure
from territories.models import Commune
from tests.editing.helpers import edit_data
from tests.factories import CooperationFactory, ParticipationFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial}


def new_fiche(**changes):
    return {
        "title": "Une conserverie partagée",
        "summary": "Trois ACI **mutualisent** une conserverie.",
        "level": Level.STRATEGIC,
        "scope": Cooperation.Scope.LOCAL,
        "version": 1,
        **management("participations"),
        **management("figures"),
        **changes,
    }


def test_an_editor_creates_a_draft_with_participants_and_figures(client, editor):
    lead, partner = StructureFactory(name="ACI du Val"), StructureFactory(name="Bailleur social")
    data = new_fiche(
        **management("participations", total=2),
        **{"participations-0-structure": lead.pk, "participations-0-role": "lead"},
        **{"participations-1-structure": partner.pk, "participations-1-role": "partner"},
        **management("figures", total=1),
        **{
            "figures-0-value": "12.5",
            "figures-0-unit": "tonnes",
            "figures-0-label": "de fruits",
            "figures-0-position": 0,
        },
        internal_note="Le document ne nomme pas la commune.",
        action="save",
    )

    response = client.post(reverse("editing:cooperation_create"), data, follow=True)

    cooperation = Cooperation.objects.get(title="Une conserverie partagée")
    assert cooperation.status == Cooperation.Status.DRAFT
    assert (cooperation.created_by, cooperation.updated_by) == (editor, editor)
    assert sorted(cooperation.participations.values_list("structure__name", "role")) == [
        ("ACI du Val", "lead"),
        ("Bailleur social", "partner"),
    ]
    assert [str(f) for f in cooperation.figures.all()] == ["12.5 tonnes de fruits"]
    assert cooperation.internal_note == "Le document ne nomme pas la commune."
    assert cooperation.history.count() == 1  # one version for the fiche, its links and its rows
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".messages").get_text(strip=True) == "Brouillon enregistré."
    assert page.select_one("#id_internal_note").get_text().strip() == "Le document ne nomme pas la commune."


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_publish_saves_then_publishes_and_unpublish_takes_it_back(client, role):
    user = UserFactory(**{role: True})
    client.force_login(user)
    client.post(reverse("editing:cooperation_create"), new_fiche(action="publish"))
    cooperation = Cooperation.objects.get()
    assert cooperation.is_published
    assert cooperation.published_by == user

    client.post(
        reverse("editing:cooperation_edit", args=[cooperation.pk]),
        edit_data(client, cooperation, action="unpublish_confirmed"),
    )
    cooperation.refresh_from_db()
    assert cooperation.status == Cooperation.Status.DRAFT


def test_unpublish_first_says_what_the_public_will_no_longer_see(client, editor):
    cooperation = CooperationFactory(published=True, title="Légumerie", summary="Avant.")
    edit_url = reverse("editing:cooperation_edit", args=[cooperation.pk])
    response = client.post(edit_url, edit_data(client, cooperation, summary="Après.", action="unpublish"))
    cooperation.refresh_from_db()
    assert (cooperation.is_published, cooperation.summary) == (True, "Avant.")  # nothing done yet
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Dépublier « Légumerie » ?"
    warning = " ".join(page.select_one(".unpublish-confirm").get_text().split())
    assert f"son adresse, {cooperation.get_absolute_url()}, répondra « page introuvable »" in warning
    assert "Les modifications que vous venez de faire dans l'éditeur seront enregistrées" in warning
    form = page.select_one(".unpublish-confirm form")
    carried = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert carried["summary"] == "Après."
    buttons = [(b["value"], b.get_text()) for b in form.select("button")]
    assert buttons == [
        ("unpublish_confirmed", "Dépublier la fiche"),
        ("back", "Revenir à la fiche sans dépublier"),
    ]

    # Back to the editor: what was typed is there, nothing is saved.
    back = client.post(edit_url, {**carried, "action": "back"})
    assert BeautifulSoup(back.content, "html.parser").select_one("#id_summary").get_text().strip() == "Après."
    cooperation.refresh_from_db()
    assert (cooperation.is_published, cooperation.summary) == (True, "Avant.")

    client.post(edit_url, {**carried, "action": "unpublish_confirmed"})
    cooperation.refresh_from_db()
    assert (cooperation.is_published, cooperation.summary) == (False, "Après.")


def test_publishing_without_other_edits_records_one_version_named_publication(client, editor):
    cooperation = CooperationFactory(title="Légumerie")
    versions = cooperation.history.count()
    response = client.post(
        reverse("editing:cooperation_edit", args=[cooperation.pk]),
        edit_data(client, cooperation, action="publish"),
        follow=True,
    )
    cooperation.refresh_from_db()
    assert cooperation.is_published
    [publication] = cooperation.history.all()[: cooperation.history.count() - versions]
    assert publication.history_change_reason == "Publication"
    assert publication.history_user == editor
    messages = BeautifulSoup(response.content, "html.parser").select_one(".messages").get_text(strip=True)
    assert messages == "La fiche est publiée : elle est visible de tous."


def test_saving_without_any_change_records_no_version(client, editor):
    cooperation = CooperationFactory(title="Légumerie", summary="Une ligne.\nUne autre.")
    versions = cooperation.history.count()
    data = edit_data(client, cooperation, action="save")
    data["summary"] = data["summary"].replace("\n", "\r\n")  # as a browser sends a textarea
    response = client.post(reverse("editing:cooperation_edit", args=[cooperation.pk]), data, follow=True)
    assert cooperation.history.count() == versions
    messages = BeautifulSoup(response.content, "html.parser").select_one(".messages").get_text(strip=True)
    assert messages == "Aucune modification : la fiche est restée telle quelle."


def test_texts_are_saved_with_plain_line_ends_and_no_trailing_spaces(client, editor):
    cooperation = CooperationFactory(title="Légumerie")
    data = edit_data(client, cooperation, summary="Une ligne.  \r\nUne autre.\t\r\n\r\n", action="save")
    client.post(reverse("editing:cooperation_edit", args=[cooperation.pk]), data)
    cooperation.refresh_from_db()
    assert cooperation.summary == "Une ligne.\nUne autre."


def test_a_missing_title_keeps_everything_typed_and_says_why(client, editor):
    response = client.post(reverse("editing:cooperation_create"), new_fiche(title="", context="Un contexte."))

    assert not Cooperation.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    assert "certains champs sont à corriger" in page.select_one(".form-errors").get_text()
    assert page.select_one("#id_context").get_text().strip() == "Un contexte."
    assert page.select_one("#id_title_error") or page.select_one(".field-title .errorlist")


def test_the_same_structure_twice_is_refused(client, editor):
    structure = StructureFactory(name="ACI du Val")
    data = new_fiche(
        **management("participations", total=2),
        **{"participations-0-structure": structure.pk, "participations-0-role": "lead"},
        **{"participations-1-structure": structure.pk, "participations-1-role": "partner"},
    )
    response = client.post(reverse("editing:cooperation_create"), data)
    assert not Cooperation.objects.exists()
    errors = BeautifulSoup(response.content, "html.parser").select_one("#qui-coopere .form-errors")
    assert errors.get_text(strip=True) == "« ACI du Val » figure deux fois parmi les participants."


def test_a_stale_save_shows_each_differing_field_side_by_side(client, editor):
    cooperation = CooperationFactory(title="Titre d'origine", summary="Résumé d'origine.")
    ParticipationFactory(cooperation=cooperation)
    mine = edit_data(client, cooperation, title="Mon titre", summary="Mon résumé.")
    colleague = UserFactory(editor=True, first_name="Marc", last_name="Petit")
    cooperation.title, cooperation.updated_by = "Son titre", colleague
    cooperation.save()

    response = client.post(reverse("editing:cooperation_edit", args=[cooperation.pk]), mine)

    cooperation.refresh_from_db()
    assert cooperation.title == "Son titre"
    page = BeautifulSoup(response.content, "html.parser")
    fields = page.select(".conflict-field")
    assert [f.legend.get_text() for f in fields] == ["Titre", "Résumé"]
    versions = [" ".join(label.get_text().split()) for label in fields[0].select("label")]
    assert versions[0] == "Votre version Mon titre"
    assert versions[1].startswith("Version enregistrée par Marc Petit à ")
    assert versions[1].endswith("Son titre")
    # Nothing typed is lost, and the form now stands against the saved version.
    assert page.select_one("#id_title")["value"] == "Mon titre"
    assert page.select_one("input[name=version]")["value"] == str(cooperation.version)


def test_the_editor_keeps_either_version_per_field(client, editor):
    cooperation = CooperationFactory(title="Titre d'origine", summary="Résumé d'origine.")
    mine = edit_data(client, cooperation, title="Mon titre", summary="Mon résumé.")
    cooperation.title, cooperation.summary = "Son titre", "Son résumé."
    cooperation.save()
    response = client.post(reverse("editing:cooperation_edit", args=[cooperation.pk]), mine)
    version = BeautifulSoup(response.content, "html.parser").select_one("input[name=version]")["value"]

    settled = {**mine, "version": version, "conflict-title": "theirs", "conflict-summary": "mine"}
    client.post(reverse("editing:cooperation_edit", args=[cooperation.pk]), settled)

    cooperation.refresh_from_db()
    assert (cooperation.title, cooperation.summary) == ("Son titre", "Mon résumé.")


def test_a_structure_is_created_from_the_editor_with_its_role_in_the_fiche(client, editor):
    response = client.post(
        reverse("editing:structure_create"),
        {
            "new-structure-name": "Régie de quartier du Lac",
            "new-structure-kind": "other",
            "new-structure-role": "lead",
        },
    )
    created = BeautifulSoup(response.content, "html.parser").select_one("[data-structure-created]")
    structure = Structure.objects.get(name="Régie de quartier du Lac")
    # The editor's script adds it to the participants at once, with this role.
    assert (created["data-structure-created"], created["data-label"], created["data-role"]) == (
        str(structure.pk),
        "Régie de quartier du Lac",
        "lead",
    )
    assert structure.updated_by == editor

    again = client.post(
        reverse("editing:structure_create"),
        {"new-structure-name": "régie de quartier du lac", "new-structure-kind": "other"},
    )
    assert again.status_code == 422
    assert "Une structure de ce type porte déjà ce nom" in again.content.decode()


def test_the_structure_search_offers_matching_structures(client, editor):
    StructureFactory(name="Atelier Vélo Solidaire")
    StructureFactory(name="Jardins de Cocagne")
    page = BeautifulSoup(
        client.get(reverse("editing:structure_search"), {"q": "velo"}).content, "html.parser"
    )
    assert [b["data-label"] for b in page.select("[data-pick]")] == ["Atelier Vélo Solidaire"]
    empty = client.get(reverse("editing:structure_search"), {"q": "introuvable"}).content.decode()
    assert "Aucune structure trouvée pour « introuvable »" in empty


def test_the_editor_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    small = CooperationFactory(participants=[StructureFactory()])
    large = CooperationFactory(participants=[StructureFactory() for _ in range(6)])
    for cooperation in (small, large):
        # Session, user, the user's and the groups' permissions; the fiche (with its last author and its
        # proposal, if any); its forms, regions, departments, communes, sectors and sources (the initial
        # values); the participations with their structures; the figures; the choices of forms, sectors
        # and sources; the user's organisations (may they edit it?) and the organisations they may give
        # it; the public's suggestions on the fiche (the chosen regions, departments and communes would
        # be one more each: there are none here; the others are found by typing).
        with django_assert_num_queries(19):
            client.get(reverse("editing:cooperation_edit", args=[cooperation.pk]))


def test_differing_participants_are_a_choice_too(client, editor):
    first, second, third = (StructureFactory(name=name) for name in ("ACI du Val", "Bailleur", "Cuisine"))
    cooperation = CooperationFactory(participants=[(first, "lead")])
    mine = edit_data(
        client,
        cooperation,
        **{"participations-TOTAL_FORMS": 2, "participations-1-structure": second.pk},
        **{"participations-1-role": "partner", "participations-1-cooperation": cooperation.pk},
    )
    cooperation.participations.create(structure=third, role="client")
    cooperation.title = "Titre changé"
    cooperation.save()

    response = client.post(reverse("editing:cooperation_edit", args=[cooperation.pk]), mine)

    page = BeautifulSoup(response.content, "html.parser")
    field = next(f for f in page.select(".conflict-field") if f.legend.get_text() == "Qui coopère")
    texts = [t.get_text() for t in field.select(".conflict-text")]
    assert texts == [
        "ACI du Val (Porteur)\nBailleur (Partenaire)",
        "ACI du Val (Porteur)\nCuisine (Client / donneur d'ordre)",
    ]
    version = page.select_one("input[name=version]")["value"]
    settled = {**mine, "version": version, "conflict-participations": "theirs", "conflict-title": "theirs"}
    client.post(reverse("editing:cooperation_edit", args=[cooperation.pk]), settled)
    assert sorted(cooperation.participations.values_list("structure__name", flat=True)) == [
        "ACI du Val",
        "Cuisine",
    ]


def options(client, kind, query):
    """The labels of a territory picker's options for what was typed (the real territories are loaded
    for every test database)."""
    response = client.get(reverse("editing:territory_search", args=[kind]), {"q": query})
    page = BeautifulSoup(response.content, "html.parser")
    return [option["data-label"] for option in page.select("li[role=option][data-pick]")]


def test_the_commune_picker_offers_communes_by_the_start_of_their_name(client, editor):
    assert options(client, "communes", "besanç") == ["Besançon (25)"]


def test_the_department_picker_finds_a_department_by_any_word_of_its_name_or_its_number(client, editor):
    assert options(client, "departments", "calais") == ["Pas-de-Calais (62)"]
    assert options(client, "departments", "59") == ["Nord (59)"]
    assert options(client, "departments", "2a") == ["Corse-du-Sud (2A)"]
    assert options(client, "departments", "saint denis") == ["Seine-Saint-Denis (93)"]


def test_the_region_picker_lists_regions_by_name_in_alphabetical_order(client, editor):
    assert options(client, "regions", "ile") == ["Île-de-France"]
    assert options(client, "regions", "nor") == ["Normandie"]
    found = options(client, "regions", "a")
    assert found == sorted(found) and found[0] == "Auvergne-Rhône-Alpes"


def test_a_picker_says_when_nothing_matches(client, editor):
    response = client.get(reverse("editing:territory_search", args=["departments"]), {"q": "zzz"})
    page = BeautifulSoup(response.content, "html.parser")
    assert not page.select("[role=option]")
    assert page.select_one("[role=presentation]").get_text() == "Rien ne correspond à « zzz »."


def test_an_unknown_kind_of_territory_is_not_found(client, editor):
    assert client.get(reverse("editing:territory_search", args=["pays"]), {"q": "fr"}).status_code == 404


def test_the_chosen_territories_are_ticked_regions_alphabetically(client, editor):
    cooperation = CooperationFactory()
    cooperation.regions.set(["01", "11", "84"])  # Guadeloupe, Île-de-France, Auvergne-Rhône-Alpes
    page = BeautifulSoup(
        client.get(reverse("editing:cooperation_edit", args=[cooperation.pk])).content, "html.parser"
    )
    ticked = [label.get_text(strip=True) for label in page.select("#id_regions label")]
    assert ticked == ["Auvergne-Rhône-Alpes", "Guadeloupe", "Île-de-France"]
    assert all(box.has_attr("checked") for box in page.select("#id_regions input"))
    assert not page.select("select[name=departments]")  # no 101-option list
    pickers = [p["data-combobox"] for p in page.select("[data-combobox]")]
    assert pickers == ["regions", "departments", "communes"]
    assert page.select_one("label[for=combobox-departments]").get_text() == "Ajouter un département"


def test_the_markdown_preview_is_rendered_and_sanitised_like_the_public_pages(client, editor):
    response = client.post(
        reverse("editing:markdown_preview"), {"text": "**Gras** <script>alert(1)</script>\n\n- un\n- deux"}
    )
    page = BeautifulSoup(response.content, "html.parser")
    assert page.strong.get_text() == "Gras"
    assert [li.get_text() for li in page.select("li")] == ["un", "deux"]
    assert page.script is None


def test_a_chosen_commune_comes_back_ticked_in_the_editor(client, editor):
    besancon = Commune.objects.get(name="Besançon")
    cooperation = CooperationFactory(communes=[besancon])
    response = client.get(reverse("editing:cooperation_edit", args=[cooperation.pk]))
    page = BeautifulSoup(response.content, "html.parser")
    ticked = page.select("#id_communes input:checked")
    assert [(box["value"], box.parent.get_text(strip=True)) for box in ticked] == [
        (besancon.pk, "Besançon (25)")
    ]
