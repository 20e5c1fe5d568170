"""The list pages' FilterSets, read by the API: their parameters for the OpenAPI documentation, and
their invalid values as a 400 answer. Both go over the FilterSet's own filters, so that a filter added
to the list page is documented and checked here without a change."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter

from cooperations.filters import REASONS

from .throttling import rate_limit

# What a reader of the documentation needs beyond the filter's label; a filter not named here is
# documented by its label alone.
HELP = {
    "q": gettext_lazy(
        "Recherche en français : accents, casse et pluriels ne comptent pas ; "
        '"expression exacte", -mot pour exclure, or.'
    ),
    "region": gettext_lazy("Code INSEE d'une région (liste : /api/v1/regions/)."),
    "department": gettext_lazy("Code INSEE d'un département (liste : /api/v1/departments/)."),
    "form": gettext_lazy("Code d'une forme de coopération (liste : /api/v1/forms/) ; répétable."),
    "sector": gettext_lazy("Code d'un secteur d'activité (liste : /api/v1/sectors/) ; répétable."),
    "structure_kind": gettext_lazy("Type d'une structure participante ; répétable."),
    "sort": gettext_lazy("Ordre : pertinence (par défaut avec une recherche), les plus récentes, ou titre."),
}


def filter_parameters(filterset_class):
    """One OpenAPI query parameter per filter, with its fixed choices when it has some."""
    parameters = []
    for name, field in filterset_class.base_filters.items():
        choices = field.extra.get("choices")
        many = isinstance(field, django_filters.MultipleChoiceFilter)
        integer = isinstance(field, django_filters.NumberFilter)
        parameters.append(
            OpenApiParameter(
                name,
                int if integer else str,
                description=str(HELP.get(name) or (field.label or name).capitalize()),
                enum=[value for value, _label in choices] if isinstance(choices, list | tuple) else None,
                many=many,
                explode=True if many else None,
            )
        )
    return parameters


def filter_errors(filterset, params):
    """{parameter: [French message]} for every value of the request that the list page would ignore
    (its `warnings`); empty when all are valid. `params` are the request's: the FilterSet keeps only
    the known values of its repeatable filters. An API should say so rather than answer for another
    selection than the one asked for."""
    errors = {}
    for name, field in filterset.filters.items():
        known = field.extra.get("choices")
        if isinstance(field, django_filters.MultipleChoiceFilter) and known is not None:
            values = {value for value, _label in known}
            given = dict.fromkeys(value.strip() for value in params.getlist(name))
            for value in [value for value in given if value and value not in values]:
                errors.setdefault(name, []).append(_reason(name, value))
    for name in filterset.form.errors:
        errors.setdefault(name, []).append(_reason(name, filterset.form.data.get(name, "")))
    return errors


def _reason(name, value):
    reason = REASONS.get(name)
    if reason is None:
        return _("« %(value)s » n'est pas une valeur acceptée.") % {"value": value}
    return str(reason) % {"value": value}


# The API's description in its documentation (/api/docs/), with the rate limit in force.
DESCRIPTION = (
    "Les fiches publiées de l'annuaire des coopérations de l'IAE, leurs structures et les listes de "
    "référence, en lecture seule et sans compte. Licence Ouverte / Open Licence 2.0.\n\n"
    "- **Limite**\u00a0: {limit}\u00a0; au-delà, la réponse 429 dit dans `Retry-After` combien de "
    "secondes attendre.\n"
    "- **Pages** de 20 résultats (`page_size` jusqu'à 100), avec `count`, `next` et `previous`.\n"
    "- **Cache**\u00a0: chaque réponse porte un `ETag`\u00a0; renvoyé dans `If-None-Match`, il donne une "
    "réponse 304 vide tant que rien n'a changé.\n"
    "- **Depuis un navigateur**, tout site peut lire l'API (CORS, GET seulement).\n"
    "- **Filtres** de `/api/v1/cooperations/`\u00a0: ceux de la liste des coopérations du site, mêmes "
    "noms et mêmes valeurs\u00a0; une valeur inconnue donne une erreur 400 qui l'explique.\n"
    "- **Fichiers complets** (CSV, JSON, Table Schema)\u00a0: voir la page /donnees/."
)


def describe_api(result, generator, request, public):
    """drf-spectacular's post-processing hook that writes the description (SPECTACULAR_SETTINGS)."""
    rate = rate_limit()
    limit = f"{rate['count']} requêtes {rate['period']} et par adresse" if rate else "aucune"
    result["info"]["description"] = DESCRIPTION.format(limit=limit)
    return result
