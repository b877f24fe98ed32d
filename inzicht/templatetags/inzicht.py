from django import template

register = template.Library()

SMALL = 5


@register.filter
def masked(count: int) -> str:
    """A count as shown: under 5 (but not 0) as '< 5', so no single family stands out."""
    return "< 5" if 0 < count < SMALL else str(count)
