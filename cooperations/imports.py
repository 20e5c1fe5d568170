"""The batched import of cooperation fiches (see spreadsheets.importer for the steps and cooperations.columns
for the file format).

Reference data (forms, sectors, sources, territories) is read once per import; fiches, structures and
participations are looked up for the whole file in a few queries, and written with bulk operations.
"""

from collections import defaultdict, namedtuple

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.cache import directory_changed
from lib.history import record_rows_in_sql, record_versions_in_sql
from lib.sql import ids_subquery, insert_rows, reserve_pks
from lib.text import fold, normalize_text, slug_for
from spreadsheets.cells import CellError, Vocabulary, parse_integer
from spreadsheets.importer import CHUNK, NEW, UNCHANGED, UPDATE, BatchImporter, LinkSync, chunks, free_slug
from structures.models import Network, Sector
from structures.resources import kind_label
from territories.lookups import TerritoryIndex, TerritoryLookupError

from .columns import (
    COLUMNS,
    INTEGER_FIELDS,
    LEVELS,
    LINK_FIELDS,
    SCOPES,
    STATUSES,
    TERRITORY_FIELDS,
    TEXT_FIELDS,
    level_label,
    scope_label,
)
from .import_structures import StructureResolver
from .models import Cooperation, CooperationForm, Participation, Source
from .participants import format_participant, parse_participant, role_label
from .query import equivalence_groups
from .search import refresh_search_index
from .search_index import insert_with_search_data
from .services import PUBLISH_PERMISSION

StoredParticipation = namedtuple("StoredParticipation", "pk role name kind siret")
Status = Cooperation.Status
SHOWN_AS = {"level": level_label, "scope": scope_label}
# The import's names of fields that are stored under another name (a foreign key's column).
STORED_AS = {"organisation_id": "organisation"}
# Fiches whose search data one statement writes: a whole file of the default size (20,000 rows), and a
# statement of bounded size when IMPORT_MAX_ROWS allows more.
SEARCH_CHUNK = 20_000


def _short(value, length=60):
    text = "" if value is None else " ".join(str(value).split())
    if not text:
        return _("(vide)")
    return f"« {text[:length]}… »" if len(text) > length else f"« {text} »"


class CooperationImporter(BatchImporter):
    columns = COLUMNS

    # --- Reference data ----------------------------------------------------------------------------
    def prepare(self, rows):
        present = rows[0].indexes if rows else {}
        self.can_publish = self.user is None or self.user.has_perm(PUBLISH_PERMISSION)
        self.vocabularies = {
            "forms": Vocabulary((f.pk, str(f), f.code, f.name) for f in CooperationForm.objects.all()),
            "sectors": Vocabulary((s.pk, s.name, s.slug, *s.short_name_list) for s in Sector.objects.all()),
            "sources": Vocabulary((s.pk, s.key, s.title) for s in Source.objects.all()),
            "organisation": Vocabulary((n.pk, n.name, n.short_name, n.slug) for n in Network.objects.all()),
        }
        # The search's vocabulary too: « régie de quartier » names the form RQ, « BTP » a sector.
        groups = equivalence_groups()
        self.vocabularies["forms"].add_equivalents(groups)
        self.vocabularies["sectors"].add_equivalents(groups)
        self.territories = TerritoryIndex() if any(f in present for f in TERRITORY_FIELDS) else None
        self.links = {name: LinkSync(Cooperation, name) for name in LINK_FIELDS if name in present}
        self.pk_by_slug, self.pks_by_title = {}, defaultdict(list)
        for pk, slug, title in Cooperation.objects.values_list("pk", "slug", "title"):
            self.pk_by_slug[slug] = pk
            self.pks_by_title[fold(title)].append(pk)
        self.slugs = set(self.pk_by_slug)
        self.changed_fields = set()  # of the updated fiches, for bulk_update
        self.structures = StructureResolver()
        self.announced = set()
        self.new_structure_note = _(" (nouvelle structure)")

    # --- Cells -------------------------------------------------------------------------------------
    def parse(self, row):
        row.values, row.wanted_links, row.participants, row.structures = {}, {}, None, {}
        row.new_participations, row.removed_participations, row.changed_roles = [], [], []
        row.label = row.text("title")[:200] or row.text("slug")
        title = self.text(row, "title")
        if title:
            row.values["title"] = title
        for key, vocabulary in (("level", LEVELS), ("scope", SCOPES), ("status", STATUSES)):
            if row.text(key):
                try:
                    row.values[key] = vocabulary.get(row.text(key))
                except CellError as error:
                    row.error(key, error.message)
        for key, (minimum, maximum) in INTEGER_FIELDS.items():
            if row.has(key):
                try:
                    row.values[key] = parse_integer(row.value(key), minimum=minimum, maximum=maximum)
                except CellError as error:
                    if key == "start_year":
                        error.message = _("« %(value)s » n'est pas une année entre 1900 et 2100.") % {
                            "value": row.text(key)
                        }
                    row.error(key, error.message)
        if row.has("organisation"):
            # An empty cell means « followed by no network »; a name or short name designates one.
            try:
                text = row.text("organisation")
                row.values["organisation_id"] = self.vocabularies["organisation"].get(text) if text else None
            except CellError as error:
                row.error("organisation", error.message)
        for key in TEXT_FIELDS:
            if row.has(key) and (text := self.text(row, key)) is not None:
                row.values[key] = text
        for key in self.links:
            row.wanted_links[key] = self._link_targets(row, key)
        if row.has("participants"):
            row.participants = []
            for text in row.list("participants"):
                try:
                    row.participants.append(parse_participant(text))
                except CellError as error:
                    row.error("participants", error.message)

    def _link_targets(self, row, key):
        targets = []
        for item in row.list(key):
            try:
                if key == "communes":
                    # Within the row's departments, read just before: « Saint-Omer » with 62 is 62's.
                    departments = row.wanted_links.get("departments", ())
                    targets.append(self.territories.commune(item, departments).pk)
                elif key in TERRITORY_FIELDS:
                    territory = getattr(self.territories, key.removesuffix("s"))(item)
                    targets.append(territory.pk)
                else:
                    targets.append(self.vocabularies[key].get(item))
            except (CellError, TerritoryLookupError) as error:
                row.error(key, error.message)
        return list(dict.fromkeys(targets))

    # --- Look-ups for the whole file ---------------------------------------------------------------
    def resolve(self, rows):
        self._identify(rows)
        stored = [row.pk for row in rows if row.pk]
        self.fiches = {}
        for chunk in chunks(stored):
            # Without the search data, which the import rewrites from the rows, never compares.
            fiches = Cooperation.objects.defer(*Cooperation.SEARCH_DATA_FIELDS).filter(
                pk__in=ids_subquery(chunk)
            )
            self.fiches.update((fiche.pk, fiche) for fiche in fiches)
        for sync in self.links.values():
            sync.load(stored)
        self.participations = defaultdict(dict)  # fiche pk -> {structure pk: StoredParticipation}
        if rows and rows[0].has("participants"):
            fields = ("pk", "role", "structure__name", "structure__kind", "structure__siret")
            for chunk in chunks(stored):
                participations = Participation.objects.filter(cooperation_id__in=ids_subquery(chunk))
                for fiche, structure, *values in participations.values_list(
                    "cooperation_id", "structure_id", *fields
                ):
                    self.participations[fiche][structure] = StoredParticipation(*values)
            self._resolve_structures(rows)

    def _identify(self, rows):
        """Which stored fiche each row designates: by identifier, else by title; None for a new one."""
        seen = {}
        for row in rows:
            slug, title = row.text("slug"), row.values.get("title", "")
            row.pk = None
            if slug:
                row.pk = self.pk_by_slug.get(slug)
                if row.pk is None:
                    row.error(
                        "slug",
                        _(
                            "Aucune fiche n'a l'identifiant « %(slug)s » ; videz la cellule pour créer "
                            "une fiche."
                        )
                        % {"slug": slug},
                    )
                    continue
                key, column = row.pk, "slug"
            elif title:
                same_title = self.pks_by_title.get(fold(title), [])
                if len(same_title) > 1:
                    slugs = sorted(s for s, pk in self.pk_by_slug.items() if pk in same_title)
                    row.error(
                        "title",
                        _(
                            "Plusieurs fiches portent ce titre ; indiquez l'identifiant de la bonne : "
                            "%(slugs)s."
                        )
                        % {"slugs": ", ".join(slugs)},
                    )
                    continue
                row.pk = same_title[0] if same_title else None
                key, column = row.pk or fold(title), "title"
            elif row.text("title"):  # a title the row has, but refused (too long): already reported
                continue
            else:
                row.error(
                    "title",
                    _("Indiquez le titre d'une nouvelle fiche, ou l'identifiant d'une fiche existante."),
                )
                continue
            if key in seen:
                row.error(column, _("Cette fiche figure déjà ligne %(line)s.") % {"line": seen[key]})
            seen[key] = row.line
            if row.pk is None and not row.text("level"):
                row.error(
                    "level",
                    _("Indiquez le niveau d'une nouvelle fiche : %(choices)s.")
                    % {"choices": LEVELS.choices_text()},
                )

    def _resolve_structures(self, rows):
        self.structures.load([p for row in rows for p in (row.participants or [])])
        # Those with a type first: a later row may name, without its type, a structure created earlier.
        for with_kind in (True, False):
            for row in rows:
                for participant in row.participants or []:
                    if (participant.kind is not None) == with_kind:
                        self._resolve_structure(row, participant)

    def _resolve_structure(self, row, participant):
        try:
            structure = self.structures.find(participant)
        except CellError as error:
            row.error("participants", error.message)
            return
        if id(structure) in row.structures:
            row.error("participants", _("« %(name)s » figure deux fois.") % {"name": structure.name})
        row.structures[id(structure)] = (structure, participant.role)

    # --- Differences -------------------------------------------------------------------------------
    def compare(self, row):
        fiche = self.fiches.get(row.pk)
        if fiche is None:
            fiche = Cooperation(created_by=self.user, updated_by=self.user)
            fiche.slug = free_slug(slug_for(row.values["title"]) or "fiche", self.slugs)
            row.status = NEW
        row.instance = fiche
        values = dict(row.values)
        wanted_status = values.pop("status", None)
        for field, value in values.items():
            # Compared as people read them: a text stored with "\r\n" is the same as the cell's.
            current = getattr(fiche, field)
            if current != value and not (field in TEXT_FIELDS and normalize_text(current) == value):
                if row.status != NEW:
                    show = SHOWN_AS.get(field) or self._shown_as(field)
                    column = STORED_AS.get(field, field)
                    row.change(column, f"{_short(show(getattr(fiche, field)))} → {_short(show(value))}")
                    self.changed_fields.add(column)
                setattr(fiche, field, value)
        self._compare_status(row, fiche, wanted_status)
        for key, targets in row.wanted_links.items():
            added, removed = self.links[key].plan(fiche, targets)
            if row.status != NEW and (added or removed):
                row.change(key, self._describe_links(key, added, removed))
        if row.participants is not None:
            self._compare_participants(row, fiche)
        if row.status != NEW:
            row.status = UPDATE if row.changes else UNCHANGED
        if row.status == UPDATE and self.user is not None:
            fiche.updated_by = self.user

    def _shown_as(self, field):
        if field == "organisation_id":
            return lambda pk: self.vocabularies["organisation"].labels.get(pk) if pk else None
        return lambda value: value

    def _compare_status(self, row, fiche, wanted):
        if wanted is None or wanted == fiche.status:
            return
        if not self.can_publish:
            row.warnings.append(
                _("Vous n'avez pas le droit de publier ou de dépublier : la fiche reste en %(status)s.")
                % {"status": fiche.get_status_display().lower()}
            )
            return
        if row.status != NEW:
            row.change("status", f"{fiche.get_status_display().lower()} → {Status(wanted).label.lower()}")
        fiche.status = wanted
        self.changed_fields.add("status")
        if wanted == Status.PUBLISHED:
            fiche.published_at, fiche.published_by = timezone.now(), self.user
            self.changed_fields |= {"published_at", "published_by"}

    def _describe_links(self, key, added, removed):
        def label(pk):
            if key in TERRITORY_FIELDS:
                return str(getattr(self.territories, key.removesuffix("s"))(pk))
            return self.vocabularies[key].labels[pk]

        return " ; ".join(
            [*(f"+ {label(pk)}" for pk in added), *(f"− {label(pk)}" for pk in sorted(removed))]
        )

    def _compare_participants(self, row, fiche):
        stored = self.participations.get(fiche.pk, {})
        kept = set()
        for structure, role in row.structures.values():
            participation = stored.get(structure.pk) if structure.pk else None
            if participation is None:
                row.new_participations.append((fiche, structure, role))
                if structure.pk:  # a stored structure found by its SIRET or name: show which one
                    label = f"{structure.name} ({kind_label(structure.kind)})"
                    row.linked.append(
                        (label, reverse("admin:structures_structure_change", args=[structure.pk]))
                    )
                # A structure this import creates is named once, on the first row that mentions it.
                is_new = structure.pk is None and id(structure) not in self.announced
                if is_new or row.status != NEW:
                    self.announced.add(id(structure))
                    text = format_participant(structure.name, structure.kind, role, structure.siret)
                    row.change("participants", f"+ {text}" + (self.new_structure_note if is_new else ""))
                continue
            kept.add(structure.pk)
            if participation.role != role:
                row.change(
                    "participants",
                    f"{structure.name} : {role_label(participation.role)} → {role_label(role)}",
                )
                row.changed_roles.append(Participation(pk=participation.pk, role=role))
            if self.structures.is_completed(structure):
                row.change(
                    "participants",
                    _("SIRET de « %(name)s » : %(siret)s")
                    % {"name": structure.name, "siret": structure.siret},
                )
        for structure_pk, participation in stored.items():
            if structure_pk not in kept:
                row.removed_participations.append(participation.pk)
                p = participation
                row.change("participants", f"− {format_participant(p.name, p.kind, p.role, p.siret)}")

    # --- Writing -----------------------------------------------------------------------------------
    def record_history(self, new, updated, changed_role_pks, added_participation_pks):
        """What save() and its signals do one row at a time, done in bulk: history versions (the
        participations first, so that each fiche's version sees them) and the updated fiches' search
        data, each an INSERT … SELECT or UPDATE from the rows just written (the new fiches got theirs
        when they were inserted)."""
        record_rows_in_sql(Participation, changed_role_pks, "~", user=self.user)
        record_rows_in_sql(Participation, added_participation_pks, "+", user=self.user)
        self.structures.record_history(self.user)
        record_versions_in_sql(Cooperation, [fiche.pk for fiche in new], "+", user=self.user)
        record_versions_in_sql(Cooperation, [fiche.pk for fiche in updated], "~", user=self.user)
        for chunk in chunks([fiche.pk for fiche in updated], SEARCH_CHUNK):
            refresh_search_index(cooperation_ids=chunk)

    def write(self, rows):
        now = timezone.now()
        step = _("Écriture")
        self.structures.write()
        self.progress(step, 1, 4)

        new = [row.instance for row in rows if row.status == NEW]
        # The new fiches are written last, their search data computed in the same INSERT from their
        # links and participations, which are written first under reserved primary keys.
        for fiche, pk in zip(new, reserve_pks(Cooperation, len(new)), strict=True):
            fiche.pk = pk
        updated = [row.instance for row in rows if row.status == UPDATE]
        for fiche in updated:
            fiche.updated_at = now
            # An edit saved in the admin meanwhile must be refused (optimistic locking).
            fiche.version = F("version") + 1
        fields = sorted(self.changed_fields | {"updated_at", "updated_by", "version"})
        Cooperation.objects.bulk_update(updated, fields, batch_size=CHUNK // 2)
        self.progress(step, 2, 4)

        for sync in self.links.values():
            sync.write()
        self.progress(step, 3, 4)

        # A queryset delete sends post_delete, so these removals enter the history on their own.
        for chunk in chunks(pk for row in rows for pk in row.removed_participations):
            Participation.objects.filter(pk__in=chunk).delete()
        changed_roles = [p for row in rows for p in row.changed_roles]
        Participation.objects.bulk_update(changed_roles, ["role"], batch_size=CHUNK)
        # Built only now: the fiche and the structure may have got their primary key just above.
        added = [
            (fiche.pk, structure.pk, role)
            for row in rows
            for fiche, structure, role in row.new_participations
        ]
        added_pks = insert_rows(Participation, ["cooperation_id", "structure_id", "role"], added)
        for chunk in chunks(new, SEARCH_CHUNK):
            insert_with_search_data(chunk)
        self.record_history(new, updated, [p.pk for p in changed_roles], added_pks)
        directory_changed()  # bulk writes send no signal
        self.progress(step, 4, 4)
