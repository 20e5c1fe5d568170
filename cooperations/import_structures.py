"""Which structure each participant of an imported file designates (see cooperations.imports).

A participant « Nom (type, rôle, SIRET) » designates the structure with that SIRET, else the one with
that name (and type, when given); a structure named with a type and found nowhere is created. The
structures of the whole file are read in a few queries, and the new ones are written in bulk.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from lib.history import record_versions_in_sql
from lib.sql import ids_subquery
from lib.text import slug_for
from spreadsheets.cells import CellError
from spreadsheets.importer import CHUNK, chunks, free_slug
from structures.models import Structure
from structures.resources import kind_label

from .participants import format_participant

MAX_NAME_LENGTH = Structure._meta.get_field("name").max_length


class StructureResolver:
    def __init__(self):
        self.by_siret = {}
        self.by_name = defaultdict(list)  # folded name -> structures
        self.new = []  # structures to create
        self.completed = {}  # pk -> stored structure given its missing SIRET

    def load(self, participants):
        """Read the stored structures that these participants may designate."""
        sirets = {p.siret for p in participants if p.siret}
        names = {p.key for p in participants}
        found = {}
        for field, keys in (("siret", sirets), ("search_name", names)):
            for chunk in chunks(keys):
                structures = Structure.objects.filter(**{f"{field}__in": ids_subquery(chunk)})
                found.update({s.pk: s for s in structures})
        for structure in found.values():
            self._remember(structure)

    def find(self, participant):
        """The structure `participant` designates, a new one if it names none; CellError otherwise."""
        if len(participant.name) > MAX_NAME_LENGTH:
            raise CellError(
                _("Le nom « %(name)s… » dépasse %(max)s caractères.")
                % {"name": participant.name[:40], "max": MAX_NAME_LENGTH}
            )
        if participant.siret and participant.siret in self.by_siret:
            return self._checked_kind(self.by_siret[participant.siret], participant)
        homonyms = self._homonyms(participant)
        if homonyms:
            return self._with_siret(homonyms[0], participant.siret)
        return self._create(participant)

    def is_completed(self, structure):
        return structure.pk in self.completed

    # --- Steps of find() ---------------------------------------------------------------------------
    def _checked_kind(self, structure, participant):
        """The structure found by its SIRET, unless the row gives it another type."""
        if participant.kind and structure.kind != participant.kind:
            raise CellError(
                _("Le SIRET %(siret)s est celui de « %(name)s » (%(kind)s), pas d'une structure %(wanted)s.")
                % {
                    "siret": participant.siret,
                    "name": structure.name,
                    "kind": kind_label(structure.kind),
                    "wanted": kind_label(participant.kind),
                }
            )
        return structure

    def _homonyms(self, participant):
        """The structures of that name (and type, when given); an error when that leaves several."""
        homonyms = self.by_name[participant.key]
        if participant.kind:
            homonyms = [s for s in homonyms if s.kind == participant.kind]
        if len(homonyms) > 1:
            example = format_participant(participant.name, homonyms[0].kind, participant.role)
            raise CellError(
                _(
                    "Plusieurs structures s'appellent « %(name)s » (%(kinds)s) : précisez le type, par "
                    "exemple « %(example)s »."
                )
                % {
                    "name": participant.name,
                    "kinds": ", ".join(kind_label(s.kind) for s in homonyms),
                    "example": example,
                }
            )
        return homonyms

    def _with_siret(self, structure, siret):
        """The structure found by its name, given the row's SIRET when it has none yet."""
        if not siret:
            return structure
        if structure.siret and structure.siret != siret:
            raise CellError(
                _("« %(name)s » (%(kind)s) a déjà le SIRET %(stored)s, pas %(siret)s.")
                % {
                    "name": structure.name,
                    "kind": kind_label(structure.kind),
                    "stored": structure.siret,
                    "siret": siret,
                }
            )
        if not structure.siret:
            structure.siret = siret
            self.by_siret[siret] = structure
            if structure.pk:
                self.completed[structure.pk] = structure
        return structure

    def _create(self, participant):
        if not participant.kind:
            raise CellError(
                _(
                    "Aucune structure ne s'appelle « %(name)s » : précisez son type pour la créer, par "
                    "exemple « %(example)s »."
                )
                % {
                    "name": participant.name,
                    "example": format_participant(participant.name, "AI", participant.role),
                }
            )
        structure = Structure(
            name=participant.name, kind=participant.kind, siret=participant.siret, search_name=participant.key
        )
        self.new.append(structure)
        self._remember(structure)
        return structure

    def _remember(self, structure):
        self.by_name[structure.search_name].append(structure)
        if structure.siret:
            self.by_siret[structure.siret] = structure

    # --- Writing -----------------------------------------------------------------------------------
    def write(self):
        """Create the new structures and save the SIRETs given to stored ones, in bulk."""
        slugs = set(Structure.objects.values_list("slug", flat=True)) if self.new else set()
        for structure in self.new:
            structure.slug = free_slug(slug_for(structure.name) or "structure", slugs)
        Structure.objects.bulk_create(self.new, batch_size=CHUNK)
        now = timezone.now()
        for structure in self.completed.values():
            structure.updated_at = now
            structure.version += 1  # an editor's copy read before the import is then refused, not saved over
        Structure.objects.bulk_update(
            self.completed.values(), ["siret", "updated_at", "version"], batch_size=CHUNK
        )

    def record_history(self, user):
        record_versions_in_sql(Structure, [s.pk for s in self.new], "+", user=user)
        record_versions_in_sql(Structure, list(self.completed), "~", user=user)
