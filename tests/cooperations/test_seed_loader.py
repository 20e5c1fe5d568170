import shutil

import pytest
import yaml

from cooperations.models import Cooperation, CooperationForm, LevelSheet, Participation
from cooperations.seed import FINGERPRINTS, FIXTURES_DIR, SeedError, SeedLoader
from cooperations.seed_copies import fingerprints_of, read_fingerprints, write_fingerprints
from structures.models import Sector, Structure

pytestmark = pytest.mark.django_db

AVISE = "avise-cooperations-siae.yaml"
DREETS = "dreets-hdf-webinaire-iae-ea.yaml"
COORACE = "coorace-territoires-avenir-1.yaml"
# A made-up document for the copy check, so that no test quotes the real ones.
DOCUMENT = (
    "Au bord du canal, les abeilles de la ville butinent les tilleuls du parc pendant que les apiculteurs "
    "du quartier récoltent un miel clair et parfumé qu'ils vendent le samedi au marché couvert."
)


@pytest.fixture
def fixtures(tmp_path):
    """A copy of fixtures/ to edit with `edit()`."""
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory)
    return directory


def edit(directory, name, change):
    """Rewrite the seed file `name` of `directory` after `change(data)`; return the data."""
    path = directory / "seed" / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return data


def add_document(directory):
    """Add DOCUMENT, as « document.txt », to the fingerprints of the copy of fixtures/ in `directory`."""
    fingerprints = read_fingerprints(FINGERPRINTS) | fingerprints_of({"document.txt": DOCUMENT})
    write_fingerprints(fingerprints, directory / "sources" / "fingerprints.json.gz")


def errors_of(directory):
    with pytest.raises(SeedError) as error:
        SeedLoader(directory).load()
    return error.value.errors


def test_a_dry_run_writes_nothing(db):
    report = SeedLoader().load(dry_run=True)
    assert report.counts[("fiches", "created")] > 0
    assert not Cooperation.objects.exists()


def test_a_fixture_error_names_the_file_and_the_entry_and_writes_nothing(fixtures):
    def change(data):
        data["cooperations"][0]["level"] = "tres-fort"
        data["cooperations"][0]["departments"] = ["999"]

    data = edit(fixtures, AVISE, change)

    errors = errors_of(fixtures)

    title = data["cooperations"][0]["title"]
    assert f"{AVISE}, fiche « {title} » : niveau inconnu « tres-fort »" in errors
    assert f"{AVISE}, fiche « {title} » : département inconnu « 999 »" in errors
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


def test_the_reference_alone_loads_sectors_forms_and_levels_without_any_fiche(db):
    report = SeedLoader().load(reference_only=True)

    assert report.counts[("secteurs", "created")] == Sector.objects.count() > 0
    assert report.counts[("formes", "created")] == CooperationForm.objects.count() > 0
    assert LevelSheet.objects.count() == 3
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


# --- The inclusion rule -----------------------------------------------------------------------------


def test_a_fiche_with_one_participant_none_from_the_sector_and_no_implementation_is_refused(fixtures):
    def change(data):
        fiche = data["cooperations"][1]  # Mondial Tissus and Tremplin
        fiche["participants"] = [p for p in fiche["participants"] if p["structure"] == "Mondial Tissus"]
        fiche["implementation"] = ""

    data = edit(fixtures, AVISE, change)

    where = f"{AVISE}, fiche « {data['cooperations'][1]['title']} »"
    assert set(errors_of(fixtures)) == {
        f"{where} : au moins deux structures participantes sont attendues (règle d'inclusion)",
        f"{where} : aucune structure de l'insertion ou du handicap (SIAE, GES, EA, ESAT, GEIQ…) parmi les "
        "participants (règle d'inclusion)",
        f"{where} : la mise en œuvre, ce que font ensemble les partenaires, est attendue",
    }


def test_an_excluded_case_needs_a_known_reason_and_a_note_and_cannot_take_a_fiches_address(fixtures):
    def change(data):
        data["excluded"] = [
            {"case": "Réseau Métamorphose", "reason": "trop court", "note": ""},
            {
                "case": "Écopôle",
                "reason": "activity",
                "note": "Déjà une fiche.",
                "slug": "ecopole-alimentaire-de-la-region-d-audruicq-ptce",
            },
        ]

    edit(fixtures, AVISE, change)

    assert set(errors_of(fixtures)) == {
        f"{AVISE}, cas écarté « Réseau Métamorphose » : raison inconnue « trop court » (attendues : "
        "not-a-case, partners, insertion, activity, place)",
        f"{AVISE}, cas écarté « Réseau Métamorphose » : la note qui justifie l'écart par le texte du "
        "document est attendue",
        f"{AVISE}, cas écarté « Écopôle » : l'adresse « ecopole-alimentaire-de-la-region-d-audruicq-ptce » "
        f"est celle d'une fiche de {AVISE}",
    }


def test_a_structure_described_differently_in_two_files_is_refused(fixtures):
    def change(data):
        envie = next(s for s in data["structures"] if s["name"] == "Envie")
        envie["description"] = "Autre description."

    edit(fixtures, AVISE, change)

    assert errors_of(fixtures) == [
        "coorace-territoires-avenir-3.yaml, structure « Envie » : décrite autrement dans "
        f"{AVISE} (une structure se décrit de même partout)"
    ]


# --- The copy check -----------------------------------------------------------------------------------


def test_a_sentence_taken_from_a_document_is_refused_and_named(fixtures):
    add_document(fixtures)
    copied = "les abeilles de la ville butinent les tilleuls du parc pendant que les apiculteurs"
    data = edit(
        fixtures, AVISE, lambda data: data["cooperations"][0].update(summary=f"Au printemps, {copied}.")
    )

    assert errors_of(fixtures) == [
        f"{AVISE}, fiche « {data['cooperations'][0]['title']} » : summary : 14 mots repris tels quels de "
        f"document.txt : « {copied} »"
    ]


def test_eleven_words_a_rewording_or_an_allowed_title_pass_the_copy_check(fixtures):
    add_document(fixtures)
    allowed = fixtures / "sources" / "allowed.yaml"
    allowed.write_text(
        allowed.read_text()
        + '- text: "un miel clair et parfumé qu\'ils vendent le samedi au marché couvert"\n  why: titre\n'
    )

    def change(data):
        data["cooperations"][0]["summary"] = (
            "Les abeilles de la ville butinent les tilleuls du parc pendant l'été."
        )
        data["cooperations"][1]["summary"] = "Les abeilles de la ville butinent les tilleuls de notre parc."
        data["cooperations"][2]["summary"] = (
            "Les apiculteurs du quartier récoltent un miel clair et parfumé qu'ils vendent le samedi au "
            "marché couvert."
        )

    edit(fixtures, AVISE, change)

    assert SeedLoader(fixtures).load(dry_run=True).counts[("fiches", "created")] > 0


def test_the_loader_refuses_to_run_without_the_fingerprints(fixtures):
    (fixtures / "sources" / "fingerprints.json.gz").unlink()

    assert errors_of(fixtures) == [
        "sources/fingerprints.json.gz manquant : lancez manage.py fingerprint_sources"
    ]


# --- Levels -------------------------------------------------------------------------------------------


def test_a_level_that_names_no_clause_of_its_own_or_no_sentence_is_refused(fixtures):
    def change(data):
        fiches = data["cooperations"]
        fiches[0]["level_basis"]["clause"] = "strategic-joint-market"  # a simple fiche
        del fiches[1]["level_basis"]
        fiches[2]["level_basis"]["clause"] = "strategic-handshake"
        fiches[3]["level_basis"]["quote"] = " "
        fiches[4]["level_basis"]["source"] = "coorace-territoires-avenir"  # not one of its sources

    data = edit(fixtures, AVISE, change)

    where = [f"{AVISE}, fiche « {fiche['title']} »" for fiche in data["cooperations"]]
    assert set(errors_of(fixtures)) == {
        f"{where[0]} : le critère « strategic-joint-market » est du niveau « strategic », non « simple »",
        f"{where[1]} : le niveau doit nommer le critère de levels.yaml qu'il remplit (level_basis.clause)",
        f"{where[1]} : la phrase de la source qui montre le niveau est attendue (level_basis.quote)",
        f"{where[2]} : critère de niveau inconnu « strategic-handshake » (voir reference/levels.yaml)",
        f"{where[3]} : la phrase de la source qui montre le niveau est attendue (level_basis.quote)",
        f"{where[4]} : la phrase citée doit venir d'une source de la fiche, pas de "
        "« coorace-territoires-avenir »",
    }


def test_a_quote_whose_words_are_not_its_documents_is_refused(fixtures):
    invented = "Les abeilles de la ville butinent les tilleuls du parc pendant que les apiculteurs dorment."

    def change(data):
        data["cooperations"][0]["level_basis"]["quote"] = invented
        data["excluded"][0]["quote"] = invented

    data = edit(fixtures, AVISE, change)

    document = data["source"]["document"]
    assert set(errors_of(fixtures)) == {
        f"{AVISE}, fiche « {data['cooperations'][0]['title']} » : la phrase « {invented} » ne se lit pas "
        f"dans {document}",
        f"{AVISE}, cas écarté « {data['excluded'][0]['case']} » : la phrase « {invented} » ne se lit pas "
        f"dans {document}",
    }


def test_each_clause_of_levels_yaml_needs_an_id_of_its_level_found_once_and_a_text(fixtures):
    path = fixtures / "reference" / "levels.yaml"
    levels = yaml.safe_load(path.read_text())
    simple, strategic, reinforced = levels
    simple["clauses"].append({"id": "strategic-joint-market", "text": "Une réponse commune."})
    strategic["clauses"][0]["text"] = ""
    reinforced["clauses"] = []
    path.write_text(yaml.safe_dump(levels, allow_unicode=True, sort_keys=False))

    where = "reference/levels.yaml, niveau"
    levels_errors = {
        f"{where} « simple » : identifiant de critère « strategic-joint-market » : « simple-… » attendu",
        f"{where} « simple » : le critère « strategic-joint-market » doit être unique et avoir un texte "
        "(text)",
        f"{where} « strategic » : le critère « strategic-joint-market » doit être unique et avoir un texte "
        "(text)",
        f"{where} « strategic » : le critère « strategic-coordinated-offer » doit être unique et avoir un "
        "texte (text)",
        f"{where} « reinforced » : au moins un critère (clauses) est attendu",
    }
    errors = set(errors_of(fixtures))
    assert levels_errors <= errors
    # The fiches filed under the clauses taken away are refused too.
    others = errors - levels_errors
    assert others and all("critère de niveau inconnu « reinforced-" in error for error in others)


def test_a_removed_structure_still_declared_of_no_known_kind_or_without_a_note_is_refused(fixtures):
    def change(data):
        data["removed_structures"] = [
            {"name": "Envie", "kind": "network", "note": "Retirée."},
            {"name": "Atelier fermé", "kind": "atelier", "note": ""},
        ]

    edit(fixtures, AVISE, change)

    assert set(errors_of(fixtures)) == {
        f"{AVISE}, structure retirée « Envie » : elle est encore déclarée dans « structures »",
        f"{AVISE}, structure retirée « Atelier fermé » : type inconnu « atelier »",
        f"{AVISE}, structure retirée « Atelier fermé » : la note qui dit pourquoi elle est retirée est "
        "attendue",
    }


def test_a_structure_left_other_without_a_note_that_says_why_is_refused(fixtures):
    def change(data):
        theatre = next(s for s in data["structures"] if s["name"] == "Théâtre de l'Aventure")
        theatre["internal_note"] = "Statut juridique non précisé."
        agefos = next(s for s in data["structures"] if s["name"] == "AGEFOS PME")
        del agefos["internal_note"]

    edit(fixtures, COORACE, change)

    reason = (
        "le type « autre » se justifie dans la note interne : « Type « autre » : » suivi de ce que le "
        "document dit de sa nature"
    )
    assert set(errors_of(fixtures)) == {
        f"{COORACE}, structure « Théâtre de l'Aventure » : {reason}",
        f"{COORACE}, structure « AGEFOS PME » : {reason}",
    }


# --- A database seeded before -------------------------------------------------------------------------


def test_a_fiche_an_earlier_seed_published_for_an_excluded_case_goes_back_to_draft(db):
    slug = "villette-emploi-des-prestations-d-insertion-dans-les-grands-lieux-culturels-pari"
    earlier = Cooperation.objects.create(
        title="Villette Emploi", slug=slug, level="simple", status=Cooperation.Status.PUBLISHED
    )

    report = SeedLoader().load()

    earlier.refresh_from_db()
    assert earlier.status == Cooperation.Status.DRAFT
    assert report.counts[("fiches", "withdrawn")] == 1
    assert "1 remise(s) en brouillon" in report.summary()
    assert ("fiches", "withdrawn") not in SeedLoader().load().counts


def test_a_structure_an_earlier_seed_created_under_another_kind_is_given_its_new_kind(db):
    earlier = Structure.objects.create(name="Tremplin (Ain)", kind=Structure.Kind.OTHER)

    SeedLoader().load()

    assert list(Structure.objects.filter(search_name="tremplin ain").values_list("pk", "kind")) == [
        (earlier.pk, Structure.Kind.SIAE)
    ]


def test_a_structure_the_files_retype_keeps_its_row_and_fiche_and_a_second_load_changes_nothing(fixtures):
    # The files as an earlier seed had them: EMCP of kind « Autre », which the files now type « Entreprise ».
    def earlier(data):
        emcp = next(s for s in data["structures"] if s["name"].startswith("EMCP"))
        emcp.update(
            kind="other", internal_note="Type « autre » : statut juridique non précisé par le recueil."
        )
        for fiche in data["cooperations"]:
            for participant in fiche["participants"]:
                if participant["structure"] == emcp["name"]:
                    participant["kind"] = "other"

    edit(fixtures, COORACE, earlier)
    SeedLoader(fixtures).load()
    emcp = Structure.objects.get(name__startswith="EMCP", kind=Structure.Kind.OTHER)
    fiche = emcp.participations.get().cooperation
    fiche_versions = fiche.history.count()

    report = SeedLoader().load()

    emcp.refresh_from_db()
    assert emcp.kind == Structure.Kind.COMPANY and "« l'entreprise »" in emcp.internal_note
    assert [p.cooperation for p in emcp.participations.all()] == [fiche]
    assert [version.kind for version in emcp.history.all()[:2]] == ["company", "other"]
    assert fiche.history.count() == fiche_versions  # the fiche itself did not change
    assert report.counts[("structures", "created")] == 0
    assert {outcome for (_label, outcome) in SeedLoader().load().counts} == {"unchanged"}


def test_a_fiche_whose_address_a_migration_cut_still_goes_back_to_draft(db):
    slug = "villette-emploi-des-prestations-d-insertion-dans-les-grands-lieux-culturels-pari"
    earlier = Cooperation.objects.create(
        title="Villette Emploi", slug=slug, level="simple", status=Cooperation.Status.PUBLISHED
    )
    # As migration 0008 cut it, after its last whole word and without a version of its own.
    cut = "villette-emploi-des-prestations-d-insertion-dans-les-grands-lieux-culturels"
    Cooperation.objects.filter(pk=earlier.pk).update(slug=cut)

    report = SeedLoader().load()

    earlier.refresh_from_db()
    assert (earlier.slug, earlier.status) == (cut, Cooperation.Status.DRAFT)
    assert report.counts[("fiches", "withdrawn")] == 1


def test_what_the_files_changed_reaches_a_database_seeded_before_and_a_second_load_changes_nothing(
    fixtures,
):
    # The files as an earlier seed had them: the AFEJI fiche with CAP Interim among its participants.
    def earlier(data):
        data["structures"].append(
            {
                "name": "CAP Interim",
                "kind": "other",
                "description": "Partenaire.",
                "internal_note": "Type « autre » : la diapositive ne dit rien de sa nature.",
            }
        )
        data["cooperations"][0]["participants"].append(
            {"structure": "CAP Interim", "kind": "other", "role": "partner"}
        )
        data["removed_structures"] = [s for s in data["removed_structures"] if s["name"] != "CAP Interim"]

    edit(fixtures, DREETS, earlier)
    SeedLoader(fixtures).load()
    afeji = Cooperation.objects.get(title__startswith="Du chantier d'insertion")
    assert "CAP Interim" in afeji.structures.values_list("name", flat=True)
    # Two structures named as removed ones: one a draft names, one that never took part in a fiche.
    agefiph = Structure.objects.create(name="AGEFIPH", kind=Structure.Kind.ASSOCIATION)
    draft = Cooperation.objects.create(title="Brouillon", slug="brouillon", level="simple")
    Participation.objects.create(cooperation=draft, structure=agefiph)
    biocoop = Structure.objects.create(name="Biocoop", kind=Structure.Kind.COMPANY)

    report = SeedLoader().load()

    assert sorted(afeji.structures.values_list("name", flat=True)) == [
        "ACI Littoral (Ateliers Chantiers d'Insertion Littoral)",
        "AFEJI Hauts-de-France",
        "Entreprise Adaptée Flandre - Littoral",
    ]
    assert not Structure.objects.filter(name="CAP Interim").exists()
    assert Structure.objects.filter(pk__in=[agefiph.pk, biocoop.pk]).count() == 2
    assert report.counts[("structures", "deleted")] == 1
    assert "1 supprimée(s)" in report.summary()
    assert {outcome for (_label, outcome) in SeedLoader().load().counts} == {"unchanged"}
