"""gunicorn settings for mhsite: ``gunicorn -c mhsite/gunicorn.conf.py mhsite.wsgi``.

Every value can be overridden from the environment, so the same file serves a
small VM and a container platform that sets PORT and WEB_CONCURRENCY.
"""

import multiprocessing
import os

# Loopback by default: only a proxy on this machine reaches the app. In a
# container or behind a remote load balancer set HOST=0.0.0.0 and
# TRUSTED_PROXIES to the balancer's addresses.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Sync workers: pages are short, database-bound requests. 2 × cores + 1 is
# gunicorn's own rule of thumb.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request running longer than this is killed and its worker replaced; the
# database connect timeout (2 s) keeps outages well below it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (deploys), let in-flight requests finish for this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so a slow leak cannot grow without bound; the
# jitter stops them all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))

# Logs to stdout/stderr for the platform to collect.
# GUNICORN_ACCESSLOG= (empty) turns the access log off, e.g. under load tests.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Request line and headers: gunicorn's defaults, stated so the proxy in front
# can match them. Bodies are limited per route by mhsite/bodylimit.py.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "4094"))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", "100"))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))

# Trust X-Forwarded-* only from the load balancer's addresses: the same list
# as Django's TRUSTED_PROXIES unless FORWARDED_ALLOW_IPS says otherwise.
forwarded_allow_ips = os.environ.get(
    "FORWARDED_ALLOW_IPS", os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")
)
