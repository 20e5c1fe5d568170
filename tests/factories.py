"""Small, generic factories shared by the tests. Relations are passed as lists:

CooperationFactory(published=True, forms=[form], participants=[(structure, "lead")])
"""

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from cooperations.models import Cooperation, CooperationForm, Level, OutcomeFigure, Participation, Source
from structures.models import Sector, Structure
from territories.models import Commune, Department, Region


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Région {n}")
    # The code keeps slugs unique next to the real territories that tests/conftest.py loads.
    slug = factory.LazyAttribute(lambda region: slugify(f"{region.name} {region.code}"))


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Département {n}")
    slug = factory.LazyAttribute(lambda department: slugify(f"{department.name} {department.code}"))
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Secteur {n}")
    slug = factory.LazyAttribute(lambda sector: slugify(sector.name))


class CooperationFormFactory(DjangoModelFactory):
    class Meta:
        model = CooperationForm

    name = factory.Sequence(lambda n: f"Forme {n}")
    code = factory.LazyAttribute(lambda form: slugify(form.name))


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = Structure.Kind.ACI


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Document {n}")


def _set_related(field):
    def setter(cooperation, create, extracted, **kwargs):
        if create and extracted:
            getattr(cooperation, field).set(extracted)

    return factory.PostGeneration(setter)


class CooperationFactory(DjangoModelFactory):
    class Meta:
        model = Cooperation
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Cooperation.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    title = factory.Sequence(lambda n: f"Coopération {n}")
    level = Level.SIMPLE
    summary = "Des structures mettent leurs moyens en commun."

    forms = _set_related("forms")
    sectors = _set_related("sectors")
    regions = _set_related("regions")
    departments = _set_related("departments")
    communes = _set_related("communes")
    sources = _set_related("sources")

    @factory.post_generation
    def participants(cooperation, create, extracted, **kwargs):
        """Structures, or (structure, role) pairs."""
        for item in extracted or []:
            structure, role = item if isinstance(item, tuple) else (item, Participation.Role.PARTNER)
            Participation.objects.create(cooperation=cooperation, structure=structure, role=role)


class OutcomeFigureFactory(DjangoModelFactory):
    class Meta:
        model = OutcomeFigure

    cooperation = factory.SubFactory(CooperationFactory)
    value = 10
    label = "tonnes de déchets évitées"
