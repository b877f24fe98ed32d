"""Login throttling: per user name and address (django-axes), and per address across names.

Axes locks a user name from an address after AXES_FAILURE_LIMIT failures. Someone trying
many names from one address stays under that limit for each name; this handler also locks
the address once its failures over all names reach RICHTSNOER_ADDRESS_FAILURE_LIMIT within
the cool-off time.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class AddressAwareHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.address_failures(request) >= settings.RICHTSNOER_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self.address_failures(request) >= (
            settings.RICHTSNOER_ADDRESS_FAILURE_LIMIT
        ):
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page

    def address_failures(self, request) -> int:
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        cool_off = get_cool_off(request)
        if cool_off is not None:
            attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
