"""Settings for mhsite: one module, driven by environment variables.

Local defaults are safe for a developer laptop (SQLite, DEBUG on, a dev-only
secret). With DEBUG off the process refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS, so a production deploy cannot run insecurely by
accident.
"""

import os
from pathlib import Path

from mhsite.configuration.browser_policies import content_security_policy, permissions_policy
from mhsite.configuration.caches import caches
from mhsite.configuration.databases import default_database
from mhsite.configuration.environment import env_bool, env_choice, env_int, env_list
from mhsite.configuration.mail import mailers
from mhsite.configuration.refusals import allowed_hosts, secret_key
from mhsite.configuration.storages import object_storage_hosts, storages

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = secret_key(DEBUG)
ALLOWED_HOSTS = allowed_hosts(DEBUG)
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
DATABASES = {"default": default_database(BASE_DIR)}

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

# Uploads on an S3-compatible object store (AWS S3, MinIO, Ceph, R2, ...) when a
# bucket is named, so any number of app servers share them.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = storages(DEBUG, AWS_STORAGE_BUCKET_NAME)

# Where uploads are served from when it is not this site: readers' browsers
# must be allowed to load images from there (CSP img-src) and the Markdown
# sanitizer must keep images uploaded through the editor.
MEDIA_HOSTS = object_storage_hosts(AWS_STORAGE_BUCKET_NAME) if AWS_STORAGE_BUCKET_NAME else []

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = caches(REDIS_URL)

# Page cache for anonymous readers (mhsite.pagecache, mhsite.cachetags): a
# write invalidates at once the pages showing what it changed; the timeout
# only bounds memory use.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Purging a CDN or Varnish in front by tag after each write (mhsite.purge):
# "none", "varnish", "fastly" or "cloudflare".
PAGE_CACHE_PURGE_BACKEND = env_choice(
    "PAGE_CACHE_PURGE_BACKEND", "none", ("none", "varnish", "fastly", "cloudflare")
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

MAILERS = mailers(DEBUG)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "editors@example.com")

# Security headers. HTTPS-only settings switch on with DEBUG off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = permissions_policy()
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
# The browser may load images from exactly those hosts too (Content-Security-Policy,
# Django 6's built-in support).
SECURE_CSP = content_security_policy(image_hosts=MARKDOWN_IMAGE_HOSTS)

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
