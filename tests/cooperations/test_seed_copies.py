"""The copy check's fingerprints: how runs of words are compared, and that the committed fingerprints are
those of the source documents; how a quote is held to its document."""

import io

from django.core.management import call_command

from cooperations.seed import FINGERPRINTS
from cooperations.seed_copies import (
    RUN,
    CopyCheck,
    documents_dir,
    fingerprint,
    fingerprints_of,
    is_sentence_of,
    read_fingerprints,
    words,
    write_fingerprints,
)

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
    write_fingerprints(fingerprints_of({"ruches.txt": DOCUMENT}), first)
    write_fingerprints(fingerprints_of({"ruches.txt": DOCUMENT}), second)

    assert first.read_bytes() == second.read_bytes()
    assert read_fingerprints(first) == {"ruches.txt": fingerprint(DOCUMENT)}
    assert len(read_fingerprints(first)["ruches.txt"]) == len(words(DOCUMENT)) - RUN + 1


def test_the_committed_fingerprints_are_those_of_the_source_documents(source_documents):
    assert read_fingerprints(FINGERPRINTS) == fingerprints_of(source_documents)
    output = io.StringIO()
    call_command("fingerprint_sources", documents=str(documents_dir()), dry_run=True, stdout=output)
    assert "empreintes à jour" in output.getvalue()


# --- Quotes -------------------------------------------------------------------------------------------

LIST = """Les ruches du quartier
- Le rucher du parc accueille dix ruches
- Les abeilles butinent aussi les toits de la mairie
Au bord du canal, l'E.B.E. récolte du miel. Il le vend au marché ! Rien d'autre.
"""


def test_a_quote_is_a_whole_sentence_of_the_document_spaces_and_line_breaks_aside():
    assert is_sentence_of("Au bord du canal, l'E.B.E. récolte du miel.", LIST)
    assert is_sentence_of("Il le vend au marché !", LIST)
    assert is_sentence_of("Il le vend au\n marché ! Rien  d'autre.", LIST)  # two sentences
    assert is_sentence_of("Le rucher du parc accueille dix ruches", LIST)  # a list's line, after its bullet
    assert is_sentence_of("Les ruches du quartier", LIST)  # a title


def test_a_quote_that_is_a_piece_of_a_sentence_or_not_the_documents_words_is_refused():
    assert not is_sentence_of("récolte du miel.", LIST)  # starts inside a sentence
    assert not is_sentence_of("Au bord du canal, l'E.B.E. récolte", LIST)  # stops inside one
    assert not is_sentence_of("Le rucher du parc accueille dix", LIST)  # stops inside a line
    assert not is_sentence_of("Au bord du canal, l’E.B.E. récolte du miel.", LIST)  # another apostrophe
    assert not is_sentence_of("Au bord du canal, l'EBE récolte du miel.", LIST)
    assert not is_sentence_of("", LIST)


def test_the_fingerprints_tell_whether_a_quote_has_the_words_of_its_document():
    check = CopyCheck({"ruches.txt": fingerprint(DOCUMENT), "autre.txt": fingerprint("Un tout autre texte.")})
    quote = "Au bord du canal, les abeilles de la ville butinent les tilleuls du parc."

    assert check.may_quote("ruches.txt", quote)
    assert not check.may_quote("autre.txt", quote)
    assert not check.may_quote("ruches.txt", quote.replace("tilleuls", "marronniers"))
    assert check.may_quote("autre.txt", "Trop court pour le dire.")  # fewer than 12 words
