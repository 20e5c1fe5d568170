import os
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection, transaction

from cooperations.models import CooperationForm, Source
from cooperations.models.synonym import seed_field_equivalences
from cooperations.seed import SeedLoader
from cooperations.seed_copies import documents_dir
from structures.models import Sector
from territories.lookups import TerritoryIndex
from tests.factories import UserFactory

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def pytest_configure(config):
    """Compile the French catalogue when it changed, before any test loads it (`make install` does it
    too): its plural forms are part of what the pages say."""
    compiled = CATALOGUE.with_suffix(".mo")
    if not compiled.exists() or compiled.stat().st_mtime < CATALOGUE.stat().st_mtime:
        try:
            subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE)], check=True)
        except FileNotFoundError:
            pytest.exit("msgfmt is missing: install GNU gettext (apt-get install gettext)", returncode=4)


# --- Territories ------------------------------------------------------------------------------------
# The real 18 regions, 101 departments, 1,255 EPCI and 34,875 communes are loaded once per test
# database (2 to 4 s), so any test can use them without creating or reloading anything: each test
# runs in a rolled-back transaction and leaves them as loaded. With --reuse-db the loader finds
# nothing to change (under a second). Tests using transactional_db empty every table when they end,
# territories included, so they must not count on them.


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_territories", verbosity=0)
        # Written by a data migration, but emptied like the territories by transactional tests, which
        # a reused database keeps.
        seed_field_equivalences()


@pytest.fixture(scope="session")
def territory_index(django_db_setup, django_db_blocker):
    """A TerritoryIndex shared by the session: building one reads 35k communes."""
    with django_db_blocker.unblock():
        return TerritoryIndex()


# --- Speed ------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Real hashers are slow on purpose; tests that log users in do not need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Cache ------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def empty_cache():
    # Counts cached by one test must not outlive its rolled-back rows.
    cache.clear()


@pytest.fixture(autouse=True)
def empty_shared_cache(request):
    # Rate limits and used tokens: in the database, rolled back with each test but kept by the tests
    # that commit; in Redis (REDIS_URL), kept by all.
    shared = caches["shared"]
    if isinstance(shared, DatabaseCache):
        if "transactional_db" not in request.fixturenames:
            return
        request.getfixturevalue("transactional_db")
    shared.clear()


# --- Shared data ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The real fiches of fixtures/seed/, loaded once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        loaded = SeedLoader().load()
        # Statistics of the rows just written (rolled back with them): without any, PostgreSQL plans
        # the facet counts as if each table held one row and repeats subqueries for every row.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield loaded
        transaction.set_rollback(True)


@pytest.fixture
def source_documents():
    """{file name: text} of the seed's five source documents. They live beside the repository on the
    team's machines only: elsewhere the test is skipped (the checks that need no document still run in
    their own tests), and CI, which sets REQUIRE_SOURCES=1, fails instead."""
    documents = documents_dir()
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(documents.glob("*.txt"))}
    if not texts:
        reason = f"no source document in {documents} (SEED_DOCUMENTS_DIR names another folder)"
        if os.environ.get("REQUIRE_SOURCES") == "1":
            pytest.fail(f"REQUIRE_SOURCES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return texts


@pytest.fixture
def reference(db):
    """The forms, sectors and source the files below refer to."""
    return {
        "gme": CooperationForm.objects.create(
            code="gme", short_name="GME", name="Groupement momentané d'entreprises"
        ),
        "mutualisation": CooperationForm.objects.create(
            code="mutualisation", short_name="Mutualisation", name="Mutualisation de moyens et de fonctions"
        ),
        "reemploi": Sector.objects.create(slug="reemploi-recyclage", name="Réemploi, recyclage et déchets"),
        "alimentation": Sector.objects.create(slug="alimentation", name="Alimentation et circuits courts"),
        "source": Source.objects.create(key="avise-cooperations-siae", title="Les coopérations des SIAE"),
    }


# --- People -----------------------------------------------------------------------------------------
@pytest.fixture
def editor(client):
    """An Éditeur, signed in on `client`."""
    user = UserFactory(editor=True, first_name="Inès", last_name="Durand")
    client.force_login(user)
    return user


@pytest.fixture
def administrator(client):
    """An Administrateur, signed in on `client`."""
    user = UserFactory(administrator=True)
    client.force_login(user)
    return user


# --- The Annuaire des entreprises ----------------------------------------------------------------------
@pytest.fixture
def registry(monkeypatch, settings):
    """The Recherche d'entreprises API answered from recorded files (tests/recorded_registry.py)."""
    import requests

    from structures import annuaire
    from tests.recorded_registry import RecordedRegistry

    settings.RECHERCHE_ENTREPRISES_URL = "https://recherche-entreprises.api.gouv.fr"
    transport = RecordedRegistry(
        {
            "Interm'Aide Emploi": "search-by-name.json",
            "41234567000019": "search-by-siret.json",
        }
    )
    session = requests.Session()
    session.mount("https://", transport)
    session.mount("http://", transport)
    monkeypatch.setattr(annuaire, "SESSION", session)
    return transport
