"""How a participant is written in a spreadsheet cell, and read back.

    Nom de la structure (type, rôle, SIRET)

The part in brackets at the end is optional and its items may come in any order: the type (a code
such as AI or the label « Entreprise »), the role (porteur, partenaire, client / donneur d'ordre,
financeur, autre; partenaire when omitted) and the SIRET. The name itself may contain brackets:
only the last group counts, « Tremplin (Ain) (autre, porteur) » is the structure « Tremplin (Ain) ».
A name alone designates a structure already known under that name.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from spreadsheets.cells import CellError, Vocabulary, folded, per_language
from structures.resources import KINDS, clean_siret, kind_label

from .models import Participation

Role = Participation.Role
ROLE_ORDER = [Role.LEAD, Role.PARTNER, Role.CLIENT, Role.FUNDER, Role.OTHER]
EXTRA_ROLE_NAMES = {Role.LEAD: ["porteuse", "chef de file"], Role.FUNDER: ["financeuse"]}


@per_language
def role_label(role):
    return str(Role(role).label).lower()


def _role_entries():
    for role in ROLE_ORDER:
        label = role_label(role)
        yield (role, label, role.value, *label.split("/"), *EXTRA_ROLE_NAMES.get(role, []))


ROLES = Vocabulary(_role_entries())


@dataclass
class ParticipantText:
    name: str
    kind: str | None = None
    role: str = Role.PARTNER
    siret: str | None = None

    @property
    def key(self):
        """The folded name, compared with Structure.search_name."""
        return folded(self.name)


def format_participant(name, kind, role, siret=None):
    details = [kind_label(kind), role_label(role), *([siret] if siret else [])]
    return f"{name} ({', '.join(details)})"


def parse_participant(text):
    """A ParticipantText from « Nom (type, rôle, SIRET) »; CellError when it cannot be read."""
    name, group = _split_last_group(text)
    if group is None:
        return ParticipantText(name=text)
    items = [item.strip() for item in group.split(",")]
    participant = ParticipantText(name=name)
    role = None
    unknown = []
    for item in items:
        digits = re.sub(r"[\s.]", "", item) if item[:1].isdigit() else ""
        if digits.isdigit() and len(digits) >= 9:
            if participant.siret:
                raise CellError(_("« %(text)s » : deux SIRET pour une même structure.") % {"text": text})
            participant.siret = clean_siret(item)
        elif participant.kind is None and (kind := KINDS.find(item)):
            participant.kind = kind
        elif role is None and (found := ROLES.find(item)):
            role = found
        else:
            unknown.append(item)
    if unknown and len(items) == 1:
        # « Tremplin (Ain) »: the brackets are part of the name.
        return ParticipantText(name=text)
    if unknown:
        raise CellError(
            _(
                "« %(item)s » n'est ni un type de structure, ni un rôle, ni un SIRET. Écrivez « Nom (type, "
                "rôle, SIRET) », par exemple « %(example)s »."
            )
            % {
                "item": unknown[0],
                "example": format_participant(name or "Interm'Aide Emploi", "AI", Role.LEAD),
            }
        )
    if not name:
        raise CellError(
            _("« %(text)s » : le nom de la structure manque avant les parenthèses.") % {"text": text}
        )
    participant.role = role or Role.PARTNER
    return participant


def _split_last_group(text):
    """(name, text inside the last bracket group) when the text ends with one, else (text, None)."""
    text = text.strip()
    if not text.endswith(")"):
        return text, None
    start = text.rfind("(")
    if ")" not in text[start:-1]:  # no bracket inside the group: the usual case, found at once
        return (text[:start].strip(), text[start + 1 : -1]) if start >= 0 else (text, None)
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return text[:index].strip(), text[index + 1 : -1]
    return text, None
