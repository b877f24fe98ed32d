"""Links to catalogue pages, the same URL as ``{% url 'interventies:detail' code %}``.

The live-suggestion panel links every suggested and excluded item (some 60 links per
refresh); ``reverse`` is the costliest part of that, so each item's URL is made once.
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=4096)
def _item_url(code: str, prefix: str) -> str:
    return reverse("interventies:detail", args=[code])


@register.filter
def item_url(code) -> str:
    return _item_url(str(code), get_script_prefix())
