"""Two fiches (or structures) of the same title saved at the same moment: both are kept, each with its
own address; the check of the slug and the insert are not atomic, the unique index decides."""

import threading

import pytest
from django.db import connection

from cooperations.models import Cooperation
from lib import text
from structures.models import Structure


def racing_slugs(monkeypatch, parties):
    """Every save's first slug is chosen before any of them inserts: the audit's race, made certain."""
    barrier = threading.Barrier(parties, timeout=30)
    real = text.unique_slug
    waited = set()

    def unique_slug(instance, value, max_length=80):
        slug = real(instance, value, max_length)
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()
        return slug

    monkeypatch.setattr(text, "unique_slug", unique_slug)


def in_threads(work, count):
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_fiches_of_the_same_title_at_once_are_both_saved(monkeypatch):
    racing_slugs(monkeypatch, 2)
    errors = in_threads(lambda: Cooperation.objects.create(title="Légumerie partagée"), 2)
    assert errors == []
    assert sorted(Cooperation.objects.values_list("slug", flat=True)) == [
        "legumerie-partagee",
        "legumerie-partagee-2",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_structures_of_the_same_name_at_once_are_both_saved(monkeypatch):
    racing_slugs(monkeypatch, 2)
    kinds = iter([Structure.Kind.ACI, Structure.Kind.EI])  # one name, two structures
    errors = in_threads(lambda: Structure.objects.create(name="Ressourcerie du Pévèle", kind=next(kinds)), 2)
    assert errors == []
    assert sorted(Structure.objects.values_list("slug", flat=True)) == [
        "ressourcerie-du-pevele",
        "ressourcerie-du-pevele-2",
    ]


@pytest.mark.django_db
def test_another_integrity_error_is_not_hidden():
    Structure.objects.create(name="A", siret="41234567000019")
    with pytest.raises(Exception, match="siret"):
        Structure.objects.create(name="B", siret="41234567000019")
