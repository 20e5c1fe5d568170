"""Import and export of structures as spreadsheets, one row per structure.

A row designates a stored structure by its identifier (slug), else its SIRET, else its name and type
(ignoring case and accents); a row designating none creates one.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.cache import directory_changed
from lib.text import fold, normalize_text, slug_for
from spreadsheets.cells import CellError, Column, Vocabulary, per_language
from spreadsheets.importer import CHUNK, NEW, UNCHANGED, UPDATE, BatchImporter, LinkSync, chunks, free_slug
from spreadsheets.resources import BatchResource, build_template
from territories.lookups import TerritoryIndex, TerritoryLookupError

from .contact import clean_contact, phone_text
from .models import Network, Sector, Structure, validate_siret

Kind = Structure.Kind
CONTACT = ("website", "email", "phone", "address", "postal_code")
EDITABLE = {"name", "kind", "siret", "commune", "department", *CONTACT, "description", "search_name"}
_ACRONYM = re.compile(r"\s*\(([^()]+)\)$")
DESCRIPTION_LENGTH = 5_000


@per_language
def kind_label(kind):
    """How a type is written in files: its acronym for SIAE and the disability sector, else its label
    starting in lower case (« service de l'État » keeps its capital)."""
    label = str(Kind(kind).label)
    match = _ACRONYM.search(label)
    return match[1] if match else label[0].lower() + label[1:]


def _kind_entries():
    for kind in Kind:
        label = str(kind.label)
        yield (kind.value, kind_label(kind), kind.value, label, _ACRONYM.sub("", label), *label.split("/"))


KINDS = Vocabulary(_kind_entries())


def clean_siret(text):
    """The 14 digits of a SIRET written with spaces or dots, None if empty; CellError if invalid."""
    value = re.sub(r"[\s.]", "", text)
    if not value:
        return None
    try:
        validate_siret(value)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return value


def _join(items):
    return "; ".join(str(item) for item in items)


COLUMNS = (
    Column(
        "slug",
        gettext_lazy("identifiant"),
        gettext_lazy(
            "L'identifiant de la structure (la fin de son adresse). Vide : la structure est "
            "retrouvée par son SIRET, sinon par son nom et son type, ou créée."
        ),
        aliases=("slug", "id"),
        export=lambda s: s.slug,
    ),
    Column(
        "name",
        gettext_lazy("nom"),
        gettext_lazy("Le nom de la structure (200 caractères au plus)."),
        required=gettext_lazy("oui"),
        example="Interm'Aide Emploi",
        export=lambda s: s.name,
        max_length=Structure._meta.get_field("name").max_length,
    ),
    Column(
        "kind",
        gettext_lazy("type"),
        gettext_lazy("Le type de structure : son sigle (ACI, AI, EI…) ou son libellé."),
        required=gettext_lazy("pour une nouvelle structure"),
        allowed=lambda: "\n".join(f"{kind_label(k)} : {k.label}" for k in Kind),
        example="AI",
        export=lambda s: kind_label(s.kind),
    ),
    Column(
        "siret",
        gettext_lazy("SIRET"),
        gettext_lazy("14 chiffres, espaces permis. Facultatif, unique."),
        example="73282932000074",
        export=lambda s: s.siret or "",
    ),
    Column(
        "address",
        gettext_lazy("adresse"),
        gettext_lazy("Numéro, voie et complément, sans le code postal ni la commune."),
        aliases=("adresse postale",),
        example="21 avenue du Général de Gaulle",
        export=lambda s: s.address,
    ),
    Column(
        "postal_code",
        gettext_lazy("code postal"),
        gettext_lazy("Cinq chiffres."),
        aliases=("cp",),
        example="90100",
        export=lambda s: s.postal_code,
    ),
    Column(
        "commune",
        gettext_lazy("commune"),
        gettext_lazy("Code INSEE ou nom, avec le département si le nom est porté par plusieurs communes."),
        allowed=gettext_lazy("« 93066 », « Saint-Denis (93) », « Villeneuve-d'Ascq »"),
        example="Saint-Denis (93)",
        export=lambda s: str(s.commune) if s.commune_id else "",
    ),
    Column(
        "department",
        gettext_lazy("département"),
        gettext_lazy("Code ou nom ; déduit de la commune quand elle est renseignée."),
        allowed=gettext_lazy("« 93 », « Seine-Saint-Denis »"),
        example="93",
        export=lambda s: str(s.department) if s.department_id else "",
    ),
    Column(
        "website",
        gettext_lazy("site web"),
        gettext_lazy("L'adresse du site ; https:// est ajouté s'il manque."),
        aliases=("site", "site internet"),
        example="https://www.exemple.fr",
        export=lambda s: s.website,
        max_length=Structure._meta.get_field("website").max_length,
    ),
    Column(
        "email",
        gettext_lazy("e-mail"),
        gettext_lazy("Une adresse de fonction (contact@…), jamais celle d'une personne : elle est publiée."),
        aliases=("courriel", "adresse e-mail", "email", "mail"),
        example="contact@exemple.fr",
        export=lambda s: s.email,
    ),
    Column(
        "phone",
        gettext_lazy("téléphone"),
        gettext_lazy(
            "Dix chiffres pour la France, espaces et points permis ; l'indicatif (+32…) à l'étranger."
        ),
        aliases=("tél", "tel", "numéro de téléphone"),
        example="03 84 27 49 37",
        export=lambda s: phone_text(s.phone),
    ),
    Column(
        "description",
        gettext_lazy("description"),
        gettext_lazy("Texte libre."),
        export=lambda s: s.description,
        max_length=DESCRIPTION_LENGTH,
    ),
    Column(
        "sectors",
        gettext_lazy("secteurs"),
        gettext_lazy("Secteurs d'activité, séparés par des points-virgules."),
        aliases=("secteurs d'activité", "secteur"),
        allowed=lambda: "\n".join(sector.described for sector in Sector.objects.all()),
        is_list=True,
        export=lambda s: _join(s.sectors.all()),
    ),
    Column(
        "networks",
        gettext_lazy("réseaux"),
        gettext_lazy("Réseaux et fédérations, séparés par des points-virgules ; un réseau inconnu est créé."),
        aliases=("réseau",),
        is_list=True,
        export=lambda s: _join(s.networks.all()),
    ),
)


class StructureImporter(BatchImporter):
    columns = COLUMNS

    def prepare(self, rows):
        self.sectors = Vocabulary((s.pk, s.name, s.slug, *s.short_name_list) for s in Sector.objects.all())
        self.networks = {fold(n.name): n for n in Network.objects.all()}
        self.network_names = {n.pk: n.name for n in self.networks.values()}
        self.new_networks = {}
        places = rows and (rows[0].has("commune") or rows[0].has("department"))
        self.territories = TerritoryIndex() if places else None
        self.links = {
            name: LinkSync(Structure, name) for name in ("sectors", "networks") if rows and rows[0].has(name)
        }

    def parse(self, row):
        row.values = {}
        row.label = row.text("name")[:200] or row.text("slug")
        name = self.text(row, "name")
        if name:
            row.values["name"] = name
        if row.text("kind"):
            try:
                row.values["kind"] = KINDS.get(row.text("kind"))
            except CellError as error:
                row.error("kind", error.message)
        if row.has("siret"):
            row.values["siret"] = self._siret(row)
        self._parse_place(row)
        texts = {key: self.text(row, key) for key in CONTACT if row.has(key)}  # None: too long, reported
        contact, errors = clean_contact({key: text for key, text in texts.items() if text is not None})
        row.values.update(contact)
        for key, message in errors.items():
            row.error(key, message)
        if row.has("description") and (description := self.text(row, "description")) is not None:
            row.values["description"] = description
        row.sectors = self._vocabulary_list(row, "sectors", self.sectors)
        row.networks = list({id(n): n for n in map(self._network, row.list("networks"))}.values())

    def _siret(self, row):
        try:
            return clean_siret(row.text("siret"))
        except CellError as error:
            row.error("siret", error.message)

    def _parse_place(self, row):
        found = {}
        for key in ("department", "commune"):  # the department first: it tells homonymous communes apart
            if row.text(key):
                try:
                    if key == "commune":
                        department = found.get("department")
                        found[key] = self.territories.commune(
                            row.value(key), [department.code] if department else []
                        )
                    else:
                        found[key] = self.territories.department(row.value(key))
                except TerritoryLookupError as error:
                    row.error(key, error.message)
        commune, department = found.get("commune"), found.get("department")
        if commune and department and commune.department_id != department.code:
            row.error(
                "department",
                _("Le département ne correspond pas à celui de la commune (%(department)s).")
                % {"department": commune.department},
            )
        if row.has("commune"):
            row.values["commune_id"] = commune.code if commune else None
        if row.has("department"):
            row.values["department_id"] = department.code if department else None
        if commune:  # as Structure.save() does: the department follows the commune
            row.values["department_id"] = commune.department_id

    def _vocabulary_list(self, row, key, vocabulary):
        values = []
        for item in row.list(key):
            try:
                values.append(vocabulary.get(item))
            except CellError as error:
                row.error(key, error.message)
        return list(dict.fromkeys(values))

    def _network(self, name):
        key = fold(name)
        if key not in self.networks and key not in self.new_networks:
            self.new_networks[key] = Network(name=name)
        return self.networks.get(key) or self.new_networks[key]

    def resolve(self, rows):
        slugs = {row.text("slug") for row in rows if row.text("slug")}
        sirets = {row.values.get("siret") for row in rows if row.values.get("siret")}
        names = {fold(row.values["name"]) for row in rows if row.values.get("name")}
        found = {}
        for field, keys in (("slug", slugs), ("siret", sirets), ("search_name", names)):
            for chunk in chunks(keys):
                found.update({s.pk: s for s in Structure.objects.filter(**{f"{field}__in": chunk})})
        by_slug = {s.slug: s for s in found.values()}
        by_siret = {s.siret: s for s in found.values() if s.siret}
        by_name = {(s.search_name, s.kind): s for s in found.values()}
        self.slugs = set(Structure.objects.values_list("slug", flat=True))
        seen = {}
        for row in rows:
            slug, siret, name = row.text("slug"), row.values.get("siret"), row.values.get("name", "")
            kind = row.values.get("kind")
            if slug:
                row.instance = by_slug.get(slug)
                if row.instance is None:
                    row.error("slug", _("Aucune structure n'a l'identifiant « %(slug)s ».") % {"slug": slug})
                    continue
            elif siret and siret in by_siret:
                row.instance = by_siret[siret]
            else:
                row.instance = by_name.get((fold(name), kind))
            if row.instance is None and not name and not row.text("name"):
                row.error("name", _("Indiquez le nom d'une nouvelle structure."))
            elif row.instance is None and not kind:
                row.error(
                    "kind",
                    _("Indiquez le type d'une nouvelle structure : %(choices)s.")
                    % {"choices": KINDS.choices_text(limit=len(Kind))},
                )
            if row.instance is not None:
                self._check_unique(row, by_name, by_siret)
            key = row.instance.pk if row.instance else (fold(name), kind)
            if key in seen:
                row.error("", _("Cette structure figure déjà ligne %(line)s.") % {"line": seen[key]})
            seen[key] = row.line
        stored = [row.instance.pk for row in rows if row.instance]
        for sync in self.links.values():
            sync.load(stored)

    def _check_unique(self, row, by_name, by_siret):
        """A structure renamed, retyped or given a SIRET must not take another one's name or SIRET."""
        structure = row.instance
        name, kind = row.values.get("name", structure.name), row.values.get("kind", structure.kind)
        siret = row.values.get("siret", structure.siret)
        for other, message in (
            (
                by_name.get((fold(name), kind)),
                _("Une autre structure de ce type porte déjà ce nom : « %(other)s »."),
            ),
            (by_siret.get(siret) if siret else None, _("Ce SIRET est déjà celui de « %(other)s ».")),
        ):
            if other is not None and other.pk != structure.pk:
                row.error("", message % {"other": other.slug})

    def compare(self, row):
        structure = row.instance
        if structure is None:
            structure = row.instance = Structure(**row.values)
            structure.slug = free_slug(slug_for(structure.name) or "structure", self.slugs)
            row.status = NEW
        else:
            for field, value in row.values.items():
                old = getattr(structure, field)
                # Texts compared as people read them: one stored with "\r\n" is the same as the cell's.
                if old != value and not (isinstance(value, str) and normalize_text(old) == value):
                    row.change(field.removesuffix("_id"), f"« {old or ''} » → « {value or ''} »")
                    setattr(structure, field, value)
        structure.search_name = fold(structure.name)
        for name in self.links:
            wanted = getattr(row, name)
            added, removed = self.links[name].plan(structure, wanted)
            if row.status != NEW and (added or removed):
                labels = [
                    *(f"+ {self._label(name, t)}" for t in added),
                    *(f"− {self._label(name, t)}" for t in removed),
                ]
                row.change(name, " ; ".join(labels))
        if not row.status:
            row.status = UPDATE if row.changes else UNCHANGED

    def _label(self, name, target):
        if isinstance(target, Network):
            return target.name
        return self.sectors.labels[target] if name == "sectors" else self.network_names[target]

    def write(self, rows):
        for network in self.new_networks.values():
            network.save()  # a few at most; save() gives each its slug
        now = timezone.now()
        Structure.objects.bulk_create([row.instance for row in rows if row.status == NEW], batch_size=CHUNK)
        updated = [row.instance for row in rows if row.status == UPDATE]
        for structure in updated:
            structure.updated_at = now
            structure.version += 1  # an editor's copy read before the import is then refused, not saved over
        fields = [
            *(c.attname for c in Structure._meta.concrete_fields if c.name in EDITABLE),
            "updated_at",
            "version",
        ]
        Structure.objects.bulk_update(updated, fields, batch_size=CHUNK)
        for sync in self.links.values():
            sync.write()
        directory_changed()  # bulk writes send no signal


class StructureResource(BatchResource):
    importer_class = StructureImporter
    columns = COLUMNS

    class Meta(BatchResource.Meta):
        model = Structure

    def export_queryset(self, queryset):
        return queryset.select_related("commune", "department").prefetch_related("sectors", "networks")


def template_file():
    """The XLSX template to fill in, with its explanation sheet, built from the columns."""
    notes = [
        _("Une ligne par structure ; la première ligne donne les titres des colonnes."),
        _("Remplacez la ligne d'exemple par vos structures. Une colonne absente ne modifie rien."),
        _(
            "Dans une liste, séparez les éléments par des points-virgules. Majuscules et accents sont "
            "ignorés."
        ),
    ]
    return build_template(COLUMNS, sheet_title=_("Structures"), example={}, notes=notes)
