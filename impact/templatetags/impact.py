from django import template

from impact.selectors import dossier_notices

register = template.Library()


@register.inclusion_tag("impact/_notices.html")
def content_notices(dossier):
    """The "content changed" notices of a dossier (for its team members' pages only)."""
    return {"notices": dossier_notices(dossier)}
