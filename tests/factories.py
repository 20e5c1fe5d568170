"""Small factories for the tests. Territories are fetched when the reference data is loaded.

Readable traits: `UserFactory(editor=True)`, `UserFactory(administrator=True)`,
`CooperationFactory(published=True)`.
Relations are passed as lists:
CooperationFactory(published=True, forms=[form], participants=[(structure, "lead")]).
"""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cooperations import facet_counts
from cooperations.models import Cooperation, CooperationForm, Level, OutcomeFigure, Participation, Source
from editing.roles import ADMINISTRATORS, EDITORS
from structures.models import Network, Sector, Structure
from territories.models import Commune, Department, Region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    class Params:
        editor = factory.Trait(is_staff=True, groups__names=[EDITORS])
        administrator = factory.Trait(is_staff=True, groups__names=[ADMINISTRATORS])

    username = factory.Sequence(lambda n: f"personne{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("mot-de-passe-de-test")

    @factory.post_generation
    def groups(self, create, extracted, names=(), **kwargs):
        # The groups themselves come from the roles data migration.
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Région {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Département {n}")
    slug = factory.Sequence(lambda n: f"departement-{n}")
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"secteur-{n}")
    name = factory.Sequence(lambda n: f"Secteur {n}")


class CooperationFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationForm
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"forme-{n}")
    name = factory.Sequence(lambda n: f"Forme de coopération {n}")


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = Structure.Kind.ACI


class NetworkFactory(factory.django.DjangoModelFactory):
    """An organisation; `NetworkFactory(editors=[user])` makes `user` one of its editors."""

    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Réseau {n}")

    @factory.post_generation
    def editors(self, create, extracted, **kwargs):
        if create and extracted:
            self.editors.set(extracted)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Document {n}")


class CooperationFactory(factory.django.DjangoModelFactory):
    """A draft fiche; `CooperationFactory(published=True)` publishes it."""

    class Meta:
        model = Cooperation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Coopération {n}")
    level = Level.SIMPLE
    summary = "Des structures de l'IAE s'associent pour répondre ensemble à un besoin du territoire."

    class Params:
        published = factory.Trait(
            status=Cooperation.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def forms(self, create, extracted, **kwargs):
        if create and extracted:
            self.forms.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        """Structures, or (structure, role) pairs."""
        for item in extracted or []:
            structure, role = item if isinstance(item, tuple) else (item, Participation.Role.PARTNER)
            Participation.objects.create(cooperation=self, structure=structure, role=role)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    cooperation = factory.SubFactory(CooperationFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Participation.Role.PARTNER


class OutcomeFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeFigure

    cooperation = factory.SubFactory(CooperationFactory)
    value = 10
    label = "tonnes de déchets évitées"


def publish_many(count, *, departments=(), regions=(), forms=(), sectors=(), structures=()):
    """`count` published fiches made in bulk, each placed in all the given rows: for query-count tests.

    Levels go round simple, strategic, reinforced; every structure is a partner of every fiche. Bulk
    creation sends no signal: call cooperations.search.refresh_search_index() before searching them
    (their facet keys are written, as an import writes them).
    """
    now = timezone.now()
    levels = list(Level)
    cooperations = Cooperation.objects.bulk_create(
        Cooperation(
            title=f"Fiche en nombre {i}",
            slug=f"fiche-en-nombre-{i}",
            level=levels[i % len(levels)],
            status=Cooperation.Status.PUBLISHED,
            published_at=now,
            summary="Une fiche parmi d'autres, pour mesurer les requêtes.",
        )
        for i in range(count)
    )
    for name, rows in (
        ("departments", departments),
        ("regions", regions),
        ("forms", forms),
        ("sectors", sectors),
    ):
        descriptor = getattr(Cooperation, name)
        source, target = descriptor.field.m2m_field_name(), descriptor.field.m2m_reverse_field_name()
        descriptor.through.objects.bulk_create(
            descriptor.through(**{source: cooperation, target: row})
            for cooperation in cooperations
            for row in rows
        )
    Participation.objects.bulk_create(
        Participation(cooperation=cooperation, structure=structure)
        for cooperation in cooperations
        for structure in structures
    )
    # Their facet keys, as an import writes them with its fiches (cooperations/facet_counts.py).
    facet_counts.refresh([cooperation.pk for cooperation in cooperations])
    return cooperations


def real_places():
    """A few real territories, fetched when the reference data is loaded, created otherwise."""
    hdf = RegionFactory(code="32", name="Hauts-de-France", slug="hauts-de-france")
    ara = RegionFactory(code="84", name="Auvergne-Rhône-Alpes", slug="auvergne-rhone-alpes")
    guadeloupe = RegionFactory(code="01", name="Guadeloupe", slug="guadeloupe")
    return {
        "hdf": hdf,
        "ara": ara,
        "guadeloupe-region": guadeloupe,
        "nord": DepartmentFactory(code="59", name="Nord", slug="nord", region=hdf),
        "pas-de-calais": DepartmentFactory(code="62", name="Pas-de-Calais", slug="pas-de-calais", region=hdf),
        "rhone": DepartmentFactory(code="69", name="Rhône", slug="rhone", region=ara),
        "guadeloupe": DepartmentFactory(code="971", name="Guadeloupe", slug="guadeloupe", region=guadeloupe),
    }
