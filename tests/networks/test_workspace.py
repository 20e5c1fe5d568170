"""The workspace: « mes fiches » by organisation on the dashboard, and the organisations managed by
Administrateurs at /espace/reseaux/."""

import base64

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from structures.models import Network
from tests.factories import CooperationFactory, UserFactory

pytestmark = pytest.mark.django_db
# The smallest PNG: one transparent pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def test_the_dashboard_shows_my_fiches_by_organisation(client, networks):
    editor = UserFactory(editor=True)
    networks["coorace"].editors.add(editor)
    networks["dreets"].editors.add(editor)
    CooperationFactory(title="Brouillon COORACE", organisation=networks["coorace"])
    CooperationFactory(published=True, title="Publiée COORACE", organisation=networks["coorace"])
    CooperationFactory(title="Fiche d'un autre réseau", organisation=NetworkFactoryless())
    client.force_login(editor)
    page = BeautifulSoup(client.get(reverse("editing:dashboard")).content, "html.parser")
    panels = {
        section.h2.get_text(strip=True): section
        for section in page.select(".dashboard-panel")
        if section.h2.get_text(strip=True).startswith("Mes fiches")
    }
    assert list(panels) == ["Mes fiches : COORACE", "Mes fiches : DREETS HdF"]
    coorace = panels["Mes fiches : COORACE"]
    assert " ".join(coorace.p.get_text().split()).startswith("1 publiée, 1 brouillon")
    assert sorted(a.get_text() for a in coorace.select(".fiche-rows a")) == [
        "Brouillon COORACE",
        "Publiée COORACE",
    ]
    assert panels["Mes fiches : DREETS HdF"].select_one(".empty").get_text() == (
        "DREETS HdF ne suit encore aucune fiche."
    )


def NetworkFactoryless():
    return Network.objects.create(name="Chantier école", slug="chantier-ecole")


def test_the_dashboard_of_an_editor_of_organisations_reads_a_constant_number_of_queries(
    client, networks, django_assert_num_queries
):
    editor = UserFactory(editor=True)
    networks["coorace"].editors.add(editor)
    networks["dreets"].editors.add(editor)
    for index in range(12):
        CooperationFactory(organisation=networks["coorace" if index % 2 else "dreets"])
    client.force_login(editor)
    # Session, user, the user's and the groups' permissions; my drafts, all drafts, their count, the
    # proposals waiting; the user's organisations (for the corrections they review) and those
    # corrections; the recent changes, the gap counts, the fiches to complete; the structures' gaps,
    # their likely duplicates and the complements waiting; my organisations with their counts, and
    # their latest fiches.
    with django_assert_num_queries(18):
        response = client.get(reverse("editing:dashboard"))
    assert len(response.context["my_organisations"]) == 2


def test_an_administrator_creates_an_organisation_with_its_editors_and_logo(client, administrator):
    ines = UserFactory(editor=True, username="ines", first_name="Inès", last_name="Durand")
    page = client.get(reverse("editing:network_new"))
    assert "Inès Durand (ines)" in [label for _v, label in page.context["form"].fields["editors"].choices]
    data = {
        "name": "Fédération des acteurs de la solidarité",
        "short_name": "FAS",
        "kind": "federation",
        "website": "https://www.federationsolidarite.org",
        "description": "Fédération d'associations de solidarité.",
        "editors": [ines.pk],
        "logo_file": SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
    }
    response = client.post(reverse("editing:network_new"), data)
    assert response.status_code == 302
    network = Network.objects.get(short_name="FAS")
    assert network.slug == "fas"
    assert list(network.editors.all()) == [ines]
    logo = client.get(reverse("networks:logo", args=["fas"]))
    assert (logo["Content-Type"], logo.content) == ("image/png", PNG)


def test_a_file_that_is_not_an_image_is_refused_as_a_logo(client, administrator, networks):
    data = {"name": "COORACE", "kind": "federation", "logo_file": SimpleUploadedFile("logo.png", b"<svg/>")}
    response = client.post(reverse("editing:network_edit", args=[networks["coorace"].pk]), data)
    assert response.context["form"].errors["logo_file"] == [
        "Ce fichier n'est pas une image PNG, JPEG ou WebP."
    ]
    assert client.get(reverse("networks:logo", args=["coorace"])).status_code == 404


def test_editors_do_not_manage_organisations(client, editor, networks):
    assert client.get(reverse("editing:networks")).status_code == 403
    response = client.post(reverse("editing:network_edit", args=[networks["coorace"].pk]), {"name": "X"})
    assert response.status_code == 403
    assert Network.objects.get(pk=networks["coorace"].pk).name == "COORACE"


def test_the_workspace_lists_the_organisations_with_their_counts(client, administrator, networks):
    CooperationFactory(published=True, organisation=networks["coorace"])
    page = BeautifulSoup(client.get(reverse("editing:networks")).content, "html.parser")
    rows = [" ".join(li.get_text().split()) for li in page.select(".fiche-rows li")]
    assert rows[0] == "COORACE Fédération ou réseau · 1 fiche publiée · Aucun éditeur · page publique"
