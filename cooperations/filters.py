"""The filters of the cooperation list. The GET parameters describe the whole selection:

q (full text), region and department (INSEE codes), level, form, structure_kind and sector (repeatable),
year_min, year_max, organisation (the slug of the fiche's « réseau référent »), sort; `page` is read by
the view.

A value that cannot be used is ignored and reported in French; it never causes an error page.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from lib.cache import digest, directory_cached
from structures.models import Network, Sector, Structure
from territories.models import Department, Region

from . import facet_counts
from .facets import count_facets
from .models import Cooperation, CooperationForm, Level
from .query import fold, key_words
from .search import french_order, text_search


class Sort(models.TextChoices):
    RELEVANCE = "relevance", _("pertinence")
    NEWEST = "newest", _("les plus récentes")
    TITLE = "title", _("titre, de A à Z")


class KindsMode(models.TextChoices):
    ALL = "all", _("réunissant tous les types cochés (coopérations entre eux)")


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    widget: str  # "select", "radio" or "checkbox"
    options: list
    empty_label: str = ""

    @property
    def any_selected(self):
        return any(option.selected for option in self.options)

    # Long lists show their first options and fold the others under "more", open if one is selected.
    @property
    def first_options(self):
        return self.options if len(self.options) <= FOLD_AFTER + 2 else self.options[:FOLD_AFTER]

    @property
    def more_options(self):
        return self.options[len(self.first_options) :]

    @property
    def more_selected(self):
        return any(option.selected for option in self.more_options)


@dataclass
class Chip:
    label: str
    url: str


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


# Why a value was ignored, per parameter; "%(value)s" is the value as typed.
REASONS = {
    "q": _("la recherche ne peut dépasser 200 caractères."),
    "region": _("« %(value)s » n'est pas un code de région."),
    "department": _("« %(value)s » n'est pas un code de département."),
    "level": _("« %(value)s » n'est pas un niveau de coopération."),
    "form": _("« %(value)s » n'est pas une forme de coopération connue."),
    "structure_kind": _("« %(value)s » n'est pas un type de structure."),
    "sector": _("« %(value)s » n'est pas un secteur d'activité connu."),
    "year_min": _("« %(value)s » n'est pas une année entre 1900 et 2100."),
    "year_max": _("« %(value)s » n'est pas une année entre 1900 et 2100."),
    "organisation": _("« %(value)s » n'est pas un réseau référent connu."),
    "sort": _("« %(value)s » n'est pas un ordre de tri proposé."),
    "kinds": _("« %(value)s » n'est pas un mode du filtre des types de structure (« all » ou rien)."),
}
MULTIPLE = ("form", "structure_kind", "sector")
FACETS = ("region", "department", "level", "form", "structure_kind", "sector")
WIDGETS = {"region": "select", "department": "select", "level": "radio"}
FOLD_AFTER = 6


def reference_choices():
    """The options read from the reference tables, one query each; cached until one of them changes."""
    departments = list(Department.objects.values_list("code", "name", "region_id"))
    return {
        "region": list(Region.objects.order_by(french_order("name"), "name").values_list("code", "name")),
        "department": [(code, f"{code} {name}") for code, name, _region in departments],
        "department_region": {code: region for code, _name, region in departments},
        "form": list(CooperationForm.objects.values_list("code", "name")),
        "sector": list(Sector.objects.order_by(french_order("name"), "name").values_list("slug", "name")),
        **_organisation_choices(),
    }


def _organisation_choices():
    """Every organisation is a valid choice (its page filters on it, fiches or not); the list offers
    those with published fiches. One query."""
    published = Cooperation.objects.published().filter(organisation=OuterRef("pk"))
    networks = Network.objects.only("slug", "name", "short_name").annotate(offered=Exists(published))
    choices = [(network.slug, network.label, network.offered) for network in networks]
    return {
        "organisation": [(slug, label) for slug, label, _offered in choices],
        "organisation_offered": [(slug, label) for slug, label, offered in choices if offered],
    }


class CooperationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("recherche"), method="filter_search", max_length=200)
    region = django_filters.ChoiceFilter(label=_("région"), method="filter_region")
    department = django_filters.ChoiceFilter(label=_("département"), method="filter_department")
    level = django_filters.ChoiceFilter(label=_("niveau"), choices=Level.choices)
    form = django_filters.MultipleChoiceFilter(label=_("forme de coopération"), method="filter_forms")
    structure_kind = django_filters.MultipleChoiceFilter(
        label=_("type de structure"), choices=Structure.Kind.choices, method="filter_structure_kinds"
    )
    # « Coopérations entre … »: with "all", the fiches involving every chosen kind; a filter of its own,
    # kept in shared addresses, exports, feeds and alerts (and in any API reusing this FilterSet).
    kinds = django_filters.ChoiceFilter(
        label=_("fiches montrées"), choices=KindsMode.choices, method="filter_nothing"
    )
    sector = django_filters.MultipleChoiceFilter(label=_("secteur d'activité"), method="filter_sectors")
    year_min = YearFilter(
        label=_("année de démarrage (à partir de)"),
        field_name="start_year",
        lookup_expr="gte",
        min_value=1900,
        max_value=2100,
    )
    year_max = YearFilter(
        label=_("année de démarrage (jusqu'à)"),
        field_name="start_year",
        lookup_expr="lte",
        min_value=1900,
        max_value=2100,
    )
    organisation = django_filters.ChoiceFilter(label=_("réseau référent"), method="filter_organisation")
    sort = django_filters.ChoiceFilter(label=_("tri"), choices=Sort.choices, method="filter_nothing")

    class Meta:
        model = Cooperation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        self.choices = {
            **directory_cached("list_choices", reference_choices),
            "level": list(Level.choices),
            "structure_kind": list(Structure.Kind.choices),
        }
        data, self.ignored = self._drop_unknown_values(data)
        super().__init__(data, *args, **kwargs)
        for name in ("region", "department", "form", "sector", "organisation"):
            self.filters[name].extra["choices"] = self.choices[name]

    def _drop_unknown_values(self, data):
        """Keep the known values of the repeatable filters, so that one bad value spoils nothing."""
        if data is None:
            return None, []
        data, ignored = data.copy(), []
        # Search terms are one line: a line break (%0D%0A in an address) is a space, as in a search box.
        data.setlist("q", [" ".join(value.split()) for value in data.getlist("q")])
        for name in MULTIPLE:
            known = {value for value, _label in self.choices[name]}
            values = list(dict.fromkeys(value.strip() for value in data.getlist(name)))
            for value in values:
                if value and value not in known:
                    ignored.append(self._ignored_message(name, value))
            data.setlist(name, [value for value in values if value in known])
        return data, ignored

    def _ignored_message(self, name, value):
        reason = REASONS[name] % {"value": value}
        return _("Le filtre « %(label)s » a été ignoré : %(reason)s") % {
            "label": self.base_filters[name].label,
            "reason": reason,
        }

    # --- Filtering -------------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        return self.search.filter(queryset)

    def filter_region(self, queryset, name, value):
        if self.region_implied:
            return queryset  # One of its departments is chosen: that department's fiches, as alone.
        return queryset.in_region(value)

    @property
    def region_implied(self):
        """Whether the chosen department lies in the chosen region: the region then adds nothing, and
        the two together give the department's fiches (national and regional ones included), as the
        department alone does."""
        region, department = self.cleaned.get("region"), self.cleaned.get("department")
        return bool(region and department) and self.choices["department_region"].get(department) == region

    def filter_department(self, queryset, name, value):
        return queryset.in_department(value)

    def filter_forms(self, queryset, name, value):
        return queryset.with_any_form(value)

    def filter_structure_kinds(self, queryset, name, value):
        if self.every_kind:
            return queryset.with_every_structure_kind(value)
        return queryset.with_any_structure_kind(value)

    @property
    def every_kind(self):
        return self.cleaned.get("kinds") == KindsMode.ALL

    def filter_sectors(self, queryset, name, value):
        return queryset.in_any_sector(value)

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(organisation__slug=value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # `sort` orders the results in filter_queryset, after every filter.

    def apply_filters(self, queryset, exclude=()):
        for name, value in self.cleaned.items():
            if name != "sort" and name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset):
        queryset = self.apply_filters(queryset)
        if self.search:
            queryset = self.search.with_highlights(queryset)
        if self.current_sort == Sort.RELEVANCE:
            queryset = self.search.order_by_rank(queryset)
        elif self.current_sort == Sort.TITLE:
            queryset = queryset.order_by(french_order("title"), "title", "pk")
        else:
            queryset = queryset.order_by("-published_at", "pk")
        if self.cleaned.get("department"):
            # The department's own fiches first, then those of its region, then the national ones.
            ordering = queryset.query.order_by
            queryset = queryset.by_reach_in_department(self.cleaned["department"]).order_by(
                "reach", *ordering
            )
        return queryset

    # --- What the page shows ---------------------------------------------------------------------

    @cached_property
    def cleaned(self):
        self.form.is_valid()
        return self.form.cleaned_data

    @cached_property
    def search(self):
        return text_search(self.cleaned["q"]) if self.cleaned.get("q") else None

    @cached_property
    def current_sort(self):
        sort = self.cleaned.get("sort")
        if sort == Sort.RELEVANCE and not self.search:
            sort = ""  # Left over from a cleared search: not worth a warning.
        return sort or (Sort.RELEVANCE if self.search else Sort.NEWEST)

    def sort_options(self):
        """The orders offered; the default one has an empty value, so that it stays out of the address."""
        default = Sort.RELEVANCE if self.search else Sort.NEWEST
        return [
            Option("" if value == default else value, label, 0, value == self.current_sort)
            for value, label in Sort.choices
            if value != Sort.RELEVANCE or self.search
        ]

    @cached_property
    def warnings(self):
        """The French explanation of every value that was ignored."""
        messages = list(self.ignored)
        for name in self.form.errors:
            messages.append(self._ignored_message(name, self.form.data.get(name, "")))
        return messages

    def _params(self):
        """The valid, active filters as (name, value) pairs, in a stable order."""
        pairs = []
        for name in self.base_filters:
            value = self.cleaned.get(name)
            if name == "sort" and value and value != self.current_sort:
                continue
            if name == "kinds" and not self.cleaned.get("structure_kind"):
                continue  # The mode means nothing without a kind chosen.
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    pairs.append((name, str(item)))
        return pairs

    def other_filters(self):
        """{name: value, or [values] for a repeated one} of the valid, active filters but the search and
        the order: what a search record keeps beside its query."""
        filters = {}
        for name, value in self._params():
            if name not in ("q", "sort"):
                filters.setdefault(name, []).append(value)
        return {name: values if len(values) > 1 else values[0] for name, values in filters.items()}

    def query_string(self):
        """The valid, active filters as the list's address writes them, without the sort: what a
        feed or an alert follows."""
        return urlencode([pair for pair in self._params() if pair[0] != "sort"])

    def named_forms(self, *, as_typed=False):
        """[(code, name)] of the forms of cooperation the search names (« zéro chômeur » names TZCLD):
        their resource sheets are worth reading even when no fiche has the form yet. as_typed: from the
        words as typed only, without looking for fiches or corrections (no query)."""
        if not self.search:
            return []
        if as_typed:
            clauses = [clause for group in self.search.parsed for clause in group if not clause.excluded]
        else:
            clauses = self.search.positive_clauses
        named = {
            key_words(" ".join(sum(alternative, ())))
            for clause in clauses
            for alternative in clause.alternatives
        }
        return [
            (code, name)
            for code, name in self.choices["form"]
            if key_words(name) in named or (fold(code),) in named
        ]

    def suggestion_url(self):
        """The same selection with the search as « Vouliez-vous dire … ? » suggests it."""
        if not self.search or not self.search.suggestion:
            return ""
        pairs = [(n, v) for n, v in self._params() if n != "q"]
        return "?" + urlencode([("q", self.search.suggestion), *pairs])

    def chips(self):
        """One removable chip per active value, linking to the same selection without it."""
        labels = {name: dict(choices) for name, choices in self.choices.items()}
        templates = {
            "q": _("Recherche : « %(value)s »"),
            "region": _("Région : %(value)s"),
            "department": _("Département : %(value)s"),
            "level": _("Niveau : %(value)s"),
            "form": _("Forme : %(value)s"),
            "structure_kind": _("Structure : %(value)s"),
            "kinds": _("Fiches réunissant tous les types cochés"),
            "sector": _("Secteur : %(value)s"),
            "year_min": _("Démarrée à partir de %(value)s"),
            "year_max": _("Démarrée au plus tard en %(value)s"),
            "organisation": _("Suivie par %(value)s"),
        }
        pairs = self._params()
        chips = []
        for pair in pairs:
            name, value = pair
            if name not in templates:
                continue
            label = templates[name] % {"value": labels.get(name, {}).get(value, value)}
            rest = [p for p in pairs if p != pair]
            chips.append(Chip(label, "?" + urlencode(rest) if rest else ""))
        return chips

    @property
    def is_filtered(self):
        return any(name != "sort" for name, _value in self._params())

    @cached_property
    def counts(self):
        """{facet: {value: number of fiches}} for the current selection, in one query: counted (see
        facets.py), or for the unfiltered list read from the counts kept up to date (facet_counts.py).
        The same selection gives the same counts until the directory changes (a search's: 100+ ms)."""
        compute = self.recount if self.is_filtered else self.every_fiche_counts
        return directory_cached(f"list_facets:{digest(self.query_string())}", compute)

    @staticmethod
    def every_fiche_counts():
        return {name: {} for name in FACETS} | facet_counts.read()

    def recount(self):
        """The counts of the current selection, counted over the fiches."""
        narrowing = [name for name in self.base_filters if name not in FACETS]
        narrowing_itself = {"structure_kind"} if self.every_kind else set()
        # The departments offered are the chosen region's, each giving its fiches as if alone.
        beside = {"department": {"region"}} if self.cleaned.get("region") else {}
        counts = count_facets(
            self.apply_filters(self.queryset, exclude=FACETS),
            FACETS,
            # Between every chosen kind, the kinds' counts are those of the fiches involving them all.
            lambda queryset, name: self.apply_filters(
                queryset, exclude={*narrowing, *({name} - narrowing_itself), *beside.get(name, ())}
            ),
            narrowing_itself=narrowing_itself,
            shared=any(
                self.cleaned.get(name) not in (None, "")
                for name in narrowing
                if name not in ("sort", "kinds")
            ),
            chosen={name for name in FACETS if self.cleaned.get(name) not in (None, "", [])},
        )
        department = self.cleaned.get("department")
        own_region = self.choices["department_region"].get(department)
        if department and self.cleaned.get("region") in (None, "", own_region):
            # Choosing the department's own region keeps the selection as it is.
            level = self.cleaned.get("level")
            levels = counts["level"]
            total = levels.get(level, 0) if level else sum(levels.values())
            counts["region"] = {**counts["region"], own_region: total}
        return counts

    @property
    def result_count(self):
        """How many fiches the selection has, read from the level counts: every fiche has one level,
        and the level facet counts the selection without its own filter."""
        levels = self.counts["level"]
        level = self.cleaned.get("level")
        return levels.get(level, 0) if level else sum(levels.values())

    def facets(self):
        """Every filter option with the number of fiches it would give within the current selection."""
        facets = []
        empty_labels = {
            "region": _("Toutes les régions"),
            "department": _("Tous les départements"),
            "level": _("Tous les niveaux"),
        }
        for name in FACETS:
            counts = self.counts[name]
            current = self.cleaned.get(name) or []
            current = current if isinstance(current, list) else [current]
            choices = self.choices[name]
            if name == "department" and self.cleaned.get("region"):
                regions = self.choices["department_region"]
                choices = [(v, label) for v, label in choices if regions.get(v) == self.cleaned["region"]]
            options = [
                Option(value, label, counts.get(value, 0), value in current)
                for value, label in choices
                if counts.get(value) or value in current or name == "level"
            ]
            widget = WIDGETS.get(name, "checkbox")
            label = self.base_filters[name].label
            facets.append(Facet(name, label, widget, options, empty_labels.get(name, "")))
        return facets
