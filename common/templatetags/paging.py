"""Links between the pages of a GET list, keeping the list's other parameters."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """``?<param>=<number>`` with the request's other query parameters kept."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
