import pytest
from django.core.cache import cache
from django.core.management import call_command

from territories.lookups import TerritoryIndex

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
