"""The checks every seed file passes before anything is written (see cooperations.seed): each error
names the file and the entry, « avise.yaml, fiche « … » : département inconnu « 999 » ».

Besides the shape of the entries, they hold the fiches to the inclusion rule of fixtures/README.md (two
parties at least, one of them from the insertion or disability sector, what they do together, a place),
each fiche's level to a clause of levels.yaml shown by a quote of its source, each structure left « Autre »
to a note that says why, and the prose of fiches, structures and reference sheets to the copy check
(cooperations.seed_copies), whose fingerprints also tell whether a quote's words are its document's.
"""

import re
from collections import Counter

from lib.text import fold, slug_for
from structures.contact import CLEANERS, clean_contact
from structures.models import Network, Structure
from territories.models import Commune, Department, Region

from .models import Cooperation, Level, Participation

STRUCTURE_KINDS = set(Structure.Kind.values)
ROLES = set(Participation.Role.values)
SCOPES = set(Cooperation.Scope.values)
NETWORK_KINDS = tuple(Network.Kind.values)
# Why a case of a document is not a fiche: the clause of the inclusion rule it fails (fixtures/README.md).
EXCLUSION_REASONS = ("not-a-case", "partners", "insertion", "activity", "place")
FICHE_PROSE = ("title", "summary", *Cooperation.SECTION_FIELDS, "figures_text")
# A clause of levels.yaml is named by an id that starts with its level's code: "strategic-joint-market".
CLAUSE_ID = re.compile(r"[a-z]+(-[a-z]+)+")
# A structure left « Autre » says why in its internal note: « Type « autre » : » then five words at least of
# what its document says of its nature (fixtures/README.md, « Writing a fiche »).
OTHER_KIND_REASON = re.compile(r"Type « autre » : (\S+ ){4}\S")


class SeedChecks:
    def __init__(self, sectors, forms, levels, files, copies=None, networks=()):
        self.forms = forms
        self.networks = networks
        self.copies = copies  # a CopyCheck, or None to leave the prose unchecked
        self.levels = levels
        clauses = [
            (clause.get("id"), level.get("code")) for level in levels for clause in level.get("clauses") or []
        ]
        self.clause_levels = dict(clauses)
        self.clause_count = Counter(clause_id for clause_id, _code in clauses)
        self.files = files  # [(file name, its data)]
        # Where each source's quotes come from: the document its `source` block names.
        self.documents = {
            data.get("source", {}).get("key"): data.get("source", {}).get("document") for _, data in files
        }
        self.sector_slugs = {s["slug"] for s in sectors}
        self.form_codes = {f["code"] for f in forms}
        self.source_keys = {data.get("source", {}).get("key") for _, data in files}
        self.department_codes = set(Department.objects.values_list("code", flat=True))
        self.region_codes = set(Region.objects.values_list("code", flat=True))
        wanted_communes = {
            code
            for _, data in files
            for entry in [*data.get("structures", []), *data.get("cooperations", [])]
            for code in ([entry["commune"]] if entry.get("commune") else entry.get("communes", []))
        }
        self.commune_departments = dict(
            Commune.objects.filter(code__in=wanted_communes).values_list("code", "department_id")
        )
        self._errors = []

    def errors(self):
        """Every problem of the files, as French sentences."""
        for level in self.levels:
            self.check_level(level)
        organisations = {entry.get("slug") for entry in self.networks}
        for entry in self.networks:
            if not entry.get("slug") or not entry.get("name") or entry.get("kind") not in NETWORK_KINDS:
                self.error(
                    f"reference/networks.yaml, réseau « {entry.get('name')} »",
                    f"il faut un slug, un nom et un type parmi {', '.join(NETWORK_KINDS)}",
                )
        for sheet in self.forms:
            self.check_prose(f"reference/forms.yaml, forme « {sheet.get('code')} »", sheet)
        sources, slugs, described, withdrawn = {}, {}, {}, []
        declared_anywhere = {
            (fold(entry.get("name")), entry.get("kind"))
            for _, data in self.files
            for entry in data.get("structures", [])
        }
        for name, data in self.files:
            self.check_source(name, data.get("source") or {}, sources)
            organisation = (data.get("source") or {}).get("organisation")
            if organisation and organisation not in organisations:
                self.error(
                    name, f"le réseau « {organisation} » n'est pas décrit dans reference/networks.yaml"
                )
            declared = set()
            for entry in data.get("structures", []):
                key = self.check_structure(name, entry)
                declared.add(key)
                self.check_prose(f"{name}, structure « {entry.get('name')} »", entry, ("description",))
                if key in described and described[key][1] != entry:
                    self.error(
                        f"{name}, structure « {entry.get('name')} »",
                        f"décrite autrement dans {described[key][0]} (une structure se décrit de même "
                        "partout)",
                    )
                described.setdefault(key, (name, entry))
            for entry in data.get("cooperations", []):
                where = f"{name}, fiche « {entry.get('title') or ''} »"
                slug = entry.get("slug") or slug_for(entry.get("title") or "")
                if slug in slugs:
                    self.error(where, f"même adresse « {slug} » que la fiche de {slugs[slug]}")
                slugs[slug] = name
                self.check_cooperation(where, entry)
                self.check_level_basis(where, entry, data.get("source", {}).get("key"))
                self.check_places(where, entry)
                self.check_participants(where, entry.get("participants") or [], declared)
                self.check_prose(where, entry, FICHE_PROSE)
                for figure in entry.get("figures") or []:
                    self.check_prose(where, figure, ("label",))
            for entry in data.get("excluded", []):
                withdrawn += self.check_excluded(name, entry)
                where = f"{name}, cas écarté « {entry.get('case') or ''} »"
                if entry.get("quote"):
                    self.check_quote(where, entry["quote"], data.get("source", {}).get("key"))
            for entry in data.get("removed_structures", []):
                self.check_removed_structure(name, entry, declared_anywhere)
        for where, slug in withdrawn:
            if slug in slugs:
                self.error(where, f"l'adresse « {slug} » est celle d'une fiche de {slugs[slug]}")
        return self._errors

    def error(self, where, message):
        self._errors.append(f"{where} : {message}")

    def check_level(self, level):
        where = f"reference/levels.yaml, niveau « {level.get('code')} »"
        if level.get("code") not in Level.values:
            self.error("reference/levels.yaml", f"niveau inconnu « {level.get('code')} »")
        if not level.get("clauses"):
            self.error(where, "au moins un critère (clauses) est attendu")
        for clause in level.get("clauses") or []:
            clause_id = clause.get("id") or ""
            if not CLAUSE_ID.fullmatch(clause_id) or not clause_id.startswith(f"{level.get('code')}-"):
                self.error(
                    where, f"identifiant de critère « {clause_id} » : « {level.get('code')}-… » attendu"
                )
            if self.clause_count[clause_id] != 1 or not (clause.get("text") or "").strip():
                self.error(where, f"le critère « {clause_id} » doit être unique et avoir un texte (text)")
            self.check_prose(f"{where}, critère « {clause_id} »", clause, ("text",))
        self.check_prose(where, level)

    def check_level_basis(self, where, entry, source_key):
        """A fiche's level rests on a clause of levels.yaml and a sentence of its source that shows it."""
        basis = entry.get("level_basis") or {}
        clause = basis.get("clause")
        level = entry.get("level")
        if not clause:
            self.error(
                where, "le niveau doit nommer le critère de levels.yaml qu'il remplit (level_basis.clause)"
            )
        elif clause not in self.clause_levels:
            self.error(where, f"critère de niveau inconnu « {clause} » (voir reference/levels.yaml)")
        elif self.clause_levels[clause] != level:
            self.error(
                where,
                f"le critère « {clause} » est du niveau « {self.clause_levels[clause]} », non « {level} »",
            )
        quoted_source = basis.get("source") or source_key
        if quoted_source not in [source_key, *entry.get("also_sources", [])]:
            self.error(
                where, f"la phrase citée doit venir d'une source de la fiche, pas de « {quoted_source} »"
            )
        elif not (basis.get("quote") or "").strip():
            self.error(where, "la phrase de la source qui montre le niveau est attendue (level_basis.quote)")
        else:
            self.check_quote(where, basis["quote"], quoted_source)

    def check_quote(self, where, quote, source_key):
        document = self.documents.get(source_key)
        if self.copies is not None and not self.copies.may_quote(document, quote):
            self.error(where, f"la phrase « {' '.join(quote.split())} » ne se lit pas dans {document}")

    def check_removed_structure(self, name, entry, declared_anywhere):
        where = f"{name}, structure retirée « {entry.get('name')} »"
        if entry.get("kind") not in STRUCTURE_KINDS:
            self.error(where, f"type inconnu « {entry.get('kind')} »")
        if (fold(entry.get("name")), entry.get("kind")) in declared_anywhere:
            self.error(where, "elle est encore déclarée dans « structures »")
        if not (entry.get("note") or "").strip():
            self.error(where, "la note qui dit pourquoi elle est retirée est attendue")

    def check_source(self, name, source, sources):
        key = source.get("key")
        if not key or not source.get("title"):
            self.error(name, "le bloc « source » doit avoir une clé (key) et un titre (title)")
        elif key in sources and sources[key] != source:
            self.error(name, f"la source « {key} » diffère de celle d'un autre fichier")
        sources[key] = source
        if self.copies is not None and source.get("document") not in self.copies.fingerprints:
            self.error(
                name,
                f"le bloc « source » doit nommer un document connu (document : {source.get('document')})",
            )

    def check_structure(self, name, entry):
        """Check a declared structure; return its key (folded name, kind)."""
        where = f"{name}, structure « {entry.get('name')} »"
        if not entry.get("name"):
            self.error(where, "nom manquant")
        if entry.get("kind") not in STRUCTURE_KINDS:
            self.error(where, f"type inconnu « {entry.get('kind')} »")
        if entry.get("kind") == Structure.Kind.OTHER and not OTHER_KIND_REASON.search(
            entry.get("internal_note") or ""
        ):
            self.error(
                where,
                "le type « autre » se justifie dans la note interne : « Type « autre » : » suivi de ce que "
                "le document dit de sa nature",
            )
        self.check_place(where, entry.get("commune"), entry.get("department"))
        for slug in entry.get("sectors", []):
            if slug not in self.sector_slugs:
                self.error(where, f"secteur inconnu « {slug} »")
        self.check_contact(where, entry)
        return (fold(entry.get("name")), entry.get("kind"))

    def check_contact(self, where, entry):
        contact = entry.get("contact") or {}
        for key in sorted(set(contact) - set(CLEANERS)):
            self.error(where, f"coordonnée inconnue « {key} » (attendues : {', '.join(CLEANERS)})")
        _cleaned, errors = clean_contact({"website": entry.get("website") or "", **contact})
        for message in errors.values():
            self.error(where, message)

    def check_cooperation(self, where, entry):
        if not entry.get("title"):
            self.error(where, "titre manquant")
        if entry.get("level") not in Level.values:
            self.error(where, f"niveau inconnu « {entry.get('level')} »")
        if not (entry.get("implementation") or "").strip():
            self.error(where, "la mise en œuvre, ce que font ensemble les partenaires, est attendue")
        if entry.get("scope", "local") not in SCOPES:
            self.error(where, f"échelle inconnue « {entry.get('scope')} »")
        for code in entry.get("forms", []):
            if code not in self.form_codes:
                self.error(where, f"forme inconnue « {code} »")
        if not entry.get("sectors"):
            self.error(where, "au moins un secteur est attendu")
        for slug in entry.get("sectors", []):
            if slug not in self.sector_slugs:
                self.error(where, f"secteur inconnu « {slug} »")
        for key in entry.get("also_sources", []):
            if key not in self.source_keys:
                self.error(where, f"source complémentaire inconnue « {key} »")
        year = entry.get("start_year")
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
            self.error(where, f"année de démarrage invalide « {year} »")

    def check_places(self, where, entry):
        for code in entry.get("departments", []):
            if code not in self.department_codes:
                self.error(where, f"département inconnu « {code} »")
        for code in entry.get("regions", []):
            if code not in self.region_codes:
                self.error(where, f"région inconnue « {code} »")
        for code in entry.get("communes", []):
            if code not in self.commune_departments:
                self.error(where, f"commune inconnue « {code} »")
        if not entry.get("departments") and not entry.get("regions") and entry.get("scope") != "national":
            self.error(where, "au moins un département, une région ou l'échelle nationale est attendu")

    def check_participants(self, where, participants, declared):
        # The inclusion rule: a cooperation has two parties at least, one of them from the insertion or
        # disability sector (a collective participant, « Sept bailleurs sociaux… », counts as one).
        if len(participants) < 2:
            self.error(where, "au moins deux structures participantes sont attendues (règle d'inclusion)")
        if participants and not any(p.get("kind") in Structure.INCLUSIVE_KINDS for p in participants):
            self.error(
                where,
                "aucune structure de l'insertion ou du handicap (SIAE, GES, EA, ESAT, GEIQ…) parmi les "
                "participants (règle d'inclusion)",
            )
        for participant in participants:
            if (fold(participant.get("structure")), participant.get("kind")) not in declared:
                self.error(
                    where,
                    f"la structure « {participant.get('structure')} » ({participant.get('kind')}) "
                    "n'est pas déclarée dans « structures »",
                )
            if participant.get("role") not in ROLES:
                self.error(where, f"rôle inconnu « {participant.get('role')} »")

    def check_excluded(self, name, entry):
        """Check a case of the document that is not a fiche; return [(where, slug)] of the fiche an
        earlier seed published for it, if any."""
        where = f"{name}, cas écarté « {entry.get('case') or ''} »"
        if not entry.get("case"):
            self.error(where, "le cas doit être nommé (case)")
        if entry.get("reason") not in EXCLUSION_REASONS:
            self.error(
                where,
                f"raison inconnue « {entry.get('reason')} » (attendues : {', '.join(EXCLUSION_REASONS)})",
            )
        if not (entry.get("note") or "").strip():
            self.error(where, "la note qui justifie l'écart par le texte du document est attendue")
        return [(where, entry["slug"])] if entry.get("slug") else []

    def check_prose(self, where, entry, keys=None):
        """The copy check: no run of 12 words or more taken from a source document."""
        if self.copies is None:
            return
        keys = keys or [key for key, value in entry.items() if isinstance(value, str)]
        for key in keys:
            for document, count, run in self.copies.copied_runs(entry.get(key) or ""):
                run = " ".join(run.split())
                self.error(where, f"{key} : {count} mots repris tels quels de {document} : « {run} »")

    def check_place(self, where, commune, department):
        if commune and commune not in self.commune_departments:
            self.error(where, f"commune inconnue « {commune} »")
        if department and department not in self.department_codes:
            self.error(where, f"département inconnu « {department} »")
        if commune and department and self.commune_departments.get(commune, department) != department:
            self.error(where, f"la commune {commune} n'est pas dans le département {department}")
