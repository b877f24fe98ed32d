"""``{% can "dossiers.review" user dossier as can_review %}``: the care rules in templates.

Use this, not ``{% has_perm %}`` or ``perms.dossiers``: those go through Django's
``user.has_perm``, which lets every superuser pass (see dossiers.rules).
"""

from django import template

from dossiers.rules import can as _can

register = template.Library()


@register.simple_tag
def can(perm: str, user, obj=None) -> bool:
    return _can(user, perm, obj)
