"""Settings for mhsite: one module, driven by environment variables.

Local defaults are safe for a developer laptop (SQLite, DEBUG on, a dev-only
secret). With DEBUG off the process refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS, so a production deploy cannot run insecurely by
accident.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off mhsite refuses to start without "
            "a secret key: set the SECRET_KEY environment variable to a long random "
            "string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("The development SECRET_KEY cannot be used with DEBUG off.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty. With DEBUG off set ALLOWED_HOSTS to a comma-separated "
        "list of the host names this site answers to."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The public site's own address, used for canonical links, feeds and JSON-LD
# when a request is not at hand (management commands, emails).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Left unset in development, links follow the host and port actually served
# (`make run PORT=8201`), see mhsite/siteurl.py.
SITE_URL_FOLLOWS_REQUEST = DEBUG and not os.environ.get("SITE_URL")
SITE_NAME = os.environ.get("SITE_NAME", "mhsite")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "markdownx",
    "reversion",
    "axes",
    "articles",
    "therapists",
    # The project's own signal receivers (page-cache invalidation).
    "mhsite.apps.MhsiteConfig",
]

MIDDLEWARE = [
    # Before anything can read the body: refuses oversized ones by Content-Length.
    "mhsite.bodylimit.BodyLimitMiddleware",
    # Forwarded headers from peers that are not our proxies are dropped
    # before anything (the SSL redirect, axes, the report limit) reads them.
    "mhsite.clientip.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mhsite.siteurl.ServedSiteUrlMiddleware",
    "mhsite.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so cached pages answer 304 Not Modified too.
    # (An anonymous reader's page-cache hit is usually answered before any of
    # this middleware, by the WSGI application: mhsite/fasthit.py.)
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the CSRF and CSP middleware: they see the token and nonce it fills in.
    "mhsite.pagecache.PageCacheMiddleware",
    "mhsite.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mhsite.urls"

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
                "django.template.context_processors.csp",
                "mhsite.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "mhsite.wsgi.application"

# Database: an embedded SQLite file by default so a fresh machine needs no
# server; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several threads or workers at once: take the
    # write lock when a transaction starts (a deferred transaction that later
    # needs it fails at once instead of waiting) and let readers proceed
    # beside a writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DATABASE_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database is unreachable instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 2)
    )
    # JIT compilation pays off for long analytical queries, not for a web
    # app's: compiling cost the finder's statements more than it saved (see
    # docs/finder.md).
    # Off on this app's connections (libpq options), whatever the server's
    # default; DATABASE_JIT=1 leaves the server's setting alone.
    if not env_bool("DATABASE_JIT", False):
        options = DATABASES["default"]["OPTIONS"].get("options", "")
        DATABASES["default"]["OPTIONS"]["options"] = f"{options} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first so a locked-out user is refused before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: whitenoise serves them, compressed and content-hashed.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Site-wide assets (stylesheet, favicon, finder script) live with the project package.
STATICFILES_DIRS = [BASE_DIR / "mhsite" / "static"]

MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads on an S3-compatible object store (AWS S3, MinIO, Ceph, R2, ...) when a
# bucket is named, so any number of app servers share them. Credentials come
# from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (read by boto3) or the instance role.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Public media served from the bucket's (or a CDN's) own domain.
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }


def _object_storage_hosts(bucket: str) -> list[str]:
    """The hosts django-storages builds media URLs on, for the bucket as configured."""
    custom_domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
    if custom_domain:
        return [custom_domain.split("/")[0].lower()]
    endpoint = urlsplit(os.environ.get("AWS_S3_ENDPOINT_URL", "")).hostname
    if endpoint:  # path-style or virtual-hosted addressing, whichever the store uses
        return [endpoint, f"{bucket}.{endpoint}"]
    region = os.environ.get("AWS_S3_REGION_NAME", "")
    hosts = [f"{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"{bucket}.s3.{region}.amazonaws.com")
    return hosts


# Where uploads are served from when it is not this site: readers' browsers
# must be allowed to load images from there (CSP img-src) and the Markdown
# sanitizer must keep images uploaded through the editor.
MEDIA_HOSTS = _object_storage_hosts(AWS_STORAGE_BUCKET_NAME) if AWS_STORAGE_BUCKET_NAME else []

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis that is refused or hangs costs one short timeout per
            # breaker interval and serves misses meanwhile (mhsite/cache.py).
            "BACKEND": "mhsite.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mhsite"),
            "OPTIONS": {
                "socket_connect_timeout": env_int("CACHE_CONNECT_TIMEOUT_MS", 100) / 1000,
                "socket_timeout": env_int("CACHE_TIMEOUT_MS", 100) / 1000,
                "BREAKER_SECONDS": env_int("CACHE_BREAKER_SECONDS", 10),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Page cache for anonymous readers (mhsite.pagecache, mhsite.cachetags): a
# write invalidates at once the pages showing what it changed; the timeout
# only bounds memory use.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Purging a CDN or Varnish in front by tag after each write (mhsite.purge):
# "none", "varnish", "fastly" or "cloudflare".
PAGE_CACHE_PURGE_BACKEND = os.environ.get("PAGE_CACHE_PURGE_BACKEND", "none").strip().lower()
if PAGE_CACHE_PURGE_BACKEND not in {"none", "varnish", "fastly", "cloudflare"}:
    raise ImproperlyConfigured(
        "PAGE_CACHE_PURGE_BACKEND must be none, varnish, fastly or cloudflare, "
        f"got {PAGE_CACHE_PURGE_BACKEND!r}."
    )
_PURGING = PAGE_CACHE_PURGE_BACKEND != "none"
# How long a CDN in front may serve a page without asking us (s-maxage). Without
# purging, edits reach readers behind a CDN within this many seconds; with it,
# at once, so the lifetime can be hours.
PAGE_CACHE_CDN_SECONDS = env_int("PAGE_CACHE_CDN_SECONDS", 4 * 3600 if _PURGING else 60)
# stale-while-revalidate and stale-if-error: how long the edge may keep serving
# a page past its lifetime while it refetches it or while the origin is down.
PAGE_CACHE_CDN_STALE_SECONDS = env_int(
    "PAGE_CACHE_CDN_STALE_SECONDS", 24 * 3600 if _PURGING else 60
)
# Prepended to every Surrogate-Key/Cache-Tag, when several sites share one CDN account.
PAGE_CACHE_TAG_PREFIX = os.environ.get("PAGE_CACHE_TAG_PREFIX", "")
# The purge backend's address and credentials: Varnish's URL (one or more,
# comma-separated); the Fastly service id or Cloudflare zone id and API token;
# PAGE_CACHE_PURGE_API overrides the provider's API address (tests, proxies).
PAGE_CACHE_PURGE_URLS = env_list("PAGE_CACHE_PURGE_URLS", [])
PAGE_CACHE_PURGE_ZONE = os.environ.get("PAGE_CACHE_PURGE_ZONE", "")
PAGE_CACHE_PURGE_TOKEN = os.environ.get("PAGE_CACHE_PURGE_TOKEN", "")
PAGE_CACHE_PURGE_API = os.environ.get("PAGE_CACHE_PURGE_API", "")
# How long the request that committed a change waits for its purge (seconds)
# before carrying on; the purge continues in the background either way.
PAGE_CACHE_PURGE_WAIT = float(os.environ.get("PAGE_CACHE_PURGE_WAIT", "0.25"))
PAGE_CACHE_URL_NAMES = {
    "articles:home",
    "articles:list",
    "articles:detail",
    "articles:category",
    "articles:contributor",
    "articles:how_we_review",
    "articles:feed",
    "articles:feed_atom",
    "sitemap",
    "therapists:finder",
    "therapists:detail",
}
# Any database write to these apps' tables invalidates the page cache...
PAGE_CACHE_CONTENT_APPS = {"articles", "therapists"}
# ...except these models, which never change what a public page shows.
PAGE_CACHE_IGNORED_MODELS = {
    "articles.reminderlog",
    # Article search's own tables: only /search/ reads them, and it is never cached.
    "articles.searchdocument",
    "articles.searchword",
    "articles.searchsynonym",
    "articles.crisisterm",
    "articles.zeroresultquery",
    # The article page's stored parts follow these invalidations (articles/page_parts.py).
    "articles.articlepageparts",
    "therapists.outdatedinforeport",
}
# Never cached anywhere (Cache-Control: no-store).
PRIVATE_PATH_PREFIXES = ("/admin/", "/markdownx/", "/healthz")

# Email: printed to the console while DEBUG is on; SMTP in production (a local
# MTA unless EMAIL_HOST names another), so `check --deploy` passes and
# reminders are really sent.
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP_BACKEND,
        ),
    }
}
if MAILERS["default"]["BACKEND"] == _SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "editors@example.com")

# Security headers. HTTPS-only settings switch on with DEBUG off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses are switched off; the finder may ask
# for the reader's location, on our own origin only.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's health check speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# On in production so `check --deploy` is clean: the header only makes the domain
# eligible for browser preload lists (anyone may then submit it at hstspreload.org).
# Set SECURE_HSTS_PRELOAD=0 if any subdomain cannot serve HTTPS.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# The proxies (CIDRs) whose X-Forwarded-For and X-Forwarded-Proto are believed
# (mhsite/clientip.py); from any other peer those headers are dropped.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1/32", "::1/128"])
if env_bool("BEHIND_TLS_PROXY", False):
    # Safe only with TrustedProxyMiddleware first: it removes the header when a
    # client, not one of TRUSTED_PROXIES, sent it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (Django 6's built-in support): same-origin only,
# no inline script; nonces are available to templates that need one.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# django-axes: lock an (address, username) pair after a few failed admin
# logins, and an address after more failures across usernames (password
# spraying); never a username alone (mhsite/lockout.py). Attempts live in the
# database, so lockouts hold while the cache is down.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "mhsite.lockout.AddressAndPairLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "mhsite.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True

# django-markdownx: one sanitized renderer for public pages and the preview.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "mhsite.markdown.render_markdown"
MARKDOWNX_MEDIA_PATH = "markdownx/"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
# Every image (editor uploads, hero images, photos, imports) goes through
# mhsite/images.py: at most this many bytes as uploaded...
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
MARKDOWNX_UPLOAD_MAX_SIZE = IMAGE_UPLOAD_MAX_BYTES
# ...and pixels, read from the header before decoding (decompression bombs)...
IMAGE_UPLOAD_MAX_PIXELS = env_int("IMAGE_UPLOAD_MAX_PIXELS", 40_000_000)
# ...and larger pictures are scaled down to fit this many pixels a side.
IMAGE_MAX_DIMENSION = env_int("IMAGE_MAX_DIMENSION", 2400)

# Request bodies (mhsite/bodylimit.py): refused with 413 by Content-Length
# before they are read. First matching path pattern wins. The proxy in front
# should refuse earlier still (docs/deployment.md).
# Form fields other than files, in memory, per request (Django's own check).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# Uploads up to the image limit stay in memory instead of a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = IMAGE_UPLOAD_MAX_BYTES
BODY_LIMIT_PUBLIC_FORM = env_int("BODY_LIMIT_PUBLIC_FORM", 16 * 1024)
BODY_LIMITS = [
    (r"^/admin/login/", BODY_LIMIT_PUBLIC_FORM),
    (r"^/therapists/[^/]+/report/$", BODY_LIMIT_PUBLIC_FORM),
    # One image plus multipart framing.
    (r"^/markdownx/upload/$", IMAGE_UPLOAD_MAX_BYTES + 64 * 1024),
    (r"^/markdownx/markdownify/$", DATA_UPLOAD_MAX_MEMORY_SIZE),
    # An article's texts and inlines plus one image.
    (r"^/admin/", IMAGE_UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE),
]
BODY_LIMIT_DEFAULT = env_int("BODY_LIMIT_DEFAULT", 64 * 1024)

# Hosts (https only) that Markdown images may come from besides our own media
# and static files, object storage included. Empty by default: pages load
# nothing from other origins.
MARKDOWN_IMAGE_HOSTS = [*env_list("MARKDOWN_IMAGE_HOSTS", []), *MEDIA_HOSTS]
# The browser may load images from exactly those hosts too.
SECURE_CSP["img-src"] += [f"https://{host}" for host in MARKDOWN_IMAGE_HOSTS]

# Editorial policy.
REVIEW_INTERVAL_MONTHS = env_int("REVIEW_INTERVAL_MONTHS", 12)
REVIEW_DUE_SOON_DAYS = env_int("REVIEW_DUE_SOON_DAYS", 30)
# The medical review workflow (articles/reviews.py, articles/publishing.py,
# docs/review-workflow.md).
# Publishing needs an approved full medical review that is not overdue.
REQUIRE_REVIEW_TO_PUBLISH = env_bool("REQUIRE_REVIEW_TO_PUBLISH", True)
# A full review by the article's author, or by someone who wrote its text since
# the last review, is refused unless this is switched on (a one-person site).
ALLOW_SELF_REVIEW = env_bool("ALLOW_SELF_REVIEW", False)
# Readers see the overdue notice (and the queue lists an article first) only
# once it is overdue by more than this many days.
REVIEW_OVERDUE_GRACE_DAYS = env_int("REVIEW_OVERDUE_GRACE_DAYS", 14)
# review_reminders escalates to editors when an article is overdue this long.
REVIEW_ESCALATION_DAYS = env_int("REVIEW_ESCALATION_DAYS", 14)
# Sections under a heading containing one of these words are clinically
# sensitive, like text between <!-- sensitive --> and <!-- /sensitive -->.
SENSITIVE_SECTION_HEADINGS = env_list(
    "SENSITIVE_SECTION_HEADINGS", ["Crisis", "Self-harm", "Suicide", "Safety plan"]
)
# Content checks (articles/checks.py) that block publishing; the rest only warn.
BLOCKING_CONTENT_CHECKS = env_list(
    "BLOCKING_CONTENT_CHECKS", ["missing_alt_text", "empty_faq_answer"]
)
SUMMARY_MAX_CHARS = env_int("SUMMARY_MAX_CHARS", 160)
# Flesch-Kincaid grade level above which the reading-level check warns.
READING_GRADE_TARGET = env_int("READING_GRADE_TARGET", 9)
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 12)
# Article search's zero-result report (articles/search/zero_results.py): a
# query is listed once it has failed this often in a week, and rows are
# deleted by `purge_search_log` after this many days.
SEARCH_ZERO_RESULT_MIN_COUNT = env_int("SEARCH_ZERO_RESULT_MIN_COUNT", 3)
SEARCH_ZERO_RESULT_RETENTION_DAYS = env_int("SEARCH_ZERO_RESULT_RETENTION_DAYS", 90)

# Therapist directory. Availability not confirmed for this many days is shown
# as "unknown" and ranks below confirmed listings.
THERAPIST_AVAILABILITY_STALE_DAYS = env_int("THERAPIST_AVAILABILITY_STALE_DAYS", 60)
# The admin's "stale" filter: when editors should re-check a listing.
THERAPIST_AVAILABILITY_CHECK_DAYS = env_int("THERAPIST_AVAILABILITY_CHECK_DAYS", 30)
THERAPIST_LICENCE_CHECK_MONTHS = env_int("THERAPIST_LICENCE_CHECK_MONTHS", 12)
THERAPIST_FEE_CURRENCY = os.environ.get("THERAPIST_FEE_CURRENCY", "USD")
THERAPIST_DEFAULT_COUNTRY = os.environ.get("THERAPIST_DEFAULT_COUNTRY", "US")
# Results per page in the public finder.
THERAPIST_FINDER_PER_PAGE = env_int("THERAPIST_FINDER_PER_PAGE", 20)
# "Report outdated information": at most this many reports per reader (IP
# hash) and listing, and per reader across all listings, per window.
THERAPIST_REPORT_RATE_LIMIT = env_int("THERAPIST_REPORT_RATE_LIMIT", 5)
THERAPIST_REPORT_RATE_LIMIT_PER_IP = env_int("THERAPIST_REPORT_RATE_LIMIT_PER_IP", 20)
THERAPIST_REPORT_RATE_WINDOW_SECONDS = env_int("THERAPIST_REPORT_RATE_WINDOW_SECONDS", 3600)
CRISIS_SUPPORT_TEXT = os.environ.get(
    "CRISIS_SUPPORT_TEXT",
    "If you are in crisis or thinking about harming yourself, you do not have to "
    "face it alone. Call or text 988 (US) or contact your local emergency number now.",
)
CRISIS_SUPPORT_URL = os.environ.get("CRISIS_SUPPORT_URL", "https://988lifeline.org/")
CRISIS_SUPPORT_LINK_TEXT = os.environ.get(
    "CRISIS_SUPPORT_LINK_TEXT", "988 Suicide & Crisis Lifeline"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
