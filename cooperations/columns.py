"""The columns of a cooperation spreadsheet: one row per fiche, French headers.

Everything a file's reader needs to know is here — header, accepted spellings, help, allowed values,
how the column is exported — so that the import, the export, the downloadable template and its
explanation sheet cannot drift apart.
"""

from django.utils.translation import gettext_lazy as _

from spreadsheets.cells import Column, Vocabulary, per_language
from structures.models import Network, Sector

from .models import Cooperation, CooperationForm, Level, Source
from .participants import ROLE_ORDER, format_participant, role_label

Status, Scope = Cooperation.Status, Cooperation.Scope


@per_language
def status_label(status):
    return str(Status(status).label).lower()


@per_language
def level_label(level):
    return str(Level(level).label).removeprefix("Coopération ").lower()


@per_language
def scope_label(scope):
    return str(Scope(scope).label).lower()


STATUSES = Vocabulary(
    [
        (Status.DRAFT, status_label(Status.DRAFT), Status.DRAFT.value),
        (Status.PUBLISHED, status_label(Status.PUBLISHED), Status.PUBLISHED.value, "publié", "publier"),
    ]
)
LEVELS = Vocabulary((level, level_label(level), level.value, str(level.label)) for level in Level)
SCOPES = Vocabulary(
    (scope, scope_label(scope), scope.value, scope_label(scope).removesuffix("e")) for scope in Scope
)

TEXT_FIELDS = ("figures_text", "summary", *Cooperation.SECTION_FIELDS)
INTEGER_FIELDS = {"start_year": (1900, 2100), "jobs_created": (0, None), "people_supported": (0, None)}
TERRITORY_FIELDS = ("regions", "departments", "communes")
LINK_FIELDS = ("forms", *TERRITORY_FIELDS, "sectors", "sources")


def _join(items):
    return "; ".join(str(item) for item in items)


def _participants(cooperation):
    participations = sorted(
        cooperation.participations.all(),
        # Whatever order they were read in: the name and SIRET part the structures whose folded names
        # are the same.
        key=lambda p: (
            ROLE_ORDER.index(p.role),
            p.structure.search_name,
            p.structure.name,
            p.structure.siret or "",
        ),
    )
    return _join(
        format_participant(p.structure.name, p.structure.kind, p.role, p.structure.siret)
        for p in participations
    )


FREE_TEXT = _("Texte libre, Markdown permis (listes, gras, liens).")


# The fiche's texts: a section is a few paragraphs (the longest seeded one has 1,700 characters); the
# summary and the other figures hold what a public proposal may send (4,000 characters).
SECTION_LENGTH, SUMMARY_LENGTH = 10_000, 4_000


def _text_column(name, header, *aliases, help_text=FREE_TEXT, max_length=SECTION_LENGTH):
    verbose_name = Cooperation._meta.get_field(name).verbose_name
    return Column(
        name,
        header,
        help_text,
        aliases=(verbose_name, *aliases),
        export=lambda c: getattr(c, name),
        max_length=max_length,
    )


def _form_choices():
    return "\n".join(f"{f} : {f.name}" if f.short_name else f.name for f in CooperationForm.objects.all())


COLUMNS = (
    Column(
        "slug",
        _("identifiant"),
        _(
            "L'identifiant de la fiche, la fin de son adresse. Rempli : la fiche qui le porte est mise à "
            "jour. Vide : la fiche qui porte le même titre est mise à jour ; s'il n'y en a pas, une "
            "fiche est créée et son identifiant tiré du titre."
        ),
        aliases=("slug", "id", "adresse courte"),
        export=lambda c: c.slug,
    ),
    Column(
        "title",
        _("titre"),
        _("Le titre de la fiche, 200 caractères au plus."),
        required=_("pour une nouvelle fiche"),
        example="Interm'Aide Emploi et la Ressourcerie du Pévèle : un parcours partagé",
        export=lambda c: c.title,
        max_length=Cooperation._meta.get_field("title").max_length,
    ),
    Column(
        "status",
        _("statut"),
        _(
            "« publiée » publie la fiche si vous avez le droit de publier ; sinon elle reste en "
            "brouillon. Vide : brouillon pour une nouvelle fiche, statut inchangé sinon."
        ),
        aliases=("état",),
        allowed=lambda: ", ".join(STATUSES.labels.values()),
        example=status_label(Status.DRAFT),
        export=lambda c: status_label(c.status),
    ),
    Column(
        "level",
        _("niveau"),
        _("Le niveau de coopération de la typologie de l'Avise. Vide : inchangé."),
        required=_("pour une nouvelle fiche"),
        aliases=("niveau de coopération",),
        allowed=lambda: ", ".join(LEVELS.labels.values()),
        example=level_label(Level.STRATEGIC),
        export=lambda c: level_label(c.level),
    ),
    Column(
        "forms",
        _("formes"),
        _("Les formes de coopération : sigle, code ou nom, séparés par des points-virgules."),
        aliases=("formes de coopération", "forme"),
        allowed=_form_choices,
        example="GME; Mutualisation",
        is_list=True,
        export=lambda c: _join(c.forms.all()),
    ),
    Column(
        "scope",
        _("échelle"),
        _("L'échelle de la coopération. Vide : locale pour une nouvelle fiche, inchangée sinon."),
        allowed=lambda: ", ".join(SCOPES.labels.values()),
        example=scope_label(Scope.DEPARTMENTAL),
        export=lambda c: scope_label(c.scope),
    ),
    Column(
        "regions",
        _("régions"),
        _(
            "Pour une coopération régionale sans département précis : code ou nom, séparés par des "
            "points-virgules."
        ),
        aliases=("région",),
        allowed=_("« 32 », « Hauts-de-France », « 32 Hauts-de-France »"),
        is_list=True,
        export=lambda c: _join(c.regions.all()),
    ),
    Column(
        "departments",
        _("départements"),
        _("Code ou nom, séparés par des points-virgules."),
        aliases=("département",),
        allowed=_("« 59 », « Nord », « 2A », « 93 Seine-Saint-Denis »"),
        example="59; 62",
        is_list=True,
        export=lambda c: _join(c.departments.all()),
    ),
    Column(
        "communes",
        _("communes"),
        _(
            "Code INSEE ou nom, avec le département quand plusieurs communes portent ce nom ; séparées "
            "par des points-virgules."
        ),
        aliases=("commune",),
        allowed=_("« 59350 », « Lille », « Saint-Denis (93) »"),
        example="Templeuve-en-Pévèle",
        is_list=True,
        export=lambda c: _join(c.communes.all()),
    ),
    Column(
        "sectors",
        _("secteurs"),
        _("Secteurs d'activité : nom ou code, séparés par des points-virgules."),
        aliases=("secteurs d'activité", "secteur"),
        allowed=lambda: "\n".join(sector.described for sector in Sector.objects.all()),
        example="Réemploi, recyclage et déchets",
        is_list=True,
        export=lambda c: _join(c.sectors.all()),
    ),
    Column(
        "participants",
        _("participants"),
        _(
            "Les structures qui coopèrent, séparées par des points-virgules, chacune écrite « Nom (type, "
            "rôle, SIRET) ». Le type est un sigle (ACI, AI, EI…) ou un libellé (entreprise, acteur "
            "public…) ; le rôle vaut partenaire s'il manque ; le SIRET est facultatif. Une structure est "
            "retrouvée par son SIRET, sinon par son nom et son type ; une structure inconnue est créée. "
            "Un nom seul désigne une structure déjà enregistrée sous ce nom."
        ),
        aliases=("structures", "participant"),
        allowed=lambda: _("Rôles : %(roles)s") % {"roles": ", ".join(role_label(r) for r in ROLE_ORDER)},
        example="Interm'Aide Emploi (AI, porteur); Ressourcerie du Pévèle (ACI, partenaire, 73282932000074)",
        is_list=True,
        export=_participants,
    ),
    Column(
        "start_year",
        _("année de démarrage"),
        _("Année sur quatre chiffres, entre 1900 et 2100."),
        aliases=("année", "année de début", "démarrage"),
        example=2019,
        export=lambda c: c.start_year,
    ),
    Column(
        "jobs_created",
        _("emplois créés"),
        _("Nombre entier."),
        aliases=("emplois",),
        example=12,
        export=lambda c: c.jobs_created,
    ),
    Column(
        "people_supported",
        _("personnes accompagnées"),
        _("Nombre entier."),
        aliases=("personnes",),
        example=40,
        export=lambda c: c.people_supported,
    ),
    _text_column("figures_text", _("autres chiffres clés"), "chiffres clés", max_length=SUMMARY_LENGTH),
    _text_column(
        "summary",
        _("résumé"),
        help_text=_("Deux ou trois phrases : quoi, qui, où."),
        max_length=SUMMARY_LENGTH,
    ),
    _text_column("context", _("contexte")),
    _text_column("objectives", _("objectifs")),
    _text_column("implementation", _("mise en œuvre")),
    _text_column("results", _("résultats")),
    _text_column("success_factors", _("facteurs de réussite")),
    _text_column("difficulties", _("difficultés")),
    _text_column("indicators", _("indicateurs")),
    _text_column("replicability", _("reproductibilité")),
    Column(
        "sources",
        _("sources"),
        _("Les documents dont la fiche est tirée : identifiant ou titre, séparés par des points-virgules."),
        aliases=("source",),
        allowed=lambda: "\n".join(Source.objects.values_list("key", flat=True)),
        is_list=True,
        export=lambda c: _join(s.key for s in c.sources.all()),
    ),
    Column(
        "organisation",
        _("réseau référent"),
        _(
            "Le réseau ou le service qui suit la fiche : son nom ou son nom court. Vide : la fiche n'est "
            "suivie par aucun réseau."
        ),
        aliases=("réseau", "organisation", "suivie par"),
        allowed=lambda: "\n".join(str(n) for n in Network.objects.all()),
        export=lambda c: c.organisation.name if c.organisation else "",
    ),
    Column(
        "address",
        _("adresse de la fiche"),
        _("L'adresse de la fiche publiée, pour l'ouvrir depuis le tableur. Ignorée à l'import."),
        export=lambda c: c.get_absolute_url() if c.is_published else "",
        imported=False,
        link=True,
    ),
)
