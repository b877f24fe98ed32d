"""{{ moment|saved_when }}: "om 14:02" today, "op 20 nov. 2026 om 14:02" on another day."""

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def saved_when(moment) -> str:
    if not moment:
        return ""
    local = timezone.localtime(moment)
    time = formats.time_format(local, "TIME_FORMAT")
    if local.date() == timezone.localdate():
        return f"om {time}"
    return f"op {formats.date_format(local, 'DATE_FORMAT')} om {time}"
