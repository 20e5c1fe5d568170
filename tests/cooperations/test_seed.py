"""The seeded fiches as loaded: complete, true to the inclusion rule of fixtures/README.md, with their
editorial notes kept out of public text, and loaded twice to no effect."""

import re
from collections import Counter, defaultdict

import pytest
import yaml
from django.db.models import Count, Q
from django.urls import reverse

from cooperations.models import Cooperation, CooperationForm, Level, LevelSheet, Participation
from cooperations.seed import FIXTURES_DIR, SeedLoader, french_spacing
from cooperations.seed_copies import is_sentence_of
from lib.text import slug_for
from structures.models import Structure

pytestmark = pytest.mark.django_db

PUBLIC_TEXT = ("title", "summary", *Cooperation.SECTION_FIELDS, "figures_text")


def seed_files():
    return [yaml.safe_load(path.read_text()) for path in sorted((FIXTURES_DIR / "seed").glob("*.yaml"))]


def excluded_cases():
    return {entry["case"]: entry for data in seed_files() for entry in data.get("excluded", [])}


def fiches():
    """[(the `source` block of its file, the fiche's entry)] of every seeded fiche."""
    return [(data["source"], entry) for data in seed_files() for entry in data["cooperations"]]


def level_clauses():
    """{clause id: (level code, clause text)} of reference/levels.yaml."""
    levels = yaml.safe_load((FIXTURES_DIR / "reference" / "levels.yaml").read_text())
    return {clause["id"]: (level["code"], clause["text"]) for level in levels for clause in level["clauses"]}


def test_the_seed_publishes_every_fiche_of_the_files(seeded):
    expected = sum(len(data["cooperations"]) for data in seed_files())
    assert Cooperation.objects.published().count() == expected > 0
    assert not Cooperation.objects.exclude(status=Cooperation.Status.PUBLISHED).exists()


def test_every_published_fiche_is_complete(seeded):
    incomplete = (
        Cooperation.objects.published()
        .annotate(
            n_departments=Count("departments", distinct=True),
            n_regions=Count("regions", distinct=True),
            n_sectors=Count("sectors", distinct=True),
            n_sources=Count("sources", distinct=True),
        )
        .filter(
            Q(title="")
            | Q(level="")
            | Q(summary="")
            | Q(n_sectors=0)
            | Q(n_sources=0)
            | (Q(n_departments=0) & Q(n_regions=0) & ~Q(scope=Cooperation.Scope.NATIONAL))
        )
    )
    assert list(incomplete.values_list("title", flat=True)) == []


# --- The inclusion rule -----------------------------------------------------------------------------


def test_every_fiche_has_two_parties_at_least(seeded):
    alone = Cooperation.objects.annotate(n=Count("participations")).filter(n__lt=2)
    assert list(alone.values_list("title", flat=True)) == []


def test_every_fiche_has_a_party_from_the_insertion_or_disability_sector(seeded):
    inclusive = Participation.objects.filter(structure__kind__in=Structure.INCLUSIVE_KINDS)
    without = Cooperation.objects.exclude(pk__in=inclusive.values("cooperation"))
    assert list(without.values_list("title", flat=True)) == []


def test_every_fiche_says_what_the_partners_do_together(seeded):
    assert list(Cooperation.objects.filter(implementation="").values_list("title", flat=True)) == []


def test_every_fiche_has_a_lead_or_partner(seeded):
    without = Cooperation.objects.published().exclude(
        participations__role__in=[Participation.Role.LEAD, Participation.Role.PARTNER]
    )
    assert list(without.values_list("title", flat=True)) == []


def test_bicyclaide_and_the_figeacteurs_ptce_are_excluded_for_want_of_an_insertion_party(seeded):
    cases = excluded_cases()
    assert cases["Atelier vélo BicyclAide (Clichy)"]["reason"] == "insertion"
    figeac = cases["Les Fermes de Figeac et le PTCE Figeacteurs - La Fabrique (Lot)"]
    assert figeac["reason"] == "insertion"
    assert "Figeacteurs" in figeac["case"]
    names = " ".join(Structure.objects.values_list("name", flat=True))
    assert "BicyclAide" not in names and "Figeac" not in names


def test_the_borderline_cases_are_decided_against_the_rule_like_villette_emploi(seeded):
    cases = excluded_cases()
    romans = cases[
        "Relocalisation de la chaussure à Romans-sur-Isère (Groupe Archer, Made in Romans, L'Atelier cuir)"
    ]
    dombinnov = cases["PTCE Domb'Innov (Ain), porté par Val'Horizon"]
    assert romans["reason"] == dombinnov["reason"] == "insertion"
    assert "trouver des solutions à l’exclusion et au chômage" in romans["quote"]
    assert "20 entreprises sociales et locales qui coopèrent" in dombinnov["quote"]
    # The AGORA du Ternois, whose members' joint action is described no better than Villette Emploi's,
    # is no longer published.
    agora = next(entry for case, entry in cases.items() if case.startswith("AGORA du Ternois"))
    assert agora["reason"] == "partners" and cases["Villette Emploi dans les lieux culturels parisiens"]
    assert not Cooperation.objects.filter(title__startswith="AGORA").exists()
    assert agora["slug"] == "agora-du-ternois-un-espace-de-cooperation-entre-entreprises-et-associations-en"


def test_every_case_like_text_of_the_synthesis_and_the_webinar_has_a_decision():
    cases = excluded_cases()
    assert cases["Réseau l'Heureux-Cyclage"]["reason"] == "not-a-case"
    workstream = "Axe de travail « Innovation et coopération territoriale » de la DREETS Hauts-de-France"
    assert cases[workstream]["reason"] == "not-a-case"


def test_the_hauts_de_lorette_and_solidarauto_are_decided_together(seeded):
    cases = excluded_cases()
    lorette = cases["La Ferme des Hauts de Lorette (Condé-sur-l'Escaut) : réemploi du bois"]
    solidarauto = cases["Solidarauto (Échirolles) : garage solidaire"]
    assert lorette["reason"] == solidarauto["reason"] == "partners"
    assert not Cooperation.objects.filter(Q(title__contains="Lorette") | Q(title__contains="Solidarauto"))
    # The fiche earlier seeds published for the Hauts de Lorette is named, to be withdrawn where it exists.
    assert (
        lorette["slug"] == "reemploi-du-bois-de-l-industrie-et-des-chantiers-mobilier-et-decoration-par-l-ac"
    )


def test_the_readme_gives_each_documents_counts_as_the_files_hold_them():
    own, cited, excluded = Counter(), Counter(), Counter()
    for data in seed_files():
        key = data["source"]["key"]
        own[key] += len(data["cooperations"])
        excluded[key] += len(data.get("excluded", []))
        for entry in data["cooperations"]:
            cited.update(entry.get("also_sources", []))
    expected = {
        key: (own[key] + cited[key] + excluded[key], own[key], cited[key], excluded[key]) for key in own
    }

    row = re.compile(r"^\| `(?P<key>[\w-]+)` \|.*\| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", re.MULTILINE)
    readme = (FIXTURES_DIR / "README.md").read_text()
    stated = {match["key"]: tuple(int(n) for n in match.groups()[1:]) for match in row.finditer(readme)}
    assert stated == expected


DECISION = re.compile(
    r"^\| (?P<case>[^|]+?) \| (?P<decision>(?:excluded|level|place): [^|]+?) \| .+ \|$", re.M
)


def decision_of(entry):
    """The README's « Decision » for a case of the files: its exclusion, its level, or its place."""
    if "reason" in entry:
        return f"excluded: `{entry['reason']}`"
    return f"level: `{entry['level']}` (`{entry['level_basis']['clause']}`)"


def place_of(entry):
    codes = [*entry.get("regions", []), *entry.get("departments", []), *entry.get("communes", [])]
    return "place: " + (", ".join(f"`{code}`" for code in codes) or entry.get("scope", "local"))


def test_the_readme_table_of_decisions_says_what_the_files_decide():
    readme = (FIXTURES_DIR / "README.md").read_text()
    section = readme.split("### Decisions a reader may check")[1].split("\n### ")[0]
    entries = [entry for _source, entry in fiches()] + list(excluded_cases().values())
    stated, found = {}, {}
    for row in DECISION.finditer(section):
        case = row["case"].strip()
        matching = [e for e in entries if (e.get("title") or e.get("case")).startswith(case)]
        assert len(matching) == 1, case
        stated[case] = row["decision"]
        place = row["decision"].startswith("place:")
        found[case] = place_of(matching[0]) if place else decision_of(matching[0])
    assert len(stated) == 20
    assert stated == found


# --- Kinds, levels and forms --------------------------------------------------------------------------


def test_at_most_a_quarter_of_the_published_fiches_has_a_participant_of_kind_other(seeded):
    published = Cooperation.objects.published()
    with_other = published.filter(participations__structure__kind=Structure.Kind.OTHER).distinct()
    assert published.count() == len(fiches())
    assert with_other.count() * 4 <= published.count()
    # And no participant is « Autre · Autre ».
    both = Participation.objects.filter(structure__kind=Structure.Kind.OTHER, role=Participation.Role.OTHER)
    assert not both.exists()


def test_every_structure_left_of_kind_other_says_in_its_note_what_its_document_gives_of_it(seeded):
    others = Structure.objects.filter(kind=Structure.Kind.OTHER)
    reason = re.compile(r"Type « autre » : (\S+ ){4}\S")
    assert [s.name for s in others if not reason.search(s.internal_note)] == []


def test_kinds_the_documents_support_without_stating_them_rest_on_their_words(seeded):
    def typed(name):
        structure = Structure.objects.get(name=name)
        return structure.kind, structure.internal_note

    kind, note = typed("EMCP (Être Mobile C'est Permis)")
    assert kind == Structure.Kind.COMPANY and "« l'entreprise »" in note
    kind, note = typed("Fibre 49")
    assert kind == Structure.Kind.NETWORK and "« un regroupement d'acteurs" in note
    kind, note = typed("LYSEA")
    assert kind == Structure.Kind.ASSOCIATION and "restaurant associatif »" in note
    kind, note = typed("Groupement d'employeurs des onze SIAE du Gard")
    assert kind == Structure.Kind.GES and "Groupement d'Employeurs Solidaires (GES)" in note
    # Nothing in the documents says what the theatre or the Ateliers du Bocage are.
    assert typed("Théâtre de l'Aventure")[0] == typed("Ateliers du Bocage")[0] == Structure.Kind.OTHER


def test_collective_participants_carry_the_kind_the_category_names(seeded):
    landlords = Structure.objects.get(name="Sept bailleurs sociaux de Seine-Maritime")
    assert landlords.kind == Structure.Kind.SOCIAL_LANDLORD
    assert landlords.participations.get().cooperation.title.startswith("Interm'Aide Emploi et sept bailleurs")


def test_the_ges_and_the_ensemblier_belong_with_the_simple_level_as_the_avise_presents_them(seeded):
    simple = LevelSheet.objects.get(code=Level.SIMPLE).description
    reinforced = LevelSheet.objects.get(code=Level.REINFORCED).description
    assert "groupe économique solidaire" in simple and "ensemblier" in simple
    assert "économique solidaire" not in reinforced
    actem = Cooperation.objects.get(title__startswith="Groupe économique solidaire ACTEM")
    assert actem.level == Level.SIMPLE
    assert not Cooperation.objects.filter(forms__code="ges", level=Level.REINFORCED).exists()


def test_every_fiche_names_the_clause_of_levels_yaml_its_level_meets_and_quotes_its_source():
    # Needs no document: the quotes' words are the documents' is the next test's (and load_seed's) job.
    clauses = level_clauses()
    without = [
        entry["title"]
        for _source, entry in fiches()
        if clauses.get((entry.get("level_basis") or {}).get("clause"), ("",))[0] != entry["level"]
        or not (entry["level_basis"].get("quote") or "").strip()
    ]
    assert len(fiches()) == 40
    assert without == []


def test_every_quote_is_a_whole_sentence_of_its_source_document(source_documents):
    documents = {data["source"]["key"]: data["source"]["document"] for data in seed_files()}
    quotes = [
        (entry["title"], entry["level_basis"].get("source") or source["key"], entry["level_basis"]["quote"])
        for source, entry in fiches()
    ]
    quotes += [
        (entry["case"], data["source"]["key"], entry["quote"])
        for data in seed_files()
        for entry in data.get("excluded", [])
        if "quote" in entry
    ]
    not_found = [
        (case, quote)
        for case, key, quote in quotes
        if not is_sentence_of(quote, source_documents[documents[key]])
    ]
    assert len(quotes) == 40 + 10  # every fiche, and the exclusions the README's table lists
    assert not_found == []


def test_each_level_rests_on_what_its_documents_say(seeded):
    def level(words):
        return Cooperation.objects.get(title__contains=words).level

    # A recruitment channel organised with employers, like Interm'Aide Emploi's and Unis vers l'Emploi's.
    assert level("Panier de la Mer 56") == Level.STRATEGIC
    assert level("sept bailleurs sociaux") == level("Parcours gagnants") == Level.STRATEGIC
    # No joint creation shown: the theatre's part is never told, nor who founded Bou'Sol with whom.
    assert level("ACTES du Tremplin") == Level.SIMPLE
    assert level("Bou'Sol") == Level.STRATEGIC
    # No path from penal reparation to the chantiers: the farm draws on its partners' resources.
    assert level("Ferme de la Butte Pinson") == Level.SIMPLE
    assert level("Partage 44") == level("WILO Intec") == level("Lilokawa") == Level.SIMPLE


def test_the_clause_and_the_sentence_of_a_level_are_shown_to_editors_and_not_to_the_public(
    seeded, client, administrator
):
    for _source, entry in fiches():
        note = Cooperation.objects.get(slug=slug_for(entry["title"])).internal_note
        assert entry["level_basis"]["clause"] in note, entry["title"]
        assert " ".join(entry["level_basis"]["quote"].split()) in note, entry["title"]

    panier = Cooperation.objects.get(title__startswith="Panier de la Mer 56")
    basis = "Phrase de la source qui le montre"
    assert basis in client.get(reverse("admin:cooperations_cooperation_change", args=[panier.pk])).text
    for url in (reverse("cooperations:detail", args=[panier.slug]), reverse("cooperations:list")):
        page = client.get(url, {"q": "Panier"}).text
        assert "strategic-recruitment-channel" not in page and basis not in page, url
        assert "s’engagent à embaucher de manière pérenne" not in page, url


def test_each_level_sheet_closes_with_its_clauses_and_no_identifier(seeded):
    for clause_id, (code, text) in level_clauses().items():
        description = LevelSheet.objects.get(code=code).description
        assert description.count("**Dans l'annuaire.**") == 1
        assert french_spacing(text) in description
        assert clause_id not in description


def test_the_partnership_form_claims_no_written_convention(seeded):
    partnership = CooperationForm.objects.get(code="partenariat")
    assert partnership.name == "Partenariat"
    assert "convention" not in partnership.summary.lower()
    assert "ne suppose pas d'accord écrit" in partnership.definition


def test_each_legal_frame_names_its_article_and_the_ges_sheet_gives_the_dreets_expansion(seeded):
    frames = {form.code: form.legal_frame for form in CooperationForm.objects.exclude(legal_frame="")}
    assert {"ptce", "tzcld", "scic", "scop", "gie", "clause-sociale", "ges", "pat"} <= set(frames)
    assert [code for code, text in frames.items() if "article" not in text.lower()] == []
    assert "Groupement d'Employeurs Solidaires" in CooperationForm.objects.get(code="ges").definition


def test_the_small_facts_read_as_the_source_tells_them(seeded):
    wilo = Cooperation.objects.get(title__startswith="WILO Intec")
    assert "fournit une pompe" in wilo.implementation
    assert "don d'une pompe" not in wilo.implementation
    actes = Cooperation.objects.get(title__contains="ACTES du Tremplin")
    assert "du 2 au 29 mars 2016" in actes.summary
    # The farm's penal reparation leads to civic service; its chantiers are another activity.
    butte = Cooperation.objects.get(title__startswith="Ferme de la Butte Pinson")
    assert "puis au chantier" not in butte.success_factors
    assert "service civique" in butte.success_factors and "autre activité" in butte.success_factors
    # SOLENI's advisers do thermal comfort works, not « petits travaux », for funders who care that
    # ULISSE's first mission is employment, not partners who share it.
    soleni = Cooperation.objects.get(title__startswith="SOLENI")
    assert "petits travaux" not in soleni.implementation and "confort thermique" in soleni.implementation
    assert "partagent la mission" not in soleni.success_factors


def test_afejis_common_partners_are_an_aim_and_only_parties_shown_acting_take_part(seeded):
    afeji = Cooperation.objects.get(title__startswith="Du chantier d'insertion à l'entreprise adaptée")
    assert sorted(afeji.structures.values_list("name", flat=True)) == [
        "ACI Littoral (Ateliers Chantiers d'Insertion Littoral)",
        "AFEJI Hauts-de-France",
        "Entreprise Adaptée Flandre - Littoral",
    ]
    assert "CAP Interim" in afeji.objectives and "CAP Interim" not in afeji.implementation
    assert "partenaires" not in afeji.summary
    assert not Structure.objects.filter(name__in=["GEIQ Emploi Handicap", "CAP Interim", "AGEFIPH"]).exists()


def test_fiches_are_placed_no_finer_than_their_documents_name(seeded):
    def places(prefix):
        fiche = Cooperation.objects.get(title__startswith=prefix)
        codes = [
            *fiche.departments.values_list("code", flat=True),
            *fiche.communes.values_list("code", flat=True),
        ]
        return fiche.scope, codes, fiche.internal_note

    scope, codes, note = places("SOLENI")
    assert (scope, codes) == (Cooperation.Scope.DEPARTMENTAL, ["38"]) and "l'Isère" in note
    scope, codes, note = places("Le Toit Angevin")
    assert codes == ["49"] and "l'Anjou" in note and "Angers" in note
    scope, codes, note = places("Réemploi des DEEE")
    assert (scope, codes) == (Cooperation.Scope.NATIONAL, []) and "nationales" in note
    atelier = Structure.objects.get(name="Atelier de réinsertion partenaire du Toit Angevin")
    assert atelier.department is None


# --- Editorial notes ----------------------------------------------------------------------------------

# Phrases that speak of the documents or of the editing rather than of the cooperation.
EDITORIAL = re.compile(
    r"non précisé|non nommé|ne nomme pas|ne précise pas|le document ne|la source ne"
    r"|classification de la fiche|à la date de la source|\(en 2016\)|chiffres (de )?2016",
    re.IGNORECASE,
)


def test_no_editorial_note_stands_in_public_text(seeded):
    leaks = defaultdict(list)
    for cooperation in Cooperation.objects.prefetch_related("figures"):
        texts = [getattr(cooperation, field) for field in PUBLIC_TEXT]
        texts += [figure.label for figure in cooperation.figures.all()]
        leaks[cooperation.title] += [match[0] for text in texts for match in EDITORIAL.finditer(text)]
    for structure in Structure.objects.all():
        leaks[structure.name] += [match[0] for match in EDITORIAL.finditer(structure.description)]
    assert {name: found for name, found in leaks.items() if found} == {}


def test_public_text_is_set_with_french_spacing_so_that_no_line_starts_with_a_colon(seeded):
    plain_space = re.compile(r"« | [:;?!»]")
    texts = [getattr(c, field) for c in Cooperation.objects.all() for field in PUBLIC_TEXT]
    texts += list(Structure.objects.values_list("description", flat=True))
    texts += [form.definition for form in CooperationForm.objects.all()]
    assert [text for text in texts if plain_space.search(text)] == []
    assert (
        "«\u00a0ACTES du Tremplin\u00a0»"
        in Cooperation.objects.get(title__contains="ACTES du Tremplin").title
    )


def test_editorial_notes_are_kept_as_internal_notes(seeded):
    ecopole = Cooperation.objects.get(title__startswith="Écopôle alimentaire")
    assert "commune" in ecopole.internal_note and "commune du site" not in ecopole.context
    emcp = Structure.objects.get(name="EMCP (Être Mobile C'est Permis)")
    assert "EMPC" in emcp.internal_note and "EMPC" not in emcp.description


# --- Loading ------------------------------------------------------------------------------------------


def test_every_participant_has_a_kind_and_no_two_structures_share_a_folded_name_and_kind(seeded):
    assert not Structure.objects.filter(participations__isnull=False, kind="").exists()
    duplicates = Structure.objects.values("search_name", "kind").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(duplicates) == []


def test_every_declared_structure_takes_part_in_a_fiche(seeded):
    assert list(Structure.objects.filter(participations__isnull=True).values_list("name", flat=True)) == []


def test_places_are_consistent_with_the_reference_data(seeded):
    for cooperation in Cooperation.objects.prefetch_related("communes", "departments"):
        departments = {d.code for d in cooperation.departments.all()}
        for commune in cooperation.communes.all():
            assert commune.department_id in departments, (cooperation.title, commune.code)
    for structure in Structure.objects.filter(commune__isnull=False).select_related("commune"):
        assert structure.department_id == structure.commune.department_id


def test_each_seeded_fiche_has_one_version_in_its_history(seeded):
    versions = Cooperation.history.values("id").annotate(n=Count("history_id"))
    assert {row["n"] for row in versions} == {1}


def test_loading_twice_changes_nothing(seeded):
    updated_at = dict(Cooperation.objects.values_list("slug", "updated_at"))
    structures = dict(Structure.objects.values_list("pk", "updated_at"))
    history_rows = Cooperation.history.count()
    second = SeedLoader().load()
    assert {outcome for (_label, outcome) in second.counts} == {"unchanged"}
    assert dict(Cooperation.objects.values_list("slug", "updated_at")) == updated_at
    assert dict(Structure.objects.values_list("pk", "updated_at")) == structures
    assert Cooperation.history.count() == history_rows
