"""The seed's text against the source documents: prose may not copy them, quotes must come from them.

The copy check: no run of RUN or more words of a fiche's prose may repeat a source document. The five
documents are not ours to publish, so the repository keeps their fingerprints instead of their text: a
short hash of every run of RUN consecutive words (fixtures/sources/fingerprints.json.gz, written by
`manage.py fingerprint_sources`). A hash says nothing of the words behind it, yet any run of the fiches'
prose can be looked up among them. Words are compared folded (case, accents and punctuation aside).
Names, titles and lists may carry over: fixtures/sources/allowed.yaml lists those runs.

The quotes (the sentence that shows a fiche's level, the one that decides an exclusion) are the other way
round: each must be a whole sentence of its document, word for word. The fingerprints tell, on any
machine, whether its words are the document's; where the documents themselves are at hand
(documents_dir()), is_sentence_of() checks the sentence exactly.
"""

import gzip
import hashlib
import json
import os
import re
from pathlib import Path

from lib.text import fold

RUN = 12
_WORD = re.compile(r"\w+")
_BLANKS = re.compile(r"[^\S\n]+")  # spaces, tabs and no-break spaces, not line breaks
# What may stand before a sentence on its line: nothing, or a list's bullet or number.
_LINE_START = re.compile(r"(?:[-•·✓➔*]|\d+[.)])?")
_SENTENCE_END = (".", "!", "?", "…")


def documents_dir():
    """The folder of the source documents: beside the repository on the team's machines, or the one
    SEED_DOCUMENTS_DIR names (CI)."""
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    return Path(os.environ.get("SEED_DOCUMENTS_DIR") or default)


def is_sentence_of(quote, text):
    """Whether `quote` stands in `text` as one or more whole sentences, word for word and sign for sign,
    spaces and line breaks aside: it starts a sentence (at the start of a line, after a list's bullet, or
    after . ! ? …) with no lower-case letter, and ends one (with . ! ? … or at the end of a line)."""
    words = (quote or "").split()
    if not words or words[0][0].islower():
        return False
    text = _BLANKS.sub(" ", text)
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    for match in pattern.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()].strip()
        starts = _LINE_START.fullmatch(before) or before.endswith(_SENTENCE_END)
        line_end = text.find("\n", match.end())
        after = text[match.end() : None if line_end < 0 else line_end].strip()
        if starts and (words[-1].rstrip('»)"’').endswith(_SENTENCE_END) or not after):
            return True
    return False


def words(text):
    """The folded words of `text`, each with the (start, end) of the word it comes from in `text`."""
    return [
        (word, match.start(), match.end())
        for match in _WORD.finditer(text or "")
        for word in fold(match.group()).split()
    ]


def _hash(run):
    return hashlib.blake2b(" ".join(run).encode(), digest_size=6).hexdigest()


def fingerprint(text):
    """The hashes of every run of RUN consecutive words of `text`."""
    folded = [word for word, _start, _end in words(text)]
    return {_hash(folded[i : i + RUN]) for i in range(len(folded) - RUN + 1)}


def fingerprints_of(documents):
    """{document name: its fingerprint} of {document name: text}."""
    return {name: fingerprint(text) for name, text in documents.items()}


def write_fingerprints(fingerprints, path):
    """Write {document name: set of hashes} to `path` (gzipped JSON, byte-identical when written again
    from the same texts)."""
    data = {"run": RUN, "documents": {name: sorted(hashes) for name, hashes in sorted(fingerprints.items())}}
    # No name nor date in the gzip header, so that the same texts always give the same bytes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(json.dumps(data, indent=0, sort_keys=True).encode())


def read_fingerprints(path):
    """{document name: set of hashes} of a file written by write_fingerprints()."""
    with gzip.open(path, "rb") as handle:
        data = json.loads(handle.read())
    if data.get("run") != RUN:
        raise ValueError(f"{path.name} holds runs of {data.get('run')} words, not {RUN}")
    return {name: set(hashes) for name, hashes in data["documents"].items()}


class CopyCheck:
    """Finds, in a text, the runs of RUN or more words that also stand in one of the documents; tells
    whether a quote's words are those of its document."""

    def __init__(self, fingerprints, allowed=()):
        self.fingerprints = fingerprints
        self.owner = {digest: name for name, digests in fingerprints.items() for digest in digests}
        self.allowed = [tuple(word for word, _start, _end in words(text)) for text in allowed]

    def _allowed_positions(self, folded):
        """The positions of `folded` inside an allowed run: no window that touches them counts."""
        positions = set()
        for run in self.allowed:
            for i in range(len(folded) - len(run) + 1):
                if tuple(folded[i : i + len(run)]) == run:
                    positions.update(range(i, i + len(run)))
        return positions

    def copied_runs(self, text):
        """[(document name, number of words, the words as written in `text`)], longest runs only."""
        found = words(text)
        folded = [word for word, _start, _end in found]
        allowed = self._allowed_positions(folded)
        hits = [
            None if allowed.intersection(range(i, i + RUN)) else self.owner.get(_hash(folded[i : i + RUN]))
            for i in range(len(folded) - RUN + 1)
        ]
        runs, i = [], 0
        while i < len(hits):
            if hits[i] is None:
                i += 1
                continue
            end = i
            while end + 1 < len(hits) and hits[end + 1] is not None:
                end += 1
            runs.append((hits[i], end + RUN - i, text[found[i][1] : found[end + RUN - 1][2]]))
            i = end + 1
        return runs

    def may_quote(self, document, quote):
        """Whether every run of RUN words of `quote` stands in `document`: its words are the document's,
        case, accents and punctuation aside. A quote shorter than RUN words cannot be told apart: True."""
        return fingerprint(quote) <= self.fingerprints.get(document, set())
