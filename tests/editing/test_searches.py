"""/espace/recherches/ : the searches that found nothing (or hardly), grouped and counted over a period,
and a synonym added from one that makes it find fiches at once."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cooperations.models import SearchRecord, Synonym
from tests.factories import CooperationFactory, CooperationFormFactory, UserFactory

NONE_URL = reverse("editing:searches_none")
FEW_URL = reverse("editing:searches_few")
LIST_URL = reverse("cooperations:list")

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def record(query, count=0, days_ago=0, **filters):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return SearchRecord.objects.create(query=query, filters=filters, result_count=count, searched_on=day)


def rows(response):
    return [
        [" ".join(cell.get_text().split()) for cell in row.select("th, td")[:-1]]
        for row in soup(response).select("table.search-records tbody tr")
    ]


@pytest.fixture
def week(db):
    for _ in range(3):
        record("blanchisserie")
    record("blanchisserie", days_ago=6, region="76")
    record("laverie", days_ago=2)
    record("recyclerie", count=2)  # a few results
    record("garage", count=12)  # plenty: never listed
    record("pressing", days_ago=20)  # outside the last 7 days
    record("pressing", days_ago=40)  # outside the last 30 days


def test_this_weeks_searches_without_result_are_grouped_and_counted(client, editor, week):
    response = client.get(NONE_URL)
    today = timezone.localdate()
    assert rows(response) == [
        ["blanchisserie", "4", f"{today:%-d} {_month(today)} {today.year}"],
        ["laverie", "1", _day(today - datetime.timedelta(days=2))],
    ]
    assert soup(response).select_one(".results-count").get_text() == (
        f"2 recherches différentes du {_day(today - datetime.timedelta(days=6))} au {_day(today)}"
    )


def test_the_period_may_be_thirty_days_or_chosen(client, editor, week):
    assert [row[0] for row in rows(client.get(NONE_URL, {"periode": "30"}))] == [
        "blanchisserie",
        "laverie",
        "pressing",
    ]
    today = timezone.localdate()
    chosen = {
        "periode": "dates",
        "du": today - datetime.timedelta(days=45),
        "au": today - datetime.timedelta(days=10),
    }
    assert rows(client.get(NONE_URL, chosen)) == [
        ["pressing", "2", _day(today - datetime.timedelta(days=20))]
    ]


def test_a_wrong_period_is_explained_and_the_last_week_shown(client, editor, week):
    response = client.get(NONE_URL, {"periode": "dates", "du": "2026-05-01", "au": "2026-01-01"})
    notice = soup(response).select_one(".notice").get_text()
    assert "La première date doit précéder la seconde." in notice
    assert [row[0] for row in rows(response)] == ["blanchisserie", "laverie"]


def test_searches_with_few_results_show_how_many_they_found(client, editor, week):
    assert rows(client.get(FEW_URL)) == [["recyclerie", "1", "2", _day(timezone.localdate())]]


def test_each_search_offers_a_synonym_the_resource_sheet_and_a_draft(client, editor, db):
    CooperationFormFactory(code="ptce", short_name="PTCE", name="Pôle territorial de coopération économique")
    record("ptce alimentaire")
    cell = soup(client.get(NONE_URL)).select_one("table.search-records tbody tr td:last-child")
    links = {a.get_text(): a["href"] for a in cell.select("a")}
    assert links == {
        "Ajouter un synonyme": reverse("editing:synonym_new")
        + "?q=ptce+alimentaire&next=%2Fespace%2Frecherches%2Fsans-resultat%2F",
        "Fiche ressource « Pôle territorial de coopération économique »": reverse(
            "forms:detail", args=["ptce"]
        ),
        "Nouveau brouillon": reverse("editing:cooperation_create") + "?titre=ptce+alimentaire",
    }
    draft = soup(client.get(links["Nouveau brouillon"]))
    assert draft.select_one("#id_title")["value"] == "ptce alimentaire"


def test_the_list_costs_the_same_queries_for_5_or_50_searches(client, editor, django_assert_num_queries):
    for n in range(50):
        record(f"mot{n}")
    client.get(NONE_URL)
    # session, user, its own and its groups' permissions (4); the count and the page of grouped rows (2).
    # Each row's resource sheets are read from the cached choices and synonyms.
    with django_assert_num_queries(6):
        response = client.get(NONE_URL)
    assert len(rows(response)) == 50


def test_a_synonym_added_from_a_search_finds_fiches_at_once(client, editor, db):
    CooperationFactory(published=True, title="Blanchisserie du Refuge")
    record("laverie")
    assert client.get(LIST_URL, {"q": "laverie"}).context["page"].paginator.count == 0
    form = soup(client.get(reverse("editing:synonym_new"), {"q": "laverie", "next": NONE_URL}))
    assert form.select_one("#id_terms")["value"] == "laverie ; "
    response = client.post(
        reverse("editing:synonym_new"),
        {"terms": "laverie ; blanchisserie", "query": "laverie", "next": NONE_URL},
        follow=True,
    )
    assert response.redirect_chain == [(NONE_URL, 302)]
    message = soup(response).select_one(".messages").get_text()
    assert "Synonymes ajoutés : laverie ; blanchisserie." in message
    assert "La recherche « laverie » trouve maintenant 1 fiche." in message
    assert Synonym.objects.filter(terms="laverie ; blanchisserie").exists()
    client.logout()
    assert client.get(LIST_URL, {"q": "laverie"}).context["page"].paginator.count == 1


def test_a_synonym_needs_two_expressions_and_goes_back_only_to_this_site(client, editor, db):
    response = client.post(
        reverse("editing:synonym_new"), {"terms": "laverie ; ", "next": "https://ailleurs.example/"}
    )
    assert "Indiquez au moins deux expressions" in soup(response).select_one("#id_terms_error").get_text()
    response = client.post(
        reverse("editing:synonym_new"), {"terms": "laverie ; lavoir", "next": "https://ailleurs.example/"}
    )
    assert response["Location"] == NONE_URL


def test_visitors_and_accounts_without_a_role_are_kept_out(client, db):
    assert client.get(NONE_URL)["Location"].startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(NONE_URL).status_code == 403
    assert client.get(reverse("editing:synonym_new")).status_code == 403


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]  # fmt: skip


def _month(day):
    return MONTHS[day.month - 1]


def _day(day):
    return f"{day.day} {_month(day)} {day.year}"


def test_the_last_seven_days_are_checked_on_the_first_visit(client, editor):
    checked = soup(client.get(NONE_URL)).select("input[name=periode][checked]")
    assert [radio["value"] for radio in checked] == ["7"]
