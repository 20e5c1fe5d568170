"""Small factories with readable traits: CooperationFactory(published=True), UserFactory(editor=True)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cooperations.models import Cooperation, CooperationForm, Level, OutcomeFigure, Participation
from editing.roles import ADMINISTRATORS, EDITORS
from structures.models import Sector, Structure
from territories.models import Department, Region


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
        django_get_or_create = ["code"]

    code = "75"
    name = "Nouvelle-Aquitaine"
    slug = "nouvelle-aquitaine"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "64"
    name = "Pyrénées-Atlantiques"
    slug = factory.LazyAttribute(lambda d: f"{d.code}-pyrenees-atlantiques")
    region = factory.SubFactory(RegionFactory)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"secteur-{n}")
    name = factory.Sequence(lambda n: f"Secteur {n}")


class CooperationFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationForm
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"forme-{n}")
    name = factory.Sequence(lambda n: f"Forme de coopération {n}")


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = Structure.Kind.EI


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperation

    class Params:
        published = factory.Trait(
            status=Cooperation.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    title = factory.Sequence(lambda n: f"Coopération {n}")
    level = Level.SIMPLE
    summary = "Trois structures partagent une blanchisserie."


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
    value = 12
    unit = "t"
    label = "de linge traité par mois"
