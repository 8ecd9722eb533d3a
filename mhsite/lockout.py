"""Admin login lockouts: by (address, username) and by address, never by username alone.

django-axes counts failures per lockout parameter set and compares the
largest count with one limit. We need two limits: a few failures for one
username from one address (``AXES_FAILURE_LIMIT``, a mistyped password),
and a larger cap on failures from one address across all usernames
(``AXES_ADDRESS_FAILURE_LIMIT``, password spraying). A username alone never
locks anything: otherwise anyone could lock a colleague out by guessing
wrong in their name.

Settings: ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``
in that order (pair first), ``AXES_CLIENT_IP_CALLABLE`` the client address
behind trusted proxies (mhsite/clientip.py).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressAndPairLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        pair_attempts, address_attempts = self.get_user_attempts(request, credentials)
        pair = _failures(pair_attempts)
        if _failures(address_attempts) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # Reported in the units axes compares: at or over its limit.
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears that username's failures from this address
        # only: signing in to one's own account must not wipe a spraying count.
        pair_attempts, _address_attempts = self.filter_user_attempts(request, credentials)
        count, _ = pair_attempts.delete()
        return count
