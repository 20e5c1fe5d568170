"""The checks every seed file passes before anything is written (see cooperations.seed): each error
names the file and the entry, « avise.yaml, fiche « … » : département inconnu « 999 » »."""

from lib.text import fold, slug_for
from structures.contact import CLEANERS, clean_contact
from structures.models import Structure
from territories.models import Commune, Department, Region

from .models import Cooperation, Level, Participation

STRUCTURE_KINDS = set(Structure.Kind.values)
ROLES = set(Participation.Role.values)
SCOPES = set(Cooperation.Scope.values)


class SeedChecks:
    def __init__(self, sectors, forms, levels, files):
        self.levels = levels
        self.files = files  # [(file name, its data)]
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
            if level.get("code") not in Level.values:
                self.error("reference/levels.yaml", f"niveau inconnu « {level.get('code')} »")
        sources, slugs = {}, {}
        for name, data in self.files:
            self.check_source(name, data.get("source") or {}, sources)
            declared = {self.check_structure(name, entry) for entry in data.get("structures", [])}
            for entry in data.get("cooperations", []):
                where = f"{name}, fiche « {entry.get('title') or ''} »"
                slug = entry.get("slug") or slug_for(entry.get("title") or "")
                if slug in slugs:
                    self.error(where, f"même adresse « {slug} » que la fiche de {slugs[slug]}")
                slugs[slug] = name
                self.check_cooperation(where, entry)
                self.check_places(where, entry)
                self.check_participants(where, entry.get("participants") or [], declared)
        return self._errors

    def error(self, where, message):
        self._errors.append(f"{where} : {message}")

    def check_source(self, name, source, sources):
        key = source.get("key")
        if not key or not source.get("title"):
            self.error(name, "le bloc « source » doit avoir une clé (key) et un titre (title)")
        elif key in sources and sources[key] != source:
            self.error(name, f"la source « {key} » diffère de celle d'un autre fichier")
        sources[key] = source

    def check_structure(self, name, entry):
        """Check a declared structure; return its key (folded name, kind)."""
        where = f"{name}, structure « {entry.get('name')} »"
        if not entry.get("name"):
            self.error(where, "nom manquant")
        if entry.get("kind") not in STRUCTURE_KINDS:
            self.error(where, f"type inconnu « {entry.get('kind')} »")
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
        if not participants:
            self.error(where, "au moins une structure participante est attendue")
        for participant in participants:
            if (fold(participant.get("structure")), participant.get("kind")) not in declared:
                self.error(
                    where,
                    f"la structure « {participant.get('structure')} » ({participant.get('kind')}) "
                    "n'est pas déclarée dans « structures »",
                )
            if participant.get("role") not in ROLES:
                self.error(where, f"rôle inconnu « {participant.get('role')} »")

    def check_place(self, where, commune, department):
        if commune and commune not in self.commune_departments:
            self.error(where, f"commune inconnue « {commune} »")
        if department and department not in self.department_codes:
            self.error(where, f"département inconnu « {department} »")
        if commune and department and self.commune_departments.get(commune, department) != department:
            self.error(where, f"la commune {commune} n'est pas dans le département {department}")
