"""The copy check's fingerprints: how runs of words are compared, and that the committed fingerprints are
those of the source documents."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cooperations.seed import FINGERPRINTS
from cooperations.seed_copies import RUN, CopyCheck, fingerprint, read_fingerprints, words, write_fingerprints

DOCUMENT = (
    "Au bord du canal, les abeilles de la ville butinent les tilleuls du parc pendant que les apiculteurs "
    "du quartier récoltent un miel clair et parfumé qu'ils vendent le samedi au marché couvert."
)


def test_words_are_compared_without_case_accents_or_punctuation():
    assert [w for w, _start, _end in words("L’Écopôle d'AUDRUICQ, 15 000 m² !")] == [
        "l",
        "ecopole",
        "d",
        "audruicq",
        "15",
        "000",
        "m2",
    ]
    assert fingerprint("Les Abeilles de la Ville butinent, les tilleuls du parc pendant que") == fingerprint(
        "les abeilles de la ville butinent les tilleuls du parc pendant que"
    )


def test_a_run_is_reported_once_with_its_document_its_length_and_its_words_as_written():
    check = CopyCheck({"ruches.txt": fingerprint(DOCUMENT), "autre.txt": fingerprint("Un tout autre texte.")})
    text = "Ici, Les Abeilles de la ville butinent les tilleuls du parc pendant que les apiculteurs dorment."

    assert check.copied_runs(text) == [
        (
            "ruches.txt",
            14,
            "Les Abeilles de la ville butinent les tilleuls du parc pendant que les apiculteurs",
        )
    ]
    assert check.copied_runs("les abeilles de la ville butinent les tilleuls du parc pendant") == []


def test_an_allowed_run_and_the_words_around_it_are_not_reported_unless_twelve_others_are_copied():
    title = "un miel clair et parfumé qu'ils vendent le samedi au marché couvert"
    check = CopyCheck({"ruches.txt": fingerprint(DOCUMENT)}, allowed=[title])

    assert check.copied_runs(f"Les apiculteurs du quartier récoltent {title}.") == []
    assert check.copied_runs("les abeilles de la ville butinent les tilleuls du parc pendant que") != []


def test_fingerprints_are_written_the_same_way_twice_and_read_back(tmp_path):
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    write_fingerprints({"ruches.txt": DOCUMENT}, first)
    write_fingerprints({"ruches.txt": DOCUMENT}, second)

    assert first.read_bytes() == second.read_bytes()
    assert read_fingerprints(first) == {"ruches.txt": fingerprint(DOCUMENT)}
    assert len(read_fingerprints(first)["ruches.txt"]) == len(words(DOCUMENT)) - RUN + 1


def test_the_committed_fingerprints_are_those_of_the_source_documents():
    documents = Path(
        os.environ.get("SEED_DOCUMENTS_DIR") or Path(settings.BASE_DIR).parent / "shared" / "seeds"
    )
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(documents.glob("*.txt"))}
    if not texts:
        # The documents live beside the repository on the team's machines only; elsewhere the copy
        # check still runs from the committed fingerprints, which there is nothing to compare with.
        # CI sets REQUIRE_SOURCES=1: there, missing documents are an error.
        reason = f"no source document in {documents} (SEED_DOCUMENTS_DIR names another folder)"
        if os.environ.get("REQUIRE_SOURCES") == "1":
            pytest.fail(f"REQUIRE_SOURCES=1 but {reason}", pytrace=False)
        pytest.skip(reason)

    assert read_fingerprints(FINGERPRINTS) == {name: fingerprint(text) for name, text in texts.items()}
    output = io.StringIO()
    call_command("fingerprint_sources", documents=str(documents), dry_run=True, stdout=output)
    assert "empreintes à jour" in output.getvalue()
