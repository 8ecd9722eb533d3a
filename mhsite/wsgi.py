"""WSGI entry point: ``gunicorn -c mhsite/gunicorn.conf.py mhsite.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhsite.settings")

django_application = get_wsgi_application()
# Import the URLconf, and with it every view, now rather than on the first request.
get_resolver().url_patterns  # noqa: B018

from mhsite.fasthit import FastHitApplication  # noqa: E402  (needs the settings above)

# An anonymous reader's page-cache hit is answered before Django builds a
# request (mhsite/fasthit.py); everything else reaches Django unchanged.
application = FastHitApplication(django_application)

# Everything loaded so far (Django, the apps, URL patterns) lives as long as
# the process. Moved out of the collector's sight, it is no longer walked by
# every full collection, which made collections inside requests several times
# cheaper (bench/findings.md).
gc.freeze()
