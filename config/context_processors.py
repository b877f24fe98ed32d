"""Template context of the project itself."""

from __future__ import annotations

import rules
from django.contrib.auth.context_processors import PermLookupDict, PermWrapper


class RulesPermLookupDict(PermLookupDict):
    def __getitem__(self, perm_name):
        name = f"{self.app_label}.{perm_name}"
        if rules.perm_exists(name):
            # Decided by the django-rules predicates alone (roles read once per request),
            # not also by ModelBackend's two permission queries when the answer is no.
            return self.user.is_active and rules.has_perm(name, self.user)
        return self.user.has_perm(name)


class RulesPermWrapper(PermWrapper):
    def __getitem__(self, app_label):
        return RulesPermLookupDict(self.user, app_label)

    def __contains__(self, perm_name):
        if "." not in perm_name:
            return bool(self[perm_name])
        app_label, name = perm_name.split(".", 1)
        return self[app_label][name]


def perms(request) -> dict:
    """``{{ perms }}`` as django.contrib.auth's, with the care rules answered by rules."""
    user = getattr(request, "user", None)
    return {"perms": RulesPermWrapper(user)} if user is not None else {}
