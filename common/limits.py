"""Limits on what one request may ask of the server, and headers on every page.

- Formsets: ``limited_formset_factory`` gives each formset an ``absolute_max`` and refuses a
  management form that is not a plain count within it (``evaluatie-TOTAL_FORMS=abc`` or
  ``100000``) with ``MalformedForm``: a 400 with a Dutch message, before any form is built.
- ``rate_limited``: at most N calls per user per minute (autosave), counted in the cache.
- ``SecurityHeadersMiddleware``: ``Cache-Control: no-store`` on every response the app
  makes (pages with personal data must never sit in a browser or proxy cache; static files
  are served before this middleware by WhiteNoise and stay cacheable), a
  ``Permissions-Policy`` that switches off browser features the app never uses, and the
  400 page for ``MalformedForm``.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.forms import BaseFormSet, formset_factory
from django.forms.formsets import ManagementForm
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from common.forms import fields_shared

MALFORMED = (
    "Het formulier kwam niet goed aan: het aantal rijen klopt niet. Laad de pagina opnieuw "
    "en probeer het nog eens. Wat u eerder opsloeg, is bewaard."
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class MalformedForm(BadRequest):
    """A posted management form that no browser of ours sends."""


def management_count(data, key: str, *, most: int) -> int | None:
    """The posted count under ``key``: None when absent, MalformedForm when not 0..most."""
    if data is None or key not in data:
        return None
    raw = data.get(key)
    raw = raw.strip() if isinstance(raw, str) else ""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):  # int() of 5000 digits fails
        raise MalformedForm(MALFORMED)
    value = int(raw)
    if value > most:
        raise MalformedForm(MALFORMED)
    return value


@fields_shared
class SharedManagementForm(ManagementForm):
    """Django's management form with its four count fields shared, not copied for every
    formset posted (see ``common.forms.SharedFields``)."""


class LimitedFormSet(BaseFormSet):
    """Refuses a malformed management form before building any form."""

    @cached_property
    def management_form(self):
        if not self.is_bound:  # a page shown: Django's, with the counts as initial values
            return super().management_form
        # As Django reads a posted one, with the shared fields.
        form = SharedManagementForm(
            self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer
        )
        form.full_clean()
        return form

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if self.is_bound:
            self.refuse_malformed(self.data, self.prefix)

    @classmethod
    def refuse_malformed(cls, data, prefix: str) -> None:
        """MalformedForm when the counts posted under ``prefix`` are not plain counts
        within ``absolute_max``, or say more initial rows than rows: checked when the
        formset is built, and by a view that must check before it writes anything."""
        total = management_count(data, f"{prefix}-TOTAL_FORMS", most=cls.absolute_max)
        initial = management_count(data, f"{prefix}-INITIAL_FORMS", most=cls.absolute_max)
        if total is not None and initial is not None and initial > total:
            raise MalformedForm(MALFORMED)


def limited_formset_factory(form, *, max_num: int, **kwargs):
    """``formset_factory`` with ``validate_max`` and an ``absolute_max`` of twice max_num:
    one row too many gets the friendly message next to the rows, a flood gets a 400."""
    kwargs.setdefault("validate_max", True)
    return formset_factory(
        form, formset=LimitedFormSet, max_num=max_num, absolute_max=max_num * 2, **kwargs
    )


def _count_call(key: str, *, seconds: int) -> int | None:
    """This call's number within its window; None when the cache cannot count (Redis
    down: the call is let through rather than refused)."""
    counter = getattr(cache, "count_in_window", None)
    if counter is not None:  # Redis: one round trip
        return counter(key, seconds)
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def rate_limited(*, scope: str, per_minute_setting: str, default: int):
    """At most N calls per user per minute; beyond that a 429 with a Dutch message."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, per_minute_setting, default)
            count = _count_call(f"ratelimit:{scope}:{request.user.pk}", seconds=60)
            if count is not None and count > limit:
                response = HttpResponse(
                    "Even rustig aan: er wordt te vaak automatisch bewaard. "
                    "Uw invoer blijft staan; sla op wanneer u klaar bent.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, MalformedForm):
            return render(request, "malformed_form.html", {"message": str(exception)}, status=400)
        return None
